// SPDX-License-Identifier: Apache-2.0
/* Provenance: streaming contains across chunk boundaries, the one-pass
 * digest on a real file larger than a chunk, the pure provenance rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>

#include <cmocka.h>
#include <nettle/sha2.h>

#include "tki/provenance.h"
#include "tki_test_packet.h"

static bool scan_in_chunks(const char *hay, size_t hlen, const char *needle, size_t chunk)
{
	struct tki_scan sc;
	tki_scan_init(&sc, needle, strlen(needle));
	for (size_t off = 0; off < hlen; off += chunk)
		tki_scan_feed(&sc, hay + off, hlen - off < chunk ? hlen - off : chunk);
	bool f = sc.found;
	tki_scan_free(&sc);
	return f;
}

static void test_scan_every_boundary(void **s)
{
	const char *needle = "PR-NET-1 PASS";
	size_t nl = strlen(needle);
	char hay[64];
	/* the needle at every offset, cut at every chunk size */
	for (size_t at = 0; at + nl <= sizeof(hay); at++) {
		memset(hay, 'x', sizeof(hay));
		memcpy(hay + at, needle, nl);
		for (size_t chunk = 1; chunk <= sizeof(hay); chunk++)
			if (!scan_in_chunks(hay, sizeof(hay), needle, chunk))
				fail_msg("missed at offset %zu with chunk %zu", at, chunk);
	}
	/* near misses are never found, whatever the cut */
	memset(hay, 'x', sizeof(hay));
	memcpy(hay + 10, "PR-NET-1 PAS", 12);
	memcpy(hay + 40, "R-NET-1 PASS", 12);
	for (size_t chunk = 1; chunk <= sizeof(hay); chunk++)
		assert_false(scan_in_chunks(hay, sizeof(hay), needle, chunk));
	/* overlapping prefix: "aab" in "aaab" cut 1 by 1 */
	assert_true(scan_in_chunks("aaab", 4, "aab", 1));
	assert_true(scan_in_chunks("xyz", 3, "z", 1));
	assert_true(scan_in_chunks("xyz", 3, "", 1));
	assert_false(scan_in_chunks("xyz", 3, "q", 2));
}

static int tmpfile_with(const void *buf, size_t len)
{
	char path[] = "/tmp/tki-unit-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void sha_hex(const void *buf, size_t len, char out[65])
{
	struct sha256_ctx c;
	uint8_t d[32];
	sha256_init(&c);
	sha256_update(&c, len, buf);
	sha256_digest(&c, 32, d);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* A file whose size lies (procfs: st_size 0, content behind it): the
 * digest is of the bytes read to EOF, never of what fstat says. */
static void test_digest_ignores_a_lying_size(void **s)
{
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	struct tki_packet *p = tp_new(0, 1);
	struct tki_evidence *ev = &p->evidence[0];
	struct tki_prov_scratch sc = {.buf = tki_xmalloc(TKI_CHUNK_BYTES)};
	assert_true(tki_provenance_digest_fd(fd, ev, &sc));
	assert_true(ev->size > 0);
	assert_int_equal(strlen(ev->actual_sha256), 64);
	free(sc.buf);
	close(fd);
	tp_free(p);
}

static void test_digest_one_pass_across_chunks(void **s)
{
	size_t len = 2 * TKI_CHUNK_BYTES + 1000;
	char *buf = tki_xmalloc(len);
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + i % 23);
	const char *needle = "STRADDLING-NEEDLE";
	memcpy(buf + TKI_CHUNK_BYTES - 5, needle, strlen(needle)); /* across the first boundary */
	int fd = tmpfile_with(buf, len);

	struct tki_packet *p = tp_new(0, 1);
	struct tki_evidence *ev = &p->evidence[0];
	tp_assert(ev, TKI_OP_CONTAINS, false, false);
	free(ev->asserts[0].needle);
	ev->asserts[0].needle = tki_xstrdup(needle);
	ev->asserts[0].needle_len = strlen(needle);
	tp_assert(ev, TKI_OP_NOT_CONTAINS, false, false); /* "needle" is absent: holds */
	struct tki_prov_scratch sc = {.buf = tki_xmalloc(TKI_CHUNK_BYTES)};
	assert_true(tki_provenance_digest_fd(fd, ev, &sc));
	char want[65];
	sha_hex(buf, len, want);
	assert_string_equal(ev->actual_sha256, want);
	assert_int_equal(ev->size, len);
	assert_true(ev->asserts[0].evaluated && ev->asserts[0].holds);
	assert_true(ev->asserts[1].evaluated && ev->asserts[1].holds);
	assert_null(ev->content); /* no json_equals, no attestation: nothing kept */
	close(fd);
	free(sc.buf);
	free(buf);
	tp_free(p);
}

static void test_json_equals_on_kept_bytes(void **s)
{
	const char *doc = "{\"results\": {\"a/b\": {\"ok\": true}}, \"n\": [1, 2]}";
	int fd = tmpfile_with(doc, strlen(doc));
	struct tki_packet *p = tp_new(0, 1);
	struct tki_evidence *ev = &p->evidence[0];
	const char *ptrs[] = {"/results/a~1b/ok", "/n/1", "/n/2"};
	const char *vals[] = {"true", "2", "2"};
	for (int i = 0; i < 3; i++) {
		tp_assert(ev, TKI_OP_JSON_EQUALS, false, false);
		ev->asserts[i].pointer = tki_xstrdup(ptrs[i]);
		ev->asserts[i].value = json_loads(vals[i], JSON_DECODE_ANY, NULL);
	}
	struct tki_prov_scratch sc = {.buf = tki_xmalloc(TKI_CHUNK_BYTES)};
	assert_true(tki_provenance_digest_fd(fd, ev, &sc));
	assert_true(ev->asserts[0].evaluated && ev->asserts[0].holds);
	assert_true(ev->asserts[1].evaluated && ev->asserts[1].holds);
	assert_true(ev->asserts[2].evaluated && !ev->asserts[2].holds);
	close(fd);

	/* not JSON: not evaluated (UNCHECKED later), never "fails" */
	fd = tmpfile_with("{\"a\": 1, \"a\": 2}", 16);
	ev->asserts[0].evaluated = false;
	assert_true(tki_provenance_digest_fd(fd, ev, &sc));
	assert_false(ev->asserts[0].evaluated);
	assert_non_null(strstr(ev->asserts[0].detail, "not JSON"));
	close(fd);
	free(sc.buf);
	tp_free(p);
}

/* Issue 14: the items citing one file share one pass (tki_digest_group):
 * each gets exactly what a pass of its own would have given it (digest,
 * size, contains/not_contains, json_equals), fed in odd-sized chunks. */
static void test_group_pass_equals_single_passes(void **s)
{
	const char *doc = "{\"results\": {\"ok\": true}, \"note\": \"PR-NET-1 PASS\"}";
	size_t len = strlen(doc);
	struct tki_packet *p = tp_new(0, 6); /* 0-2: one pass each; 3-5: one group */
	for (int k = 0; k < 6; k += 3) {
		tp_assert(&p->evidence[k], TKI_OP_CONTAINS, false, false);
		free(p->evidence[k].asserts[0].needle);
		p->evidence[k].asserts[0].needle = tki_xstrdup("PR-NET-1 PASS");
		p->evidence[k].asserts[0].needle_len = 13;
		tp_assert(&p->evidence[k + 1], TKI_OP_NOT_CONTAINS, false, false);
		free(p->evidence[k + 1].asserts[0].needle);
		p->evidence[k + 1].asserts[0].needle = tki_xstrdup("\"ok\": true");
		p->evidence[k + 1].asserts[0].needle_len = 10;
		tp_assert(&p->evidence[k + 2], TKI_OP_JSON_EQUALS, false, false);
		p->evidence[k + 2].asserts[0].pointer = tki_xstrdup("/results/ok");
		p->evidence[k + 2].asserts[0].value = json_true();
	}
	for (int k = 0; k < 3; k++) {
		struct tki_digest d;
		tki_digest_begin(&d, &p->evidence[k]);
		for (size_t off = 0; off < len; off += 7)
			tki_digest_feed(&d, doc + off, len - off < 7 ? len - off : 7);
		tki_digest_end(&d, true);
	}
	struct tki_evidence *grp[] = {&p->evidence[3], &p->evidence[4], &p->evidence[5]};
	struct tki_digest_group g;
	tki_digest_group_begin(&g, grp, 3);
	for (size_t off = 0; off < len; off += 5)
		tki_digest_group_feed(&g, doc + off, len - off < 5 ? len - off : 5);
	tki_digest_group_end(&g, true);
	for (int k = 0; k < 3; k++) {
		struct tki_evidence *a = &p->evidence[k], *b = &p->evidence[k + 3];
		assert_string_equal(a->actual_sha256, b->actual_sha256);
		assert_int_equal(a->size, b->size);
		assert_int_equal(a->asserts[0].evaluated, b->asserts[0].evaluated);
		assert_int_equal(a->asserts[0].holds, b->asserts[0].holds);
		assert_string_equal(a->asserts[0].detail, b->asserts[0].detail);
		assert_true(b->asserts[0].evaluated);
		assert_null(b->content);
	}
	assert_true(p->evidence[3].asserts[0].holds);  /* contains: found */
	assert_false(p->evidence[4].asserts[0].holds); /* not_contains: found, so false */
	assert_true(p->evidence[5].asserts[0].holds);  /* json_equals */
	tp_free(p);
}

static void test_rfc3339(void **s)
{
	char d[11];
	assert_true(tki_rfc3339_utc("2026-06-10T11:58:00Z", d));
	assert_string_equal(d, "2026-06-10");
	assert_true(tki_rfc3339_utc("2024-02-29T23:59:59.123Z", NULL));
	assert_true(tki_rfc3339_utc("0001-01-01T00:00:00.123456789Z", NULL));
	assert_true(tki_rfc3339_utc("2026-06-10t11:58:00z", NULL));
	assert_true(tki_rfc3339_utc("2026-06-10T11:58:00+00:00", NULL));
	const char *bad[] = {"2026-06-10", "2026-06-10T11:58:00", "2026-06-10T11:58:00+02:00",
			     "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-06-10T24:00:00Z",
			     "2026-06-10 11:58:00Z", "2026-06-10T11:58:00.Z", "2026-06-10T11:58:00Zjunk", "",
			     /* issue 13, point 5: no leap second, no 10-digit fraction */
			     "0000-01-01T00:00:60Z", "2024-02-29T23:59:60.123Z", "2026-06-10T11:58:60Z",
			     "2026-06-10T11:58:00.1234567890Z", "2026-06-31T00:00:00Z", "2026-00-10T00:00:00Z",
			     "2026-06-00T00:00:00Z", "1900-02-29T00:00:00Z", "+2026-06-10T00:00:00Z",
			     "2026-06-10T11:58:00\u00a0Z", "2026-06-10T1:58:00Z", "2026-06-10T11:58:00-00:00"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++)
		if (tki_rfc3339_utc(bad[i], NULL))
			fail_msg("accepted %s", bad[i]);
}

static void test_provenance_rules(void **s)
{
	struct tki_packet *p = tp_new(0, 1);
	struct tki_evidence *ev = &p->evidence[0];
	struct tki_strlist r = {0};
	assert_true(tki_provenance_valid(ev, "2026-06-10", &r));
	assert_int_equal(r.n, 0);
	/* captured on the run date itself, late in the day: fine */
	free(ev->prov.captured_at);
	ev->prov.captured_at = tki_xstrdup("2026-06-10T23:59:59Z");
	assert_true(tki_provenance_valid(ev, "2026-06-10", &r));
	/* a day later: invalid, reason names both dates */
	assert_false(tki_provenance_valid(ev, "2026-06-09", &r));
	assert_non_null(strstr(r.v[0], "after the run date 2026-06-09"));
	tki_strlist_free(&r);
	assert_true(tki_provenance_valid(ev, "2026-06-10", &r));

	const char *venues[] = {"mac-local", "MAC-LOCAL", "Docker-Desktop", " docker-desktop\t", "Mac-local\n",
				"mac_local", "Docker Desktop", "ci", "CI\u00a0", "\uff23\uff29", "docker-desktop-ci"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(venues); i++) {
		free(ev->prov.venue);
		ev->prov.venue = tki_xstrdup(venues[i]);
		assert_false(tki_provenance_valid(ev, "2026-06-10", &r));
		assert_non_null(strstr(r.v[r.n - 1], "is not an accepted venue (accepted: CI, VPS, local;"));
		assert_null(strchr(r.v[r.n - 1], '\n')); /* quoted, escaped */
	}
	assert_false(tki_venue_rejected("CI"));
	free(ev->prov.venue);
	ev->prov.venue = tki_xstrdup("VPS");
	tki_strlist_free(&r);

	ev->kind = TKI_KIND_COMMAND_OUTPUT;
	assert_false(tki_provenance_valid(ev, "2026-06-10", &r));
	assert_int_equal(r.n, 2); /* command and exit_code both named */
	tki_strlist_free(&r);
	tp_command(ev, 0);
	assert_true(tki_provenance_valid(ev, "2026-06-10", &r));

	free(ev->prov.captured_at);
	ev->prov.captured_at = tki_xstrdup("2026-06-10T11:00:00+02:00");
	assert_false(tki_provenance_valid(ev, "2026-06-10", &r));
	assert_non_null(strstr(r.v[0], "not an RFC 3339 UTC timestamp"));
	tki_strlist_free(&r);
	tp_free(p);
}

/* Issue 13, point 5: a freshness window against the run date; stale
 * evidence is UNVERIFIED (BAD_PROVENANCE) with the reason, and a date only
 * ever disqualifies. */
static void test_freshness(void **s)
{
	assert_int_equal(tki_days_from_date("1970-01-01"), 0);
	assert_int_equal(tki_days_from_date("2000-03-01"), 11017);
	assert_int_equal(tki_days_from_date("0000-01-01"), -719528);
	struct tki_packet *p = tp_new(0, 3);
	const char *at[] = {"2026-03-12T00:00:00Z", "2026-03-11T23:59:59Z", "0000-01-01T00:00:00Z"};
	for (size_t i = 0; i < 3; i++) {
		free(p->evidence[i].prov.captured_at);
		p->evidence[i].prov.captured_at = tki_xstrdup(at[i]);
	}
	p->evidence[2].state = TKI_EV_MISMATCH; /* a worse state is kept */
	tki_provenance_fresh(p, "2026-06-10", 90);
	assert_int_equal(p->evidence[0].state, TKI_EV_VERIFIED); /* 90 days: still fresh */
	assert_int_equal(p->evidence[0].reasons.n, 0);
	assert_int_equal(p->evidence[1].state, TKI_EV_BAD_PROVENANCE);
	assert_string_equal(p->evidence[1].reasons.v[0],
			    "stale: captured_at 2026-03-11T23:59:59Z is 91 days before the run date 2026-06-10, "
			    "older than the freshness window of 90 days (--max-age)");
	assert_int_equal(p->evidence[2].state, TKI_EV_MISMATCH);
	assert_non_null(strstr(p->evidence[2].reasons.v[0], "stale: captured_at 0000-01-01T00:00:00Z"));
	tp_free(p);
	/* a bundle's own run_date may disqualify it too (never support it) */
	const char *bundles[] = {"{\"run_date\": \"2026-06-10\"}", "{\"run_date\": \"2026-03-11\"}",
				 "{\"run_date\": \"2026-06-11\"}", "{\"run_date\": \"2026-6-1\"}", "{}"};
	const bool fresh[] = {true, false, false, false, true};
	for (size_t i = 0; i < TKI_ARRAY_LEN(bundles); i++) {
		p = tp_new(0, 1);
		p->evidence[0].kind = TKI_KIND_ATTESTATION;
		p->evidence[0].content = tki_xstrdup(bundles[i]);
		p->evidence[0].content_len = strlen(bundles[i]);
		tki_provenance_fresh(p, "2026-06-10", 90);
		if ((p->evidence[0].state == TKI_EV_VERIFIED) != fresh[i])
			fail_msg("bundle %s: state %d", bundles[i], p->evidence[0].state);
		free(p->evidence[0].content);
		p->evidence[0].content = NULL;
		tp_free(p);
	}
	/* --max-age 0: only the run date itself */
	p = tp_new(0, 1);
	tki_provenance_fresh(p, "2026-06-10", 0);
	assert_int_equal(p->evidence[0].state, TKI_EV_VERIFIED);
	tki_provenance_fresh(p, "2026-06-11", 0);
	assert_int_equal(p->evidence[0].state, TKI_EV_BAD_PROVENANCE);
	tp_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_every_boundary),
		cmocka_unit_test(test_digest_one_pass_across_chunks),
		cmocka_unit_test(test_digest_ignores_a_lying_size),
		cmocka_unit_test(test_json_equals_on_kept_bytes),
		cmocka_unit_test(test_group_pass_equals_single_passes),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_provenance_rules),
		cmocka_unit_test(test_freshness),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
