// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the RFC 6901 pointer evaluator. Input: pointer, NUL, JSON doc. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "tki/adequacy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *nul = memchr(data, 0, len);
	if (!nul)
		return 0;
	size_t plen = (size_t)(nul - (const char *)data);
	json_t *doc = json_loadb(nul + 1, len - plen - 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (doc) {
		(void)tki_json_pointer(doc, (const char *)data);
		json_decref(doc);
	}
	return 0;
}
