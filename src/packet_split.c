// SPDX-License-Identifier: Apache-2.0
/* Manifest reader, where each item of the claims and evidence arrays
 * lies (pure): the byte spans that let jansson parse the manifest one item
 * at a time. Only a lexical scan (strings, escapes, brackets); jansson
 * still judges every byte, and the caller falls back to one whole parse on
 * any doubt. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet_int.h"

static bool json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The bytes that change the scan's state outside a string. A table, so the
 * common byte costs one load: this pass runs over the whole manifest before
 * the parse it is meant to shorten. */
static const bool structural[256] = {
	['"'] = true, ['['] = true, [']'] = true, ['{'] = true, ['}'] = true, [','] = true,
};

/* Offset of the '"' that ends the string whose opening '"' is at i, or len. */
static size_t string_end(const char *buf, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		while (i < len && buf[i] != '"' && buf[i] != '\\')
			i++;
		if (i == len || buf[i] == '"')
			return i;
		i++; /* the byte after a backslash: \" and \\ alike never end it */
	}
	return len;
}

/* The elements of the array whose '[' is at open: each one's span, without
 * the whitespace around it, appended to a. False on anything but
 * "[ ws (value ws (, ws value ws)*)? ]" at the lexical level: an empty
 * element, a missing ']', a bracket mismatch. *close is its ']'. */
static bool array_spans(const char *buf, size_t len, size_t open, struct tki_item_spans *a, size_t *close)
{
	size_t depth = 1, from = open + 1;
	for (size_t i = open + 1; i < len; i++) {
		char c = buf[i];
		if (!structural[(unsigned char)c])
			continue;
		if (c == '"') {
			i = string_end(buf, len, i);
		} else if (c == '[' || c == '{') {
			depth++;
		} else if ((c == ']' || c == '}') && depth-- > 1) {
			continue;
		} else if (c == '}') {
			return false;
		} else if (depth == 1 || c == ']') {
			size_t s = from, e = i;
			while (s < e && json_ws(buf[s]))
				s++;
			while (e > s && json_ws(buf[e - 1]))
				e--;
			if (c == ']' && s == e && a->n == 0 && from == open + 1) { /* "[]" */
				*close = i;
				return true;
			}
			if (s == e)
				return false; /* "[1,,2]", "[1,]", "[,1]" */
			if (a->n == a->cap) {
				a->cap = a->cap ? 2 * a->cap : 64;
				a->v = tki_xrealloc(a->v, a->cap * sizeof(*a->v));
			}
			a->v[a->n++] = (struct tki_span){(uint32_t)s, (uint32_t)(e - s)};
			if (c == ']') {
				*close = i;
				return true;
			}
			from = i + 1;
		}
	}
	return false;
}

/* 1 for the key token (quotes included) "claims", 2 for "evidence", else
 * 0; a token with an escape is decoded by jansson ("clai\u006ds" is
 * "claims" to it, and so to the schema). */
static int member_kind(const char *tok, size_t n)
{
	if (n == 8 && !memcmp(tok, "\"claims\"", 8))
		return 1;
	if (n == 10 && !memcmp(tok, "\"evidence\"", 10))
		return 2;
	if (!memchr(tok, '\\', n) || n > 64)
		return 0;
	json_t *k = json_loadb(tok, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	const char *v = json_string_value(k);
	size_t l = json_string_length(k);
	int kind = !v ? 0 : l == 6 && !memcmp(v, "claims", 6) ? 1 : l == 8 && !memcmp(v, "evidence", 8) ? 2 : 0;
	json_decref(k);
	return kind;
}

/* The top-level members with the keys "claims" and "evidence" (escaped or
 * not): the
 * offset of each one's value (its first byte), or len. The first of each;
 * a second one is the skeleton parse's duplicate key. */
static void find_members(const char *buf, size_t len, size_t *claims, size_t *evidence)
{
	size_t i = 0, depth = 1;
	int next = 0; /* 1: the value of "claims" follows, 2: "evidence" */
	*claims = *evidence = len;
	while (i < len && json_ws(buf[i]))
		i++;
	if (i == len || buf[i] != '{')
		return;
	bool want_key = true, want_value = false;
	for (i++; i < len; i++) {
		char c = buf[i];
		if (json_ws(c) || (depth > 1 && !structural[(unsigned char)c]))
			continue;
		if (depth == 1 && want_value) {
			if (next == 1 && *claims == len)
				*claims = i;
			if (next == 2 && *evidence == len)
				*evidence = i;
			want_value = false;
			next = 0;
		}
		if (c == '"') {
			size_t end = string_end(buf, len, i);
			if (depth == 1 && want_key) {
				next = end < len ? member_kind(buf + i, end + 1 - i) : 0;
				want_key = false;
			}
			i = end;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if (c == ']' || c == '}') {
			if (--depth == 0)
				return;
		} else if (depth == 1 && c == ',') {
			want_key = true;
		} else if (depth == 1 && c == ':') {
			want_value = true;
		}
	}
}

bool tki_manifest_items(const char *buf, size_t len, struct tki_manifest_items *m)
{
	size_t at[2];
	*m = (struct tki_manifest_items){0};
	if (len > UINT32_MAX)
		return false;
	find_members(buf, len, &at[0], &at[1]);
	struct tki_item_spans *a[2] = {&m->claims, &m->evidence};
	bool *has[2] = {&m->has_claims, &m->has_evidence};
	size_t close[2];
	for (int k = 0; k < 2; k++) {
		/* absent, or not an array: its value (if any) stays in the
		 * skeleton, where the schema walk names it */
		*has[k] = at[k] < len && buf[at[k]] == '[';
		if (*has[k] && !array_spans(buf, len, at[k], a[k], &close[k])) {
			tki_manifest_items_free(m);
			return false;
		}
	}
	if (!*has[0] && !*has[1]) {
		tki_manifest_items_free(m);
		return false;
	}
	/* one array: the second is an empty range at the end */
	for (int k = 0; k < 2; k++)
		if (!*has[k]) {
			at[k] = len - 1;
			close[k] = len;
		}
	int lo = at[0] < at[1] ? 0 : 1, hi = 1 - lo;
	if (close[lo] > at[hi] + (close[hi] == len && at[hi] == len - 1)) {
		tki_manifest_items_free(m);
		return false;
	}
	m->buf = buf;
	m->len = len;
	m->open1 = at[lo];
	m->close1 = close[lo];
	m->open2 = at[hi];
	m->close2 = close[hi];
	return true;
}

/* The skeleton's bytes, handed to jansson segment by segment: no copy of
 * the manifest (a top-level "x-" member can make the skeleton most of it). */
struct skel_reader {
	const struct tki_manifest_items *m;
	size_t seg, off; /* segment 0-2, offset in it */
};

static size_t skel_read(void *buffer, size_t buflen, void *data)
{
	struct skel_reader *sr = data;
	const struct tki_manifest_items *m = sr->m;
	const size_t from[3] = {0, m->close1, m->close2};
	const size_t to[3] = {m->open1 + 1, m->open2 + 1, m->len};
	size_t n = 0;
	while (sr->seg < 3 && n < buflen) {
		size_t left = to[sr->seg] - from[sr->seg] - sr->off, k = left < buflen - n ? left : buflen - n;
		memcpy((char *)buffer + n, m->buf + from[sr->seg] + sr->off, k);
		n += k;
		sr->off += k;
		if (sr->off == to[sr->seg] - from[sr->seg]) {
			sr->seg++;
			sr->off = 0;
		}
	}
	return n;
}

json_t *tki_manifest_load_skel(const struct tki_manifest_items *m, json_error_t *je)
{
	struct skel_reader sr = {.m = m};
	return json_load_callback(skel_read, &sr, TKI_LOAD_FLAGS, je);
}

size_t tki_manifest_skel_offset(const struct tki_manifest_items *m, size_t q)
{
	size_t seg2 = m->open2 + 1 - m->close1;
	if (q <= m->open1 + 1)
		return q;
	if (q - (m->open1 + 1) < seg2)
		return m->close1 + (q - (m->open1 + 1));
	return m->close2 + (q - (m->open1 + 1) - seg2);
}

void tki_manifest_items_free(struct tki_manifest_items *m)
{
	free(m->claims.v);
	free(m->evidence.v);
	*m = (struct tki_manifest_items){0};
}

char *tki_manifest_mask(const char *buf, size_t len, const struct tki_manifest_items *m, size_t limit)
{
	char *copy = tki_xmalloc(len ? len : 1);
	memcpy(copy, buf, len);
	size_t i = 0, k = 0;
	for (;;) {
		/* the next item in byte order, from either array */
		const struct tki_span *c = i < m->claims.n ? &m->claims.v[i] : NULL;
		const struct tki_span *e = k < m->evidence.n ? &m->evidence.v[k] : NULL;
		const struct tki_span *s = c && (!e || c->off < e->off) ? c : e;
		if (!s || s->off + (size_t)s->len > limit)
			break;
		json_error_t je;
		json_t *v = json_loadb(buf + s->off, s->len, TKI_LOAD_FLAGS, &je);
		if (!v)
			break;
		json_decref(v);
		copy[s->off] = '0';
		memset(copy + s->off + 1, ' ', s->len - 1);
		if (s == c)
			i++;
		else
			k++;
	}
	return copy;
}
