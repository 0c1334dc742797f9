// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the one escaper (src/common_escape.c). Whatever the bytes,
 * every mode's output is valid UTF-8 with no control byte, no invisible
 * or line-separating code point, and (Markdown) no unescaped active
 * character; TEXT is idempotent; the truncating form stays in bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tki/common.h"
#include "tki/guard.h"

static void check_clean(const char *s, enum tki_esc mode)
{
	size_t n = strlen(s);
	if (tki_utf8_invalid_at(s, n) != n)
		abort();
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t l = tki_utf8_seq(u + i, n - i);
		uint32_t c = u[i];
		if (l == 2)
			c = ((u[i] & 0x1fu) << 6) | (u[i + 1] & 0x3fu);
		else if (l == 3)
			c = ((u[i] & 0x0fu) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3fu);
		else if (l == 4)
			c = ((u[i] & 0x07u) << 18) | ((u[i + 1] & 0x3fu) << 12) | ((u[i + 2] & 0x3fu) << 6) |
			    (u[i + 3] & 0x3fu);
		if ((c < 0x20 && !(mode == TKI_ESC_JSON)) || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
		    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029 ||
		    c == 0x200e || c == 0x200f || c == 0x61c || c == 0xfeff)
			abort();
		if (mode == TKI_ESC_MD && c == '\\') {
			/* a backslash always escapes the next character */
			if (i + 1 >= n || !strchr("!#$&*.:<=>@[\\]^_`{}~-+)", s[i + 1]))
				abort();
			i += 2;
			continue;
		}
		if (mode == TKI_ESC_MD && c == '`' && !strncmp(s + i, "`@`", 3)) {
			i += 3; /* the code span an '@' becomes */
			continue;
		}
		if (mode == TKI_ESC_MD && c && c < 0x80 && strchr("*_`[]<>!~|@:", (int)c))
			abort(); /* an active character that no backslash precedes */
		i += l;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *s = (const char *)data;
	for (int m = TKI_ESC_TEXT; m <= TKI_ESC_JSON_STR; m++) {
		if (m == TKI_ESC_JSON)
			continue; /* its input is jansson's output, not arbitrary bytes */
		char *e = tki_escape(s, len, (enum tki_esc)m);
		check_clean(e, (enum tki_esc)m);
		free(e);
	}
	char *t = tki_escape(s, len, TKI_ESC_TEXT);
	char *tt = tki_escape(t, strlen(t), TKI_ESC_TEXT);
	if (strcmp(t, tt))
		abort(); /* sinks escape again: it must change nothing */
	free(tt);
	free(t);
	char small[24];
	size_t w = tki_escape_to(small, sizeof(small), s, len, TKI_ESC_QUOTED);
	if (w >= sizeof(small) || strlen(small) != w)
		abort();
	return 0;
}
