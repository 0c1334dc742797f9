// SPDX-License-Identifier: Apache-2.0
/* Private to src/report*.c: JSON reports written a value at a time into a
 * sink (the guard's streamed temp file, or a buffer for the tests), so
 * that a 250,000-claim report never exists whole, neither as a jansson
 * tree nor as text. The bytes are exactly json_dumps(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) of the whole, run through the one escaper, plus a
 * final newline (tki_report_dump). */
#ifndef TKI_REPORT_OUT_H
#define TKI_REPORT_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tki/report.h"

struct tki_jout {
	const struct tki_sink *sink; /* NULL: keep everything in b */
	char *b;
	size_t n, cap;
	const char *what; /* the report's name, for the out-of-memory message */
};

/* Room for a final NUL is always kept. */
void tki_jout_put(struct tki_jout *o, const char *s, size_t n);
/* v (consumed) dumped at `depth` (each line shifted right by 2 * depth
 * spaces; at most TKI_JOUT_MAX_DEPTH). */
#define TKI_JOUT_MAX_DEPTH 8
void tki_jout_value(struct tki_jout *o, json_t *v, int depth);
/* `"key": ` of an object at depth - 1, preceded by "{" (first) or ",". */
void tki_jout_key(struct tki_jout *o, const char *key, bool first, int depth);
/* "\n" + 2 * depth spaces + c (an object's or array's closing). */
void tki_jout_close(struct tki_jout *o, int depth, char c);
/* Written member by member and element by element, first tracking whether
 * anything is in yet: a member of the object at depth (its key at depth +
 * 1), an element of the array at depth (at depth + 1), and the end of
 * either ("[]"/"{}" when nothing was in it). */
void tki_jout_member(struct tki_jout *o, const char *key, bool *first, int depth);
void tki_jout_elem(struct tki_jout *o, bool *first, int depth);
void tki_jout_done(struct tki_jout *o, bool first, int depth, char c);
/* The array whose elements are fn(ctx, i) for i < n (NULL: no element for
 * that i), as a value at depth: "[]" when empty. Built and written in
 * blocks, each one's two halves at once when large (a thread created now:
 * the sandbox is long complete), so neither time nor memory follows n. */
typedef json_t *(*tki_jout_item_fn)(const void *ctx, size_t i);
void tki_jout_array(struct tki_jout *o, const void *ctx, size_t n, tki_jout_item_fn fn, int depth);
/* The same, each element written by fn straight into o at depth (after
 * its ",\n" and indentation), no jansson value built: false when it
 * cannot (it runs on a rendering thread: no exit). */
typedef bool (*tki_jout_put_fn)(const void *ctx, size_t i, struct tki_jout *o, int depth);
void tki_jout_array_put(struct tki_jout *o, const void *ctx, size_t n, tki_jout_put_fn fn, int depth);
/* Values written directly, exactly as tki_jout_value writes the jansson
 * value: a string (valid UTF-8; through the one escaper, TKI_ESC_JSON_STR),
 * literal text ("null", "true", "[]"), an integer. */
void tki_jout_string(struct tki_jout *o, const char *s);
void tki_jout_raw(struct tki_jout *o, const char *s);
void tki_jout_int(struct tki_jout *o, long long v);
/* tki_jout_value without the exit: false when v cannot be rendered. */
bool tki_jout_try_value(struct tki_jout *o, json_t *v, int depth);
/* Hand what is buffered to the sink. */
void tki_jout_flush(struct tki_jout *o);
/* The end of a report: "\n", flushed; with no sink, the text (NUL-ended,
 * its length in *len), else NULL. */
char *tki_jout_end(struct tki_jout *o, size_t *len);

/* SARIF pieces shared by report.sarif and summary.sarif (report_sarif.c):
 * a {"text": s} message, and the tool object naming tki-inspector with
 * its rules (consumed). */
json_t *tki_sarif_text(const char *s);
json_t *tki_sarif_tool(json_t *rules);

#endif
