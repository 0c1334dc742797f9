// SPDX-License-Identifier: Apache-2.0
/* Fuzz input as the NUL-terminated text the P1 parsers take. */
#ifndef TKI_FUZZ_TEXT_H
#define TKI_FUZZ_TEXT_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline char *fuzz_text(const uint8_t *data, size_t len)
{
	char *text = malloc(len + 1);
	if (text) {
		memcpy(text, data, len);
		text[len] = '\0';
	}
	return text;
}
#endif
