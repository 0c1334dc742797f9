/* Private to src/packet*.c: the pure pieces of the manifest reader. */
#ifndef TKI_PACKET_INT_H
#define TKI_PACKET_INT_H

#include <stdbool.h>
#include <stddef.h>

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

/* Add an error unless TKI_MAX_ERRORS were already collected (then a single
 * "too many errors" line). Returns false once capped. */
__attribute__((format(printf, 2, 3)))
bool tki_reject_add(struct tki_reject *r, const char *fmt, ...);

/* Pure schema walk: root -> packet model, or NULL with errors in r. */
struct tki_packet *tki_packet_from_json(json_t *root, struct tki_reject *r);

#endif
