// SPDX-License-Identifier: Apache-2.0
/* Unit tests: the expected table, the raw parsers and the bundle re-judge,
 * on the fixture bundles in fixtures/attest/ (raw parts captured from a
 * real hardened docker container and a real bwrap sandbox). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "tki/attest.h"

static char *slurp(const char *rel, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/attest/%s", TKI_FIXTURES, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n == cap)
			buf = tki_xrealloc(buf, (cap = cap ? cap * 2 : 8192) + 1);
		size_t r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static bool reasons_have(const struct tki_attest_verdict *v, const char *needle)
{
	for (size_t i = 0; i < v->reasons.n; i++)
		if (strstr(v->reasons.v[i], needle))
			return true;
	return false;
}

static void rejudge_fixture(const char *name, struct tki_attest_verdict *v)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "%s/bundle.json", name);
	size_t len;
	char *buf = slurp(rel, &len);
	tki_attest_rejudge(buf, len, v);
	free(buf);
}

static const char *row_field(const struct tki_attest_verdict *v, const char *id, const char *key)
{
	size_t i;
	json_t *r;
	json_array_foreach(v->probes, i, r)
		if (strcmp(json_string_value(json_object_get(r, "probe_id")), id) == 0)
			return json_string_value(json_object_get(r, key));
	return NULL;
}

static void all_pass_is_attested(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("all-pass", &v);
	for (size_t i = 0; i < v.reasons.n; i++)
		printf("# reason: %s\n", v.reasons.v[i]);
	assert_true(v.is_bundle);
	assert_true(v.attested);
	assert_false(v.contradicted);
	assert_false(v.any_fail);
	assert_int_equal(v.reasons.n, 0);
	assert_string_equal(v.venue, "CI");
	assert_int_equal(strncmp(v.image_digest, "sha256:", 7), 0);
	assert_int_equal(json_array_size(v.probes), TKI_PROBE_COUNT);
	for (size_t k = 0; k < TKI_PROBE_COUNT; k++) {
		const char *id = tki_probe_table[k].id;
		assert_string_equal(row_field(&v, id, "rejudged"), "PASS");
		assert_string_equal(row_field(&v, id, "claimed"), "PASS");
		assert_string_equal(row_field(&v, id, "l1_test"), tki_probe_table[k].l1_test);
	}
	tki_attest_verdict_free(&v);
}

/* Bundles produced by `make attest` on this machine (docker and
 * --self-sandbox venues, the real own layer in force): the re-judge agrees. */
static void real_bundles_are_attested(void **s)
{
	const char *names[] = { "real-docker", "real-self" };
	for (size_t i = 0; i < TKI_ARRAY_LEN(names); i++) {
		struct tki_attest_verdict v;
		rejudge_fixture(names[i], &v);
		for (size_t k = 0; k < v.reasons.n; k++)
			printf("# %s: %s\n", names[i], v.reasons.v[k]);
		assert_true(v.attested);
		assert_string_equal(v.venue, "local");
		tki_attest_verdict_free(&v);
	}
}

static void contradicting_errno_is_contradicted(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("contradicting-errno", &v);
	assert_true(v.is_bundle);
	assert_false(v.attested);
	assert_true(v.contradicted);
	assert_true(v.any_fail);
	assert_true(reasons_have(&v, "PR-SOCK-1: the bundle says PASS but it re-judges FAIL"));
	assert_string_equal(row_field(&v, "PR-SOCK-1", "rejudged"), "FAIL");
	assert_string_equal(row_field(&v, "PR-SOCK-1", "claimed"), "PASS");
	assert_string_equal(row_field(&v, "PR-SOCK-1", "errno_or_exit"), "0");
	assert_string_equal(row_field(&v, "PR-NET-1", "rejudged"), "PASS");
	tki_attest_verdict_free(&v);
}

static void missing_probe_not_attested(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("missing-probe", &v);
	assert_true(v.is_bundle);
	assert_false(v.attested);
	assert_false(v.contradicted);
	assert_false(v.any_fail);
	assert_true(reasons_have(&v, "probe PR-PTRACE-1 (#37) is missing"));
	assert_int_equal(json_array_size(v.probes), TKI_PROBE_COUNT);
	assert_string_equal(row_field(&v, "PR-PTRACE-1", "rejudged"), "FAIL");
	assert_string_equal(row_field(&v, "PR-PTRACE-1", "why"), "missing from the bundle");
	tki_attest_verdict_free(&v);
}

static void unknown_probe_not_attested(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("unknown-probe", &v);
	assert_true(v.is_bundle);
	assert_false(v.attested);
	assert_true(reasons_have(&v, "unknown probe id PR-NET-9"));
	assert_int_equal(json_array_size(v.probes), TKI_PROBE_COUNT + 1);
	assert_string_equal(row_field(&v, "PR-NET-9", "rejudged"), "FAIL");
	tki_attest_verdict_free(&v);
}

static void rejected_venues_not_attested(void **s)
{
	const char *names[] = { "venue-mac-local", "venue-docker-desktop" };
	for (size_t i = 0; i < 2; i++) {
		struct tki_attest_verdict v;
		rejudge_fixture(names[i], &v);
		assert_true(v.is_bundle);
		assert_false(v.attested);
		assert_false(v.contradicted);
		assert_false(v.any_fail); /* the probes are fine; the venue is not */
		assert_true(reasons_have(&v, "is not an accepted venue (accepted: CI, VPS, local)"));
		assert_string_equal(v.venue, ""); /* never copied into the report */
		tki_attest_verdict_free(&v);
	}
}

static void tampered_raw_is_contradicted(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("tampered-raw-eth0", &v);
	assert_false(v.attested);
	assert_true(v.contradicted);
	assert_string_equal(row_field(&v, "PR-NET-1", "rejudged"), "FAIL");
	assert_string_equal(row_field(&v, "PR-NET-2", "rejudged"), "FAIL");
	assert_non_null(strstr(row_field(&v, "PR-NET-2", "why"), "eth0"));
	assert_string_equal(row_field(&v, "PR-SOCK-1", "rejudged"), "PASS");
	tki_attest_verdict_free(&v);
}

static void honest_fail_not_contradicted(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("honest-fail-mount", &v);
	assert_false(v.attested);
	assert_false(v.contradicted);
	assert_true(v.any_fail);
	assert_true(reasons_have(&v, "PR-MOUNT-1 re-judges FAIL: /home/.ssh: extra mount"));
	tki_attest_verdict_free(&v);
}

static void no_image_digest_not_attested(void **s)
{
	struct tki_attest_verdict v;
	rejudge_fixture("no-image-digest", &v);
	assert_true(v.is_bundle);
	assert_false(v.attested);
	assert_true(reasons_have(&v, "image_digest is missing"));
	tki_attest_verdict_free(&v);
}

static void duplicate_probe_not_attested(void **s)
{
	size_t len;
	char *buf = slurp("all-pass/bundle.json", &len);
	json_t *b = json_loadb(buf, len, 0, NULL);
	free(buf);
	json_t *probes = json_object_get(b, "probes");
	json_array_append(probes, json_array_get(probes, 0));
	char *out = json_dumps(b, 0);
	struct tki_attest_verdict v;
	tki_attest_rejudge(out, strlen(out), &v);
	assert_false(v.attested);
	assert_true(reasons_have(&v, "PR-NET-1 appears more than once"));
	tki_attest_verdict_free(&v);
	free(out);
	json_decref(b);
}

static void not_a_bundle(void **s)
{
	const char *bad[] = { "", "{", "[]", "{\"schema\":\"tki-packet/v1\",\"probes\":[]}",
			      "{\"schema\":\"tki-attestation/v1\"}", "{\"a\":1,\"a\":2}" };
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++) {
		struct tki_attest_verdict v;
		tki_attest_rejudge(bad[i], strlen(bad[i]), &v);
		assert_false(v.is_bundle);
		assert_false(v.attested);
		assert_true(v.reasons.n > 0);
		tki_attest_verdict_free(&v);
	}
	/* A NUL inside the bytes is refused before parsing. */
	static const char nul[] = "{\"schema\":\"tki-attestation/v1\",\"probes\":[1\0]}";
	struct tki_attest_verdict v;
	tki_attest_rejudge(nul, sizeof(nul) - 1, &v);
	assert_false(v.is_bundle);
	assert_true(reasons_have(&v, "NUL"));
	tki_attest_verdict_free(&v);
}

/* An allowlist by exact name (issue 13, point 4): a denylist lost to
 * every one of these. */
static void venue_policy(void **s)
{
	const char *accepted[] = { "CI", "VPS", "local" };
	for (size_t i = 0; i < TKI_ARRAY_LEN(accepted); i++)
		assert_false(tki_venue_rejected(accepted[i]));
	const char *rejected[] = {
		"mac-local", "Mac-local", "MAC-LOCAL", "  mac-local ", "docker-desktop", "Docker-Desktop",
		"Mac-local\n", "mac_local", "Docker Desktop", "mac\u00a0local" /* no-break space */,
		"mac\u200blocal" /* zero-width space */, "\uff2d\uff41\uff43-local" /* fullwidth */,
		"ci", "Ci", " CI", "CI ", "CI\n", "CI\t", "\uff23\uff29" /* fullwidth CI */, "C\u200bI",
		"vps", "Local", "LOCAL", "local\r", "mac-localhost", "", "C I",
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(rejected); i++)
		if (!tki_venue_rejected(rejected[i]))
			fail_msg("venue %zu accepted", i);
	assert_true(tki_venue_rejected(NULL));
}

/* Issue 13, point 3: the raw snapshot of a venue P1 would have refused,
 * with every errno string as expected, is not ATTESTED; each raw field
 * alone fails the invariant P1 judges it by. */
static const char *inv_field(const struct tki_attest_verdict *v, const char *name, const char *key)
{
	size_t i;
	json_t *r;
	json_array_foreach(v->invariants, i, r)
		if (strcmp(json_string_value(json_object_get(r, "name")), name) == 0)
			return json_string_value(json_object_get(r, key));
	return NULL;
}

static void raw_rejudged(void **s)
{
	struct {
		const char *fixture;
		const char *fails[5]; /* exactly these P1 invariants FAIL */
		const char *probe;    /* and this probe, or NULL */
	} t[] = {
		{ "raw-half-judged", { "env", "uid", "engine_sockets", "seccomp", "capabilities" }, "PR-ENV-1" },
		{ "raw-env-aws", { "env" }, "PR-ENV-1" },
		{ "raw-env-unlisted", { "env" }, "PR-ENV-1" },
		{ "raw-caps", { "capabilities" }, NULL },
		{ "raw-uid-root", { "uid" }, NULL },
		{ "raw-engine-socket", { "engine_sockets" }, NULL },
		{ "raw-seccomp-disagrees", { "seccomp" }, NULL },
		{ "raw-seccomp-not-own", { "seccomp" }, NULL },
		{ "raw-nnp-off", { "no_new_privs" }, NULL },
		{ "raw-no-status", { "uid", "seccomp", "no_new_privs", "capabilities" }, NULL },
		{ "raw-mounts-in-rw", { "mounts" }, "PR-MOUNT-1" },
		/* issue 14's invariants: every probe string still as expected */
		{ "raw-pid-host", { "pid_namespace" }, NULL },
		{ "raw-host-root", { "root" }, NULL },
		{ "raw-fd-left", { "fds" }, NULL },
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(t); i++) {
		struct tki_attest_verdict v;
		rejudge_fixture(t[i].fixture, &v);
		if (!v.is_bundle || v.attested || !v.any_fail)
			fail_msg("%s: is_bundle %d attested %d any_fail %d", t[i].fixture, v.is_bundle, v.attested,
				 v.any_fail);
		assert_int_equal(json_array_size(v.invariants), TKI_RI__COUNT);
		for (int k = 0; k < TKI_RI__COUNT; k++) {
			bool want_fail = false;
			for (size_t f = 0; f < 5 && t[i].fails[f]; f++)
				want_fail = want_fail || !strcmp(t[i].fails[f], tki_raw_inv_names[k]);
			const char *got = inv_field(&v, tki_raw_inv_names[k], "rejudged");
			if (strcmp(got, want_fail ? "FAIL" : "PASS") != 0)
				fail_msg("%s: %s re-judged %s (%s)", t[i].fixture, tki_raw_inv_names[k], got,
					 inv_field(&v, tki_raw_inv_names[k], "observed"));
			assert_int_equal(v.raw_pass[k], !want_fail);
		}
		for (size_t k = 0; k < TKI_PROBE_COUNT; k++) {
			const char *id = tki_probe_table[k].id;
			bool want_fail = t[i].probe && !strcmp(t[i].probe, id);
			if (strcmp(row_field(&v, id, "rejudged"), want_fail ? "FAIL" : "PASS") != 0)
				fail_msg("%s: probe %s re-judged %s", t[i].fixture, id, row_field(&v, id, "rejudged"));
		}
		tki_attest_verdict_free(&v);
	}
	/* The env_keyset tamper is caught by PR-ENV-1 itself, naming the key. */
	struct tki_attest_verdict v;
	rejudge_fixture("raw-env-aws", &v);
	assert_non_null(strstr(row_field(&v, "PR-ENV-1", "why"), "AWS_SECRET_ACCESS_KEY"));
	tki_attest_verdict_free(&v);
	/* Each hostile raw is named in the reasons, with what P1 saw. */
	static const char *const named[][2] = {
		{ "raw-pid-host", "P1 pid_namespace re-judged from raw fails: pid 4242; 40 processes visible" },
		{ "raw-host-root", "P1 root re-judged from raw fails: " },
		{ "raw-fd-left", "P1 fds re-judged from raw fails: still open after closing every descriptor "
				 "above 2: 5 -> /root/.ssh/id_ed25519" },
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(named); i++) {
		rejudge_fixture(named[i][0], &v);
		if (!reasons_have(&v, named[i][1]))
			fail_msg("%s: no reason \"%s...\"", named[i][0], named[i][1]);
		tki_attest_verdict_free(&v);
	}
}

/* "\u0000" in raw would cut a C string short ("lo", then after it eth0):
 * the bundle is parsed without JSON_ALLOW_NUL, so it is no bundle at all. */
static void raw_nul_refused(void **s)
{
	size_t len;
	char *buf = slurp("all-pass/bundle.json", &len);
	json_t *b = json_loadb(buf, len, 0, NULL);
	free(buf);
	json_t *raw = json_object_get(b, "raw");
	const char *nd = json_string_value(json_object_get(raw, "proc_net_dev"));
	size_t n = strlen(nd);
	const char eth[] = "  eth0:    1180      14    0    0    0     0          0         0\n";
	char *t = tki_xmalloc(n + 1 + sizeof(eth));
	memcpy(t, nd, n);
	t[n] = '\0';
	memcpy(t + n + 1, eth, sizeof(eth));
	json_object_set_new(raw, "proc_net_dev", json_stringn(t, n + sizeof(eth)));
	free(t);
	char *out = json_dumps(b, 0);
	assert_non_null(strstr(out, "\\u0000  eth0"));
	struct tki_attest_verdict v;
	tki_attest_rejudge(out, strlen(out), &v);
	assert_false(v.is_bundle);
	assert_false(v.attested);
	assert_true(reasons_have(&v, "not an attestation bundle"));
	tki_attest_verdict_free(&v);
	free(out);
	json_decref(b);
}

/* A probe id outside the id charset is a reason, never echoed. */
static void probe_id_charset(void **s)
{
	size_t len;
	char *buf = slurp("all-pass/bundle.json", &len);
	json_t *b = json_loadb(buf, len, 0, NULL);
	free(buf);
	json_t *p0 = json_array_get(json_object_get(b, "probes"), 0);
	json_object_set_new(p0, "probe_id", json_string("PR-NET-1\r\x1b[2K::warning::"));
	char *out = json_dumps(b, 0);
	struct tki_attest_verdict v;
	tki_attest_rejudge(out, strlen(out), &v);
	assert_false(v.attested);
	assert_true(reasons_have(&v, "probes[0].probe_id is not an id"));
	tki_autofree char *d = json_dumps(v.probes, 0);
	assert_null(strstr(d, "warning"));
	for (size_t i = 0; i < v.reasons.n; i++)
		assert_null(strchr(v.reasons.v[i], '\x1b'));
	tki_attest_verdict_free(&v);
	free(out);
	json_decref(b);
}

static bool judge(const char *id, const char *eoe)
{
	char why[256];
	static const struct tki_attest_layout lay = { "/in", "/out", NULL };
	return tki_probe_judge(tki_probe_find(id), eoe, "", NULL, &lay, why, sizeof(why));
}

static void judge_observations(void **s)
{
	assert_true(judge("PR-SOCK-1", "EPERM(1)"));
	assert_false(judge("PR-SOCK-1", "0"));            /* the operation succeeded */
	assert_false(judge("PR-SOCK-1", "EACCES(13)"));   /* refused, but not by seccomp */
	assert_false(judge("PR-SOCK-1", "EPERM(13)"));    /* name and number disagree */
	assert_false(judge("PR-SOCK-1", "EPERM"));
	assert_false(judge("PR-SOCK-1", ""));
	assert_false(judge("PR-SOCK-1", NULL));
	assert_false(judge("PR-SOCK-1", "EPERM(1), EPERM(1)")); /* one operation */
	assert_true(judge("PR-FS-RO-IN", "EROFS(30)"));
	assert_true(judge("PR-FS-RO-IN", "EACCES(13)"));
	assert_false(judge("PR-FS-RO-IN", "ENOENT(2)"));  /* no input dir: nothing proved */
	assert_true(judge("PR-FS-ESC-1", "ENOENT(2)"));   /* tmpfs root without /etc */
	assert_false(judge("PR-FS-ESC-1", "0"));
	assert_true(judge("PR-FS-ESC-2", "EROFS(30), ENOENT(2)"));
	assert_false(judge("PR-FS-ESC-2", "EROFS(30)"));  /* /app not tried */
	assert_false(judge("PR-FS-ESC-2", "EROFS(30), 0"));
	assert_true(judge("PR-FS-OUT-OK", "0"));
	assert_false(judge("PR-FS-OUT-OK", "EACCES(13)"));
	assert_true(judge("PR-EXEC-1", "EPERM(1)"));
	assert_true(judge("PR-EXEC-1", "ENOENT(2)"));
	assert_false(judge("PR-EXEC-1", "EFAULT(14)"));   /* got past every wall */
	assert_true(judge("PR-SOCK-DOCKER", "ENOENT(2), ENOENT(2), ENOTDIR(20)"));
	assert_false(judge("PR-SOCK-DOCKER", "ENOENT(2), 0, ENOENT(2)"));
	assert_true(judge("PR-PTRACE-1", "EPERM(1)"));
	assert_false(judge("PR-PTRACE-1", "0"));
	/* Without raw, the raw-based probes cannot pass. */
	assert_false(judge("PR-NET-1", "EPERM(1)"));
	assert_false(judge("PR-NET-2", "0"));
	assert_false(judge("PR-ENV-1", "0"));
	assert_false(judge("PR-MOUNT-1", "0"));
	assert_null(tki_probe_find("PR-NOPE"));
}

static void errno_format(void **s)
{
	char b[32];
	tki_errno_fmt(EPERM, b, sizeof(b));
	assert_string_equal(b, "EPERM(1)");
	tki_errno_fmt(0, b, sizeof(b));
	assert_string_equal(b, "0");
	tki_errno_fmt(ENETUNREACH, b, sizeof(b));
	assert_string_equal(b, "ENETUNREACH(101)");
	/* What the runner writes, the judge reads back. */
	assert_true(judge("PR-PTRACE-1", (tki_errno_fmt(EPERM, b, sizeof(b)), b)));
}

static void netdev(void **s)
{
	char *lo = slurp("docker-proc-net-dev.txt", NULL);
	char why[128];
	assert_true(tki_netdev_lo_only(lo, why, sizeof(why)));
	char *two = tki_xasprintf("%s  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", lo);
	assert_false(tki_netdev_lo_only(two, why, sizeof(why)));
	assert_non_null(strstr(why, "eth0"));
	struct tki_strlist l = {0};
	assert_int_equal(tki_netdev_ifaces(two, &l), 2);
	assert_string_equal(l.v[1], "eth0");
	tki_strlist_free(&l);
	assert_false(tki_netdev_lo_only("garbage\n", why, sizeof(why)));
	assert_false(tki_netdev_lo_only(NULL, why, sizeof(why)));
	free(two);
	free(lo);
}

static void env_keys(void **s)
{
	const char *secret[] = { "GITHUB_TOKEN", "PGPASSWORD", "PGHOST", "AWS_ACCESS_KEY_ID", "DATABASE_URL",
				 "api_key", "MY_SECRET", "SSH_AUTH_SOCK", "Credentials_File" };
	const char *fine[] = { "PATH", "HOME", "HOSTNAME", "TERM", "LANG", "container" };
	for (size_t i = 0; i < TKI_ARRAY_LEN(secret); i++)
		assert_true(tki_p1_env_key_secret(secret[i]));
	for (size_t i = 0; i < TKI_ARRAY_LEN(fine); i++)
		assert_false(tki_p1_env_key_secret(fine[i]));
}

static bool mounts_ok(const char *text, const char *exe, const char *expect_bad)
{
	struct tki_attest_layout lay = { "/in", "/out", exe };
	struct tki_strlist bad = {0};
	bool ok = tki_mountinfo_judge(text, &lay, &bad);
	bool found = !expect_bad;
	for (size_t i = 0; i < bad.n; i++) {
		if (expect_bad && strstr(bad.v[i], expect_bad))
			found = true;
		if (!expect_bad)
			printf("# unexpected finding: %s\n", bad.v[i]);
	}
	tki_strlist_free(&bad);
	assert_true(found);
	return ok;
}

static void mountinfo(void **s)
{
	char *docker = slurp("docker-mountinfo.txt", NULL);
	char *bwrap = slurp("bwrap-mountinfo.txt", NULL);
	assert_true(mounts_ok(docker, NULL, NULL));
	/* An old bwrap layout bound the inspector itself read-only: an extra
	 * mount for P1, so for PR-MOUNT-1 too, whatever layout.exe says
	 * (scripts/run-bwrap now copies it into the tmpfs root with --file). */
	assert_false(mounts_ok(bwrap, NULL, "/tki-inspector: extra mount"));
	assert_false(mounts_ok(bwrap, "/tki-inspector", "/tki-inspector: extra mount"));
	/* podman --read-only --read-only-tmpfs=false --passwd=false */
	char *podman = slurp("podman-mountinfo.txt", NULL);
	assert_true(mounts_ok(podman, NULL, NULL));
	free(podman);

	char *t;
	t = tki_xasprintf("%s", docker);
	memcpy(strstr(t, " / / ro,") + 5, "rw", 2);
	assert_false(mounts_ok(t, NULL, "/: root is writable"));
	free(t);
	t = tki_xasprintf("%s", docker);
	memcpy(strstr(t, " /in ro,") + 5, "rw", 2);
	assert_false(mounts_ok(t, NULL, "/in: input dir is writable"));
	free(t);
	t = tki_xasprintf("%s99 72 254:0 /etc /hostetc ro,relatime - ext4 /dev/vda rw\n", docker);
	assert_false(mounts_ok(t, NULL, "/hostetc: extra mount"));
	free(t);
	t = tki_xasprintf("%s99 72 254:0 /x /my\\040dir ro,relatime - ext4 /dev/vda rw\n", docker);
	assert_false(mounts_ok(t, NULL, "/my dir: extra mount"));
	free(t);
	t = tki_xasprintf("%s99 74 254:0 /home /dev/data rw,relatime - ext4 /dev/vda rw\n", docker);
	assert_false(mounts_ok(t, NULL, "/dev/data: not a standard device node"));
	free(t);
	t = tki_xasprintf("%s99 72 0:50 / /tmp rw,nosuid,relatime - tmpfs tmpfs rw\n", docker);
	assert_false(mounts_ok(t, NULL, "/tmp is tmpfs"));
	free(t);
	/* A second mount stacked on /out: P1 wants exactly one. */
	t = tki_xasprintf("%s99 72 254:0 /x /out ro,relatime - ext4 /dev/vda rw\n", docker);
	assert_false(mounts_ok(t, NULL, "/out: output dir is read-only"));
	free(t);
	/* /tmp: P1 wants a tmpfs, PR-MOUNT-1 also noexec; the topmost counts. */
	t = tki_xasprintf("%s99 72 0:50 / /tmp rw,nosuid,noexec - tmpfs tmpfs rw\n"
			  "100 72 0:51 / /tmp rw,nosuid - tmpfs tmpfs rw\n", docker);
	assert_false(mounts_ok(t, NULL, "/tmp is tmpfs rw,nosuid, not tmpfs noexec"));
	free(t);
	assert_false(mounts_ok("", NULL, "missing or empty"));
	assert_false(mounts_ok("not a mountinfo line\n", NULL, "unparsable mountinfo line"));
	assert_false(mounts_ok("1 0 0:1 / / ro - tmpfs tmpfs ro\n", NULL, "/in: no mount (want one read-only bind)"));
	free(docker);
	free(bwrap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_pass_is_attested),
		cmocka_unit_test(real_bundles_are_attested),
		cmocka_unit_test(contradicting_errno_is_contradicted),
		cmocka_unit_test(missing_probe_not_attested),
		cmocka_unit_test(unknown_probe_not_attested),
		cmocka_unit_test(rejected_venues_not_attested),
		cmocka_unit_test(tampered_raw_is_contradicted),
		cmocka_unit_test(honest_fail_not_contradicted),
		cmocka_unit_test(no_image_digest_not_attested),
		cmocka_unit_test(duplicate_probe_not_attested),
		cmocka_unit_test(not_a_bundle),
		cmocka_unit_test(venue_policy),
		cmocka_unit_test(raw_rejudged),
		cmocka_unit_test(probe_id_charset),
		cmocka_unit_test(raw_nul_refused),
		cmocka_unit_test(judge_observations),
		cmocka_unit_test(errno_format),
		cmocka_unit_test(netdev),
		cmocka_unit_test(env_keys),
		cmocka_unit_test(mountinfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
