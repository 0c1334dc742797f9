// SPDX-License-Identifier: Apache-2.0
/* The progress line's text (pure), and the parallel provenance driver:
 * the same results as one item after another, whatever the thread order,
 * and the first refused item (by index) is the one reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tki/progress.h"
#include "tki/provenance.h"
#include "tki_test_packet.h"

static void test_human_bytes(void **s)
{
	char b[32];
	tki_human_bytes(b, sizeof(b), 0);
	assert_string_equal(b, "0 B");
	tki_human_bytes(b, sizeof(b), 1023);
	assert_string_equal(b, "1023 B");
	tki_human_bytes(b, sizeof(b), 1536);
	assert_string_equal(b, "1.5 KiB");
	tki_human_bytes(b, sizeof(b), 64.0 * 1024 * 1024);
	assert_string_equal(b, "64.0 MiB");
	tki_human_bytes(b, sizeof(b), 2.0 * 1024 * 1024 * 1024);
	assert_string_equal(b, "2.0 GiB");
}

static void test_format(void **s)
{
	char b[160];
	uint64_t G = 1ull << 30, M = 1ull << 20;
	/* half of 1 GiB in 0.5 s: 1 GiB/s, half a second left, rounded up */
	tki_progress_format(b, sizeof(b), 512 * M, G, true, 0.5);
	assert_string_equal(b, "hashed 512.0 MiB of 1.0 GiB (50%), 1.0 GiB/s, ETA 0:01");
	/* an estimated total is marked */
	tki_progress_format(b, sizeof(b), 256 * M, G, false, 1.0);
	assert_string_equal(b, "hashed 256.0 MiB of ~1.0 GiB (25%), 256.0 MiB/s, ETA 0:03");
	/* nothing hashed yet: no rate, no ETA */
	tki_progress_format(b, sizeof(b), 0, G, true, 0.0);
	assert_string_equal(b, "hashed 0 B of 1.0 GiB (0%), -, ETA ?");
	/* a file that grew: never above 100%, never a negative ETA */
	tki_progress_format(b, sizeof(b), 2 * G, G, true, 2.0);
	assert_string_equal(b, "hashed 2.0 GiB of 2.0 GiB (100%), 1.0 GiB/s, ETA 0:00");
	/* hours */
	tki_progress_format(b, sizeof(b), M, 4000 * M, true, 1.0);
	assert_string_equal(b, "hashed 1.0 MiB of 3.9 GiB (0%), 1.0 MiB/s, ETA 1:06:39");
	/* a small buffer truncates, never overflows */
	char small[8];
	tki_progress_format(small, sizeof(small), M, G, true, 1.0);
	assert_int_equal(strlen(small), 7);
}

static void test_estimate(void **s)
{
	assert_int_equal(tki_progress_estimate(0, 0, 10), 0);
	assert_int_equal(tki_progress_estimate(100, 1, 10), 1000);
	assert_int_equal(tki_progress_estimate(300, 3, 3), 300);
	assert_int_equal(tki_progress_estimate(300, 4, 3), 300);
}

static void test_threads(void **s)
{
	assert_int_equal(tki_prov_threads(0), 1);
	assert_int_equal(tki_prov_threads(1), 1);
	unsigned n = tki_prov_threads(1000);
	assert_true(n >= 1 && n <= TKI_MAX_HASH_THREADS);
}

static void test_buf_aligned(void **s)
{
	char *b = tki_prov_buf_new();
	assert_int_equal((uintptr_t)b % 4096, 0);
	free(b);
}

/* 40 files of growing sizes; item 20's file is missing. */
#define N_ITEMS 40
static struct tki_packet *make_packet(const char *dir)
{
	struct tki_packet *p = tp_new(1, N_ITEMS);
	char path[512];
	snprintf(path, sizeof(path), "%s/artifacts", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < N_ITEMS; i++) {
		struct tki_evidence *ev = &p->evidence[i];
		ev->state = TKI_EV_UNCHECKED;
		ev->actual_sha256[0] = '\0';
		if (i == 20)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, ev->path);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		for (size_t k = 0; k < 1000 * i; k++)
			fputc('a' + (int)(k % 26), f);
		fclose(f);
	}
	return p;
}

static void test_parallel_equals_sequential(void **s)
{
	char dir[] = "/tmp/tki-unit-par-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct tki_packet *seq = make_packet(dir);
	struct tki_guard_err ge;
	struct tki_guard *g = tki_guard_open(dir, NULL, &ge);
	assert_non_null(g);
	/* Sequential reference, one item after another. */
	struct tki_prov_scratch sc = {.buf = tki_prov_buf_new()};
	struct tki_strlist blocked = {0};
	for (size_t i = 0; i < N_ITEMS; i++) {
		struct tki_evidence *ev = &seq->evidence[i];
		assert_true(tki_provenance_verify_item(g, ev, "2026-06-10", &sc, &blocked));
	}
	free(sc.buf);
	/* Declare the right digest except for every 7th item. */
	struct tki_packet *par = tp_new(1, N_ITEMS);
	for (size_t i = 0; i < N_ITEMS; i++) {
		par->evidence[i].state = TKI_EV_UNCHECKED;
		par->evidence[i].actual_sha256[0] = '\0';
		if (i != 20 && i % 7 != 3)
			memcpy(par->evidence[i].sha256, seq->evidence[i].actual_sha256, 65);
	}
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < N_ITEMS; i++) {
			struct tki_evidence *ev = &par->evidence[i];
			ev->state = TKI_EV_UNCHECKED;
			ev->actual_sha256[0] = '\0';
			tki_strlist_free(&ev->reasons);
		}
		tki_strlist_free(&par->warnings);
		assert_true(tki_provenance_validate(g, par, "2026-06-10", &blocked));
		for (size_t i = 0; i < N_ITEMS; i++) {
			struct tki_evidence *ev = &par->evidence[i];
			enum tki_ev_state want = i == 20 ? TKI_EV_MISSING : i % 7 == 3 ? TKI_EV_MISMATCH : TKI_EV_VERIFIED;
			assert_int_equal(ev->state, want);
			assert_string_equal(ev->actual_sha256, seq->evidence[i].actual_sha256);
			assert_int_equal(ev->size, seq->evidence[i].size);
		}
	}
	assert_int_equal(blocked.n, 0);
	tki_guard_close(g);
	tki_packet_free(seq);
	tki_packet_free(par);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_first_refusal_reported(void **s)
{
	char dir[] = "/tmp/tki-unit-par-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct tki_packet *p = make_packet(dir);
	/* Items 9 and 30 are symlinks: the guard refuses both; the report
	 * names 9 only, as one thread going in order would. */
	for (int k = 0; k < 2; k++) {
		size_t i = k ? 30 : 9;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, p->evidence[i].path);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(symlink("e1.txt", path), 0);
	}
	struct tki_guard_err ge;
	struct tki_guard *g = tki_guard_open(dir, NULL, &ge);
	assert_non_null(g);
	for (int round = 0; round < 5; round++) {
		struct tki_strlist blocked = {0};
		assert_false(tki_provenance_validate(g, p, "2026-06-10", &blocked));
		assert_int_equal(blocked.n, 1);
		assert_non_null(strstr(blocked.v[0], "evidence E10 "));
		tki_strlist_free(&blocked);
	}
	tki_guard_close(g);
	tki_packet_free(p);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_human_bytes),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_estimate),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_buf_aligned),
		cmocka_unit_test(test_parallel_equals_sequential),
		cmocka_unit_test(test_first_refusal_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
