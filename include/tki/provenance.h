/* L4 stage 1: is each cited evidence item really there, unaltered, and of
 * valid provenance? Streams every artifact through SHA-256 (nettle) and the
 * byte asserts, in fixed-size chunks. */
#ifndef TKI_PROVENANCE_H
#define TKI_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>

#include <nettle/sha2.h>

#include "tki/guard.h"
#include "tki/packet.h"

/* One read buffer per worker: memory never grows with artifact size. */
#define TKI_CHUNK_BYTES (256u << 10)
/* Bytes kept in memory for json_equals and attestation bundles. */
#define TKI_MAX_KEPT_BYTES (16u << 20)

/* Pure: is the provenance valid for this run date? Reasons appended. */
bool tki_provenance_valid(const struct tki_evidence *ev, const char *run_date, struct tki_strlist *reasons);

/* Pure: a venue the policy rejects (case-insensitive, surrounding blanks
 * ignored)? */
bool tki_venue_rejected(const char *venue);

/* Streaming substring search: feed the bytes chunk by chunk; a match that
 * straddles two chunks is found through needle_len-1 bytes of carry. */
struct tki_scan {
	const char *needle;
	size_t nlen;
	char *carry; /* needle_len-1 bytes max, plus room for the next prefix */
	size_t clen;
	bool found;
};
void tki_scan_init(struct tki_scan *s, const char *needle, size_t nlen);
void tki_scan_feed(struct tki_scan *s, const char *buf, size_t len);
void tki_scan_free(struct tki_scan *s);

/* Pure: the one pass over an artifact's bytes (SHA-256, contains/
 * not_contains, json_equals), fed in chunks of any size. begin sets
 * ev->size = 0; end(ok) fills ev->actual_sha256 and the assert results
 * (when ok) and keeps ev->content only for an attestation. */
struct tki_digest {
	struct sha256_ctx ctx;
	struct tki_evidence *ev;
	struct tki_scan *scans;
	size_t nscan;
	bool keep, over_cap;
	size_t kept_cap;
};
void tki_digest_begin(struct tki_digest *d, struct tki_evidence *ev);
void tki_digest_feed(struct tki_digest *d, const char *buf, size_t n);
void tki_digest_end(struct tki_digest *d, bool ok);

/* Scratch memory of one worker (one per thread once hashing is parallel). */
struct tki_prov_scratch {
	char *buf; /* TKI_CHUNK_BYTES */
};

/* Hash fd and evaluate ev's asserts on exactly the bytes hashed, in one
 * pass; fills ev->actual_sha256, ev->size, the assert results and, for
 * json_equals and attestation, ev->content (up to TKI_MAX_KEPT_BYTES).
 * Returns false with a reason on ev when the fd could not be read. */
bool tki_provenance_digest_fd(int fd, struct tki_evidence *ev, struct tki_prov_scratch *sc);

/* The whole work on one item: open through the guard, digest, compare,
 * provenance. Returns false only on a guard refusal (BLOCKED), with the
 * item named in blocked_msg. Independent of every other item. */
bool tki_provenance_verify_item(struct tki_guard *g, struct tki_evidence *ev, const char *run_date,
				struct tki_prov_scratch *sc, struct tki_strlist *blocked_msg);

/* Verify every evidence item (state, actual_sha256, reasons, assert results)
 * and add a warning for each file in the packet that no evidence cites.
 * Returns false when the guard refused an item (the run is BLOCKED; the
 * refused item is named in blocked_msg). */
bool tki_provenance_validate(struct tki_guard *g, struct tki_packet *p, const char *run_date,
			     struct tki_strlist *blocked_msg);

#endif
