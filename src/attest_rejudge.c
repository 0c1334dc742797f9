// SPDX-License-Identifier: Apache-2.0
/* Re-judge an attestation bundle (tki-attestation/v1) from its raw
 * observations against our own expected table. The bundle's verdicts are
 * read only to report disagreement. Pure: bytes in, verdict out. */
#include <string.h>

#include "tki/attest.h"
#include "tki/provenance.h"

#define MAX_BUNDLE_PROBES 64

static const char *str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool digest_ok(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 7 + 64)
		return false;
	for (const char *p = d + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* The layout the bundle says the venue had (default /in, /out). */
static void read_layout(const json_t *b, struct tki_attest_layout *lay)
{
	const json_t *l = json_object_get(b, "layout");
	lay->in_dir = "/in";
	lay->out_dir = "/out";
	lay->exe = NULL;
	if (!json_is_object(l))
		return;
	const char *in = str(l, "in_dir"), *out = str(l, "out_dir");
	if (in && in[0] == '/' && in[1])
		lay->in_dir = in;
	if (out && out[0] == '/' && out[1])
		lay->out_dir = out;
}

static json_t *row(const struct tki_probe_def *d, const char *id, const char *claimed, bool pass,
		   const char *eoe, const char *why)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "probe_id", id, "l1_test", d ? d->l1_test : "",
			 "claimed", claimed ? claimed : "", "rejudged", pass ? "PASS" : "FAIL",
			 "errno_or_exit", eoe ? eoe : "", "why", why);
}

static void judge_probes(const json_t *probes, const json_t *raw, const struct tki_attest_layout *lay,
			 struct tki_attest_verdict *v, bool *all_pass)
{
	/* Rows in table order; unknown ids after them. */
	json_t *rows[TKI_PROBE_COUNT] = {0};
	unsigned seen[TKI_PROBE_COUNT] = {0};
	json_t *extra = json_array();
	size_t i;
	const json_t *p;
	json_array_foreach(probes, i, p) {
		if (i >= MAX_BUNDLE_PROBES) {
			tki_strlist_addf(&v->reasons, "more than %d probes in the bundle", MAX_BUNDLE_PROBES);
			*all_pass = false;
			break;
		}
		const char *id = json_is_object(p) ? str(p, "probe_id") : NULL;
		if (!id) {
			tki_strlist_addf(&v->reasons, "probes[%zu] has no probe_id string", i);
			*all_pass = false;
			continue;
		}
		if (!tki_id_valid(id)) {
			/* Never echoed: the id is not in the safe charset. */
			tki_strlist_addf(&v->reasons, "probes[%zu].probe_id is not an id (%s)", i, TKI_ID_RULE);
			*all_pass = false;
			continue;
		}
		const struct tki_probe_def *d = tki_probe_find(id);
		const char *claimed = str(p, "verdict"), *eoe = str(p, "errno_or_exit");
		if (!d) {
			tki_strlist_addf(&v->reasons, "unknown probe id %.64s (not in seed 001 §3)", id);
			json_array_append_new(extra, row(NULL, id, claimed, false, eoe, "unknown probe id"));
			*all_pass = false;
			continue;
		}
		size_t k = (size_t)(d - tki_probe_table);
		char why[512];
		bool pass = tki_probe_judge(d, eoe, str(p, "actual_stderr_or_value"), raw, lay, why, sizeof(why));
		if (!pass) {
			v->any_fail = true;
			v->probe_fail[k] = true;
			*all_pass = false;
		}
		if (claimed && strcmp(claimed, "PASS") == 0 && !pass) {
			v->contradicted = true;
			tki_strlist_addf(&v->reasons, "%s: the bundle says PASS but it re-judges FAIL: %s", id, why);
		} else if (claimed && strcmp(claimed, "FAIL") == 0 && pass) {
			/* The bundle disagrees with itself; we do not pick a side. */
			v->contradicted = true;
			*all_pass = false;
			tki_strlist_addf(&v->reasons, "%s: the bundle says FAIL but it re-judges PASS (%s)", id, why);
		} else if (!pass) {
			tki_strlist_addf(&v->reasons, "%s re-judges FAIL: %s", id, why);
		}
		if (++seen[k] > 1) {
			tki_strlist_addf(&v->reasons, "%s appears more than once", id);
			*all_pass = false;
		}
		/* Keep the worst occurrence in the table. */
		if (!rows[k] || !pass) {
			json_decref(rows[k]);
			rows[k] = row(d, id, claimed, pass, eoe, why);
		}
	}
	for (size_t k = 0; k < TKI_PROBE_COUNT; k++) {
		const struct tki_probe_def *d = &tki_probe_table[k];
		v->probe_pass[k] = seen[k] == 1 && !v->probe_fail[k];
		if (!rows[k]) {
			tki_strlist_addf(&v->reasons, "probe %s (%s) is missing from the bundle", d->id, d->l1_test);
			*all_pass = false;
			rows[k] = row(d, d->id, NULL, false, NULL, "missing from the bundle");
		}
		json_array_append_new(v->probes, rows[k]);
	}
	json_array_extend(v->probes, extra);
	json_decref(extra);
}

/* P1 on the raw data: the bundle is worth nothing if P1 would have refused
 * the venue it came from (and then no probe would have run at all). */
static void judge_raw(const json_t *raw, const struct tki_attest_layout *lay, struct tki_attest_verdict *v,
		      bool *all_pass)
{
	struct tki_raw_judged j;
	tki_p1_rejudge_raw(raw, lay, &j);
	for (int i = 0; i < TKI_RI__COUNT; i++) {
		v->raw_pass[i] = j.ok[i];
		json_array_append_new(v->invariants,
				      json_pack("{s:s, s:s, s:s}", "name", tki_raw_inv_names[i], "rejudged",
						j.ok[i] ? "PASS" : "FAIL", "observed", j.observed[i]));
		if (!j.ok[i]) {
			v->any_fail = true;
			*all_pass = false;
			tki_strlist_addf(&v->reasons, "P1 %s re-judged from raw fails: %s", tki_raw_inv_names[i],
					 j.observed[i]);
		}
	}
	tki_raw_judged_free(&j);
}

void tki_attest_rejudge(const char *buf, size_t len, struct tki_attest_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->probes = json_array();
	v->invariants = json_array();
	/* jansson accepts a raw NUL right after a number: refuse any first. */
	if (!buf || memchr(buf, '\0', len)) {
		tki_strlist_add(&v->reasons, "not an attestation bundle: empty or contains a NUL byte");
		return;
	}
	json_error_t err;
	json_t *b = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!b) {
		tki_strlist_addf(&v->reasons, "not an attestation bundle: %d:%d: %s", err.line, err.column, err.text);
		return;
	}
	const char *schema = json_is_object(b) ? str(b, "schema") : NULL;
	const json_t *probes = json_is_object(b) ? json_object_get(b, "probes") : NULL;
	if (!schema || strcmp(schema, TKI_ATTEST_SCHEMA) != 0 || !json_is_array(probes)) {
		tki_strlist_add(&v->reasons, "not an attestation bundle: schema is not " TKI_ATTEST_SCHEMA
					     " or probes is not an array");
		json_decref(b);
		return;
	}
	v->is_bundle = true;
	bool ok = true;

	const char *venue = str(b, "venue"), *digest = str(b, "image_digest");
	/* Copied for the report only when they are what they should be: an
	 * accepted venue, a digest; the reasons quote anything else. */
	snprintf(v->venue, sizeof(v->venue), "%s", venue && !tki_venue_rejected(venue) ? venue : "");
	snprintf(v->image_digest, sizeof(v->image_digest), "%s", digest_ok(digest) ? digest : "");
	if (!venue || !*venue) {
		tki_strlist_add(&v->reasons, "venue is missing: B4' is scoped to a venue");
		ok = false;
	} else if (tki_venue_rejected(venue)) {
		char q[96];
		tki_quote(q, sizeof(q), venue, strlen(venue));
		tki_strlist_addf(&v->reasons, "venue %s is not an accepted venue (" TKI_VENUES_ACCEPTED ")", q);
		ok = false;
	}
	if (!digest_ok(digest)) {
		tki_strlist_add(&v->reasons, "image_digest is missing or not sha256:<64 hex>: B4' is scoped to an image");
		ok = false;
	}
	const json_t *raw = json_object_get(b, "raw");
	if (!json_is_object(raw)) {
		tki_strlist_add(&v->reasons, "raw is missing: probes cannot be re-judged from observations");
		raw = NULL;
	}
	struct tki_attest_layout lay;
	read_layout(b, &lay);
	judge_probes(probes, raw, &lay, v, &ok);
	judge_raw(raw, &lay, v, &ok);
	v->attested = ok && !v->contradicted && !v->any_fail;
	json_decref(b);
}

void tki_attest_verdict_free(struct tki_attest_verdict *v)
{
	tki_strlist_free(&v->reasons);
	json_decref(v->probes);
	v->probes = NULL;
	json_decref(v->invariants);
	v->invariants = NULL;
}
