// SPDX-License-Identifier: Apache-2.0
/* --self-sandbox pure helpers: --in/--out relations and exit relaying. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>

#include "sandbox_ns.h"

static void test_within(void **state)
{
	assert_true(tki_ns_path_within("/a/b", "/a"));
	assert_true(tki_ns_path_within("/a", "/a"));
	assert_false(tki_ns_path_within("/ab", "/a"));
	assert_false(tki_ns_path_within("/a", "/a/b"));
	assert_true(tki_ns_path_within("/anything", "/"));
}

static void test_conflict(void **state)
{
	assert_null(tki_ns_dirs_conflict("/w/in", "/w/out"));
	assert_null(tki_ns_dirs_conflict("/w/in", "/w/in2"));
	assert_non_null(tki_ns_dirs_conflict("/w/in", "/w/in"));
	assert_non_null(strstr(tki_ns_dirs_conflict("/w/in", "/w/in/out"), "--out lies inside --in"));
	assert_non_null(strstr(tki_ns_dirs_conflict("/w/out/in", "/w/out"), "--in lies inside --out"));
	assert_non_null(tki_ns_dirs_conflict("/", "/w/out"));
	assert_non_null(tki_ns_dirs_conflict("/w/in", "/"));
}

static void test_exit_code(void **state)
{
	assert_int_equal(tki_ns_exit_code(0), 0);
	assert_int_equal(tki_ns_exit_code(3 << 8), 3);
	assert_int_equal(tki_ns_exit_code(SIGTERM), 128 + SIGTERM);
	assert_int_equal(tki_ns_exit_code(SIGKILL), 137);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_exit_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
