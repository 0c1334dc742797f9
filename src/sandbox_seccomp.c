// SPDX-License-Identifier: Apache-2.0
/* The seccomp allowlist, generated at build time from seccomp/syscalls.txt
 * (build/gen/tki_seccomp_rules.h): default EPERM, the listed syscalls
 * allowed (some only with the listed arguments), clone3 ENOSYS so that
 * glibc falls back to clone (whose flags can be checked), the gravest
 * killed. Only the native ABI is in the filter: every other architecture
 * (i386 through int 0x80) and x32 numbers (nr | 0x40000000, which carry the
 * x86_64 audit arch) are killed by libseccomp's bad-arch action. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "tki/common.h"
#include "sandbox_impl.h"
#include "tki_seccomp_rules.h"

static enum scmp_compare scmp_op(enum tki_sc_op op)
{
	switch (op) {
	case TKI_SC_EQ: return SCMP_CMP_EQ;
	case TKI_SC_NE: return SCMP_CMP_NE;
	case TKI_SC_LT: return SCMP_CMP_LT;
	case TKI_SC_LE: return SCMP_CMP_LE;
	case TKI_SC_GT: return SCMP_CMP_GT;
	case TKI_SC_GE: return SCMP_CMP_GE;
	case TKI_SC_MASKED_EQ: return SCMP_CMP_MASKED_EQ;
	}
	return _SCMP_CMP_MAX; /* rejected by libseccomp: fail closed */
}

static void scmp_ctx_release(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}

static void check(int rc, const char *what)
{
	if (rc != 0)
		tki_sandbox_fail(-rc, what, "report this as a bug, with the libseccomp version and uname -r.");
}

void tki_seccomp_apply(struct tki_sandbox_state *st)
{
	__attribute__((cleanup(scmp_ctx_release))) scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		tki_sandbox_fail(ENOMEM, "seccomp_init", "report this as a bug.");
	check(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "seccomp bad-arch action");
	/* Threads do not exist yet; TSYNC makes that an enforced fact. */
	check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1), "seccomp TSYNC");
	check(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), "seccomp raw return codes");

	unsigned allowed = 0, killed = 0, refused = 0;
	for (size_t i = 0; i < TKI_ARRAY_LEN(tki_sc_binary_rules); i++) {
		const struct tki_sc_rule *r = &tki_sc_binary_rules[i];
		int nr = seccomp_syscall_resolve_name(r->name);
		if (nr == __NR_SCMP_ERROR) {
			char what[160];
			snprintf(what, sizeof(what), "libseccomp does not know syscall %.40s", r->name);
			tki_sandbox_fail(0, what, "rebuild against the libseccomp the generator used.");
		}
		/* Explicit EPERM is also the default: libseccomp refuses a rule
		 * equal to the default action, and none is needed. */
		if (r->action == TKI_SC_EPERM) {
			refused++;
			continue;
		}
		struct scmp_arg_cmp cmp[TKI_SC_MAX_CONDS];
		for (unsigned c = 0; c < r->nconds; c++) {
			const struct tki_sc_cond *k = &r->conds[c];
			cmp[c] = (struct scmp_arg_cmp){.arg = k->arg, .op = scmp_op(k->op), .datum_a = k->a,
						       .datum_b = k->b};
		}
		char what[160];
		snprintf(what, sizeof(what), "seccomp rule for %.40s (seccomp/syscalls.txt:%u)", r->name, r->line);
		check(seccomp_rule_add_exact_array(ctx, tki_sc_scmp_action(r->action), nr, r->nconds, cmp), what);
		allowed += r->action == TKI_SC_ALLOW;
		killed += r->action == TKI_SC_KILL;
	}
	check(seccomp_load(ctx), "seccomp_load");
	st->seccomp_loaded = true;
	snprintf(st->seccomp_detail, sizeof(st->seccomp_detail),
		 "allowlist from seccomp/syscalls.txt: %u allow rules, default EPERM (%u listed), %u killed, "
		 "clone3 ENOSYS, threads only, foreign arch and x32 killed",
		 allowed, refused, killed);
}
