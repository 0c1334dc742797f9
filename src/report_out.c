// SPDX-License-Identifier: Apache-2.0
/* The streamed JSON writer of report.json and report.sarif (report_out.h).
 * Pure: the sink does the I/O. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "report_out.h"
#include "tki/common.h"

/* What is buffered before the sink gets it. */
#define FLUSH_AT (256u << 10)

static __attribute__((noinline)) void grow(struct tki_jout *o, size_t n)
{
	o->cap = o->cap ? o->cap : 4096;
	while (o->n + n + 1 > o->cap)
		o->cap *= 2;
	o->b = tki_xrealloc(o->b, o->cap);
}

/* Called for every token jansson writes: keep it short. */
void tki_jout_put(struct tki_jout *o, const char *s, size_t n)
{
	if (o->cap - o->n < n + 1)
		grow(o, n);
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

void tki_jout_flush(struct tki_jout *o)
{
	if (!o->sink || !o->n)
		return;
	o->sink->fn(o->sink->ctx, o->b, o->n);
	o->n = 0;
}

static void maybe_flush(struct tki_jout *o)
{
	if (o->n >= FLUSH_AT)
		tki_jout_flush(o);
}

struct shifted {
	struct tki_jout *o;
	int depth;
};

/* Text with a byte >= 0x7f goes through the one escaper (DEL, C1 and
 * invisible characters as \uXXXX; jansson hands over whole characters). */
static void put_safe(struct tki_jout *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x7f) {
			char *e = tki_escape(s, n, TKI_ESC_JSON);
			tki_jout_put(o, e, strlen(e));
			free(e);
			return;
		}
	tki_jout_put(o, s, n);
}

static const char spaces[2 * TKI_JOUT_MAX_DEPTH + 1] = "                ";

/* jansson's output, straight into ours, each line shifted right. Every
 * newline jansson writes is structural (strings escape theirs). */
static int put_shifted(const char *buf, size_t size, void *data)
{
	struct shifted *d = data;
	for (const char *nl; (nl = memchr(buf, '\n', size));) {
		size_t k = (size_t)(nl - buf) + 1;
		put_safe(d->o, buf, k);
		tki_jout_put(d->o, spaces, 2 * (size_t)d->depth);
		buf += k;
		size -= k;
	}
	put_safe(d->o, buf, size);
	return 0;
}

void tki_jout_raw(struct tki_jout *o, const char *s)
{
	tki_jout_put(o, s, strlen(s));
}

void tki_jout_string(struct tki_jout *o, const char *s)
{
	tki_jout_put(o, "\"", 1);
	tki_escape_append(&o->b, &o->n, &o->cap, s, strlen(s), TKI_ESC_JSON_STR);
	tki_jout_put(o, "\"", 1);
}

void tki_jout_int(struct tki_jout *o, long long v)
{
	char t[24];
	int k = snprintf(t, sizeof(t), "%lld", v);
	tki_jout_put(o, t, (size_t)k);
}

/* No exit here: a rendering thread calls it. */
bool tki_jout_try_value(struct tki_jout *o, json_t *v, int depth)
{
	struct shifted d = {o, depth};
	if (depth < 0 || depth > TKI_JOUT_MAX_DEPTH) {
		json_decref(v);
		return false;
	}
	int rc = v ? json_dump_callback(v, put_shifted, &d, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : -1;
	json_decref(v);
	return rc == 0;
}

static void __attribute__((noreturn)) render_failed(const struct tki_jout *o)
{
	tki_die(TKI_EXIT_BLOCKED, "%s: cannot render (out of memory, or nested too deep)", o->what);
}

void tki_jout_value(struct tki_jout *o, json_t *v, int depth)
{
	if (!tki_jout_try_value(o, v, depth))
		render_failed(o);
	maybe_flush(o);
}

void tki_jout_key(struct tki_jout *o, const char *key, bool first, int depth)
{
	tki_jout_put(o, first ? "\n" : ",\n", first ? 1 : 2);
	tki_jout_put(o, spaces, 2 * (size_t)depth);
	tki_jout_string(o, key);
	tki_jout_put(o, ": ", 2);
}

void tki_jout_close(struct tki_jout *o, int depth, char c)
{
	tki_jout_put(o, "\n", 1);
	tki_jout_put(o, spaces, 2 * (size_t)depth);
	tki_jout_put(o, &c, 1);
}

void tki_jout_member(struct tki_jout *o, const char *key, bool *first, int depth)
{
	tki_jout_key(o, key, *first, depth + 1);
	*first = false;
}

void tki_jout_elem(struct tki_jout *o, bool *first, int depth)
{
	tki_jout_put(o, *first ? "\n" : ",\n", *first ? 1 : 2);
	tki_jout_put(o, spaces, 2 * (size_t)(depth + 1));
	*first = false;
}

void tki_jout_done(struct tki_jout *o, bool first, int depth, char c)
{
	if (first)
		tki_jout_put(o, &c, 1);
	else
		tki_jout_close(o, depth, c);
}

/* Elements [lo, hi) into o, each ",\n" + indent + value (the caller drops
 * the array's first ','), each built and freed in turn. */
struct span {
	const void *ctx;
	tki_jout_item_fn fn;
	tki_jout_put_fn put; /* instead of fn */
	size_t lo, hi;
	int depth;
	struct tki_jout o;
	bool failed;
};

static void *put_span(void *arg)
{
	struct span *s = arg;
	for (size_t i = s->lo; i < s->hi && !s->failed; i++) {
		if (s->put) {
			tki_jout_put(&s->o, ",\n", 2);
			tki_jout_put(&s->o, spaces, 2 * (size_t)s->depth);
			s->failed = !s->put(s->ctx, i, &s->o, s->depth);
			continue;
		}
		json_t *v = s->fn(s->ctx, i);
		if (!v)
			continue;
		tki_jout_put(&s->o, ",\n", 2);
		tki_jout_put(&s->o, spaces, 2 * (size_t)s->depth);
		s->failed = !tki_jout_try_value(&s->o, v, s->depth);
	}
	return NULL;
}

/* Elements per block, and below how many a second thread costs more than
 * it saves. */
#define BLOCK 4096
#define SPLIT_MIN 2048

/* Block [lo, hi): the first half into tmp, the second into tail (both
 * emptied first), at once when large; the caller writes them in order, so
 * the bytes do not depend on the thread. */
static void put_block(struct tki_jout *tmp, struct span *tail, const struct span *how, size_t lo, size_t hi)
{
	struct span head = *how;
	head.lo = lo, head.hi = hi, head.o = *tmp;
	head.o.n = 0;
	pthread_t t;
	bool split = hi - lo >= SPLIT_MIN && tki_cpus() > 1;
	if (split) {
		head.hi = lo + (hi - lo) / 2;
		struct tki_jout keep = tail->o;
		*tail = *how;
		tail->lo = head.hi, tail->hi = hi, tail->o = keep;
		tail->o.n = 0;
		split = pthread_create(&t, NULL, put_span, tail) == 0;
		if (!split) /* no thread to be had: all of it here */
			head.hi = hi;
	}
	put_span(&head);
	*tmp = head.o;
	if (split && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "%s: cannot join the rendering thread", tmp->what);
	if (head.failed || (split && tail->failed))
		render_failed(tmp);
	if (!split)
		tail->o.n = 0;
}

/* Elements rendered elsewhere, each with its ",": the array's very first
 * one is dropped. With a sink they go to it directly, not through o. */
static void emit(struct tki_jout *o, const char *b, size_t n, bool *any)
{
	if (!n)
		return;
	b += !*any;
	n -= !*any;
	*any = true;
	if (!o->sink) {
		tki_jout_put(o, b, n);
		return;
	}
	tki_jout_flush(o);
	o->sink->fn(o->sink->ctx, b, n);
}

/* A rendered block written out: its two halves in order. */
struct written {
	struct tki_jout *o;
	const struct tki_jout *head, *tail;
	bool *any;
};

static void *write_block(void *arg)
{
	struct written *w = arg;
	emit(w->o, w->head->b, w->head->n, w->any);
	emit(w->o, w->tail->b, w->tail->n, w->any);
	return NULL;
}

/* With a sink, block k is written on a thread of its own while block k + 1
 * is rendered (into the other pair of buffers), so that neither core waits
 * for the other's write: one block's bytes at a time, in order. */
static void array(struct tki_jout *o, const struct span *how, size_t n, int depth)
{
	struct tki_jout tmp[2] = {{.what = o->what}, {.what = o->what}};
	struct span tail[2] = {{.o = {.what = o->what}}, {.o = {.what = o->what}}};
	bool any = false, writing = false, pipe = o->sink && n > BLOCK && tki_cpus() > 1;
	struct written w;
	pthread_t t;
	tki_jout_put(o, "[", 1);
	for (size_t lo = 0, k = 0; lo < n; lo += BLOCK, k ^= 1) {
		put_block(&tmp[k], &tail[k], how, lo, n - lo < BLOCK ? n : lo + BLOCK);
		if (writing && pthread_join(t, NULL) != 0)
			tki_die(TKI_EXIT_BLOCKED, "%s: cannot join the writing thread", o->what);
		w = (struct written){o, &tmp[k], &tail[k].o, &any};
		writing = pipe && pthread_create(&t, NULL, write_block, &w) == 0;
		if (!writing)
			write_block(&w);
	}
	if (writing && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "%s: cannot join the writing thread", o->what);
	for (int k = 0; k < 2; k++) {
		free(tmp[k].b);
		free(tail[k].o.b);
	}
	if (any)
		tki_jout_close(o, depth, ']');
	else
		tki_jout_put(o, "]", 1);
}

void tki_jout_array(struct tki_jout *o, const void *ctx, size_t n, tki_jout_item_fn fn, int depth)
{
	struct span how = {.ctx = ctx, .fn = fn, .depth = depth + 1};
	array(o, &how, n, depth);
}

void tki_jout_array_put(struct tki_jout *o, const void *ctx, size_t n, tki_jout_put_fn fn, int depth)
{
	struct span how = {.ctx = ctx, .put = fn, .depth = depth + 1};
	array(o, &how, n, depth);
}

char *tki_jout_end(struct tki_jout *o, size_t *len)
{
	tki_jout_put(o, "\n", 1);
	if (o->sink) {
		tki_jout_flush(o);
		free(o->b);
		o->b = NULL;
		return NULL;
	}
	o->b[o->n] = '\0';
	*len = o->n;
	return o->b;
}
