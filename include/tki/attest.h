// SPDX-License-Identifier: Apache-2.0
/* The 12 boundary probes of seed 001 §3, run inside the sandbox after P1,
 * and the re-judge of an attestation bundle from its raw observations.
 * One expected table (tki_probe_table) serves both: the runner judges its
 * own observations with the same function the re-judge uses on a bundle. */
#ifndef TKI_ATTEST_H
#define TKI_ATTEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tki/cli.h"
#include "tki/common.h"
#include "tki/guard.h"
#include "tki/selfcheck.h"

#define TKI_ATTEST_SCHEMA "tki-attestation/v1"
#define TKI_PROBE_COUNT 12

/* P1's invariants that a bundle's raw data lets the inspector re-judge,
 * with P1's own judge functions (src/attest_p1.c). rlimits, Landlock and
 * the seccomp socket probe are judged live only: raw carries no
 * observation of them (docs/attestation.md, re-judge rule 4). */
enum tki_raw_inv {
	TKI_RI_MOUNTS,
	TKI_RI_NETWORK,
	TKI_RI_ENV,
	TKI_RI_UID,
	TKI_RI_SOCKETS,
	TKI_RI_SECCOMP,
	TKI_RI_NNP,
	TKI_RI_CAPS,
	TKI_RI_FDS,
	TKI_RI_PIDNS,
	TKI_RI_ROOT,
	TKI_RI__COUNT
};
/* P1's names for them ("mounts", "network", ..., "capabilities"). */
extern const char *const tki_raw_inv_names[TKI_RI__COUNT];

/* Run the probes, write attest.jsonl and sandbox-attestation-inside.json
 * into the output dir. Returns the exit code (0: all probes PASS). */
int tki_attest_run(const struct tki_opts *o, struct tki_guard *g, const struct tki_p1 *p1);

/* What the inspector concludes from a bundle (tki-attestation/v1), judged
 * from errno_or_exit, actual_stderr_or_value and raw against our own copy of
 * the expected table; the bundle's own verdicts only count as disagreement. */
struct tki_attest_verdict {
	bool is_bundle;     /* parsed as tki-attestation/v1 */
	bool attested;      /* B4': all 12 probes re-judge PASS, none missing, venue accepted */
	bool any_fail;      /* at least one probe re-judges FAIL */
	bool contradicted;  /* a probe claims PASS but its observation says otherwise */
	bool probe_pass[TKI_PROBE_COUNT]; /* present exactly once and re-judged PASS */
	bool probe_fail[TKI_PROBE_COUNT]; /* re-judged FAIL (absent: neither) */
	bool raw_pass[TKI_RI__COUNT];     /* P1's invariant re-judged from raw */
	char venue[128];
	char image_digest[160];
	struct tki_strlist reasons; /* why NOT_ATTESTED / CONTRADICTED */
	json_t *probes;     /* [{probe_id, l1_test, claimed, rejudged, errno_or_exit, why}] (owned) */
	json_t *invariants; /* [{name, rejudged, observed}] in enum tki_raw_inv order (owned) */
};

/* Pure. Always fills v (is_bundle=false with reasons when buf is not a bundle). */
void tki_attest_rejudge(const char *buf, size_t len, struct tki_attest_verdict *v);
void tki_attest_verdict_free(struct tki_attest_verdict *v);

/* The venue policy (one allowlist, in src/provenance_rules.c). */
bool tki_venue_rejected(const char *venue);

/* ---- The expected table (seed 001 §3), shared by runner and re-judge ---- */

enum tki_probe_kind {
	TKI_PK_ERRNO,    /* every operation refused with an errno from ok_errnos */
	TKI_PK_CONNECT,  /* TKI_PK_ERRNO, and raw.proc_net_dev shows lo only */
	TKI_PK_SUCCESS,  /* the operation succeeded: "0" (positive control) */
	TKI_PK_NETDEV,   /* raw.proc_net_dev: lo is the only interface */
	TKI_PK_ENV,      /* raw.env_keyset (and the value) hold no secret-like key */
	TKI_PK_MOUNTS,   /* raw.mountinfo classified as documented */
};

struct tki_probe_def {
	const char *id;
	const char *l1_test;
	const char *operation;
	const char *expected;
	enum tki_probe_kind kind;
	unsigned n_ops;    /* observations in errno_or_exit (", "-separated) */
	int ok_errnos[4];  /* 0-terminated */
};

extern const struct tki_probe_def tki_probe_table[TKI_PROBE_COUNT];
const struct tki_probe_def *tki_probe_find(const char *id);

/* Where the data dirs are inside the venue (default /in, /out); exe is the
 * inspector's own path (AT_EXECFN), recorded in the bundle for the reader,
 * never an exception to the mount rules (P1 has none: a bind of the binary
 * is an extra mount). */
struct tki_attest_layout {
	const char *in_dir;
	const char *out_dir;
	const char *exe;
};

/* Pure: judge one observation against the table. raw is the bundle's raw
 * object (may be NULL: probes that need it then FAIL). true = PASS; why
 * always says what was decided and on what. */
bool tki_probe_judge(const struct tki_probe_def *d, const char *errno_or_exit, const char *actual,
		     const json_t *raw, const struct tki_attest_layout *lay, char *why, size_t whylen);

/* "EPERM(1)" for e > 0, "0" for e == 0. */
void tki_errno_fmt(int e, char *buf, size_t len);

/* ---- Judges of the raw observations (src/attest_raw.c) ----
 * Parsing and classification are P1's (tki_netdev_ifaces,
 * tki_mountinfo_parse_line, tki_p1_judge_mounts, tki_p1_env_key_secret in
 * tki/selfcheck.h); these add only what the probes ask beyond P1. */

/* true when the text names exactly one interface and it is "lo". */
bool tki_netdev_lo_only(const char *proc_net_dev, char *why, size_t whylen);
/* PR-MOUNT-1: P1's mounts judge with lay's in/out dirs, and in addition
 * /tmp (if any) a noexec tmpfs. Each finding goes to bad; true if none. */
bool tki_mountinfo_judge(const char *mountinfo, const struct tki_attest_layout *lay,
			 struct tki_strlist *bad);

/* ---- P1 re-judged from a bundle's raw data (src/attest_p1.c) ----
 * Every raw field goes through the judge function P1 applies to the same
 * observation live (tki/selfcheck.h): mountinfo, proc_net_dev, env_keyset,
 * uid_map with the euid of status "Uid:", engine_sockets, seccomp_mode with
 * seccomp_own, no_new_privs, the status Cap* lines, fds_inherited with
 * fds_left, proc_pids with pid, and root_layout with mountinfo and
 * self_name. A field that is
 * missing, malformed or disagrees with another (status "Seccomp:" against
 * seccomp_mode) fails its invariant. ok[i] and observed[i] (owned) per
 * invariant; true when all hold. */
struct tki_raw_judged {
	bool ok[TKI_RI__COUNT];
	char *observed[TKI_RI__COUNT];
};
bool tki_p1_rejudge_raw(const json_t *raw, const struct tki_attest_layout *lay, struct tki_raw_judged *out);
void tki_raw_judged_free(struct tki_raw_judged *j);

#endif
