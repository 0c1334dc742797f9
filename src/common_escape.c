// SPDX-License-Identifier: Apache-2.0
/* The one escaper for untrusted text (docs/reports.md, "Escaping"). Every
 * byte a packet author, a file name or the kernel chose reaches a terminal,
 * report.md, report.sarif or report.json only through tki_escape(). Pure.
 *
 * One pass over the input, unit by unit (a valid UTF-8 sequence or one bad
 * byte). A unit is either copied or replaced by an escape that is plain
 * printable ASCII, so no mode can emit a control, a line break or a
 * direction override, whatever the input. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tki/common.h"
#include "tki/guard.h"

/* The UTF-8 primitives (declared in tki/guard.h) live here, below the
 * guard and the reader that use them, because the escaper needs them too. */
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

struct out {
	char *buf;
	size_t len, cap;
	size_t max; /* stop before a unit that would pass this (tki_escape_to) */
	bool cut;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->cut || o->len + n > o->max) {
		o->cut = true;
		return;
	}
	if (o->len + n + 1 > o->cap) {
		o->cap = 2 * (o->len + n + 1) + 16;
		o->buf = tki_xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

__attribute__((format(printf, 2, 3)))
static void putf_hex(struct out *o, const char *fmt, ...)
{
	char t[16];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	put(o, t, (size_t)n);
}

/* Code points that move, hide or end text without being seen: C1 controls,
 * soft hyphen, bidi marks, embeddings, overrides and isolates, zero-width
 * and other format characters, the Unicode line and paragraph separators,
 * interlinear annotations and the tag block (invisible "ASCII smuggling"). */
static bool invisible(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0xad || c == 0x34f || c == 0x61c || c == 0x70f ||
	       c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 || c == 0x180e ||
	       (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	       c == 0x3164 || c == 0xfeff || c == 0xffa0 || (c >= 0xfff9 && c <= 0xfffb) ||
	       (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff);
}

/* Combining marks of the generic blocks: they draw over what precedes. */
static bool combining(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) ||
	       (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f);
}

/* More stacked marks than any script needs is a "zalgo" overdraw. */
#define MAX_MARKS 4

static uint32_t decode(const unsigned char *u, size_t l)
{
	static const unsigned char mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t c = u[0] & mask[l];
	for (size_t i = 1; i < l; i++)
		c = (c << 6) | (u[i] & 0x3f);
	return c;
}

/* Markdown: ASCII punctuation that can open, close or form an inline
 * construct in CommonMark, GFM or the common extensions: emphasis, code,
 * links, images, footnotes, raw HTML, entities, strikethrough, math,
 * highlight, emoji shortcodes, and the extended autolinks ("scheme:",
 * "user@host", "www.", a bare "host.tld" for linkify). Backslash-escaped
 * anywhere. "(" and ")" form nothing once "[" and "]" are escaped. */
static bool md_active(unsigned char c)
{
	return c && strchr("!#$&*.:<=>[\\]^_`{}~", c);
}

/* Where a field may start a line (a bullet, a heading): list markers. */
static bool md_lead(unsigned char c, size_t i, bool digits_so_far)
{
	return (i == 0 && (c == '-' || c == '+' || c == ' ')) || (c == ')' && i > 0 && digits_so_far);
}

static void one_ascii(struct out *o, unsigned char c, enum tki_esc mode, size_t i, bool digits_so_far)
{
	char ch = (char)c;
	switch (mode) {
	case TKI_ESC_MD:
		if (c == '|')
			/* an entity never splits a GFM table cell, whatever
			 * backslashes precede it (renderers disagree on those) */
			put(o, "&#124;", 6);
		else if (c == '@')
			/* GFM links "user@host.tld" found in the merged text,
			 * escapes or not: a code span is a node of its own */
			put(o, "`@`", 3);
		else if (c == ' ' && i == 0)
			put(o, "&#32;", 5);
		else {
			if (md_active(c) || md_lead(c, i, digits_so_far))
				put(o, "\\", 1);
			put(o, &ch, 1);
		}
		return;
	case TKI_ESC_SARIF:
		if (c == '[' || c == ']')
			put(o, "\\", 1);
		put(o, &ch, 1);
		return;
	case TKI_ESC_QUOTED:
		if (c == '"' || c == '\\')
			put(o, "\\", 1);
		put(o, &ch, 1);
		return;
	case TKI_ESC_ASCII:
		if (c == '\\') {
			put(o, "\\x5c", 4);
			return;
		}
		put(o, &ch, 1);
		return;
	case TKI_ESC_TEXT:
	case TKI_ESC_JSON:
	case TKI_ESC_JSON_STR:
		break;
	}
	put(o, &ch, 1);
}

/* An escape sequence: "\xNN" or "\uXXXX" (JSON: "\u00NN" and surrogate
 * pairs, so the value is unchanged). Markdown doubles its backslash. */
static bool json_mode(enum tki_esc mode)
{
	return mode == TKI_ESC_JSON || mode == TKI_ESC_JSON_STR;
}

static void esc_byte(struct out *o, unsigned char b, enum tki_esc mode)
{
	if (json_mode(mode))
		putf_hex(o, "\\u%04x", b < 0x80 ? (unsigned)b : 0xfffdu);
	else
		putf_hex(o, mode == TKI_ESC_MD ? "\\\\x%02x" : "\\x%02x", (unsigned)b);
}

static void esc_cp(struct out *o, uint32_t c, enum tki_esc mode)
{
	if (json_mode(mode) && c > 0xffff) {
		c -= 0x10000;
		putf_hex(o, "\\u%04x", (unsigned)(0xd800 + (c >> 10)));
		putf_hex(o, "\\u%04x", (unsigned)(0xdc00 + (c & 0x3ff)));
	} else if (mode == TKI_ESC_ASCII) {
		char t[8];
		int n = 0;
		/* byte-exact for kernel values: each UTF-8 byte as \xNN */
		if (c < 0x80)
			t[n++] = (char)c;
		else if (c < 0x800)
			t[n++] = (char)(0xc0 | (c >> 6)), t[n++] = (char)(0x80 | (c & 0x3f));
		else if (c < 0x10000)
			t[n++] = (char)(0xe0 | (c >> 12)), t[n++] = (char)(0x80 | ((c >> 6) & 0x3f)),
			t[n++] = (char)(0x80 | (c & 0x3f));
		else
			t[n++] = (char)(0xf0 | (c >> 18)), t[n++] = (char)(0x80 | ((c >> 12) & 0x3f)),
			t[n++] = (char)(0x80 | ((c >> 6) & 0x3f)), t[n++] = (char)(0x80 | (c & 0x3f));
		for (int i = 0; i < n; i++)
			esc_byte(o, (unsigned char)t[i], mode);
	} else {
		if (mode == TKI_ESC_MD)
			put(o, "\\", 1); /* the escape's own backslash, kept literal */
		putf_hex(o, c > 0xffff ? "\\U%08X" : "\\u%04X", (unsigned)c);
	}
}

/* JSON_STR's ASCII that jansson escapes (JSON_INDENT, no ESCAPE_SLASH or
 * ENSURE_ASCII: '"', '\\' and the C0 controls), and DEL as JSON mode shows
 * it in jansson's output: the bytes of a string dumped by jansson, then
 * passed through TKI_ESC_JSON. */
static void json_str_ascii(struct out *o, unsigned char c)
{
	static const char shorts[] = "\"\"\\\\\bb\ff\nn\rr\tt";
	const char *k = c ? strchr(shorts, c) : NULL;
	if (k && (k - shorts) % 2 == 0) {
		put(o, "\\", 1);
		put(o, k + 1, 1);
	} else if (c == 0x7f) {
		esc_byte(o, c, TKI_ESC_JSON);
	} else {
		putf_hex(o, "\\u%04X", (unsigned)c);
	}
}

static void run(struct out *o, const char *s, size_t n, enum tki_esc mode)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned marks = 0;
	bool prev_escaped = true; /* a field's start: nothing of its own before */
	bool digits = true;       /* only digits so far ("12)" is a list marker) */
	for (size_t i = 0; i < n && !o->cut;) {
		if (mode == TKI_ESC_JSON && u[i] < 0x7f) {
			/* jansson's output is mostly ASCII, all of it safe */
			size_t k = i;
			while (k < n && u[k] < 0x7f)
				k++;
			put(o, s + i, k - i);
			i = k;
			continue;
		}
		if (mode == TKI_ESC_JSON_STR && u[i] < 0x80) {
			size_t k = i;
			while (k < n && u[k] >= 0x20 && u[k] < 0x7f && u[k] != '"' && u[k] != '\\')
				k++;
			if (k == i)
				json_str_ascii(o, u[k++]);
			else
				put(o, s + i, k - i);
			i = k;
			continue;
		}
		size_t l = tki_utf8_seq(u + i, n - i);
		if (!l) {
			esc_byte(o, u[i], mode);
			i++, marks = 0, prev_escaped = true;
			continue;
		}
		uint32_t c = decode(u + i, l);
		bool esc;
		if (c < 0x80) {
			esc = c < 0x20 || c == 0x7f;
			if (esc && mode == TKI_ESC_JSON && c < 0x20)
				esc = false; /* jansson wrote it already escaped: never raw */
		} else if (mode == TKI_ESC_ASCII) {
			esc = true;
		} else if (invisible(c)) {
			esc = true;
		} else if (combining(c) && !json_mode(mode)) {
			esc = prev_escaped || ++marks > MAX_MARKS;
		} else {
			esc = false;
		}
		if (!combining(c))
			marks = 0;
		if (esc && c < 0x80)
			esc_byte(o, (unsigned char)c, mode);
		else if (esc)
			esc_cp(o, c, mode);
		else if (c < 0x80)
			one_ascii(o, (unsigned char)c, mode, i, digits);
		else
			put(o, s + i, l);
		/* a mark after our own escape or punctuation would draw on it */
		digits = digits && c >= '0' && c <= '9';
		prev_escaped = esc || (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9'));
		i += l;
	}
}

char *tki_escape(const char *s, size_t n, enum tki_esc mode)
{
	struct out o = {.max = SIZE_MAX};
	put(&o, "", 0);
	if (s)
		run(&o, s, n, mode);
	if (!o.buf)
		o.buf = tki_xmalloc(1);
	o.buf[o.len] = '\0';
	return o.buf;
}

void tki_escape_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n, enum tki_esc mode)
{
	struct out o = {.buf = *buf, .len = *len, .cap = *cap, .max = SIZE_MAX};
	run(&o, s, n, mode);
	*buf = o.buf;
	*len = o.len;
	*cap = o.cap;
}

char *tki_escape_str(const char *s, enum tki_esc mode)
{
	return tki_escape(s, s ? strlen(s) : 0, mode);
}

size_t tki_escape_to(char *dst, size_t cap, const char *s, size_t n, enum tki_esc mode)
{
	if (!cap)
		return 0;
	/* room for "..." and the NUL when the input does not fit */
	struct out o = {.max = cap > 4 ? cap - 4 : 0};
	run(&o, s, n, mode);
	size_t len = o.len;
	if (o.buf)
		memcpy(dst, o.buf, len);
	if (o.cut && cap > 4) {
		memcpy(dst + len, "...", 3);
		len += 3;
	}
	dst[len] = '\0';
	free(o.buf);
	return len;
}

void tki_fput_text(FILE *f, const char *s)
{
	tki_autofree char *e = tki_escape_str(s, TKI_ESC_TEXT);
	fputs(e, f);
}

/* RFC 3986: keep unreserved characters and '/', percent-encode the rest. */
char *tki_uri_encode(const char *path)
{
	static const char hx[] = "0123456789ABCDEF";
	char *out = tki_xmalloc(3 * strlen(path) + 1), *o = out;
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("-._~/", *s)) {
			*o++ = (char)*s;
		} else {
			*o++ = '%';
			*o++ = hx[*s >> 4];
			*o++ = hx[*s & 15];
		}
	}
	*o = '\0';
	return out;
}
