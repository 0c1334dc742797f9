// SPDX-License-Identifier: Apache-2.0
/* L1: the syscall list (seccomp/syscalls.txt), the one source of truth for
 * the in-process seccomp filter and the container profile. Pure: parsing,
 * validation and action/operator mapping, no OS side effects. */
#ifndef TKI_SANDBOX_SCLIST_H
#define TKI_SANDBOX_SCLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which filter a line belongs to. */
enum tki_sc_scope {
	TKI_SC_BOTH,      /* the binary's filter and the container profile */
	TKI_SC_BINARY,    /* the binary's own filter only */
	TKI_SC_CONTAINER, /* the container profile only (runc's init needs it) */
	TKI_SC_POD,       /* the pod profile only: replaces the container's lines
			   * for its name (--self-sandbox inside a pod) */
};

enum tki_sc_action {
	TKI_SC_ALLOW,
	TKI_SC_EPERM,  /* the default of both filters; listed to document intent */
	TKI_SC_ENOSYS, /* "not implemented": glibc falls back (clone3 -> clone) */
	TKI_SC_KILL,   /* SECCOMP_RET_KILL_PROCESS: the gravest, never legitimate */
};

enum tki_sc_op { TKI_SC_EQ, TKI_SC_NE, TKI_SC_LT, TKI_SC_LE, TKI_SC_GT, TKI_SC_GE, TKI_SC_MASKED_EQ };

/* argN OP a, or for MASKED_EQ: (argN & a) == b. */
struct tki_sc_cond {
	unsigned arg;
	enum tki_sc_op op;
	uint64_t a, b;
};

#define TKI_SC_MAX_CONDS 4
#define TKI_SC_NAME_MAX 40

struct tki_sc_rule {
	char name[TKI_SC_NAME_MAX];
	enum tki_sc_scope scope;
	enum tki_sc_action action;
	unsigned nconds; /* conditions are ANDed; several rules for a name are ORed */
	struct tki_sc_cond conds[TKI_SC_MAX_CONDS];
	unsigned line;
};

/* Parse one line. Returns 1 with r filled, 0 for a blank or comment line,
 * -1 with a message in err. */
int tki_sc_parse_line(const char *line, unsigned lineno, struct tki_sc_rule *r, char *err, size_t errlen);

/* Parse a whole list and validate it: for each filter (binary, container)
 * a syscall has either one unconditional rule or only conditional rules
 * of one action. On success *rules (malloc'd) and *n are set. */
bool tki_sc_parse(const char *text, struct tki_sc_rule **rules, size_t *n, char *err, size_t errlen);

/* Does rule r go into the filter for `want` (TKI_SC_BINARY or TKI_SC_CONTAINER)? */
bool tki_sc_in_filter(const struct tki_sc_rule *r, enum tki_sc_scope want);

/* Does rule v[i] go into the filter for `want`? As tki_sc_in_filter for
 * TKI_SC_BINARY and TKI_SC_CONTAINER; for TKI_SC_POD: the pod lines, and
 * the container lines of every name that has no pod line. */
bool tki_sc_in_list_filter(const struct tki_sc_rule *v, size_t n, size_t i, enum tki_sc_scope want);

/* The errno an action returns (EPERM, ENOSYS), 0 for allow and kill. */
int tki_sc_action_errno(enum tki_sc_action a);
/* The libseccomp action value (SCMP_ACT_*). */
uint32_t tki_sc_scmp_action(enum tki_sc_action a);
/* Docker profile spelling: "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", ... */
const char *tki_sc_docker_action(enum tki_sc_action a);
/* Docker profile spelling of an operator: "SCMP_CMP_EQ", ... */
const char *tki_sc_docker_op(enum tki_sc_op op);
/* The syscalls.txt spelling: "allow", "eperm", "enosys", "kill". */
const char *tki_sc_action_name(enum tki_sc_action a);

#endif
