// SPDX-License-Identifier: Apache-2.0
/* libFuzzer, differential: the manifest read one item at a time
 * (tki_packet_parse) against the walk over one whole jansson tree
 * (tki_packet_from_json), the reader before issue 16. Aborts when the
 * pieces (skeleton and items) parse but the whole does not, or when, for
 * valid JSON, the errors, their locations, the packet id or the model's
 * shape differ. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet_int.h"
#include "tki/packet.h"
#include "../unit/tki_test_manifest.h"

static void same(const struct tki_reject *a, const struct tki_reject *b)
{
	if (a->errors.n != b->errors.n || memcmp(a->line, b->line, sizeof(a->line)) ||
	    memcmp(a->col, b->col, sizeof(a->col)) || strcmp(a->packet_id, b->packet_id))
		abort();
	for (size_t i = 0; i < a->errors.n; i++)
		if (strcmp(a->errors.v[i], b->errors.v[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static bool seeded;
	if (!seeded) {
		tki_packet_seed_hash();
		seeded = true;
	}
	const char *buf = (const char *)data;
	struct tki_reject r1 = {0}, r2 = {0};
	struct tki_packet *p1 = tki_packet_parse(buf, len, &r1);
	json_error_t je;
	json_t *whole = len && len <= TKI_MAX_MANIFEST_BYTES && tki_manifest_prescan(buf, len, &r2)
				? json_loadb(buf, len, TKI_LOAD_FLAGS, &je)
				: NULL;
	if (!whole && r2.errors.n == 0 && len && len <= TKI_MAX_MANIFEST_BYTES && tm_pieces_parse(buf, len))
		abort(); /* the pieces accept what the whole refuses */
	if (whole) {
		struct tki_packet *p2 = tki_packet_from_json(whole, &r2);
		if (!p2)
			tki_reject_locate(buf, len, &r2);
		same(&r1, &r2);
		if (!p1 != !p2)
			abort();
		if (p1 && (p1->n_claims != p2->n_claims || p1->n_evidence != p2->n_evidence ||
			   p1->warnings.n != p2->warnings.n))
			abort();
		for (size_t i = 0; p1 && i < p1->n_claims; i++)
			if (p1->claims[i].n_cites != p2->claims[i].n_cites ||
			    (p1->claims[i].n_cites &&
			     memcmp(p1->claims[i].cites, p2->claims[i].cites, p1->claims[i].n_cites * sizeof(size_t))))
				abort();
		tki_packet_free(p2);
		json_decref(whole);
	} else if (p1) {
		abort(); /* a packet from bytes that are not valid JSON */
	}
	tki_packet_free(p1);
	tki_reject_free(&r1);
	tki_reject_free(&r2);
	return 0;
}
