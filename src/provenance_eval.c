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

static void hex_lower(const uint8_t *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
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

void tki_digest_begin(struct tki_digest *d, struct tki_evidence *ev)
{
	memset(d, 0, sizeof(*d));
	d->ev = ev;
	sha256_init(&d->ctx);
	d->scans = tki_xcalloc(ev->n_asserts, sizeof(*d->scans));
	for (size_t i = 0; i < ev->n_asserts; i++) {
		struct tki_assert *a = &ev->asserts[i];
		if (a->op != TKI_OP_JSON_EQUALS)
			tki_scan_init(&d->scans[d->nscan++], a->needle, a->needle_len);
	}
	d->keep = wants_content(ev);
	ev->size = 0;
}

void tki_digest_feed(struct tki_digest *d, const char *buf, size_t n)
{
	struct tki_evidence *ev = d->ev;
	sha256_update(&d->ctx, n, (const uint8_t *)buf);
	for (size_t i = 0; i < d->nscan; i++)
		tki_scan_feed(&d->scans[i], buf, n);
	if (d->keep && !d->over_cap) {
		if (ev->content_len + n > TKI_MAX_KEPT_BYTES) {
			d->over_cap = true;
			free(ev->content);
			ev->content = NULL;
			ev->content_len = 0;
		} else {
			if (ev->content_len + n > d->kept_cap) {
				d->kept_cap = d->kept_cap ? d->kept_cap : TKI_CHUNK_BYTES;
				while (d->kept_cap < ev->content_len + n)
					d->kept_cap *= 2;
				ev->content = tki_xrealloc(ev->content, d->kept_cap);
			}
			memcpy(ev->content + ev->content_len, buf, n);
			ev->content_len += n;
		}
	}
	ev->size += (uint64_t)n;
}

void tki_digest_end(struct tki_digest *d, bool ok)
{
	struct tki_evidence *ev = d->ev;
	if (ok) {
		uint8_t dg[SHA256_DIGEST_SIZE];
		sha256_digest(&d->ctx, sizeof(dg), dg);
		hex_lower(dg, sizeof(dg), ev->actual_sha256);
		size_t k = 0;
		for (size_t i = 0; i < ev->n_asserts; i++) {
			struct tki_assert *a = &ev->asserts[i];
			if (a->op == TKI_OP_JSON_EQUALS)
				continue;
			bool found = d->scans[k++].found;
			a->evaluated = true;
			a->holds = a->op == TKI_OP_CONTAINS ? found : !found;
			snprintf(a->detail, sizeof(a->detail), "%s", found ? "found in the artifact" : "not found in the artifact");
		}
		if (d->keep)
			eval_json_equals(ev, d->over_cap);
		if (d->over_cap && ev->kind == TKI_KIND_ATTESTATION)
			tki_strlist_addf(&ev->reasons,
					 "attestation bundle is larger than %u MiB (TKI_MAX_KEPT_BYTES): not re-judged",
					 TKI_MAX_KEPT_BYTES >> 20);
	}
	for (size_t i = 0; i < d->nscan; i++)
		tki_scan_free(&d->scans[i]);
	free(d->scans);
	d->scans = NULL;
	/* Only the re-judge of an attestation needs the bytes after this. */
	if (!ok || ev->kind != TKI_KIND_ATTESTATION) {
		free(ev->content);
		ev->content = NULL;
		ev->content_len = 0;
	}
}
