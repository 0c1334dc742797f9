/* Manifest reader, where to cut a large claims array in two (pure): the
 * byte offsets that let two threads parse the halves at once. Only a
 * lexical scan (strings, escapes, brackets); jansson still judges every
 * byte, and the caller falls back to one whole parse on any doubt. */
#include <stdint.h>
#include <string.h>

#include "packet_int.h"

static bool json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Offset of the '"' that ends the string whose opening '"' is at i, or len. */
static size_t string_end(const char *buf, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (buf[i] == '\\')
			i++; /* \" and \\ alike: the next byte is never the end */
		else if (buf[i] == '"')
			return i;
	}
	return len;
}

/* The elements of the array opening at open: their number (0 on anything
 * unexpected: unbalanced, empty, an empty element such as "[1,,2]" or
 * "[1,]"), the matching ']' in *close and, when want < SIZE_MAX, the
 * offset of separator number want (0-based) in *comma. Stops early once
 * *comma is found. */
static size_t scan_array(const char *buf, size_t len, size_t open, size_t want, size_t *close, size_t *comma)
{
	size_t depth = 0, seps = 0;
	bool seen = false; /* a byte of the current element */
	for (size_t i = open; i < len; i++) {
		char c = buf[i];
		if (c == '"') {
			i = string_end(buf, len, i);
			seen = true;
		} else if (c == '[' || c == '{') {
			if (depth++ > 0)
				seen = true;
		} else if (c == ']' || c == '}') {
			if (depth-- > 1)
				continue;
			if (c != ']' || !seen) /* "{...}" mismatch, "[]" or "[1,]" */
				return 0;
			*close = i;
			return seps + 1;
		} else if (c == ',' && depth == 1) {
			if (!seen)
				return 0;
			if (seps == want) {
				*comma = i;
				return seps + 1;
			}
			seps++;
			seen = false;
		} else if (!json_ws(c)) {
			seen = true;
		}
	}
	return 0;
}

/* Offset of the '[' of the top-level object's first member whose key is
 * the raw token "claims", or len. Tracks, at depth 1 only, whether the next
 * string is a key (after '{' or ',') and whether a value follows ':'. */
static size_t find_claims(const char *buf, size_t len)
{
	size_t i = 0, depth = 1;
	while (i < len && json_ws(buf[i]))
		i++;
	if (i == len || buf[i] != '{')
		return len;
	bool want_key = true, claims_next = false, want_value = false;
	for (i++; i < len; i++) {
		char c = buf[i];
		if (json_ws(c))
			continue;
		if (depth == 1 && want_value) {
			if (claims_next)
				return c == '[' ? i : len; /* "claims" not an array: no split */
			want_value = false;
		}
		if (c == '"') {
			size_t end = string_end(buf, len, i);
			if (depth == 1 && want_key) {
				claims_next = end - i == 7 && memcmp(buf + i, "\"claims\"", 8) == 0;
				want_key = false;
			}
			i = end;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if (c == ']' || c == '}') {
			if (--depth == 0)
				return len; /* the object ended without "claims" */
		} else if (depth == 1 && c == ',') {
			want_key = true;
		} else if (depth == 1 && c == ':') {
			want_value = true;
		}
	}
	return len;
}

bool tki_claims_split(const char *buf, size_t len, size_t min_elems, struct tki_claims_split *s)
{
	size_t open = find_claims(buf, len), close = 0, comma = 0;
	if (open >= len)
		return false;
	size_t n = scan_array(buf, len, open, SIZE_MAX, &close, &comma);
	if (n < 2 || n < min_elems)
		return false;
	size_t head = n / 2;
	if (scan_array(buf, len, open, head - 1, &close, &comma) != head)
		return false; /* cannot happen: the same bytes scanned again */
	s->open = open;
	s->comma = comma;
	s->close = close;
	s->n_head = head;
	s->n_tail = n - head;
	return true;
}
