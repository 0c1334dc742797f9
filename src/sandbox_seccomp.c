// SPDX-License-Identifier: Apache-2.0
/* The seccomp allowlist from seccomp/syscalls.txt, compiled at build time by
 * libseccomp (seccomp/gen.c, mode bpf -> build/gen/tki_seccomp_bpf.h) and
 * loaded here with one seccomp(2) call: default EPERM, the listed syscalls
 * allowed (some only with the listed arguments), clone3 ENOSYS so that
 * glibc falls back to clone (whose flags can be checked), the gravest
 * killed. Only the native ABI is in the filter: every other architecture
 * (i386 through int 0x80) and x32 numbers (nr | 0x40000000, which carry the
 * x86_64 audit arch) are killed by libseccomp's bad-arch action. The
 * program is the one libseccomp built at every start before (same calls,
 * same library), without its cost (docs/performance.md). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tki/common.h"
#include "sandbox_impl.h"
#include "tki_seccomp_bpf.h"

/* The program checks the audit arch of every call: one generated for
 * another architecture would kill the first syscall. */
#if defined(__x86_64__) && !defined(__ILP32__)
_Static_assert(TKI_SECCOMP_BPF_ARCH == AUDIT_ARCH_X86_64, "tki_seccomp_bpf.h was generated for another architecture");
#elif defined(__aarch64__)
_Static_assert(TKI_SECCOMP_BPF_ARCH == AUDIT_ARCH_AARCH64, "tki_seccomp_bpf.h was generated for another architecture");
#else
#error "no audit arch known for this target: add it beside x86_64 and aarch64"
#endif

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

void tki_seccomp_apply(struct tki_sandbox_state *st)
{
	struct sock_fprog prog = {
		.len = (unsigned short)TKI_ARRAY_LEN(tki_seccomp_bpf),
		.filter = (struct sock_filter *)tki_seccomp_bpf,
	};
	/* Threads do not exist yet; TSYNC makes that an enforced fact. With
	 * TSYNC_ESRCH (5.7) a thread that cannot be synchronized is an error,
	 * not a tid in the return value; before it, the tid is the failure. */
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH, &prog);
	if (rc < 0 && errno == EINVAL)
		rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
	if (rc != 0)
		tki_sandbox_fail(rc < 0 ? errno : 0,
				 rc < 0 ? "seccomp(SECCOMP_SET_MODE_FILTER)" : "seccomp TSYNC: a thread could not be synchronized",
				 "report this as a bug, with uname -r.");
	st->seccomp_loaded = true;
	snprintf(st->seccomp_detail, sizeof(st->seccomp_detail),
		 "allowlist from seccomp/syscalls.txt: %u allow rules, default EPERM (%u listed), %u killed, "
		 "clone3 ENOSYS, threads only, foreign arch and x32 killed",
		 TKI_SECCOMP_BPF_ALLOWED, TKI_SECCOMP_BPF_REFUSED, TKI_SECCOMP_BPF_KILLED);
}
