// SPDX-License-Identifier: Apache-2.0
/* Batch runs (inspect --batch), shards (--shard I/N) and the merge of shard
 * summaries (docs/tki-inspector.1 "Batch", docs/deploy.md "Sharding").
 * One packet per immediate subdirectory of --in, each inspected in its own
 * sandboxed worker (src/batch.c); the summary (summary.json, summary.md,
 * summary.sarif) is a pure rendering of struct tki_summary
 * (src/report_summary.c), so a merge of shard summaries is byte-identical
 * to one run over all the packets. */
#ifndef TKI_BATCH_H
#define TKI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tki/cli.h"
#include "tki/guard.h"
#include "tki/selfcheck.h"

/* Batch dir entries at most (a larger batch is a usage error: shard it). */
#define TKI_BATCH_MAX_ENTRIES 100000
/* Workers at most, whatever the affinity mask: each may run up to 8
 * hashing threads under the container's --pids-limit 64 (RLIMIT_NPROC). */
#define TKI_BATCH_MAX_JOBS 6
/* The memory one worker may need for the heaviest admissible packet (the
 * container venue's per-packet limit): cgroup memory.max / this = workers. */
#define TKI_BATCH_JOB_MEMORY (256ull << 20)
/* Or'ed into a worker's exit status when it committed this run's reports
 * (0-3 otherwise): the summary names packets/NAME/ only then. */
#define TKI_BATCH_WROTE 0x40

/* ---- Pure (src/batch_shard.c) ---- */

/* The shard of a packet directory name: the first 8 bytes of SHA-256 of
 * the name's bytes, big-endian, mod count. Needs no locale, no sort, no
 * knowledge of the other names: stable across machines. */
unsigned tki_shard_of_digest(const uint8_t digest[32], unsigned count);
void tki_shard_digest(const char *name, size_t len, uint8_t digest[32]);
/* The digest of the whole batch's listing, before sharding, that every
 * summary records (listing_sha256) and merge checks: SHA-256 over the tag
 * TKI_BATCH_LISTING_TAG, the entry count as 8 bytes big-endian, then the
 * SHA-256 of each entry name's bytes (32 bytes each), those sorted
 * bytewise. Sorts names in place; hex is 64 lowercase hex digits. */
#define TKI_BATCH_LISTING_TAG "tki-inspector/batch-listing/v1\n"
void tki_batch_listing_digest(uint8_t (*names)[32], size_t n, char hex[65]);
/* "I/N", plain decimal, 0 <= I < N <= 4096. */
bool tki_shard_parse(const char *s, unsigned *index, unsigned *count);
/* Worst of the exit codes 0-3 (docs/exit-codes.md: 3 BLOCKED > 2 REJECTED
 * > 1 INADEQUATE > 0 ADEQUATE, i.e. the largest); a whole batch with no
 * entry at all is 1 (nothing inspected: no claim is evidenced), a shard
 * that got none of a non-empty batch is 0. */
int tki_batch_worst(const int *codes, size_t n, size_t batch_entries);

/* ---- Workers at once (src/batch_jobs.c) ---- */

/* Pure: workers memory.max allows (its text: "max" or bytes), at least 1;
 * 0 = no limit. */
unsigned tki_cgroup_mem_jobs(const char *memory_max);
/* Pure: workers cpu.max allows ("QUOTA PERIOD" or "max PERIOD"): quota /
 * period rounded up, at least 1; 0 = no limit. */
unsigned tki_cgroup_cpu_jobs(const char *cpu_max);
/* Pure: the same from cgroup v1's cpu.cfs_quota_us ("-1" no quota) and
 * cpu.cfs_period_us. */
unsigned tki_cgroup_v1_cpu_jobs(const char *quota_us, const char *period_us);
/* Pure: the cgroup v2 path in /proc/self/cgroup text ("0::/PATH"). */
bool tki_cgroup_self_path(const char *proc_self_cgroup, char *out, size_t n);
/* Pure: min(cpus, TKI_BATCH_MAX_JOBS, cgroup_cap, asked), 0 = no cap. */
unsigned tki_batch_jobs(unsigned cpus, unsigned cgroup_cap, unsigned asked);
/* The tightest cgroup v2 cap from the own cgroup up to the root, read in
 * /sys/fs/cgroup; 0 when none is seen (no cgroup v2, no /sys). Before any
 * wall: a sandbox hides /sys/fs/cgroup. */
unsigned tki_cgroup_jobs_cap(void);

/* ---- The summary (src/report_summary.c, pure) ---- */

struct tki_summary_entry {
	char *name;          /* the directory name; its TEXT escape when name_ok is false */
	char sha256[65];     /* hex SHA-256 of the directory name's bytes (the shard key) */
	bool name_ok;        /* valid UTF-8, no control, not "." or "..": inspected */
	int exit_code;       /* 0-3 */
	bool has_reports;    /* its worker wrote this run's reports in packets/NAME/ */
	char *reason;        /* why it was not inspected or how its worker ended; NULL if normally */
};

struct tki_summary {
	char run_date[11];
	unsigned shard_index, shard_count; /* 0/1: the whole batch */
	size_t batch_entries;              /* entries in the whole batch dir, before sharding */
	char listing_sha256[65];           /* tki_batch_listing_digest of the whole batch dir */
	struct tki_summary_entry *e;
	size_t n;
	int exit_code;                     /* tki_batch_worst over e */
};

/* Pure: the directory name may name a packet and its report dir. */
bool tki_batch_name_ok(const char *name, size_t len);
/* Fill an entry for name (copies, digests, escapes); exit_code 0. */
void tki_summary_entry_init(struct tki_summary_entry *e, const char *name, size_t len);
/* Sort by name (bytes), then digest; set exit_code. */
void tki_summary_finish(struct tki_summary *s);
void tki_summary_free(struct tki_summary *s);

char *tki_summary_render_json(const struct tki_summary *s, size_t *len);
char *tki_summary_render_md(const struct tki_summary *s, size_t *len);
char *tki_summary_render_sarif(const struct tki_summary *s, size_t *len);
/* The runs of entries [from, to) only: GitHub code scanning takes at most
 * TKI_SARIF_RUNS_PER_FILE runs per SARIF file (rule GH1013), so a batch of
 * more entries also gets summary.NNNN.sarif, the same runs 20 to a file. */
#define TKI_SARIF_RUNS_PER_FILE 20
char *tki_summary_render_sarif_part(const struct tki_summary *s, size_t from, size_t to, size_t *len);
/* Write summary.json, summary.md, summary.sarif (and the parts) through
 * the guard: 0, or -1 when one could not be written (said on stderr). */
int tki_summary_write(struct tki_guard *g, const struct tki_summary *s, const char *who);

/* Read one shard summary.json (untrusted: written by a process the merge
 * may not fully trust). Checks the shape, every field, that each entry
 * belongs to the shard it claims, and that the stored exit code and counts
 * are what the entries give. false with a message naming the JSON path. */
bool tki_summary_parse(const char *text, size_t len, const char *version, struct tki_summary *s, char *err,
		       size_t errlen);
/* Combine shard summaries: same run date, same shard count, same listing
 * digest, each index exactly once, no name twice, together batch_entries
 * entries whose name digests give that listing digest. The
 * result is the summary of shard 0/1. false with a message. */
bool tki_summary_merge(struct tki_summary *shards, size_t n, struct tki_summary *out, char *err, size_t errlen);

/* ---- The runs (src/batch.c, src/merge.c) ---- */

/* The parent of a batch, after P1's static check and the parent's own
 * layer: one worker per packet, the summary, the worst exit code. inspect
 * is main's pipeline, run by each worker on its own guard after its own
 * layer and its P1 (the copy of p1 it inherits). */
typedef int (*tki_inspect_fn)(const struct tki_opts *o, struct tki_guard *g);
int tki_batch_run(const struct tki_opts *o, struct tki_guard *g, struct tki_p1 *p1, tki_inspect_fn inspect);

/* merge --out DIR SUMMARY.json...: exit 0 merged, 2 refused (nothing
 * written), 3 the merged summary could not be written. */
int tki_merge_run(const struct tki_opts *o);

#endif
