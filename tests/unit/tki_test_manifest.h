// SPDX-License-Identifier: Apache-2.0
/* Manifest text for the reader's tests that generate large manifests. */
#ifndef TKI_TEST_MANIFEST_H
#define TKI_TEST_MANIFEST_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "packet_int.h"

/* The elements of an evidence array, E0..E(n-1), prose, comma-separated,
 * written at b (room for about 200 bytes each); the bytes written. */
static inline size_t tm_prose_evidence(char *b, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(b + o, "%s{\"id\":\"E%zu\",\"kind\":\"prose\",\"path\":\"p\",\"sha256\":\"%064d\","
					    "\"provenance\":{\"producer\":\"p\",\"venue\":\"CI\",\"captured_at\":"
					    "\"2026-06-10T12:00:00Z\"}}",
				     i ? "," : "", i, 0);
	return o;
}

/* Whether every piece of the manifest parses: the item scan, the skeleton
 * and each item (the unit tests and the differential fuzzer, fuzz_items). */
static inline bool tm_pieces_parse(const char *buf, size_t len)
{
	struct tki_manifest_items m;
	if (!tki_manifest_items(buf, len, &m))
		return false;
	json_error_t je;
	json_t *skel = tki_manifest_load_skel(&m, &je);
	bool ok = skel != NULL;
	json_decref(skel);
	const struct tki_item_spans *a[] = {&m.claims, &m.evidence};
	for (size_t k = 0; k < 2 && ok; k++)
		for (size_t i = 0; i < a[k]->n && ok; i++) {
			json_t *v = json_loadb(buf + a[k]->v[i].off, a[k]->v[i].len, TKI_LOAD_FLAGS, &je);
			ok = v != NULL;
			json_decref(v);
		}
	tki_manifest_items_free(&m);
	return ok;
}

#endif
