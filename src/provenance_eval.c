// SPDX-License-Identifier: Apache-2.0
/* Pure: the one-pass evaluation of an artifact's bytes: SHA-256, the
 * contains/not_contains streaming search and json_equals, fed chunk by chunk
 * by whoever reads the file (tki_provenance_digest_fd). No I/O here, so the
 * fuzzer (tests/fuzz/fuzz_asserts.c) can cut the bytes anywhere. */
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/provenance.h"

static bool wants_content(const struct tki_evidence *ev)
{
	if (ev->kind == TKI_KIND_ATTESTATION)
		return true;
	for (size_t i = 0; i < ev->n_asserts; i++)
		if (ev->asserts[i].op == TKI_OP_JSON_EQUALS)
			return true;
	return false;
}

static void eval_json_equals(struct tki_evidence *ev, bool over_cap)
{
	json_t *doc = NULL;
	json_error_t jerr;
	bool parsed = false;
	if (!over_cap && ev->content && !memchr(ev->content, '\0', ev->content_len)) {
		doc = json_loadb(ev->content, ev->content_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		parsed = doc != NULL;
	}
	for (size_t i = 0; i < ev->n_asserts; i++) {
		struct tki_assert *a = &ev->asserts[i];
		if (a->op != TKI_OP_JSON_EQUALS)
			continue;
		if (over_cap) {
			snprintf(a->detail, sizeof(a->detail),
				 "not evaluated: artifact is larger than the %u MiB kept for json_equals "
				 "(TKI_MAX_KEPT_BYTES)",
				 TKI_MAX_KEPT_BYTES >> 20);
			continue;
		}
		if (!parsed) {
			snprintf(a->detail, sizeof(a->detail), "not evaluated: artifact is not JSON (%d:%d: %.100s)",
				 ev->content ? jerr.line : 0, ev->content ? jerr.column : 0,
				 ev->content ? jerr.text : "NUL byte or empty");
			continue;
		}
		a->evaluated = true;
		json_t *got = tki_json_pointer(doc, a->pointer);
		if (!got) {
			a->holds = false;
			snprintf(a->detail, sizeof(a->detail), "pointer \"%.100s\" resolves to nothing", a->pointer);
		} else if (json_equal(got, a->value)) {
			a->holds = true;
			snprintf(a->detail, sizeof(a->detail), "value at \"%.100s\" is as expected", a->pointer);
		} else {
			tki_autofree char *s = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
			a->holds = false;
			snprintf(a->detail, sizeof(a->detail), "value at \"%.60s\" is %.100s", a->pointer,
				 s ? s : "(unprintable)");
		}
	}
	json_decref(doc);
}

/* The asserts' results once every byte went through: scans[] are this
 * item's contains/not_contains scans in assert order; ev->content holds the
 * kept bytes when keep. */
static void judge_item(struct tki_evidence *ev, const struct tki_scan *scans, bool keep, bool over_cap)
{
	size_t k = 0;
	for (size_t i = 0; i < ev->n_asserts; i++) {
		struct tki_assert *a = &ev->asserts[i];
		if (a->op == TKI_OP_JSON_EQUALS)
			continue;
		bool found = scans[k++].found;
		a->evaluated = true;
		a->holds = a->op == TKI_OP_CONTAINS ? found : !found;
		snprintf(a->detail, sizeof(a->detail), "%s", found ? "found in the artifact" : "not found in the artifact");
	}
	if (keep)
		eval_json_equals(ev, over_cap);
	if (over_cap && ev->kind == TKI_KIND_ATTESTATION)
		tki_strlist_addf(&ev->reasons, "attestation bundle is larger than %u MiB (TKI_MAX_KEPT_BYTES): not re-judged",
				 TKI_MAX_KEPT_BYTES >> 20);
}

/* One pass for every item citing the same file (issue 14: a file is hashed
 * once, whatever the number of items citing it). One SHA-256 and one kept
 * copy (when any item wants the bytes) for the file; each item keeps its
 * own scans, so its asserts see exactly the bytes that were hashed. */
void tki_digest_group_begin(struct tki_digest_group *g, struct tki_evidence **evs, size_t n)
{
	memset(g, 0, sizeof(*g));
	g->evs = evs;
	g->n = n;
	sha256_init(&g->ctx);
	g->scans = tki_xcalloc(n, sizeof(*g->scans));
	g->nscan = tki_xcalloc(n, sizeof(*g->nscan));
	for (size_t j = 0; j < n; j++) {
		struct tki_evidence *ev = evs[j];
		g->scans[j] = tki_xcalloc(ev->n_asserts, sizeof(**g->scans));
		for (size_t i = 0; i < ev->n_asserts; i++) {
			struct tki_assert *a = &ev->asserts[i];
			if (a->op != TKI_OP_JSON_EQUALS)
				tki_scan_init(&g->scans[j][g->nscan[j]++], a->needle, a->needle_len);
		}
		g->keep |= wants_content(ev);
	}
}

void tki_digest_group_feed(struct tki_digest_group *g, const char *buf, size_t n)
{
	sha256_update(&g->ctx, n, (const uint8_t *)buf);
	for (size_t j = 0; j < g->n; j++)
		for (size_t i = 0; i < g->nscan[j]; i++)
			tki_scan_feed(&g->scans[j][i], buf, n);
	if (g->keep && !g->over_cap) {
		if (g->len + n > TKI_MAX_KEPT_BYTES) {
			g->over_cap = true;
			free(g->content);
			g->content = NULL;
			g->len = 0;
		} else {
			if (g->len + n > g->cap) {
				g->cap = g->cap ? g->cap : TKI_CHUNK_BYTES;
				while (g->cap < g->len + n)
					g->cap *= 2;
				g->content = tki_xrealloc(g->content, g->cap);
			}
			memcpy(g->content + g->len, buf, n);
			g->len += n;
		}
	}
	g->size += (uint64_t)n;
}

void tki_digest_group_end(struct tki_digest_group *g, bool ok)
{
	char hex[65] = "";
	if (ok) {
		uint8_t dg[SHA256_DIGEST_SIZE];
		sha256_digest(&g->ctx, sizeof(dg), dg);
		tki_hex_lower(dg, sizeof(dg), hex);
	}
	for (size_t j = 0; j < g->n; j++) {
		struct tki_evidence *ev = g->evs[j];
		ev->size = g->size;
		if (ok) {
			memcpy(ev->actual_sha256, hex, sizeof(hex));
			bool keep = wants_content(ev);
			/* Borrowed for the judgement; an attestation keeps a copy
			 * of its own for the re-judge (tki_packet_free frees it). */
			ev->content = keep ? g->content : NULL;
			ev->content_len = keep ? g->len : 0;
			judge_item(ev, g->scans[j], keep, g->over_cap);
			bool own = keep && ev->kind == TKI_KIND_ATTESTATION && !g->over_cap && g->content;
			ev->content = own ? memcpy(tki_xrealloc(NULL, g->len), g->content, g->len) : NULL;
			ev->content_len = own ? g->len : 0;
		}
		for (size_t i = 0; i < g->nscan[j]; i++)
			tki_scan_free(&g->scans[j][i]);
		free(g->scans[j]);
	}
	free(g->scans);
	free(g->nscan);
	free(g->content);
	g->scans = NULL;
	g->nscan = NULL;
	g->content = NULL;
}

void tki_digest_begin(struct tki_digest *d, struct tki_evidence *ev)
{
	d->ev = ev;
	ev->size = 0;
	tki_digest_group_begin(&d->g, &d->ev, 1);
}

void tki_digest_feed(struct tki_digest *d, const char *buf, size_t n)
{
	tki_digest_group_feed(&d->g, buf, n);
}

void tki_digest_end(struct tki_digest *d, bool ok)
{
	tki_digest_group_end(&d->g, ok);
}
