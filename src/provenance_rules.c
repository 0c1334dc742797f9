// SPDX-License-Identifier: Apache-2.0
/* Pure provenance rules and the streaming substring scanner. No I/O. */
#include <ctype.h>
#include <string.h>

#include "tki/common.h"
#include "tki/guard.h"

#include <jansson.h>
#include "tki/provenance.h"

/* The venues whose evidence the policy accepts, by exact name: ASCII,
 * case-sensitive, nothing around it (docs/packet-format.md, "Venues"). A
 * denylist cannot win against "Mac-local\n", "mac_local", a no-break space
 * or fullwidth letters; an allowlist does not have to. A developer laptop
 * attests only itself (seed 001): "local" scopes a verdict to the machine
 * that produced it, and mac-local / docker-desktop are simply not here. */
static const char *const accepted_venues[] = {
	"CI",
	"VPS",
	"local",
};

bool tki_venue_rejected(const char *venue)
{
	if (!venue)
		return true;
	for (size_t i = 0; i < TKI_ARRAY_LEN(accepted_venues); i++)
		if (!strcmp(venue, accepted_venues[i]))
			return false;
	return true;
}

bool tki_provenance_valid(const struct tki_evidence *ev, const char *run_date, struct tki_strlist *reasons)
{
	const struct tki_provenance *pv = &ev->prov;
	bool ok = true;
	char day[11];

	if (!pv->captured_at || !*pv->captured_at) {
		tki_strlist_add(reasons, "invalid provenance: captured_at is missing");
		ok = false;
	} else if (!tki_rfc3339_utc(pv->captured_at, day)) {
		tki_strlist_addf(reasons,
				 "invalid provenance: captured_at \"%s\" is not an RFC 3339 UTC timestamp "
				 "(e.g. 2026-06-10T11:58:00Z)",
				 pv->captured_at);
		ok = false;
	} else if (run_date && strcmp(day, run_date) > 0) {
		/* The run date is a whole day: anything captured on it is fine. */
		tki_strlist_addf(reasons, "invalid provenance: captured_at %s is after the run date %s",
				 pv->captured_at, run_date);
		ok = false;
	}
	if (tki_venue_rejected(pv->venue)) {
		char q[96];
		tki_quote(q, sizeof(q), pv->venue ? pv->venue : "", pv->venue ? strlen(pv->venue) : 0);
		tki_strlist_addf(reasons,
				 "invalid provenance: venue %s is not an accepted venue (" TKI_VENUES_ACCEPTED
				 "; exact, case-sensitive, nothing around it)",
				 q);
		ok = false;
	}
	if (ev->kind == TKI_KIND_COMMAND_OUTPUT) {
		if (!pv->command || !*pv->command) {
			tki_strlist_add(reasons, "invalid provenance: command_output without provenance.command");
			ok = false;
		}
		if (!pv->has_exit_code) {
			tki_strlist_add(reasons, "invalid provenance: command_output without provenance.exit_code");
			ok = false;
		}
	}
	return ok;
}

/* An attestation bundle carries its own run date: the author's word too,
 * so it may only disqualify. NULL when there is none to read. */
static char *bundle_run_date(const struct tki_evidence *ev)
{
	if (ev->kind != TKI_KIND_ATTESTATION || !ev->content || memchr(ev->content, '\0', ev->content_len))
		return NULL;
	json_error_t e;
	json_t *b = json_loadb(ev->content, ev->content_len, JSON_REJECT_DUPLICATES, &e);
	const char *d = json_string_value(json_object_get(b, "run_date"));
	char *out = d ? tki_xstrdup(d) : NULL;
	json_decref(b);
	return out;
}

/* Age of a day (YYYY-MM-DD) at run_date, with the reason it is refused
 * appended; true when it is within [run - max_age, run]. */
static bool day_fresh(const char *what, const char *shown, const char *day, const char *run_date,
		      unsigned max_age_days, struct tki_strlist *reasons)
{
	long age = tki_days_from_date(run_date) - tki_days_from_date(day);
	if (age < 0) {
		tki_strlist_addf(reasons, "invalid provenance: %s %s is after the run date %s", what, shown, run_date);
		return false;
	}
	if (age <= (long)max_age_days)
		return true;
	tki_strlist_addf(reasons,
			 "stale: %s %s is %ld days before the run date %s, older than the freshness window of %u "
			 "days (--max-age)",
			 what, shown, age, run_date, max_age_days);
	return false;
}

void tki_provenance_fresh(struct tki_packet *p, const char *run_date, unsigned max_age_days)
{
	if (!run_date || !tki_date_valid(run_date))
		return;
	for (size_t i = 0; i < p->n_evidence; i++) {
		struct tki_evidence *ev = &p->evidence[i];
		char day[11];
		bool ok = true;
		/* A future captured_at is tki_provenance_valid's reason already. */
		if (ev->prov.captured_at && tki_rfc3339_utc(ev->prov.captured_at, day) &&
		    tki_days_from_date(day) <= tki_days_from_date(run_date))
			ok = day_fresh("captured_at", ev->prov.captured_at, day, run_date, max_age_days, &ev->reasons);
		tki_autofree char *brd = bundle_run_date(ev);
		if (brd && !tki_date_valid(brd)) {
			char q[64];
			tki_quote(q, sizeof(q), brd, strlen(brd));
			tki_strlist_addf(&ev->reasons, "invalid provenance: the bundle's run_date %s is not YYYY-MM-DD", q);
			ok = false;
		} else if (brd) {
			ok = day_fresh("the bundle's run_date", brd, brd, run_date, max_age_days, &ev->reasons) && ok;
		}
		if (!ok && ev->state == TKI_EV_VERIFIED)
			ev->state = TKI_EV_BAD_PROVENANCE;
	}
}

void tki_scan_init(struct tki_scan *s, const char *needle, size_t nlen)
{
	memset(s, 0, sizeof(*s));
	s->needle = needle;
	s->nlen = nlen;
	s->found = nlen == 0; /* the empty string is in every byte string */
	if (nlen > 1)
		s->carry = tki_xmalloc(2 * (nlen - 1));
}

void tki_scan_feed(struct tki_scan *s, const char *buf, size_t len)
{
	if (s->found || len == 0)
		return;
	size_t keep = s->nlen - 1;
	if (keep == 0) {
		s->found = memchr(buf, (unsigned char)s->needle[0], len) != NULL;
		return;
	}
	/* Straddling matches lie within carry + the first keep bytes of buf. */
	size_t head = len < keep ? len : keep;
	memcpy(s->carry + s->clen, buf, head);
	size_t wlen = s->clen + head;
	if (memmem(s->carry, wlen, s->needle, s->nlen) || memmem(buf, len, s->needle, s->nlen)) {
		s->found = true;
		return;
	}
	if (len >= keep) {
		memcpy(s->carry, buf + len - keep, keep);
		s->clen = keep;
	} else {
		size_t drop = wlen > keep ? wlen - keep : 0;
		memmove(s->carry, s->carry + drop, wlen - drop);
		s->clen = wlen - drop;
	}
}

void tki_scan_free(struct tki_scan *s)
{
	free(s->carry);
	s->carry = NULL;
}
