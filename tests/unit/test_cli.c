// SPDX-License-Identifier: Apache-2.0
/* CLI parsing: usage errors exit 2 with a hint; defaults are the container layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tki/cli.h"
#include "tki/common.h"

static enum tki_cli_result parse(struct tki_opts *o, char *errbuf, size_t n, int argc, ...)
{
	char *argv[16] = {"tki-inspector"};
	va_list ap;
	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	FILE *out = fopen("/dev/null", "w");
	FILE *err = fmemopen(errbuf, n, "w");
	enum tki_cli_result r = tki_cli_parse(argc, argv, "2026-11-25", o, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void defaults(void **state)
{
	struct tki_opts o;
	char e[512] = "";
	assert_int_equal(parse(&o, e, sizeof(e), 2, "inspect"), TKI_CLI_RUN);
	assert_int_equal(o.cmd, TKI_CMD_INSPECT);
	assert_string_equal(o.in_dir, "/in");
	assert_string_equal(o.out_dir, "/out");
	assert_string_equal(o.run_date, "2026-11-25");
	assert_false(o.self_sandbox);
	assert_int_equal(o.formats, TKI_FMT_ALL);
}

static void all_options(void **state)
{
	struct tki_opts o;
	char e[512] = "";
	assert_int_equal(parse(&o, e, sizeof(e), 11, "attest", "--in", "/a", "--out", "/b", "--run-date",
			       "2024-02-29", "--self-sandbox", "--format", "json,sarif"),
			 TKI_CLI_RUN);
	assert_int_equal(o.cmd, TKI_CMD_ATTEST);
	assert_string_equal(o.in_dir, "/a");
	assert_string_equal(o.out_dir, "/b");
	assert_string_equal(o.run_date, "2024-02-29");
	assert_true(o.self_sandbox);
	assert_int_equal(o.formats, TKI_FMT_JSON | TKI_FMT_SARIF);
	assert_int_equal(o.max_age_days, 90); /* the documented default */
	assert_int_equal(parse(&o, e, sizeof(e), 4, "inspect", "--max-age", "0"), TKI_CLI_RUN);
	assert_int_equal(o.max_age_days, 0);
	assert_int_equal(parse(&o, e, sizeof(e), 4, "inspect", "--max-age", "36500"), TKI_CLI_RUN);
	assert_int_equal(o.max_age_days, 36500);
}

static void usage_errors(void **state)
{
	struct tki_opts o;
	char e[512];
	struct {
		int argc;
		char *a1, *a2, *a3;
		const char *needle;
	} cases[] = {
		{1, NULL, NULL, NULL, "missing command"},
		{2, "frobnicate", NULL, NULL, "unknown command"},
		{3, "inspect", "--bogus", NULL, "unknown option"},
		{3, "inspect", "--in", NULL, "needs a value"},
		{4, "inspect", "--run-date", "2026-02-30", "real date"},
		{4, "inspect", "--run-date", "26-1-1", "real date"},
		{4, "inspect", "--format", "pdf", "--format"},
		{4, "inspect", "--max-age", "36501", "--max-age takes a number of days from 0 to 36500"},
		{4, "inspect", "--max-age", "-1", "--max-age"},
		{4, "inspect", "--max-age", "9x", "--max-age"},
		{4, "inspect", "--max-age", "1e3", "--max-age"},
		{3, "inspect", "selfcheck", NULL, "unexpected argument"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(e, 0, sizeof(e));
		assert_int_equal(parse(&o, e, sizeof(e), cases[i].argc, cases[i].a1, cases[i].a2, cases[i].a3),
				 TKI_CLI_USAGE);
		assert_non_null(strstr(e, cases[i].needle));
		assert_non_null(strstr(e, "Hint:"));
	}
}

/* Issue 14: the work limits and the stage command. */
static void work_limits_and_stage(void **state)
{
	struct tki_opts o;
	char e[512] = "";
	assert_int_equal(parse(&o, e, sizeof(e), 2, "inspect"), TKI_CLI_RUN);
	assert_true(o.max_hash_bytes == TKI_DEFAULT_MAX_HASH_BYTES);
	assert_int_equal(o.max_cpu_seconds, TKI_DEFAULT_MAX_CPU_SECONDS);
	assert_int_equal(parse(&o, e, sizeof(e), 6, "inspect", "--max-hash-bytes", "64G", "--max-cpu-seconds", "30"),
			 TKI_CLI_RUN);
	assert_true(o.max_hash_bytes == 64ull << 30);
	assert_int_equal(o.max_cpu_seconds, 30);
	assert_int_equal(parse(&o, e, sizeof(e), 4, "inspect", "--max-hash-bytes", "1234"), TKI_CLI_RUN);
	assert_true(o.max_hash_bytes == 1234);
	const char *bad_bytes[] = {"0", "-1", "1X", "G", "1GG", "18446744073709551615T", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad_bytes) / sizeof(*bad_bytes); i++) {
		assert_int_equal(parse(&o, e, sizeof(e), 4, "inspect", "--max-hash-bytes", bad_bytes[i]), TKI_CLI_USAGE);
		assert_non_null(strstr(e, "--max-hash-bytes"));
	}
	const char *bad_cpu[] = {"0", "1K", "x", "99999999999"};
	for (size_t i = 0; i < sizeof(bad_cpu) / sizeof(*bad_cpu); i++)
		assert_int_equal(parse(&o, e, sizeof(e), 4, "inspect", "--max-cpu-seconds", bad_cpu[i]), TKI_CLI_USAGE);
	assert_int_equal(parse(&o, e, sizeof(e), 8, "stage", "--in", "/a", "--out", "/b", "--at", "/run/x"), TKI_CLI_RUN);
	assert_int_equal(o.cmd, TKI_CMD_STAGE);
	assert_string_equal(o.stage_at, "/run/x");
	assert_int_equal(parse(&o, e, sizeof(e), 6, "stage", "--in", "/a", "--out", "/b"), TKI_CLI_USAGE);
	assert_int_equal(parse(&o, e, sizeof(e), 4, "inspect", "--at", "/run/x"), TKI_CLI_USAGE);
}

static void trust_keys_and_vsa(void **state)
{
	struct tki_opts o;
	char e[512] = "";
	assert_int_equal(parse(&o, e, sizeof(e), 8, "inspect", "--trust-key", "/k/a.pub", "--trust-key", "-",
			       "--format", "json,vsa"),
			 TKI_CLI_RUN);
	assert_int_equal(o.n_trust_files, 2);
	assert_string_equal(o.trust_files[0], "/k/a.pub");
	assert_string_equal(o.trust_files[1], "-");
	assert_int_equal(o.formats, TKI_FMT_JSON | TKI_FMT_VSA);
	/* not by default */
	assert_int_equal(parse(&o, e, sizeof(e), 2, "inspect"), TKI_CLI_RUN);
	assert_false(o.formats & TKI_FMT_VSA);
	assert_int_equal(o.n_trust_files, 0);

	memset(e, 0, sizeof(e));
	assert_int_equal(parse(&o, e, sizeof(e), 6, "inspect", "--trust-key", "-", "--trust-key", "-"), TKI_CLI_USAGE);
	assert_non_null(strstr(e, "once"));
	memset(e, 0, sizeof(e));
	assert_int_equal(parse(&o, e, sizeof(e), 4, "attest", "--trust-key", "/k/a.pub"), TKI_CLI_USAGE);
	assert_non_null(strstr(e, "option of inspect"));
	memset(e, 0, sizeof(e));
	assert_int_equal(parse(&o, e, sizeof(e), 3, "inspect", "--trust-key"), TKI_CLI_USAGE);
	assert_non_null(strstr(e, "PEM public key"));
}

static void help_and_version(void **state)
{
	struct tki_opts o;
	char e[64] = "";
	assert_int_equal(parse(&o, e, sizeof(e), 2, "--help"), TKI_CLI_DONE);
	assert_int_equal(parse(&o, e, sizeof(e), 3, "inspect", "-V"), TKI_CLI_DONE);
}

static void dates(void **state)
{
	assert_true(tki_date_valid("2000-02-29"));
	assert_false(tki_date_valid("1900-02-29"));
	assert_false(tki_date_valid("2026-13-01"));
	assert_false(tki_date_valid("2026-04-31"));
	assert_false(tki_date_valid("2026-04-3a"));
	assert_false(tki_date_valid(""));
	assert_false(tki_date_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults), cmocka_unit_test(all_options), cmocka_unit_test(usage_errors),
		cmocka_unit_test(help_and_version), cmocka_unit_test(dates), cmocka_unit_test(work_limits_and_stage),
		cmocka_unit_test(trust_keys_and_vsa),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
