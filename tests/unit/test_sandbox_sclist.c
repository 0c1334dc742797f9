// SPDX-License-Identifier: Apache-2.0
/* The syscall list: parser, validation, action mapping, and the policy of
 * the real seccomp/syscalls.txt (what must never be allowed). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <seccomp.h>

#include "sandbox_sclist.h"
#include "tki_seccomp_rules.h"

static void test_line_basic(void **state)
{
	struct tki_sc_rule r;
	char err[200];
	assert_int_equal(tki_sc_parse_line("both  read\tallow   # comment", 7, &r, err, sizeof(err)), 1);
	assert_string_equal(r.name, "read");
	assert_int_equal(r.scope, TKI_SC_BOTH);
	assert_int_equal(r.action, TKI_SC_ALLOW);
	assert_int_equal(r.nconds, 0);
	assert_int_equal(r.line, 7);
	assert_int_equal(tki_sc_parse_line("container execve allow", 1, &r, err, sizeof(err)), 1);
	assert_int_equal(r.scope, TKI_SC_CONTAINER);
	assert_int_equal(tki_sc_parse_line("binary execve eperm", 1, &r, err, sizeof(err)), 1);
	assert_int_equal(r.scope, TKI_SC_BINARY);
	assert_int_equal(r.action, TKI_SC_EPERM);
	assert_int_equal(tki_sc_parse_line("both clone3 enosys", 1, &r, err, sizeof(err)), 1);
	assert_int_equal(r.action, TKI_SC_ENOSYS);
	assert_int_equal(tki_sc_parse_line("both kexec_load kill", 1, &r, err, sizeof(err)), 1);
	assert_int_equal(r.action, TKI_SC_KILL);
	assert_int_equal(tki_sc_parse_line("", 1, &r, err, sizeof(err)), 0);
	assert_int_equal(tki_sc_parse_line("   # only a comment", 1, &r, err, sizeof(err)), 0);
	assert_int_equal(tki_sc_parse_line(" \t\r", 1, &r, err, sizeof(err)), 0);
}

static void test_line_conditions(void **state)
{
	struct tki_sc_rule r;
	char err[200];
	assert_int_equal(tki_sc_parse_line("both clone allow a0&0x7e030000==0x10000", 1, &r, err, sizeof(err)), 1);
	assert_int_equal(r.nconds, 1);
	assert_int_equal(r.conds[0].arg, 0);
	assert_int_equal(r.conds[0].op, TKI_SC_MASKED_EQ);
	assert_int_equal(r.conds[0].a, 0x7e030000);
	assert_int_equal(r.conds[0].b, 0x10000);
	assert_int_equal(tki_sc_parse_line("binary prctl allow a0==47 a1==1", 1, &r, err, sizeof(err)), 1);
	assert_int_equal(r.nconds, 2);
	assert_int_equal(r.conds[1].arg, 1);
	assert_int_equal(r.conds[1].op, TKI_SC_EQ);
	assert_int_equal(r.conds[1].a, 1);
	static const struct {
		const char *tok;
		enum tki_sc_op op;
		uint64_t a;
	} ops[] = {{"a5!=3", TKI_SC_NE, 3},	  {"a2<10", TKI_SC_LT, 10},   {"a2<=10", TKI_SC_LE, 10},
		   {"a3>0x20", TKI_SC_GT, 0x20}, {"a3>=0", TKI_SC_GE, 0}, {"a4==18446744073709551615", TKI_SC_EQ, UINT64_MAX}};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char line[80];
		snprintf(line, sizeof(line), "both ioctl allow %s", ops[i].tok);
		assert_int_equal(tki_sc_parse_line(line, 1, &r, err, sizeof(err)), 1);
		assert_int_equal(r.conds[0].op, ops[i].op);
		assert_true(r.conds[0].a == ops[i].a);
	}
}

static void test_line_errors(void **state)
{
	static const char *const bad[] = {
		"both read",			 /* no action */
		"everywhere read allow",	 /* scope */
		"both read permit",		 /* action */
		"both Read allow",		 /* name */
		"both re-ad allow",		 /* name */
		"both read allow a6==1",	 /* arg index */
		"both read allow a0=1",		 /* operator */
		"both read allow a0==-1",	 /* negative */
		"both read allow a0==1x",	 /* trailing junk */
		"both read allow a0&==1",	 /* no mask */
		"both read allow a0&0xff",	 /* no value */
		"both read allow a0==1 a1==1 a2==1 a3==1 a4==1", /* too many */
		"both a_name_that_is_far_too_long_for_any_syscall_at_all allow",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tki_sc_rule r;
		char err[200] = "";
		if (tki_sc_parse_line(bad[i], 3, &r, err, sizeof(err)) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err, "line 3"));
	}
}

static void test_parse_conflicts(void **state)
{
	struct tki_sc_rule *v = NULL;
	size_t n = 0;
	char err[200];
	/* OK: one name, different filters; conditional rules sharing an action. */
	assert_true(tki_sc_parse("binary execve eperm\ncontainer execve allow\n"
				 "binary prctl allow a0==21\nbinary prctl allow a0==39\ncontainer prctl allow\n",
				 &v, &n, err, sizeof(err)));
	assert_int_equal(n, 5);
	free(v);
	static const char *const bad[] = {
		"both read allow\nbinary read allow\n",		 /* twice in the binary filter */
		"both read allow\ncontainer read eperm\n",	 /* conflicting in the container */
		"both ioctl allow a1==1\nboth ioctl allow\n",	 /* conditional + unconditional */
		"both ioctl allow a1==1\nboth ioctl kill a1==2\n", /* two actions under conditions */
		"both read allow\nnonsense\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = NULL;
		if (tki_sc_parse(bad[i], &v, &n, err, sizeof(err)))
			fail_msg("accepted: %s", bad[i]);
		assert_null(v);
		assert_non_null(strstr(err, "line"));
	}
}

static void test_action_mapping(void **state)
{
	assert_int_equal(tki_sc_scmp_action(TKI_SC_ALLOW), SCMP_ACT_ALLOW);
	assert_int_equal(tki_sc_scmp_action(TKI_SC_EPERM), SCMP_ACT_ERRNO(EPERM));
	assert_int_equal(tki_sc_scmp_action(TKI_SC_ENOSYS), SCMP_ACT_ERRNO(ENOSYS));
	assert_int_equal(tki_sc_scmp_action(TKI_SC_KILL), SCMP_ACT_KILL_PROCESS);
	assert_int_equal(tki_sc_action_errno(TKI_SC_EPERM), EPERM);
	assert_int_equal(tki_sc_action_errno(TKI_SC_ENOSYS), ENOSYS);
	assert_int_equal(tki_sc_action_errno(TKI_SC_ALLOW), 0);
	assert_int_equal(tki_sc_action_errno(TKI_SC_KILL), 0);
	assert_string_equal(tki_sc_docker_action(TKI_SC_ALLOW), "SCMP_ACT_ALLOW");
	assert_string_equal(tki_sc_docker_action(TKI_SC_EPERM), "SCMP_ACT_ERRNO");
	assert_string_equal(tki_sc_docker_action(TKI_SC_ENOSYS), "SCMP_ACT_ERRNO");
	assert_string_equal(tki_sc_docker_action(TKI_SC_KILL), "SCMP_ACT_KILL_PROCESS");
	assert_string_equal(tki_sc_docker_op(TKI_SC_MASKED_EQ), "SCMP_CMP_MASKED_EQ");
	assert_string_equal(tki_sc_docker_op(TKI_SC_LE), "SCMP_CMP_LE");
	assert_string_equal(tki_sc_action_name(TKI_SC_KILL), "kill");
}

/* ---- the real list -------------------------------------------------------- */

static struct tki_sc_rule *list;
static size_t nlist;

static int load_list(void **state)
{
	static const char *const paths[] = {"seccomp/syscalls.txt", TKI_FIXTURES "/../seccomp/syscalls.txt"};
	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(paths[i], "r");
		if (!f)
			continue;
		static char text[1 << 16];
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		char err[200];
		if (!tki_sc_parse(text, &list, &nlist, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", paths[i], err);
			return -1;
		}
		return 0;
	}
	fprintf(stderr, "seccomp/syscalls.txt not found (run from the source root)\n");
	return -1;
}

static int free_list(void **state)
{
	free(list);
	return 0;
}

/* Never allowed in the binary's filter; each must be listed explicitly
 * (eperm or kill) so that the list says what it refuses. */
static const char *const forbidden[] = {
	"execve", "execveat", "fork", "vfork", "socket", "socketpair", "connect", "bind", "listen", "accept",
	"accept4", "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root",
	"unshare", "setns", "bpf", "perf_event_open", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"userfaultfd", "keyctl", "add_key", "request_key", "open_by_handle_at", "personality", "kexec_load",
	"kexec_file_load", "init_module", "finit_module", "delete_module"};

static void test_list_binary_refuses(void **state)
{
	for (size_t f = 0; f < sizeof(forbidden) / sizeof(forbidden[0]); f++) {
		bool listed = false;
		for (size_t i = 0; i < nlist; i++) {
			if (!tki_sc_in_filter(&list[i], TKI_SC_BINARY) || strcmp(list[i].name, forbidden[f]) != 0)
				continue;
			listed = true;
			if (list[i].action == TKI_SC_ALLOW)
				fail_msg("seccomp/syscalls.txt:%u allows %s in the binary's filter", list[i].line,
					 forbidden[f]);
		}
		if (!listed)
			fail_msg("%s is not listed as refused for the binary", forbidden[f]);
	}
}

static void test_list_container_refuses(void **state)
{
	for (size_t f = 0; f < sizeof(forbidden) / sizeof(forbidden[0]); f++)
		for (size_t i = 0; i < nlist; i++)
			if (tki_sc_in_filter(&list[i], TKI_SC_CONTAINER) && strcmp(list[i].name, forbidden[f]) == 0 &&
			    list[i].action == TKI_SC_ALLOW && strcmp(forbidden[f], "execve") != 0)
				fail_msg("seccomp/syscalls.txt:%u allows %s in the container", list[i].line, forbidden[f]);
}

/* clone: only threads, never a namespace bit, in both filters; the
 * container profile alone also allows a plain fork (the batch parent,
 * src/batch.c), still never a namespace bit. */
static void test_list_clone_threads_only(void **state)
{
	const uint64_t ns = 0x7e020000, thread = 0x10000;
	unsigned seen = 0;
	for (size_t i = 0; i < nlist; i++) {
		if (strcmp(list[i].name, "clone") != 0 || list[i].action != TKI_SC_ALLOW || list[i].scope == TKI_SC_POD)
			continue;
		seen++;
		bool ok = false;
		for (unsigned c = 0; c < list[i].nconds; c++) {
			const struct tki_sc_cond *k = &list[i].conds[c];
			bool fork_ok = list[i].scope == TKI_SC_CONTAINER && k->b == 0;
			if (k->arg == 0 && k->op == TKI_SC_MASKED_EQ && (k->a & (ns | thread)) == (ns | thread) &&
			    (k->b & ns) == 0 && ((k->b & thread) == thread || fork_ok))
				ok = true;
		}
		if (!ok)
			fail_msg("seccomp/syscalls.txt:%u: clone allowed without masking CLONE_NEW* and requiring CLONE_THREAD",
				 list[i].line);
	}
	assert_true(seen >= 1);
	for (size_t i = 0; i < nlist; i++)
		if (strcmp(list[i].name, "clone3") == 0)
			assert_int_equal(list[i].action, TKI_SC_ENOSYS);
}

/* The pod profile: clone only for threads, the one namespace clone of
 * --self-sandbox (src/sandbox_ns.c NS_FLAGS|SIGCHLD) and glibc's fork;
 * never unshare or setns; and nothing the pod lines allow reaches the
 * binary's or the container's filter. */
static void test_list_pod(void **state)
{
	const uint64_t allowed[] = {0x7e020011, 0x1200011};
	unsigned clones = 0, pod = 0;
	for (size_t i = 0; i < nlist; i++) {
		if (list[i].scope != TKI_SC_POD)
			continue;
		pod++;
		assert_false(tki_sc_in_list_filter(list, nlist, i, TKI_SC_BINARY));
		assert_false(tki_sc_in_list_filter(list, nlist, i, TKI_SC_CONTAINER));
		assert_true(tki_sc_in_list_filter(list, nlist, i, TKI_SC_POD));
		if (!strcmp(list[i].name, "unshare") || !strcmp(list[i].name, "setns"))
			assert_int_not_equal(list[i].action, TKI_SC_ALLOW);
		if (strcmp(list[i].name, "clone") != 0)
			continue;
		clones++;
		assert_int_equal(list[i].nconds, 1);
		const struct tki_sc_cond *k = &list[i].conds[0];
		bool ok = k->arg == 0 && k->op == TKI_SC_MASKED_EQ && k->a == 0x7e030000 && k->b == 0x10000;
		for (size_t a = 0; a < sizeof(allowed) / sizeof(allowed[0]); a++)
			ok = ok || (k->arg == 0 && k->op == TKI_SC_EQ && k->a == allowed[a]);
		if (!ok)
			fail_msg("seccomp/syscalls.txt:%u: a pod clone rule beyond threads, the sandbox and fork", list[i].line);
	}
	assert_true(pod > 0);
	assert_int_equal(clones, 3);
	/* a container line of a name with pod lines is replaced, not added */
	for (size_t i = 0; i < nlist; i++)
		if (list[i].scope != TKI_SC_POD && !strcmp(list[i].name, "clone"))
			assert_false(tki_sc_in_list_filter(list, nlist, i, TKI_SC_POD));
}

/* The generated header is exactly the binary's view of the list. */
static void test_header_matches_list(void **state)
{
	size_t k = 0;
	for (size_t i = 0; i < nlist; i++) {
		if (!tki_sc_in_filter(&list[i], TKI_SC_BINARY))
			continue;
		assert_true(k < sizeof(tki_sc_binary_rules) / sizeof(tki_sc_binary_rules[0]));
		const struct tki_sc_rule *h = &tki_sc_binary_rules[k++];
		assert_string_equal(h->name, list[i].name);
		assert_int_equal(h->action, list[i].action);
		assert_int_equal(h->nconds, list[i].nconds);
		assert_memory_equal(h->conds, list[i].conds, list[i].nconds * sizeof(h->conds[0]));
	}
	assert_int_equal(k, sizeof(tki_sc_binary_rules) / sizeof(tki_sc_binary_rules[0]));
}

/* Every name is a syscall libseccomp knows (a typo would be a hole). */
static void test_list_names_resolve(void **state)
{
	for (size_t i = 0; i < nlist; i++)
		if (seccomp_syscall_resolve_name(list[i].name) == __NR_SCMP_ERROR)
			fail_msg("seccomp/syscalls.txt:%u: unknown syscall %s", list[i].line, list[i].name);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_line_basic),
		cmocka_unit_test(test_line_conditions),
		cmocka_unit_test(test_line_errors),
		cmocka_unit_test(test_parse_conflicts),
		cmocka_unit_test(test_action_mapping),
	};
	const struct CMUnitTest real[] = {
		cmocka_unit_test(test_list_binary_refuses),
		cmocka_unit_test(test_list_container_refuses),
		cmocka_unit_test(test_list_clone_threads_only),
		cmocka_unit_test(test_list_pod),
		cmocka_unit_test(test_header_matches_list),
		cmocka_unit_test(test_list_names_resolve),
	};
	int rc = cmocka_run_group_tests_name("sclist parser", pure, NULL, NULL);
	return rc | cmocka_run_group_tests_name("seccomp/syscalls.txt", real, load_list, free_list);
}
