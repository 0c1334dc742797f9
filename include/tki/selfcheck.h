// SPDX-License-Identifier: Apache-2.0
/* L3: the P1 runtime self-check. Pure invariant functions over captured
 * text (tested on fixtures), plus a thin layer reading the live system. */
#ifndef TKI_SELFCHECK_H
#define TKI_SELFCHECK_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "tki/cli.h"
#include "tki/common.h"
#include "tki/sandbox.h"

struct tki_p1;

/* Snapshot of what P1 judges: /proc/self/mountinfo, /proc/net/dev,
 * /proc/self/status, /proc/self/uid_map, the env keyset, engine sockets.
 * Taken before the own layer locks the filesystem; never touches the
 * input dir. */
struct tki_p1 *tki_p1_capture(const struct tki_opts *o);

/* The invariants decidable from the snapshot alone (mounts, network, env,
 * uid, engine sockets). Decides whether the own layer opens the data dirs. */
bool tki_p1_static_ok(const struct tki_p1 *p);

/* Add the live invariants (seccomp filter mode, no_new_privs, capability
 * sets, rlimits, Landlock) after the own layer; true when all hold. */
bool tki_p1_finish(struct tki_p1 *p, const struct tki_sandbox_state *sb);

/* "BLOCKED: <invariant>: <observed>" for each failed invariant. */
void tki_p1_print_blocked(const struct tki_p1 *p, FILE *f);
/* {"verdict": "OK"|"BLOCKED", "invariants": [{"name","ok","observed"}...]} */
void tki_p1_print_json(const struct tki_p1 *p, FILE *f);
/* Raw observations for an attestation bundle (new reference). */
json_t *tki_p1_raw_json(const struct tki_p1 *p);

void tki_p1_free(struct tki_p1 *p);

/* ---- Pure judges (no I/O), unit-tested on fixtures/p1/<venue>/. ----
 * Each returns true when the invariant holds and sets *observed to a new
 * string (caller frees) saying what was seen; on failure it names the
 * offending mount point, interface, key or set, never an env value. */

/* mountinfo text: root read-only, exactly one ro mount at in_dir and one
 * rw mount at out_dir, everything else runtime-standard (docs/selfcheck.md). */
bool tki_p1_judge_mounts(const char *mountinfo, const char *in_dir,
			 const char *out_dir, char **observed);
/* Interface names of /proc/net/dev text, in order (sanitized), added to
 * out; -1 when the text is not in that format. Shared with the attestation
 * re-judge. */
int tki_netdev_ifaces(const char *proc_net_dev, struct tki_strlist *out);
/* /proc/net/dev text: no interface other than "lo" (none at all is ok). */
bool tki_p1_judge_network(const char *net_dev, char **observed);
/* Env entries, each "KEY=VALUE" (live) or "KEY" alone (an attestation
 * bundle's keyset: the value is then not judged): only allowlisted keys,
 * none secret-like, and each value shaped like what its key means
 * (tki_p1_env_value_ok). A value is never copied into *observed. */
bool tki_p1_judge_env(const char *const *entries, size_t n, char **observed);
/* Whether value looks like what key means: PATH a list of plain absolute
 * dirs, HOME/PWD one, TERM a terminal name, LANG/LC_* a locale, TZ a zone,
 * HOSTNAME a host name, container an engine name (docs/selfcheck.md). */
bool tki_p1_env_value_ok(const char *key, const char *value);
/* Whether one key is secret-like (one list, also PR-ENV-1's) / allowlisted. */
bool tki_p1_env_key_secret(const char *key);
bool tki_p1_env_key_allowed(const char *key);
/* uid_map text and the effective uid: euid maps to non-zero in the parent. */
bool tki_p1_judge_uid(const char *uid_map, unsigned long euid, char **observed);
/* Engine sockets that exist (paths): none may. */
bool tki_p1_judge_sockets(const char *const *present, size_t n, char **observed);
/* The fixed engine socket paths stat()ed by P1 (docker, podman root,
 * containerd, cri-o; NULL-terminated); rootless podman's
 * /run/user/<uid>/podman/podman.sock is found by listing /run/user. */
extern const char *const tki_p1_engine_sockets[];

/* Descriptors, one "<fd> <target>" a line: found = open above 2 when P1
 * started (before it closed them), left = still open after. Holds when
 * none is left; the observation names what was found and closed. */
bool tki_p1_judge_fds(const char *found, const char *left, char **observed);
/* Numeric entries of /proc (one a line), getpid() and the target of the
 * /proc/self link: a private pid namespace shows at most TKI_P1_MAX_PROCS
 * processes, ours among them. When /proc/self names another pid than
 * getpid(), /proc is an outer pid namespace's procfs bound in
 * (--self-sandbox in a pod): that holds only if our pid there is listed,
 * at most TKI_P1_MAX_PROCS are visible, each ours or an ancestor's
 * (chain), the bind is read-only and keeps the runtime's masks
 * (tki_p1_proc_bind_problems), and no other process listed there is
 * reachable (reach: each EACCES or ENOENT). proc NULL or proc->self
 * NULL: not captured (a bundle written before the link was: judged as a
 * fresh procfs); "" = the link could not be read (fails). */
#define TKI_P1_MAX_PROCS 8
struct tki_p1_procfs {
	const char *self;      /* the /proc/self link; "" unreadable, NULL not captured */
	const char *present;   /* which of tki_p1_proc_masked/readonly exist, one a line */
	const char *mountinfo;
	const char *reach;     /* an outer /proc: "<pid> EACCES|ENOENT|reachable|..." per other pid */
	const char *chain;     /* an outer /proc: our pid there, then each ancestor's, one a line */
};
bool tki_p1_judge_pidns(const char *pids, long self_pid, const struct tki_p1_procfs *proc, char **observed);
/* The /proc entries OCI runtimes mask (a null device or a read-only tmpfs
 * over them) and those they bind read-only over themselves; NULL-ended. */
extern const char *const tki_p1_proc_masked[];
extern const char *const tki_p1_proc_readonly[];
/* What makes a bind of an outer /proc unacceptable, one entry each: a
 * /proc mount not ro,nosuid,nodev,noexec, a writable mount beneath it, an
 * entry of the two lists above that exists (present) without its mask. */
void tki_p1_proc_bind_problems(const char *mountinfo, const char *present, struct tki_strlist *bad);

/* Directory listings, one "<type> <name>" a line (type d, f, l or o; as
 * lstat shows them), NULL when unreadable. */
struct tki_p1_layout {
	const char *root, *etc, *run, *cgroup; /* /, /etc, /run, /sys/fs/cgroup */
	const char *self_name; /* our binary's name in / ("tki-inspector") or NULL */
};
/* A minimal root: every directory in / is a mount point (the venue's
 * mounts, judged by tki_p1_judge_mounts) or /etc holding only the
 * engine's hosts/hostname/resolv.conf/mtab, or /run holding only podman's
 * .containerenv; the only files are our binary and docker's .dockerenv;
 * a tmpfs at /sys/fs/cgroup holds only cgroup mount points. */
bool tki_p1_judge_root(const char *mountinfo, const struct tki_p1_layout *l, char **observed);

/* Capability sets, bit i = capability i. */
enum { TKI_CAP_EFF, TKI_CAP_PRM, TKI_CAP_INH, TKI_CAP_BND, TKI_CAP_AMB, TKI_CAP_NSETS };
bool tki_p1_judge_caps(const unsigned long long sets[TKI_CAP_NSETS], char **observed);

/* Resource limits as getrlimit reports them (TKI_RLIM_INF = unlimited) plus
 * the cgroup limits captured before the lock (NULL when unreadable). */
#define TKI_RLIM_INF (~0ULL)
struct tki_p1_limits {
	unsigned long long nofile[2], fsize[2], nproc[2], as[2]; /* soft, hard */
	const char *pids_max;  /* cgroup pids.max ("max" or a number) */
	const char *mem_max;   /* memory.max or memory.limit_in_bytes */
	/* The own layer's record that it left RLIMIT_AS unset on purpose
	 * (tki_sandbox_state.rlimit_waiver: sanitizer builds only): an
	 * unlimited AS is then accepted and the observation says why. */
	const char *as_waiver;
};
bool tki_p1_judge_rlimits(const struct tki_p1_limits *l, char **observed);

/* prctl(PR_GET_SECCOMP) / prctl(PR_GET_NO_NEW_PRIVS) results. */
/* Filter mode AND the own allowlist loaded: a runtime's filter alone (which
 * must allow execve for runc) does not count. */
bool tki_p1_judge_seccomp(int mode, bool own_loaded, const char *own_detail, char **observed);
bool tki_p1_judge_nnp(int nnp, char **observed);
/* kernel_abi: landlock_create_ruleset(VERSION) asked before the lock.
 * before, after: errno of open("/", O_RDONLY|O_DIRECTORY) before and
 * after the own layer (0 when it opened). The root must open before (the
 * mounts and modes allow it) and fail with EACCES after: only a ruleset
 * in force refuses it then. */
bool tki_p1_judge_landlock(const struct tki_sandbox_state *sb, int kernel_abi, int before, int after,
			   char **observed);
/* errno of socket(AF_UNIX, SOCK_STREAM, 0) after the own layer: our
 * filter answers EPERM, which no venue's profile does (Docker's and
 * Podman's allow socket; bwrap has none), so a filter that was only
 * reported loaded shows here. */
bool tki_p1_judge_seccomp_probe(int probe_errno, char **observed);

/* One line of /proc/self/mountinfo, parsed (shared by P1's mounts judge
 * and the attestation re-judge of PR-MOUNT-1). */
struct tki_mountinfo_line {
	char root[512];   /* field 4: path within the source filesystem */
	char point[512];  /* field 5: mount point, \ooo escapes decoded */
	char opts[256];   /* field 6: per-mount options */
	bool ro;          /* opts has "ro" */
	char fstype[64];  /* first field after " - " */
	char super[512];  /* super options (last field): tmpfs size=, devpts ptmxmode= */
};
/* false when the line is malformed (or its fields do not fit). */
bool tki_mountinfo_parse_line(const char *line, size_t len, struct tki_mountinfo_line *m);
/* Whether a comma-separated option list holds opt exactly. */
bool tki_mount_has_opt(const char *opts, const char *opt);

/* Helpers over captured text, for the thin layer and the tests. */
/* Value of "Key:\t..." in /proc/self/status text (new string) or NULL. */
char *tki_p1_status_field(const char *status, const char *key);
/* Parse a status CapXxx hex value into *mask. */
bool tki_p1_parse_capmask(const char *hex, unsigned long long *mask);

#endif
