// SPDX-License-Identifier: Apache-2.0
/* The id charset (include/tki/common.h, docs/packet-format.md), and
 * digests as text. Pure. */
#include <string.h>

#include "tki/common.h"

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool tki_id_valid(const char *s)
{
	if (!s || !alnum(s[0]))
		return false;
	size_t n = strlen(s);
	if (n > TKI_ID_MAX)
		return false;
	for (size_t i = 1; i < n; i++)
		if (!alnum(s[i]) && !strchr("._-:", s[i]))
			return false;
	return true;
}

void tki_hex_lower(const uint8_t *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}
