// SPDX-License-Identifier: Apache-2.0
/* The one fatal-error idiom (tki_fatal, tki_die, tki_die_errno): exactly
 * what reaches stderr and the exit code, from a forked child each time. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "tki/common.h"

enum { CALL_FATAL_BLOCKED, CALL_FATAL_USAGE, CALL_DIE_ERRNO_HINT, CALL_DIE_PREFIXED, CALL_DIE_PLAIN };

static void call(int which)
{
	switch (which) {
	case CALL_FATAL_BLOCKED:
		tki_fatal(TKI_EXIT_BLOCKED, EPERM, "--self-sandbox", "do this instead.", "cannot create the %s",
			  "namespaces");
	case CALL_FATAL_USAGE:
		tki_fatal(TKI_EXIT_USAGE, ENOENT, NULL, "pass an existing directory.", "--in %s", "/nowhere");
	case CALL_DIE_ERRNO_HINT:
		/* the old glue: the strerror landed after the hint */
		errno = EACCES;
		tki_die_errno(TKI_EXIT_BLOCKED, "stage: message\nHint: a hint.");
	case CALL_DIE_PREFIXED:
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: attest: no raw snapshot");
	case CALL_DIE_PLAIN:
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
	}
	exit(99);
}

/* Runs call(which) in a child; returns its stderr, sets *code. */
static char *run(int which, int *code)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		call(which);
	}
	close(p[1]);
	static char buf[2048];
	size_t n = 0;
	ssize_t r;
	while ((r = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(p[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	*code = WEXITSTATUS(st);
	return buf;
}

static void test_fatal_blocked(void **s)
{
	int code;
	const char *e = run(CALL_FATAL_BLOCKED, &code);
	assert_int_equal(code, TKI_EXIT_BLOCKED);
	assert_string_equal(e, "tki-inspector: BLOCKED: --self-sandbox: cannot create the namespaces: "
			       "Operation not permitted\nHint: do this instead.\n");
}

static void test_fatal_usage(void **s)
{
	int code;
	const char *e = run(CALL_FATAL_USAGE, &code);
	assert_int_equal(code, TKI_EXIT_USAGE);
	assert_string_equal(e, "tki-inspector: --in /nowhere: No such file or directory\nHint: pass an existing directory.\n");
}

static void test_die_errno_keeps_the_hint_last(void **s)
{
	int code;
	const char *e = run(CALL_DIE_ERRNO_HINT, &code);
	assert_int_equal(code, TKI_EXIT_BLOCKED);
	assert_string_equal(e, "tki-inspector: BLOCKED: stage: message: Permission denied\nHint: a hint.\n");
}

static void test_die_blocked_once(void **s)
{
	int code;
	assert_string_equal(run(CALL_DIE_PREFIXED, &code), "tki-inspector: BLOCKED: attest: no raw snapshot\n");
	assert_int_equal(code, TKI_EXIT_BLOCKED);
	assert_string_equal(run(CALL_DIE_PLAIN, &code),
			    "tki-inspector: BLOCKED: report.md: cannot render (out of memory)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fatal_blocked),
		cmocka_unit_test(test_fatal_usage),
		cmocka_unit_test(test_die_errno_keeps_the_hint_last),
		cmocka_unit_test(test_die_blocked_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
