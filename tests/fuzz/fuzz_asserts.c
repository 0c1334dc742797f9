// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the assert evaluator (contains / not_contains streaming search
 * and json_equals) and SHA-256, fed in chunks the input chooses, checked
 * against a one-shot oracle on the whole buffer. A difference is a crash.
 *
 * Input: byte 0: low 2 bits = number of asserts (0-3), bit 2 = attestation;
 *        byte 1: chunk size seed;
 *        per assert: op byte, length byte L, L bytes of operand
 *          (contains/not_contains: the needle; json_equals: "pointer\0value");
 *        the rest: the artifact's bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <nettle/sha2.h>

#include "tki/adequacy.h"
#include "tki/provenance.h"

#define CHECK(c)                                                                                                       \
	do {                                                                                                           \
		if (!(c))                                                                                              \
			__builtin_trap();                                                                              \
	} while (0)

static const uint8_t *take(const uint8_t **p, size_t *left, size_t n)
{
	if (*left < n)
		return NULL;
	const uint8_t *r = *p;
	*p += n;
	*left -= n;
	return r;
}

static void oracle_json(const struct tki_evidence *ev, const uint8_t *content, size_t clen)
{
	json_t *doc = NULL;
	if (!memchr(content, 0, clen))
		doc = json_loadb((const char *)content, clen, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	for (size_t i = 0; i < ev->n_asserts; i++) {
		const struct tki_assert *a = &ev->asserts[i];
		if (a->op != TKI_OP_JSON_EQUALS)
			continue;
		CHECK(a->evaluated == (doc != NULL));
		if (doc) {
			json_t *got = tki_json_pointer(doc, a->pointer);
			CHECK(a->holds == (got && json_equal(got, a->value)));
		}
	}
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t *p = data, *h;
	size_t left = len;
	if (!(h = take(&p, &left, 2)))
		return 0;
	size_t nas = h[0] & 3, chunk_seed = h[1];
	struct tki_evidence ev = {0};
	ev.kind = (h[0] & 4) ? TKI_KIND_ATTESTATION : TKI_KIND_ARTIFACT;
	ev.asserts = calloc(nas ? nas : 1, sizeof(*ev.asserts));
	for (size_t i = 0; i < nas; i++) {
		const uint8_t *oh = take(&p, &left, 2), *op;
		if (!oh || !(op = take(&p, &left, oh[1])))
			break;
		struct tki_assert *a = &ev.asserts[ev.n_asserts];
		a->op = (enum tki_assert_op)(oh[0] % 3);
		if (a->op == TKI_OP_JSON_EQUALS) {
			const uint8_t *nul = memchr(op, 0, oh[1]);
			if (!nul)
				break;
			size_t plen = (size_t)(nul - op);
			a->value = json_loadb((const char *)nul + 1, oh[1] - plen - 1, JSON_DECODE_ANY, NULL);
			if (!a->value)
				break;
			a->pointer = strndup((const char *)op, plen);
		} else {
			a->needle = malloc(oh[1] + 1u);
			memcpy(a->needle, op, oh[1]);
			a->needle[oh[1]] = '\0';
			a->needle_len = oh[1];
		}
		ev.n_asserts++;
	}
	const uint8_t *content = p;
	size_t clen = left;

	struct tki_digest d;
	tki_digest_begin(&d, &ev);
	/* Chunk sizes vary with the seed: 1, 2, ... so every boundary is tried. */
	for (size_t off = 0, k = 0; off < clen; k++) {
		size_t n = 1 + (chunk_seed + k * 7) % (chunk_seed + 1);
		if (n > clen - off)
			n = clen - off;
		tki_digest_feed(&d, (const char *)content + off, n);
		off += n;
	}
	tki_digest_end(&d, true);

	/* The oracle: the same answers on the whole buffer at once. */
	CHECK(ev.size == clen);
	uint8_t dg[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, clen, content);
	sha256_digest(&c, sizeof(dg), dg);
	char hex[65];
	for (size_t i = 0; i < sizeof(dg); i++)
		snprintf(hex + 2 * i, 3, "%02x", dg[i]);
	CHECK(!strcmp(hex, ev.actual_sha256));
	for (size_t i = 0; i < ev.n_asserts; i++) {
		const struct tki_assert *a = &ev.asserts[i];
		if (a->op == TKI_OP_JSON_EQUALS)
			continue;
		bool found = memmem(content, clen, a->needle, a->needle_len) != NULL || a->needle_len == 0;
		CHECK(a->evaluated);
		CHECK(a->holds == (a->op == TKI_OP_CONTAINS ? found : !found));
	}
	oracle_json(&ev, content, clen);
	if (ev.kind == TKI_KIND_ATTESTATION)
		CHECK(ev.content_len == clen && (!clen || !memcmp(ev.content, content, clen)));
	else
		CHECK(!ev.content);

	for (size_t i = 0; i < ev.n_asserts; i++) {
		free(ev.asserts[i].needle);
		free(ev.asserts[i].pointer);
		json_decref(ev.asserts[i].value);
	}
	free(ev.asserts);
	free(ev.content);
	tki_strlist_free(&ev.reasons);
	return 0;
}
