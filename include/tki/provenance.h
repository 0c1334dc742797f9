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
 * not_contains, json_equals), fed in chunks of any size, for the n items
 * citing one file: one SHA-256, one kept copy of the bytes (if any item
 * wants them), each item's own scans. end(ok) fills every item. */
struct tki_digest_group {
	struct sha256_ctx ctx;
	struct tki_evidence **evs;
	size_t n;
	struct tki_scan **scans; /* per item */
	size_t *nscan;
	bool keep, over_cap;
	char *content;
	size_t len, cap;
	uint64_t size;
};
void tki_digest_group_begin(struct tki_digest_group *g, struct tki_evidence **evs, size_t n);
void tki_digest_group_feed(struct tki_digest_group *g, const char *buf, size_t n);
void tki_digest_group_end(struct tki_digest_group *g, bool ok);

/* One item on its own: a group of one, so a lone item and a shared file
 * go through the same code. begin sets ev->size = 0; end(ok) fills
 * ev->actual_sha256, ev->size and the assert results (when ok) and keeps
 * ev->content only for an attestation. */
struct tki_digest {
	struct tki_digest_group g;
	struct tki_evidence *ev;
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

/* Work limits of one run (issue 14; docs/tki-inspector.1, "Work limits"):
 * the st_size of every distinct file opened (sparse files at full size),
 * plus any byte read past it, must stay within max_bytes; the CPU time is
 * bounded by RLIMIT_CPU (tki_work_limits_arm). A run over either gets a
 * BLOCKED report naming the limit, never a kill with no report. */
struct tki_work {
	uint64_t max_bytes;       /* 0: no budget (unit tests) */
	_Atomic uint64_t charged; /* bytes charged so far */
	_Atomic bool over_bytes;
	_Atomic bool over_cpu;
};

/* Scratch memory of one worker (one per hashing thread). */
struct tki_prov_scratch {
	char *buf; /* TKI_CHUNK_BYTES, page-aligned (tki_prov_buf_new) */
	struct tki_prov_progress *prog; /* NULL when no progress is shown */
	struct tki_work *work;          /* NULL: no limits */
};

/* Charge n more bytes to the budget; false (and over_bytes set) when that
 * goes over it. */
bool tki_work_charge(struct tki_work *w, uint64_t n);

/* Before the own layer (setrlimit is refused after seccomp): handle
 * SIGXCPU, then RLIMIT_CPU soft = cpu_seconds, hard = soft + a grace for
 * the report (never above a hard limit already set). Exits 3 on failure. */
#define TKI_CPU_GRACE_SECONDS 10ul
void tki_work_limits_arm(unsigned long cpu_seconds);
/* True once SIGXCPU arrived: the hashing loop stops, the caller reports. */
bool tki_work_cpu_over(void);
/* The one sentence a BLOCKED report gives for each limit. */
char *tki_work_bytes_msg(uint64_t max_bytes);
char *tki_work_cpu_msg(void);

/* Verify the n items citing one path (same bytes), opening the file once
 * and streaming it once (tki_digest_group). false on a guard refusal
 * (blocked_msg names the first item) or when a work limit stopped it
 * (sc->work->over_*; blocked_msg untouched). */
bool tki_provenance_verify_group(struct tki_guard *g, struct tki_evidence **evs, size_t n, const char *run_date,
				 struct tki_prov_scratch *sc, struct tki_strlist *blocked_msg);

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
/* The same under the run's work limits: the distinct files cited may total
 * max_bytes (0: no budget); over it, or past RLIMIT_CPU's soft limit
 * (tki_work_limits_arm), false with blocked_msg naming the limit. Each
 * distinct path is opened and hashed once, whatever the items citing it. */
bool tki_provenance_validate_limited(struct tki_guard *g, struct tki_packet *p, const char *run_date,
				     uint64_t max_bytes, struct tki_strlist *blocked_msg);

#endif
