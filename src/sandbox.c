// SPDX-License-Identifier: Apache-2.0
/* L1, the binary's own layer (every mode, before any thread and before any
 * read of the packet): no_new_privs, every capability set cleared,
 * resource limits, Landlock (src/sandbox_landlock.c), then the seccomp
 * allowlist (src/sandbox_seccomp.c). Each step is irreversible for this
 * process; a step that cannot be done fails closed with exit 3.
 * The --self-sandbox builder is tki_sandbox_enter() in src/sandbox_ns.c. */
#include "tki/sandbox.h"

#include <cap-ng.h>
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "tki/common.h"
#include "sandbox_impl.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)

/* Why these values: docs/sandbox.md, "Resource limits". */
const struct tki_rlimit_spec tki_sandbox_rlimits[] = {
	/* stdio 3 + the two guard roots + one packet item + the report temp
	 * file + directory fds while listing (depth-bounded by the reader)
	 * + one item fd per hashing thread (at most 8), with room to spare. */
	{RLIMIT_NOFILE, "NOFILE", 64},
	/* Reports are small; 256 MiB bounds a runaway writer on /out. */
	{RLIMIT_FSIZE, "FSIZE", 256 * MiB},
	/* Main thread + up to 8 hashing threads; equals --pids-limit 64. */
	{RLIMIT_NPROC, "NPROC", 64},
	{RLIMIT_CORE, "CORE", 0},
	/* Address space, not memory: a 64 MiB manifest in jansson, 8 MiB
	 * stacks and 64 MiB malloc arenas per thread fit well within 4 GiB;
	 * the container's --memory 512m bounds the resident size. */
	{RLIMIT_AS, "AS", 4 * GiB},
};
const size_t tki_sandbox_rlimits_n = TKI_ARRAY_LEN(tki_sandbox_rlimits);

static void set_nnp(struct tki_sandbox_state *st)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		tki_sandbox_fail(errno, "prctl(PR_SET_NO_NEW_PRIVS)",
				 "the kernel refused no_new_privs; run in the hardened container (scripts/run-container).");
	st->nnp_set = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	if (!st->nnp_set)
		tki_sandbox_fail(0, "no_new_privs is not set after PR_SET_NO_NEW_PRIVS",
				 "run in the hardened container (scripts/run-container).");
}

/* Effective, permitted, inheritable, bounding and ambient sets all empty.
 * Dropping the bounding set needs CAP_SETPCAP. Without it (docker without
 * --cap-drop ALL as uid 65532, a normal user on a bare host) the bounding
 * set is left as found and caps_cleared stays false: P1 reads the sets
 * live, names the bounding set and blocks (exit 3) before the packet is
 * read. Going on until then is safe: with no_new_privs and execve refused,
 * a bounding set can never grant anything. Every other failure is fatal. */
static void clear_caps(struct tki_sandbox_state *st)
{
	if (capng_get_caps_process() != 0)
		tki_sandbox_fail(errno, "libcap-ng cannot read the capability sets", "is /proc mounted?");
	bool bounds = capng_have_capabilities(CAPNG_SELECT_BOUNDS) != CAPNG_NONE &&
		      capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	capng_clear(CAPNG_SELECT_ALL);
	if ((bounds && tki_sandbox_drop_bounds() != 0) || capng_apply(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT) != 0)
		tki_sandbox_fail(0, "libcap-ng could not clear the capability sets",
				 "run in the hardened container (scripts/run-container, --cap-drop ALL) or with --self-sandbox.");
	if (capng_get_caps_process() != 0)
		tki_sandbox_fail(errno, "libcap-ng cannot re-read the capability sets", "is /proc mounted?");
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE ||
	    capng_have_capabilities(CAPNG_SELECT_AMBIENT) != CAPNG_NONE)
		tki_sandbox_fail(0, "capabilities remain in the effective, permitted, inheritable or ambient set",
				 "report this as a bug, with /proc/self/status of the venue.");
	st->caps_cleared = capng_have_capabilities(CAPNG_SELECT_BOUNDS) == CAPNG_NONE;
}

/* What capng_apply(CAPNG_SELECT_BOUNDS) does for an empty bounding set
 * (PR_CAPBSET_DROP of every cap up to the last the kernel knows), without
 * its capng_get_caps_process() first, which reads /proc/<pid>/status again
 * to learn whether CAP_SETPCAP is effective: clear_caps has just read the
 * sets, and PID 1 takes EPERM for "no CAP_SETPCAP" (docs/performance.md).
 * Called before the capset that empties the effective set, as capng_apply
 * orders them. */
int tki_sandbox_drop_bounds(void)
{
	unsigned long c = 0;
	while (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0) /* a cap not in the set drops too */
		c++;
	return errno == EINVAL && c > 0 ? 0 : -1; /* EINVAL: past the last cap the kernel knows */
}

static void set_rlimits(struct tki_sandbox_state *st)
{
	for (size_t i = 0; i < tki_sandbox_rlimits_n; i++) {
		const struct tki_rlimit_spec *s = &tki_sandbox_rlimits[i];
#ifdef TKI_ASAN_BUILD
		if (s->resource == RLIMIT_AS) {
			st->rlimit_waiver = "AS not set: sanitizer build";
			continue;
		}
#endif
		struct rlimit cur;
		if (getrlimit(s->resource, &cur) != 0)
			tki_sandbox_fail(errno, "getrlimit", "report this as a bug.");
		rlim_t v = (rlim_t)s->value;
		if (cur.rlim_max != RLIM_INFINITY && cur.rlim_max < v)
			v = cur.rlim_max; /* never raise a limit someone else set lower */
		struct rlimit want = {v, v};
		if (setrlimit(s->resource, &want) != 0) {
			char what[64];
			snprintf(what, sizeof(what), "setrlimit(RLIMIT_%s, %llu)", s->name, (unsigned long long)v);
			tki_sandbox_fail(errno, what, "report this as a bug (lowering a limit needs no privilege).");
		}
	}
	st->rlimits_set = true;
}

void tki_sandbox_restrict(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st)
{
	tki_sandbox_restrict_parent(o, data_dirs, st);
	tki_seccomp_apply(st);
}

void tki_sandbox_restrict_parent(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st)
{
	memset(st, 0, sizeof(*st));
	set_nnp(st);
	clear_caps(st);
	set_rlimits(st);
	tki_landlock_apply(o, data_dirs, st);
}
