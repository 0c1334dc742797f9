// SPDX-License-Identifier: Apache-2.0
/* L4 stage 1: is each cited evidence item really there, unaltered, and of
 * valid provenance? Streams every artifact through SHA-256 (nettle) and the
 * byte asserts, in fixed-size chunks. */
#ifndef TKI_PROVENANCE_H
#define TKI_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#include "tki/guard.h"
#include "tki/packet.h"

/* One read buffer per worker: memory never grows with artifact size. */
#define TKI_CHUNK_BYTES (256u << 10)
/* Bytes kept in memory for json_equals and attestation bundles. */
#define TKI_MAX_KEPT_BYTES (16u << 20)

/* Pure: is the provenance valid for this run date? Reasons appended. */
bool tki_provenance_valid(const struct tki_evidence *ev, const char *run_date, struct tki_strlist *reasons);

/* Pure: a venue the policy does not accept? Accepted venues are named
 * exactly (TKI_VENUES_ACCEPTED): anything else, NULL included, is not. */
#define TKI_VENUES_ACCEPTED "accepted: CI, VPS, local"
bool tki_venue_rejected(const char *venue);

/* Pure: evidence captured more than max_age_days before the run date is
 * stale: a reason on the item, and a VERIFIED item becomes
 * TKI_EV_BAD_PROVENANCE (its claims UNVERIFIED). A timestamp can only
 * disqualify: being fresh supports nothing. */
#define TKI_DEFAULT_MAX_AGE_DAYS 90u
void tki_provenance_fresh(struct tki_packet *p, const char *run_date, unsigned max_age_days);

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

/* Shared counters for the progress line (src/progress.c). */
struct tki_prov_progress {
	_Atomic uint64_t hashed; /* bytes hashed so far */
	_Atomic uint64_t known;  /* sizes of the items opened so far */
	_Atomic size_t opened;   /* items looked at (opened or found missing) */
};

/* Scratch memory of one worker (one per hashing thread). */
struct tki_prov_scratch {
	char *buf; /* TKI_CHUNK_BYTES, page-aligned (tki_prov_buf_new) */
	struct tki_prov_progress *prog; /* NULL when no progress is shown */
};

/* A page-aligned chunk buffer: a copy from the page cache into a buffer 16
 * bytes past a page boundary (what malloc returns for this size) costs 5x
 * the kernel time on some CPUs (docs/performance.md). Free with free(). */
char *tki_prov_buf_new(void);

/* Hashing threads for n items: min(CPUs we may run on, TKI_MAX_HASH_THREADS,
 * n), at least 1. */
#define TKI_MAX_HASH_THREADS 8u
unsigned tki_prov_threads(size_t n_items);

/* Hash fd and evaluate ev's asserts on exactly the bytes hashed, in one
 * pass; fills ev->actual_sha256, ev->size, the assert results and, for
 * json_equals and attestation, ev->content (up to TKI_MAX_KEPT_BYTES).
 * Returns false with a reason on ev when the fd could not be read. */
bool tki_provenance_digest_fd(int fd, struct tki_evidence *ev, struct tki_prov_scratch *sc);

/* The whole work on one item: open through the guard, digest, compare,
 * provenance. Returns false only on a guard refusal (BLOCKED), with the
 * item named in blocked_msg. Independent of every other item, and writes
 * nothing but *ev and *blocked_msg: safe to run for different items in
 * parallel threads. */
bool tki_provenance_verify_item(struct tki_guard *g, struct tki_evidence *ev, const char *run_date,
				struct tki_prov_scratch *sc, struct tki_strlist *blocked_msg);

/* Verify every evidence item (state, actual_sha256, reasons, assert results)
 * and add a warning for each file in the packet that no evidence cites.
 * Items are hashed by a small pool of threads (src/provenance_par.c); the
 * result is the same as one by one in order, whatever the thread order.
 * Returns false when the guard refused an item (the run is BLOCKED; the
 * refused item is named in blocked_msg). */
bool tki_provenance_validate(struct tki_guard *g, struct tki_packet *p, const char *run_date,
			     struct tki_strlist *blocked_msg);

#endif
