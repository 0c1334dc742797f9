// SPDX-License-Identifier: Apache-2.0
/* Manifest reader, the byte-level half (pure): what must be checked before
 * jansson sees the bytes, and the locations jansson does not give us. None
 * of it recurses, so a 100,000-deep nesting costs one linear pass. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "packet_int.h"
#include "tki/guard.h"

bool tki_reject_add(struct tki_reject *r, const char *fmt, ...)
{
	if (r->errors.n > TKI_MAX_ERRORS)
		return false;
	if (r->errors.n == TKI_MAX_ERRORS) {
		tki_strlist_addf(&r->errors, "packet.json: error: more than %d errors (TKI_MAX_ERRORS), stopped here",
				 TKI_MAX_ERRORS);
		return false;
	}
	va_list ap;
	va_start(ap, fmt);
	tki_strlist_vaddf(&r->errors, fmt, ap);
	va_end(ap);
	return true;
}

void tki_reject_free(struct tki_reject *r)
{
	tki_strlist_free(&r->errors);
}

void tki_json_linecol(const char *buf, size_t len, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char b = (unsigned char)buf[i];
		if (b == '\n')
			l++, c = 1;
		else if ((b & 0xc0) != 0x80) /* count characters, not continuation bytes */
			c++;
	}
	*line = l;
	*col = c;
}

bool tki_manifest_prescan(const char *buf, size_t len, struct tki_reject *r)
{
	unsigned line, col;
	const unsigned char *u = (const unsigned char *)buf;
	const char *nul = memchr(buf, '\0', len);
	if (nul) {
		/* jansson would accept a NUL right after a number or literal */
		tki_json_linecol(buf, len, (size_t)(nul - buf), &line, &col);
		tki_reject_add(r, "packet.json:%u:%u: error: NUL byte (0x00) in the manifest", line, col);
		return false;
	}
	size_t bad = tki_utf8_invalid_at(buf, len);
	if (bad < len) {
		tki_json_linecol(buf, len, bad, &line, &col);
		tki_reject_add(r, "packet.json:%u:%u: error: invalid UTF-8 (byte 0x%02x). Hint: the manifest must be UTF-8",
			       line, col, u[bad]);
		return false;
	}
	bool in_str = false, in_scalar = false;
	unsigned depth = 0;
	size_t values = 0, objects = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		/* Count values (keys too) as jansson will allocate them: a
		 * string, an object, an array, or the first byte of a scalar. */
		bool scalar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      c == '-' || c == '+' || c == '.';
		if ((c == '"' || c == '[' || c == '{' || (scalar && !in_scalar)) && ++values > TKI_MAX_JSON_VALUES) {
			tki_json_linecol(buf, len, i, &line, &col);
			tki_reject_add(r, "packet.json:%u:%u: error: more than %u JSON values (limit TKI_MAX_JSON_VALUES)",
				       line, col, TKI_MAX_JSON_VALUES);
			return false;
		}
		in_scalar = scalar;
		if (c == '{' && ++objects > TKI_MAX_JSON_OBJECTS) {
			tki_json_linecol(buf, len, i, &line, &col);
			tki_reject_add(r, "packet.json:%u:%u: error: more than %u JSON objects (limit TKI_MAX_JSON_OBJECTS)",
				       line, col, TKI_MAX_JSON_OBJECTS);
			return false;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			if (++depth > TKI_MAX_DEPTH) {
				tki_json_linecol(buf, len, i, &line, &col);
				tki_reject_add(r,
					       "packet.json:%u:%u: error: nesting deeper than %d levels "
					       "(limit TKI_MAX_DEPTH)",
					       line, col, TKI_MAX_DEPTH);
				return false;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--; /* unbalanced input is jansson's to report */
		}
	}
	return true;
}

/* A structural scan up to `end`, enough to know, for each open object,
 * where it starts and which key token was read last. */
struct frame {
	bool object, expect_key;
	size_t start, key, key_len;
	size_t index; /* arrays: the element being read */
};

typedef void (*key_fn)(size_t depth, size_t off, size_t klen, void *ctx);

/* Returns the number of open frames at end; frames[] holds them. */
static size_t scan(const char *buf, size_t from, size_t end, struct frame *frames, size_t max, key_fn fn, void *ctx)
{
	size_t n = 0;
	for (size_t i = from; i < end; i++) {
		char c = buf[i];
		if (c == '"') {
			size_t s = i++;
			while (i < end && buf[i] != '"')
				i += buf[i] == '\\' ? 2 : 1;
			if (n && frames[n - 1].object && frames[n - 1].expect_key) {
				frames[n - 1].key = s;
				frames[n - 1].key_len = (i < end ? i + 1 : end) - s;
				frames[n - 1].expect_key = false;
				if (fn)
					fn(n, s, frames[n - 1].key_len, ctx);
			}
		} else if (c == '{' || c == '[') {
			if (n == max)
				return 0;
			frames[n++] = (struct frame){.object = c == '{', .expect_key = c == '{', .start = i};
		} else if (c == '}' || c == ']') {
			if (n)
				n--;
			if (n == 0 && from > 0)
				return 0; /* left the object we were asked about */
		} else if (c == ',' && n && frames[n - 1].object) {
			frames[n - 1].expect_key = true;
		} else if (c == ',' && n) {
			frames[n - 1].index++;
		}
	}
	return n;
}

static json_t *decode_key(const char *tok, size_t len)
{
	return json_loadb(tok, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

struct first_ctx {
	const char *buf;
	json_t *want;
	size_t stop;
	size_t found;
	bool ok;
};

static void first_key(size_t depth, size_t off, size_t klen, void *vctx)
{
	struct first_ctx *c = vctx;
	if (c->ok || depth != 1 || off >= c->stop)
		return;
	json_t *k = decode_key(c->buf + off, klen);
	if (k && json_equal(k, c->want)) {
		c->found = off;
		c->ok = true;
	}
	json_decref(k);
}

bool tki_dup_key_find(const char *buf, size_t len, size_t pos, size_t *first, size_t *second, size_t *second_len)
{
	struct frame frames[TKI_MAX_DEPTH + 2];
	if (pos > len)
		pos = len;
	size_t n = scan(buf, 0, pos, frames, TKI_ARRAY_LEN(frames), NULL, NULL);
	if (n == 0 || !frames[n - 1].object || frames[n - 1].expect_key)
		return false;
	struct frame dup = frames[n - 1];
	json_t *want = decode_key(buf + dup.key, dup.key_len);
	if (!want)
		return false;
	struct first_ctx c = {.buf = buf, .want = want, .stop = dup.key};
	scan(buf, dup.start, dup.key, frames, TKI_ARRAY_LEN(frames), first_key, &c);
	json_decref(want);
	if (!c.ok)
		return false;
	*first = c.found;
	*second = dup.key;
	*second_len = dup.key_len;
	return true;
}

bool tki_json_path_at(const char *buf, size_t len, size_t pos, char *out, size_t outlen)
{
	struct frame frames[TKI_MAX_DEPTH + 2];
	if (pos > len)
		pos = len;
	size_t n = scan(buf, 0, pos, frames, TKI_ARRAY_LEN(frames), NULL, NULL);
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		const struct frame *f = &frames[i];
		if (!f->object) {
			o += (size_t)snprintf(out + o, outlen - o, "[%zu]", f->index);
		} else if (f->key_len >= 2 && (i + 1 < n || !f->expect_key)) {
			json_t *k = decode_key(buf + f->key, f->key_len);
			const char *ks = json_is_string(k) ? json_string_value(k) : "?";
			o += (size_t)snprintf(out + o, outlen - o, "%s%s", o ? "." : "", ks);
			json_decref(k);
		}
		if (o >= outlen)
			o = outlen - 1;
	}
	if (!out[0])
		snprintf(out, outlen, "(root)");
	return n > 0;
}
