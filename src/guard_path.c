// SPDX-License-Identifier: Apache-2.0
/* L2 guard, the pure half: which relative paths and report names the guard
 * will hand to the kernel at all. Everything here runs before any syscall
 * on the path (acceptance #15), so a hostile path never reaches openat2. */
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "tki/common.h"
#include "tki/guard.h"


/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
size_t tki_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min, cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t tki_utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		/* A manifest is mostly ASCII: skip it eight bytes at a time. */
		uint64_t w;
		if (n - i >= sizeof(w) && (memcpy(&w, u + i, sizeof(w)), !(w & 0x8080808080808080ull))) {
			i += sizeof(w);
			continue;
		}
		size_t l = tki_utf8_seq(u + i, n - i);
		if (!l)
			return i;
		i += l;
	}
	return n;
}

void tki_quote(char *out, size_t outsz, const char *s, size_t n)
{
	/* Untrusted bytes end up on a terminal and in reports: the one
	 * escaper (common_escape.c), inside quotes. */
	if (outsz < 8) {
		if (outsz)
			out[0] = '\0';
		return;
	}
	out[0] = '"';
	size_t o = 1 + tki_escape_to(out + 1, outsz - 2, s, n, TKI_ESC_QUOTED);
	out[o++] = '"';
	out[o] = '\0';
}

static bool refuse(struct tki_guard_err *e, const char *path, size_t len, const char *why)
{
	char q[160];
	tki_quote(q, sizeof(q), path, len);
	e->status = TKI_GUARD_BLOCKED;
	e->err = 0;
	snprintf(e->msg, sizeof(e->msg), "path %s refused: %s", q, why);
	return false;
}

bool tki_guard_path_ok(const char *path, size_t len, struct tki_guard_err *e)
{
	struct tki_guard_err dummy;
	if (!e)
		e = &dummy;
	if (!path || len == 0)
		return refuse(e, "", 0, "empty path");
	if (memchr(path, '\0', len))
		return refuse(e, path, len, "contains a NUL byte");
	if (len >= PATH_MAX)
		return refuse(e, path, len, "longer than PATH_MAX");
	if (path[0] == '/')
		return refuse(e, path, len, "absolute (paths are relative to the packet root)");
	if (tki_utf8_invalid_at(path, len) != len)
		return refuse(e, path, len, "not valid UTF-8");
	for (size_t i = 0; i <= len;) {
		const char *seg = path + i;
		const char *slash = memchr(seg, '/', len - i);
		size_t sl = slash ? (size_t)(slash - seg) : len - i;
		if (sl == 0)
			return refuse(e, path, len, "empty path segment (\"//\" or a trailing \"/\")");
		if (sl == 2 && seg[0] == '.' && seg[1] == '.')
			return refuse(e, path, len, "\"..\" segment (paths must stay inside the packet)");
		if (sl == 1 && seg[0] == '.')
			return refuse(e, path, len, "\".\" segment (write the path without \"./\")");
		if (sl > NAME_MAX)
			return refuse(e, path, len, "a segment is longer than NAME_MAX");
		i += sl + 1;
		if (!slash)
			break;
	}
	return true;
}

bool tki_guard_name_ok(const char *name, size_t len, struct tki_guard_err *e)
{
	if (!name || len == 0)
		return refuse(e, "", 0, "empty report name");
	if (memchr(name, '\0', len))
		return refuse(e, name, len, "report name contains a NUL byte");
	if (memchr(name, '/', len))
		return refuse(e, name, len, "report name is not a single file name inside the output dir");
	if (name[0] == '.')
		return refuse(e, name, len, "report name starts with \".\" (\"..\", \".\" and hidden names are refused)");
	if (len > NAME_MAX - TKI_GUARD_TMP_EXTRA)
		return refuse(e, name, len, "report name too long");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return refuse(e, name, len, "report name contains a control character");
	if (tki_utf8_invalid_at(name, len) != len)
		return refuse(e, name, len, "report name is not valid UTF-8");
	return true;
}
