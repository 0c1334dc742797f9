// SPDX-License-Identifier: Apache-2.0
/* The pure parts of a batch: the shard partition, --shard parsing, the
 * worst exit code, directory names, the batch progress line, and the
 * summary's render -> parse -> merge round trip with the merge's refusals
 * (a shard summary edited by hand, duplicates, overlaps, missing shards). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tki/batch.h"
#include "tki/cli.h"
#include "tki/common.h"
#include "tki/progress.h"

static unsigned shard_of(const char *name, unsigned n)
{
	uint8_t d[32];
	tki_shard_digest(name, strlen(name), d);
	return tki_shard_of_digest(d, n);
}

/* The partition is SHA-256(name)[0..8] big-endian mod N: pinned values,
 * the same on every machine (sha256("a") = ca978112ca1bbdca...). */
static void shard_partition(void **state)
{
	assert_int_equal(shard_of("a", 1), 0);
	assert_int_equal(shard_of("a", 7), (unsigned)(0xca978112ca1bbdcaull % 7));
	assert_int_equal(shard_of("a", 3), (unsigned)(0xca978112ca1bbdcaull % 3));
	/* every name in exactly one shard, for any N */
	const char *names[] = {"a", "b", "é x", "packet-0001", "summary.json", "Ω"};
	for (unsigned n = 1; n <= 9; n++)
		for (size_t i = 0; i < TKI_ARRAY_LEN(names); i++)
			assert_true(shard_of(names[i], n) < n);
}

static void shard_parse(void **state)
{
	unsigned i, n;
	assert_true(tki_shard_parse("0/1", &i, &n));
	assert_int_equal(i, 0);
	assert_int_equal(n, 1);
	assert_true(tki_shard_parse("6/7", &i, &n));
	assert_int_equal(i, 6);
	assert_int_equal(n, 7);
	const char *bad[] = {"", "1", "1/1", "7/7", "-1/3", "0/0", "a/3", "0/3x", "01/3", "0/4097", " 0/3", "0//3", "0/-3"};
	for (size_t k = 0; k < TKI_ARRAY_LEN(bad); k++)
		assert_false(tki_shard_parse(bad[k], &i, &n));
}

static void worst_exit(void **state)
{
	int a[] = {0, 1, 0};
	assert_int_equal(tki_batch_worst(a, 3, 3), 1);
	int b[] = {2, 1, 0};
	assert_int_equal(tki_batch_worst(b, 3, 3), 2);
	int c[] = {0, 3, 2, 1};
	assert_int_equal(tki_batch_worst(c, 4, 4), 3);
	assert_int_equal(tki_batch_worst(NULL, 0, 0), 1); /* an empty batch: nothing evidenced */
	assert_int_equal(tki_batch_worst(NULL, 0, 5), 0); /* an empty shard of a batch */
	int d[] = {86};                                     /* a worker's stray status */
	assert_int_equal(tki_batch_worst(d, 1, 1), 3);
}

static void names(void **state)
{
	assert_true(tki_batch_name_ok("a", 1));
	assert_true(tki_batch_name_ok("é x", strlen("é x")));
	assert_true(tki_batch_name_ok(".hidden", 7));
	assert_false(tki_batch_name_ok(".", 1));
	assert_false(tki_batch_name_ok("..", 2));
	assert_false(tki_batch_name_ok("a\nb", 3));
	assert_false(tki_batch_name_ok("a\x7f", 2));
	assert_false(tki_batch_name_ok("a\xc2\x85", 3)); /* NEL, a C1 control */
	assert_false(tki_batch_name_ok("\xff", 1));
	assert_false(tki_batch_name_ok("", 0));
}

static void progress_line(void **state)
{
	char b[128];
	tki_progress_batch_format(b, sizeof(b), 0, 10, 0);
	assert_string_equal(b, "batch: 0 of 10 packets, -, ETA ?");
	tki_progress_batch_format(b, sizeof(b), 5, 10, 2.0);
	assert_string_equal(b, "batch: 5 of 10 packets, 2.5/s, ETA 0:02");
}

/* A batch summary of the names, each with exit code codes[i]. */
static void make(struct tki_summary *s, const char *const *nm, const int *codes, size_t n, unsigned idx,
		 unsigned cnt, size_t batch_entries)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->run_date, sizeof(s->run_date), "2026-06-10");
	s->shard_index = idx;
	s->shard_count = cnt;
	s->batch_entries = batch_entries;
	uint8_t(*all)[32] = calloc(n + 1, 32);
	for (size_t i = 0; i < n; i++)
		tki_shard_digest(nm[i], strlen(nm[i]), all[i]);
	tki_batch_listing_digest(all, n, s->listing_sha256);
	free(all);
	s->e = calloc(n + 1, sizeof(*s->e));
	for (size_t i = 0; i < n; i++) {
		if (shard_of(nm[i], cnt) != idx)
			continue;
		struct tki_summary_entry *e = &s->e[s->n++];
		tki_summary_entry_init(e, nm[i], strlen(nm[i]));
		e->exit_code = codes[i];
		e->has_reports = e->name_ok;
		if (!e->name_ok)
			e->reason = tki_xstrdup("refused");
	}
	tki_summary_finish(s);
}

static const char *const NM[] = {"a", "b", "c", "é x", "d\ne", "pkt|1", "x[y]", "z", "summary.json", "Ω"};
static const int CODES[] = {0, 1, 2, 0, 3, 3, 1, 0, 0, 2};
#define NN TKI_ARRAY_LEN(NM)

static char *json_of(const struct tki_summary *s)
{
	size_t l;
	return tki_summary_render_json(s, &l);
}

static void merge_equals_whole(void **state)
{
	struct tki_summary whole;
	make(&whole, NM, CODES, NN, 0, 1, NN);
	char *wj = json_of(&whole);
	size_t l;
	char *wm = tki_summary_render_md(&whole, &l), *ws = tki_summary_render_sarif(&whole, &l);
	unsigned ns[] = {1, 2, 3, 7};
	for (size_t k = 0; k < TKI_ARRAY_LEN(ns); k++) {
		unsigned n = ns[k];
		struct tki_summary *sh = calloc(n, sizeof(*sh));
		char err[512];
		for (unsigned i = 0; i < n; i++) {
			struct tki_summary t;
			make(&t, NM, CODES, NN, i, n, NN);
			char *j = json_of(&t);
			tki_summary_free(&t);
			/* through the parser, as merge reads a shard's file */
			if (!tki_summary_parse(j, strlen(j), TKI_VERSION, &sh[n - 1 - i], err, sizeof(err)))
				fail_msg("shard %u/%u: %s", i, n, err);
			free(j);
		}
		struct tki_summary m;
		if (!tki_summary_merge(sh, n, &m, err, sizeof(err)))
			fail_msg("merge of %u: %s", n, err);
		char *mj = json_of(&m), *mm = tki_summary_render_md(&m, &l), *ms = tki_summary_render_sarif(&m, &l);
		assert_string_equal(mj, wj);
		assert_string_equal(mm, wm);
		assert_string_equal(ms, ws);
		free(mj);
		free(mm);
		free(ms);
		tki_summary_free(&m);
		for (unsigned i = 0; i < n; i++)
			tki_summary_free(&sh[i]);
		free(sh);
	}
	/* untrusted names only through the escaper: no raw newline or pipe in a table row */
	assert_null(strstr(wm, "d\ne"));
	assert_non_null(strstr(wm, "pkt&#124;1"));
	assert_int_equal(whole.exit_code, 3);
	free(wj);
	free(wm);
	free(ws);
	tki_summary_free(&whole);
}

/* Replace the first occurrence of from by to in a copy of s. */
static char *edit(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	assert_non_null(p);
	return tki_xasprintf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static bool parses(const char *j, char *err, size_t n)
{
	struct tki_summary s;
	bool ok = tki_summary_parse(j, strlen(j), TKI_VERSION, &s, err, n);
	if (ok)
		tki_summary_free(&s);
	return ok;
}

/* A shard summary edited by hand is refused, naming where. */
static void edited_summary_refused(void **state)
{
	struct tki_summary t;
	make(&t, NM, CODES, NN, 0, 1, NN);
	char *j = json_of(&t);
	tki_summary_free(&t);
	char err[512];
	assert_true(parses(j, err, sizeof(err)));
	struct {
		const char *from, *to, *where;
	} cases[] = {
		{"\"exit_code\": 2,\n      \"verdict\": \"REJECTED\"", "\"exit_code\": 0,\n      \"verdict\": \"ADEQUATE\"", "$.counts"},
		{"\"verdict\": \"REJECTED\"", "\"verdict\": \"ADEQUATE\"", ".verdict"},
		{"\"name\": \"b\"", "\"name\": \"bb\"", "name_sha256"},
		{"\"exit_code\": 3,\n  \"counts\"", "\"exit_code\": 1,\n  \"counts\"", "$.exit_code"},
		{"\"INADEQUATE\": 2", "\"INADEQUATE\": 1", "$.counts.INADEQUATE"},
		{"\"batch_entries\": 10", "\"batch_entries\": 9", "$.packets"},
		{"\"schema\"", "\"extra\": 1, \"schema\"", "exactly the keys"},
		{"\"listing_sha256\": \"", "\"listing_sha256\": \"X", "$.listing_sha256"},
		{"\"reports\": \"packets/a/\"", "\"reports\": \"packets/b/\"", ".reports"},
		{"\"reports\": \"packets/a/\"", "\"reports\": \"../../etc/\"", ".reports"},
		{"\"version\": \"", "\"version\": \"0.0.0-", "$.version"},
		{"\"count\": 1", "\"count\": 2", "shard"},
		{"\"run_date\": \"2026-06-10\"", "\"run_date\": \"2026-02-30\"", "$.run_date"},
	};
	for (size_t k = 0; k < TKI_ARRAY_LEN(cases); k++) {
		char *e = edit(j, cases[k].from, cases[k].to);
		if (parses(e, err, sizeof(err)))
			fail_msg("edit %zu (%s) was accepted", k, cases[k].to);
		if (!strstr(err, cases[k].where))
			fail_msg("edit %zu: \"%s\" does not name %s", k, err, cases[k].where);
		free(e);
	}
	/* a duplicate key is a syntax-level refusal */
	char *dup = edit(j, "\"tool\"", "\"tool\": \"x\", \"tool\"");
	assert_false(parses(dup, err, sizeof(err)));
	free(dup);
	free(j);
}

static void shard_set_refused(void **state)
{
	char err[512];
	struct tki_summary sh[3];
	/* missing shard */
	make(&sh[0], NM, CODES, NN, 0, 3, NN);
	make(&sh[1], NM, CODES, NN, 1, 3, NN);
	struct tki_summary m;
	assert_false(tki_summary_merge(sh, 2, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "shard 2/3 is missing"));
	tki_summary_free(&sh[0]);
	tki_summary_free(&sh[1]);
	/* the same shard twice (overlap) */
	make(&sh[0], NM, CODES, NN, 1, 3, NN);
	make(&sh[1], NM, CODES, NN, 1, 3, NN);
	make(&sh[2], NM, CODES, NN, 0, 3, NN);
	assert_false(tki_summary_merge(sh, 3, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "given twice"));
	for (int i = 0; i < 3; i++)
		tki_summary_free(&sh[i]);
	/* shards of different partitions */
	make(&sh[0], NM, CODES, NN, 0, 2, NN);
	make(&sh[1], NM, CODES, NN, 1, 3, NN);
	assert_false(tki_summary_merge(sh, 2, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "of 3"));
	tki_summary_free(&sh[0]);
	tki_summary_free(&sh[1]);
	/* a shard that lost an entry: the total no longer adds up */
	make(&sh[0], NM, CODES, NN, 0, 2, NN);
	make(&sh[1], NM, CODES, NN, 1, 2, NN);
	free(sh[1].e[0].name);
	free(sh[1].e[0].reason);
	memmove(&sh[1].e[0], &sh[1].e[1], (sh[1].n - 1) * sizeof(sh[1].e[0]));
	sh[1].n--;
	assert_false(tki_summary_merge(sh, 2, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "but the batch had"));
	tki_summary_free(&sh[0]);
	tki_summary_free(&sh[1]);
}

/* The dir changed between the shards' listings, or a packet is missing
 * from every shard while the counts still add up: refused. */
static void listing_refused(void **state)
{
	char err[512];
	struct tki_summary sh[2], m;
	make(&sh[0], NM, CODES, NN, 0, 2, NN);
	make(&sh[1], NM, CODES, NN, 1, 2, NN);
	struct tki_summary other;
	const char *nm2[NN];
	memcpy(nm2, NM, sizeof(nm2));
	nm2[0] = "a-renamed";
	make(&other, nm2, CODES, NN, 1, 2, NN);
	memcpy(sh[1].listing_sha256, other.listing_sha256, sizeof(other.listing_sha256));
	tki_summary_free(&other);
	assert_false(tki_summary_merge(sh, 2, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "listing digest"));
	tki_summary_free(&sh[0]);
	tki_summary_free(&sh[1]);
	/* shard 1 lists a name of the same shard in place of one of the
	 * listing: same count, same recorded digest, one packet gone */
	size_t gone = 0;
	while (shard_of(NM[gone], 2) != 1)
		gone++;
	char q[16];
	int k = 0;
	do
		snprintf(q, sizeof(q), "q%d", k++);
	while (shard_of(q, 2) != 1);
	memcpy(nm2, NM, sizeof(nm2));
	nm2[gone] = q;
	make(&sh[0], NM, CODES, NN, 0, 2, NN);
	make(&sh[1], nm2, CODES, NN, 1, 2, NN);
	memcpy(sh[1].listing_sha256, sh[0].listing_sha256, sizeof(sh[0].listing_sha256));
	assert_false(tki_summary_merge(sh, 2, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "missing from every shard"));
	tki_summary_free(&sh[0]);
	tki_summary_free(&sh[1]);
	/* the construction: tag, count, sorted name digests */
	uint8_t d[2][32];
	tki_shard_digest("b", 1, d[0]);
	tki_shard_digest("a", 1, d[1]);
	char h1[65], h2[65];
	tki_batch_listing_digest(d, 2, h1);
	tki_batch_listing_digest(d, 2, h2);
	assert_string_equal(h1, h2);
	tki_batch_listing_digest(d, 1, h2);
	assert_string_not_equal(h1, h2);
}

/* Captured cgroup v2 text: a pod with limits.memory 1Gi and cpu "2", a
 * docker run --memory 512m --cpus 1.5, an unlimited host cgroup. */
static void cgroup_jobs(void **state)
{
	assert_int_equal(tki_cgroup_mem_jobs("1073741824\n"), 4);
	assert_int_equal(tki_cgroup_mem_jobs("536870912\n"), 2);
	assert_int_equal(tki_cgroup_mem_jobs("268435455\n"), 1); /* below one budget: still one */
	assert_int_equal(tki_cgroup_mem_jobs("max\n"), 0);
	assert_int_equal(tki_cgroup_mem_jobs("12x\n"), 0);
	assert_int_equal(tki_cgroup_mem_jobs(""), 0);
	assert_int_equal(tki_cgroup_cpu_jobs("200000 100000\n"), 2);
	assert_int_equal(tki_cgroup_cpu_jobs("150000 100000\n"), 2); /* 1.5 CPUs: rounded up */
	assert_int_equal(tki_cgroup_cpu_jobs("50000 100000\n"), 1);
	assert_int_equal(tki_cgroup_cpu_jobs("max 100000\n"), 0);
	assert_int_equal(tki_cgroup_cpu_jobs("100000 0\n"), 0);
	assert_int_equal(tki_cgroup_cpu_jobs("100000\n"), 0);
	/* cgroup v1: a docker run --cpus 1 --memory 256m; the unlimited root */
	assert_int_equal(tki_cgroup_v1_cpu_jobs("100000\n", "100000\n"), 1);
	assert_int_equal(tki_cgroup_v1_cpu_jobs("-1\n", "100000\n"), 0);
	assert_int_equal(tki_cgroup_mem_jobs("268435456\n"), 1);
	assert_int_equal(tki_cgroup_mem_jobs("9223372036854771712\n"), 4096);
	char p[64];
	assert_true(tki_cgroup_self_path("0::/kubepods.slice/pod-1/cri-x.scope\n", p, sizeof(p)));
	assert_string_equal(p, "/kubepods.slice/pod-1/cri-x.scope");
	assert_true(tki_cgroup_self_path("1:name=systemd:/x\n0::/\n", p, sizeof(p)));
	assert_string_equal(p, "/");
	assert_false(tki_cgroup_self_path("1:cpu:/a\n", p, sizeof(p)));
	assert_false(tki_cgroup_self_path("0::/../../etc\n", p, sizeof(p)));
	/* 64 CPUs in the node's affinity mask, a 1Gi pod of 2 CPUs */
	unsigned cap = tki_cgroup_mem_jobs("1073741824\n");
	unsigned cpu = tki_cgroup_cpu_jobs("200000 100000\n");
	assert_int_equal(tki_batch_jobs(64, cap < cpu ? cap : cpu, 0), 2);
	assert_int_equal(tki_batch_jobs(64, 0, 0), TKI_BATCH_MAX_JOBS);
	assert_int_equal(tki_batch_jobs(2, 4, 0), 2);
	assert_int_equal(tki_batch_jobs(64, 4, 1), 1); /* --jobs 1 */
	assert_int_equal(tki_batch_jobs(2, 0, 5), 2);  /* --jobs only lowers */
	assert_int_equal(tki_batch_jobs(0, 0, 0), 1);
}

static void cli_shard(void **state)
{
	struct tki_opts o;
	char *ok[] = {"tki-inspector", "inspect", "--batch", "--shard", "2/7"};
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(tki_cli_parse(5, ok, "2026-11-25", &o, devnull, devnull), TKI_CLI_RUN);
	assert_true(o.batch);
	assert_int_equal(o.shard_index, 2);
	assert_int_equal(o.shard_count, 7);
	char *bad[] = {"tki-inspector", "inspect", "--batch", "--shard", "7/7"};
	assert_int_equal(tki_cli_parse(5, bad, "2026-11-25", &o, devnull, devnull), TKI_CLI_USAGE);
	char *nobatch[] = {"tki-inspector", "inspect", "--shard", "0/2"};
	assert_int_equal(tki_cli_parse(4, nobatch, "2026-11-25", &o, devnull, devnull), TKI_CLI_USAGE);
	char *merge[] = {"tki-inspector", "merge", "--out", "o", "a.json", "b.json"};
	assert_int_equal(tki_cli_parse(6, merge, "2026-11-25", &o, devnull, devnull), TKI_CLI_RUN);
	assert_int_equal(o.cmd, TKI_CMD_MERGE);
	assert_int_equal(o.n_merge_files, 2);
	assert_string_equal(o.merge_files[1], "b.json");
	free(o.merge_files);
	char *jobs[] = {"tki-inspector", "inspect", "--batch", "--jobs", "3"};
	assert_int_equal(tki_cli_parse(5, jobs, "2026-11-25", &o, devnull, devnull), TKI_CLI_RUN);
	assert_int_equal(o.jobs, 3);
	const char *badjobs[] = {"0", "-1", "x", "2x", "", "4097", "03"};
	for (size_t k = 0; k < TKI_ARRAY_LEN(badjobs); k++) {
		char *bj[] = {"tki-inspector", "inspect", "--batch", "--jobs", (char *)badjobs[k]};
		if (tki_cli_parse(5, bj, "2026-11-25", &o, devnull, devnull) != TKI_CLI_USAGE)
			fail_msg("--jobs \"%s\" accepted", badjobs[k]);
	}
	char *jobs1[] = {"tki-inspector", "inspect", "--jobs", "2"};
	assert_int_equal(tki_cli_parse(4, jobs1, "2026-11-25", &o, devnull, devnull), TKI_CLI_USAGE);
	char *merge0[] = {"tki-inspector", "merge", "--out", "o"};
	assert_int_equal(tki_cli_parse(4, merge0, "2026-11-25", &o, devnull, devnull), TKI_CLI_USAGE);
	fclose(devnull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shard_partition), cmocka_unit_test(shard_parse),   cmocka_unit_test(worst_exit),
		cmocka_unit_test(names),           cmocka_unit_test(progress_line), cmocka_unit_test(merge_equals_whole), cmocka_unit_test(listing_refused), cmocka_unit_test(cgroup_jobs),
		cmocka_unit_test(edited_summary_refused), cmocka_unit_test(shard_set_refused), cmocka_unit_test(cli_shard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
