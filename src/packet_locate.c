// SPDX-License-Identifier: Apache-2.0
/* Where in packet.json a schema error's JSON path points: jansson keeps no
 * positions, so the REJECTED reports (SARIF regions) find the value again
 * by a lexical walk of the bytes. Only for rejected manifests; pure. */
#include <string.h>

#include "packet_int.h"
#include "tki/common.h"

static size_t ws(const char *b, size_t n, size_t i)
{
	while (i < n && strchr(" \t\r\n", b[i]) && b[i])
		i++;
	return i;
}

/* Past the string token that starts at i (a '"'). */
static size_t past_string(const char *b, size_t n, size_t i)
{
	for (i++; i < n && b[i] != '"'; i++)
		if (b[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

/* Past the value that starts at i; nesting by counting, never recursing. */
static size_t past_value(const char *b, size_t n, size_t i)
{
	size_t depth = 0;
	do {
		if (i >= n)
			return n;
		char c = b[i];
		if (c == '"') {
			i = past_string(b, n, i);
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && depth)
			depth--;
		else if (!depth)
			while (i + 1 < n && !strchr(",]} \t\r\n", b[i + 1]) && b[i + 1])
				i++;
		i++;
	} while (depth);
	return i;
}

/* One step of the path: a key (decoded) or an array index. */
struct step {
	bool is_index;
	size_t index;
	char key[256];
};

/* Parse the next step of "a.b[2][\"odd key\"]"; false at the end or on
 * a step it cannot read back (an escaped byte in a quoted key). */
static bool next_step(const char **pp, struct step *st)
{
	const char *p = *pp;
	if (*p == '.')
		p++;
	if (!*p)
		return false;
	st->is_index = false;
	size_t k = 0;
	if (p[0] == '[' && p[1] == '"') {
		for (p += 2; *p && *p != '"'; p++) {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			else if (*p == '\\')
				return false;
			if (k + 1 < sizeof(st->key))
				st->key[k++] = *p;
		}
		if (p[0] != '"' || p[1] != ']')
			return false;
		p += 2;
	} else if (p[0] == '[') {
		st->is_index = true;
		st->index = 0;
		for (p++; *p >= '0' && *p <= '9'; p++)
			st->index = st->index * 10 + (size_t)(*p - '0');
		if (*p++ != ']')
			return false;
	} else {
		for (; *p && *p != '.' && *p != '['; p++)
			if (k + 1 < sizeof(st->key))
				st->key[k++] = *p;
	}
	st->key[k] = '\0';
	*pp = p;
	return true;
}

/* The value at i for one step, or (size_t)-1 when it is not there. */
static size_t step_into(const char *b, size_t n, size_t i, const struct step *st)
{
	if (i >= n || b[i] != (st->is_index ? '[' : '{'))
		return (size_t)-1;
	for (size_t el = 0;; el++) {
		i = ws(b, n, i + 1);
		if (i >= n || b[i] == ']' || b[i] == '}')
			return (size_t)-1;
		if (!st->is_index) {
			if (b[i] != '"')
				return (size_t)-1;
			size_t e = past_string(b, n, i);
			json_t *k = json_loadb(b + i, e - i, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
			bool match = json_is_string(k) && !strcmp(json_string_value(k), st->key);
			json_decref(k);
			i = ws(b, n, e);
			if (i >= n || b[i] != ':')
				return (size_t)-1;
			i = ws(b, n, i + 1);
			if (match)
				return i;
		} else if (el == st->index) {
			return i;
		}
		i = ws(b, n, past_value(b, n, i));
		if (i >= n || b[i] != ',')
			return (size_t)-1;
	}
}

size_t tki_json_locate(const char *buf, size_t len, const char *path)
{
	size_t at = ws(buf, len, 0);
	if (!strcmp(path, "(root)"))
		return at;
	struct step st;
	while (next_step(&path, &st)) {
		size_t next = step_into(buf, len, at, &st);
		if (next == (size_t)-1)
			break; /* a missing field: its object is where to look */
		at = next;
	}
	return at;
}

void tki_reject_locate(const char *buf, size_t len, struct tki_reject *r)
{
	static const char head[] = "packet.json: ";
	for (size_t i = 0; i < r->errors.n && i < TKI_ARRAY_LEN(r->line); i++) {
		const char *e = r->errors.v[i];
		const char *end = strstr(e, ": error: ");
		if (strncmp(e, head, sizeof(head) - 1) || !end || end < e + sizeof(head) - 1)
			continue;
		char path[512];
		size_t pl = (size_t)(end - e) - (sizeof(head) - 1);
		if (pl == 0 || pl >= sizeof(path))
			continue;
		memcpy(path, e + sizeof(head) - 1, pl);
		path[pl] = '\0';
		tki_json_linecol(buf, len, tki_json_locate(buf, len, path), &r->line[i], &r->col[i]);
	}
}
