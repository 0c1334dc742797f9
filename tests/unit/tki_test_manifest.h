// SPDX-License-Identifier: Apache-2.0
/* Manifest text for the reader's tests that generate large manifests. */
#ifndef TKI_TEST_MANIFEST_H
#define TKI_TEST_MANIFEST_H

#include <stdio.h>

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

#endif
