// SPDX-License-Identifier: Apache-2.0
/* Private to src/packet*.c: the pure pieces of the manifest reader. */
#ifndef TKI_PACKET_INT_H
#define TKI_PACKET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "tki/packet.h"

/* 1-based line and column (in UTF-8 characters) of byte offset off. */
void tki_json_linecol(const char *buf, size_t len, size_t off, unsigned *line, unsigned *col);

/* The byte checks jansson does not do, in one pass that never recurses:
 * a 0x00 byte, invalid UTF-8, nesting deeper than TKI_MAX_DEPTH. Adds one
 * GCC-style error to r and returns false on the first problem. */
bool tki_manifest_prescan(const char *buf, size_t len, struct tki_reject *r);

/* After jansson stopped at a duplicate key (error position pos, just past
 * the second key), find both occurrences: byte offsets of the first and
 * second key tokens. False if they cannot be located. */
bool tki_dup_key_find(const char *buf, size_t len, size_t pos, size_t *first, size_t *second, size_t *second_len);

/* The JSON path (as the schema errors write it: claims[0].id, "(root)")
 * of the key or element being read at byte offset pos. */
bool tki_json_path_at(const char *buf, size_t len, size_t pos, char *out, size_t outlen);

/* Byte offset of the value at a schema error's JSON path (claims[0].id,
 * provenance["odd key"], "(root)"), or of the deepest part of the path
 * that exists (a missing field: its object). Lexical; any bytes. */
size_t tki_json_locate(const char *buf, size_t len, const char *path);
/* Fill r->line/col for each "packet.json: PATH: error: ..." of r. */
void tki_reject_locate(const char *buf, size_t len, struct tki_reject *r);

/* Add an error unless TKI_MAX_ERRORS were already collected (then a single
 * "too many errors" line). Returns false once capped. */
__attribute__((format(printf, 2, 3)))
bool tki_reject_add(struct tki_reject *r, const char *fmt, ...);

/* Where each item of the top-level claims and evidence arrays lies in the
 * manifest (src/packet_split.c), so that jansson parses one item at a time:
 * peak memory then follows the largest item, not the manifest. */
struct tki_span {
	uint32_t off, len;
};
struct tki_item_spans {
	struct tki_span *v;
	size_t n, cap;
};
struct tki_manifest_items {
	struct tki_item_spans claims, evidence;
	bool has_claims, has_evidence; /* the member is there and an array (one at least) */
	const char *buf; /* the manifest (borrowed) */
	size_t len;
	/* in byte order: the first array's '[' and ']', the second's */
	size_t open1, close1, open2, close2;
};
/* The skeleton, the manifest with both arrays emptied ("[]"), parsed by
 * jansson with the reader's flags (its bytes read in place, no copy). */
json_t *tki_manifest_load_skel(const struct tki_manifest_items *m, json_error_t *je);
/* The manifest's offset of the skeleton's offset q (one past q's byte
 * when q is one past a '[': the array's content is not in the skeleton). */
size_t tki_manifest_skel_offset(const struct tki_manifest_items *m, size_t q);

/* Assumes the prescan passed. True when the top-level object's first
 * members with the keys "claims" and "evidence" are both arrays whose
 * elements the lexical scan can delimit; m filled (free it with
 * tki_manifest_items_free). A lexical scan only: the caller must parse the
 * skeleton and every item, and fall back to one whole parse on any doubt. */
bool tki_manifest_items(const char *buf, size_t len, struct tki_manifest_items *m);
void tki_manifest_items_free(struct tki_manifest_items *m);

/* For the error of a manifest that is not valid JSON, in bounded memory: a
 * copy of buf in which each item that parses by itself, in byte order up
 * to the first that does not and ending at or before limit, is replaced by
 * "0" and spaces (same length). jansson, which stops at the first error,
 * then finds the same error at the same byte offset without building the
 * items before it: each replaced item was a complete value there, reached
 * in the same state (the bytes before it are the valid skeleton prefix and
 * valid items, the separators "ws , ws"), and the bytes from the failing
 * piece on are unchanged. Line and column are counted on buf itself. */
char *tki_manifest_mask(const char *buf, size_t len, const struct tki_manifest_items *m, size_t limit);

/* The schema walk over a skeleton (the root, its two arrays empty) and the
 * items parsed one at a time from buf. TKI_STREAM_OK: the packet (or NULL
 * with errors in r, exactly those tki_packet_from_json gives on the whole
 * tree, in the same order); TKI_STREAM_FALLBACK: an item did not parse, or
 * the skeleton is not what the scan said: nothing in r, parse the whole. */
enum tki_stream_rc { TKI_STREAM_OK, TKI_STREAM_FALLBACK };
enum tki_stream_rc tki_packet_from_items(json_t *skel, const char *buf, const struct tki_manifest_items *m,
					 struct tki_reject *r, struct tki_packet **out);

/* The flags of every manifest parse: the whole, a half, an item. */
#define TKI_LOAD_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)

/* Pure schema walk: root -> packet model, or NULL with errors in r. */
struct tki_packet *tki_packet_from_json(json_t *root, struct tki_reject *r);

#endif
