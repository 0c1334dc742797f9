// SPDX-License-Identifier: Apache-2.0
/* The syscall list parser: see src/sandbox_sclist.h and
 * seccomp/syscalls.txt for the format. Pure, so it is unit-tested and
 * shared by the build-time generator (seccomp/gen.c). */
#include "sandbox_sclist.h"

#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tki/common.h"

__attribute__((format(printf, 3, 4)))
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *const scope_names[] = {
	[TKI_SC_BOTH] = "both", [TKI_SC_BINARY] = "binary", [TKI_SC_CONTAINER] = "container",
	[TKI_SC_POD] = "pod"};
static const char *const action_names[] = {
	[TKI_SC_ALLOW] = "allow", [TKI_SC_EPERM] = "eperm", [TKI_SC_ENOSYS] = "enosys", [TKI_SC_KILL] = "kill"};

/* Longest operators first so that "<=" is not read as "<". */
static const struct {
	const char *s;
	enum tki_sc_op op;
} ops[] = {{"==", TKI_SC_EQ}, {"!=", TKI_SC_NE}, {"<=", TKI_SC_LE},
	   {">=", TKI_SC_GE}, {"<", TKI_SC_LT},  {">", TKI_SC_GT}};

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static bool parse_u64(const char *s, const char *end, uint64_t *v)
{
	char buf[32];
	size_t len = (size_t)(end - s);
	if (len == 0 || len >= sizeof(buf) || s[0] == '-' || s[0] == '+')
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *e;
	errno = 0;
	unsigned long long x = strtoull(buf, &e, 0);
	if (errno || *e)
		return false;
	*v = x;
	return true;
}

/* aN==V, aN!=V, aN<V, aN<=V, aN>V, aN>=V, or aN&MASK==V. */
static bool parse_cond(const char *tok, struct tki_sc_cond *c)
{
	if (tok[0] != 'a' || tok[1] < '0' || tok[1] > '5')
		return false;
	c->arg = (unsigned)(tok[1] - '0');
	const char *p = tok + 2;
	const char *end = p + strlen(p);
	if (*p == '&') {
		const char *eq = strstr(p, "==");
		if (!eq || !parse_u64(p + 1, eq, &c->a) || !parse_u64(eq + 2, end, &c->b))
			return false;
		c->op = TKI_SC_MASKED_EQ;
		return true;
	}
	for (size_t i = 0; i < TKI_ARRAY_LEN(ops); i++) {
		size_t l = strlen(ops[i].s);
		if (strncmp(p, ops[i].s, l) == 0) {
			c->op = ops[i].op;
			c->b = 0;
			return parse_u64(p + l, end, &c->a);
		}
	}
	return false;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= TKI_SC_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

int tki_sc_parse_line(const char *line, unsigned lineno, struct tki_sc_rule *r, char *err, size_t errlen)
{
	char buf[512];
	if (strlen(line) >= sizeof(buf)) {
		seterr(err, errlen, "line %u: longer than %zu bytes", lineno, sizeof(buf) - 1);
		return -1;
	}
	strcpy(buf, line);
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';

	char *tok[3 + TKI_SC_MAX_CONDS + 1];
	size_t nt = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (nt == TKI_ARRAY_LEN(tok)) {
			seterr(err, errlen, "line %u: more than %d conditions", lineno, TKI_SC_MAX_CONDS);
			return -1;
		}
		tok[nt++] = t;
	}
	if (nt == 0)
		return 0;
	if (nt < 3) {
		seterr(err, errlen, "line %u: expected: SCOPE SYSCALL ACTION [CONDITION...]", lineno);
		return -1;
	}
	memset(r, 0, sizeof(*r));
	r->line = lineno;
	int scope = lookup(scope_names, TKI_ARRAY_LEN(scope_names), tok[0]);
	if (scope < 0) {
		seterr(err, errlen, "line %u: unknown scope '%s' (both, binary, container, pod)", lineno, tok[0]);
		return -1;
	}
	r->scope = (enum tki_sc_scope)scope;
	if (!valid_name(tok[1])) {
		seterr(err, errlen, "line %u: '%s' is not a syscall name", lineno, tok[1]);
		return -1;
	}
	strcpy(r->name, tok[1]);
	int action = lookup(action_names, TKI_ARRAY_LEN(action_names), tok[2]);
	if (action < 0) {
		seterr(err, errlen, "line %u: unknown action '%s' (allow, eperm, enosys, kill)", lineno, tok[2]);
		return -1;
	}
	r->action = (enum tki_sc_action)action;
	if (nt - 3 > TKI_SC_MAX_CONDS) {
		seterr(err, errlen, "line %u: more than %d conditions", lineno, TKI_SC_MAX_CONDS);
		return -1;
	}
	for (size_t i = 3; i < nt; i++) {
		if (!parse_cond(tok[i], &r->conds[r->nconds])) {
			seterr(err, errlen, "line %u: bad condition '%s' (aN==V, aN!=V, aN<V, aN<=V, aN>V, aN>=V, aN&MASK==V)",
			       lineno, tok[i]);
			return -1;
		}
		r->nconds++;
	}
	return 1;
}

bool tki_sc_in_filter(const struct tki_sc_rule *r, enum tki_sc_scope want)
{
	return r->scope == TKI_SC_BOTH || r->scope == want;
}

bool tki_sc_in_list_filter(const struct tki_sc_rule *v, size_t n, size_t i, enum tki_sc_scope want)
{
	if (want != TKI_SC_POD)
		return tki_sc_in_filter(&v[i], want);
	if (v[i].scope == TKI_SC_POD)
		return true;
	if (!tki_sc_in_filter(&v[i], TKI_SC_CONTAINER))
		return false;
	for (size_t j = 0; j < n; j++)
		if (v[j].scope == TKI_SC_POD && strcmp(v[j].name, v[i].name) == 0)
			return false;
	return true;
}

/* One filter's view: a name has one unconditional rule, or only
 * conditional rules sharing one action (anything else has no clear
 * meaning once the rules are ORed). */
static bool check_filter(const struct tki_sc_rule *v, size_t n, enum tki_sc_scope want, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (!tki_sc_in_list_filter(v, n, i, want))
			continue;
		for (size_t j = i + 1; j < n; j++) {
			if (!tki_sc_in_list_filter(v, n, j, want) || strcmp(v[i].name, v[j].name) != 0)
				continue;
			if (v[i].nconds == 0 || v[j].nconds == 0 || v[i].action != v[j].action) {
				seterr(err, errlen, "lines %u and %u: conflicting rules for %s in the %s filter",
				       v[i].line, v[j].line, v[i].name, scope_names[want]);
				return false;
			}
		}
	}
	return true;
}

bool tki_sc_parse(const char *text, struct tki_sc_rule **rules, size_t *n, char *err, size_t errlen)
{
	struct tki_sc_rule *v = NULL;
	size_t nv = 0, cap = 0;
	unsigned lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[513];
		lineno++;
		if (len >= sizeof(line)) {
			seterr(err, errlen, "line %u: longer than %zu bytes", lineno, sizeof(line) - 2);
			free(v);
			return false;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		struct tki_sc_rule r;
		int k = tki_sc_parse_line(line, lineno, &r, err, errlen);
		if (k < 0) {
			free(v);
			return false;
		}
		if (k == 0)
			continue;
		if (nv == cap) {
			cap = cap ? 2 * cap : 64;
			v = tki_xrealloc(v, cap * sizeof(*v));
		}
		v[nv++] = r;
	}
	if (!check_filter(v, nv, TKI_SC_BINARY, err, errlen) || !check_filter(v, nv, TKI_SC_CONTAINER, err, errlen) ||
	    !check_filter(v, nv, TKI_SC_POD, err, errlen)) {
		free(v);
		return false;
	}
	*rules = v;
	*n = nv;
	return true;
}

int tki_sc_action_errno(enum tki_sc_action a)
{
	switch (a) {
	case TKI_SC_EPERM: return EPERM;
	case TKI_SC_ENOSYS: return ENOSYS;
	case TKI_SC_ALLOW:
	case TKI_SC_KILL: break;
	}
	return 0;
}

uint32_t tki_sc_scmp_action(enum tki_sc_action a)
{
	switch (a) {
	case TKI_SC_ALLOW: return SCMP_ACT_ALLOW;
	case TKI_SC_EPERM: return SCMP_ACT_ERRNO(EPERM);
	case TKI_SC_ENOSYS: return SCMP_ACT_ERRNO(ENOSYS);
	case TKI_SC_KILL: return SCMP_ACT_KILL_PROCESS;
	}
	return SCMP_ACT_KILL_PROCESS; /* unreachable; fail closed */
}

const char *tki_sc_docker_action(enum tki_sc_action a)
{
	switch (a) {
	case TKI_SC_ALLOW: return "SCMP_ACT_ALLOW";
	case TKI_SC_EPERM:
	case TKI_SC_ENOSYS: return "SCMP_ACT_ERRNO";
	case TKI_SC_KILL: return "SCMP_ACT_KILL_PROCESS";
	}
	return "SCMP_ACT_KILL_PROCESS";
}

const char *tki_sc_docker_op(enum tki_sc_op op)
{
	switch (op) {
	case TKI_SC_EQ: return "SCMP_CMP_EQ";
	case TKI_SC_NE: return "SCMP_CMP_NE";
	case TKI_SC_LT: return "SCMP_CMP_LT";
	case TKI_SC_LE: return "SCMP_CMP_LE";
	case TKI_SC_GT: return "SCMP_CMP_GT";
	case TKI_SC_GE: return "SCMP_CMP_GE";
	case TKI_SC_MASKED_EQ: return "SCMP_CMP_MASKED_EQ";
	}
	return "?";
}

const char *tki_sc_action_name(enum tki_sc_action a)
{
	return (unsigned)a < TKI_ARRAY_LEN(action_names) ? action_names[a] : "?";
}
