// SPDX-License-Identifier: Apache-2.0
/* L1: the binary's own sandbox layer, and the --self-sandbox builder. */
#ifndef TKI_SANDBOX_H
#define TKI_SANDBOX_H

#include <stdbool.h>

#include "tki/cli.h"

/* An AddressSanitizer build (make sanitize, make fuzz) reserves terabytes of
 * address space for its shadow memory, so it cannot run under RLIMIT_AS:
 * only such a build leaves RLIMIT_AS unset, records why, and P1 says so.
 * GCC defines __SANITIZE_ADDRESS__; clang before 15 only __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define TKI_ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TKI_ASAN_BUILD 1
#endif
#endif

/* What the own layer did, for P1 to report (Landlock cannot be queried
 * back from the kernel, so the layer records what it enforced). */
struct tki_sandbox_state {
	bool nnp_set;
	bool caps_cleared;
	bool rlimits_set;
	const char *rlimit_waiver; /* "AS not set: sanitizer build", else NULL */
	int landlock_abi;          /* 0 if the kernel has no Landlock */
	bool landlock_enforced;    /* a ruleset is in force on this thread */
	char landlock_detail[200]; /* e.g. "ABI 7: ro beneath /in, rw beneath /out" */
	bool seccomp_loaded;
	char seccomp_detail[200];
};

/* --self-sandbox: create user, mount, pid, net, ipc, uts and cgroup
 * namespaces, a read-only tmpfs root with the input dir at /in (ro) and the
 * output dir at /out (rw), a fresh /proc and a small /tmp, pivot_root, a
 * cleared environment. Returns only in the worker process, with o->in_dir
 * and o->out_dir rewritten to "/in" and "/out"; the outer process and the
 * namespace's PID 1 relay the worker's exit status and never return.
 * Any failure exits 3 with a message and a "Hint:". */
void tki_sandbox_enter(struct tki_opts *o);

/* The stage command (root only, for scripts/run-container and run-bwrap):
 * open --in, --out and --at with no symlink on their paths, clone --in
 * (read-only) and --out, each idmapped from its owner to uid 65532, and
 * attach them at AT/in and AT/out in the caller's mount namespace. Changes
 * nothing on disk. Returns 0; any failure exits 2 or 3 with a Hint. */
int tki_sandbox_stage(const struct tki_opts *o);

/* The own layer, in every mode, before any thread and before any read of
 * the packet: no_new_privs, all capability sets cleared, rlimits, Landlock
 * (read-only beneath o->in_dir and read-write beneath o->out_dir when
 * data_dirs is true; no file access at all when false), then the seccomp
 * allowlist. Fills st. A step that cannot be done fails closed (exit 3). */
void tki_sandbox_restrict(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st);

/* The same without the seccomp step, for the parent of a batch only: it
 * must fork its workers (the allowlist refuses fork), reads no byte of a
 * packet (only the batch dir's listing), and each worker then loads the
 * whole layer, its own Landlock domain stacked on this one. */
void tki_sandbox_restrict_parent(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st);

/* The resource limits the own layer sets, soft = hard = min(value, the
 * hard limit it found): never raised. For P1 and the docs (#23). */
struct tki_rlimit_spec {
	int resource;               /* RLIMIT_* */
	const char *name;           /* "NOFILE", ... */
	unsigned long long value;
};
extern const struct tki_rlimit_spec tki_sandbox_rlimits[];
extern const size_t tki_sandbox_rlimits_n;

#endif
