// SPDX-License-Identifier: Apache-2.0
/* The expected table of seed 001 §3 and the one judge function that both
 * the probe runner and the bundle re-judge use. Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tki/attest.h"
#include "selfcheck_int.h"

const struct tki_probe_def tki_probe_table[TKI_PROBE_COUNT] = {
	{ "PR-NET-1", "#27", "socket(AF_INET, SOCK_STREAM) + connect(1.1.1.1:53), only when lo is the only interface",
	  "refused: EPERM(1), ENETUNREACH(101) or EAFNOSUPPORT(97)", TKI_PK_CONNECT, 1,
	  { EPERM, ENETUNREACH, EAFNOSUPPORT } },
	{ "PR-NET-2", "#27", "read /proc/net/dev (captured by P1 before Landlock)",
	  "interfaces = lo only (empty net namespace)", TKI_PK_NETDEV, 1, { 0 } },
	{ "PR-SOCK-1", "#25", "socket(AF_INET, SOCK_STREAM, 0)",
	  "refused: EPERM(1) (seccomp)", TKI_PK_ERRNO, 1, { EPERM } },
	{ "PR-ENV-1", "#28", "sorted environment keys",
	  "no secret-like key (TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL, DATABASE_URL, PG*, AWS_*, ...)",
	  TKI_PK_ENV, 1, { 0 } },
	{ "PR-FS-RO-IN", "#33", "open(\"<in>/__probe\", O_WRONLY|O_CREAT)",
	  "refused: EROFS(30) (read-only bind) or EACCES(13) (Landlock)", TKI_PK_ERRNO, 1,
	  { EROFS, EACCES } },
	/* ENOENT: the --self-sandbox root is an empty read-only tmpfs without /etc. */
	{ "PR-FS-ESC-1", "#29", "open(\"/etc/__probe\", O_WRONLY|O_CREAT)",
	  "refused: EROFS(30) (read-only root), EACCES(13) (Landlock) or ENOENT(2) (no /etc)", TKI_PK_ERRNO, 1,
	  { EROFS, EACCES, ENOENT } },
	{ "PR-FS-ESC-2", "#29/#33", "open(\"/root/__probe\", O_WRONLY|O_CREAT); open(\"/app/__probe\", O_WRONLY|O_CREAT)",
	  "both refused: EROFS(30), EACCES(13) or ENOENT(2)", TKI_PK_ERRNO, 2,
	  { EROFS, EACCES, ENOENT } },
	{ "PR-FS-OUT-OK", "#33", "open(\"<out>/__probe_ok\", O_WRONLY|O_CREAT|O_EXCL), write \"ok\", unlink",
	  "succeeds: 0 (positive control: the one writable path)", TKI_PK_SUCCESS, 1, { 0 } },
	{ "PR-EXEC-1", "#34", "execve(\"/bin/ls\", <unreadable argv>, NULL)",
	  "refused: EPERM(1) (seccomp) or ENOENT(2) (no binary); EFAULT means the kernel got past every wall",
	  TKI_PK_ERRNO, 1, { EPERM, ENOENT } },
	{ "PR-MOUNT-1", "#29/#33", "read /proc/self/mountinfo (captured by P1 before Landlock)",
	  "root ro, <in> ro, <out> rw, /tmp tmpfs noexec (or absent), nothing else but runtime-standard mounts",
	  TKI_PK_MOUNTS, 1, { 0 } },
	{ "PR-SOCK-DOCKER", "#36",
	  "stat(\"/var/run/docker.sock\"); stat(\"/run/podman/podman.sock\"); stat(\"/run/containerd/containerd.sock\")",
	  "all absent: ENOENT(2) or ENOTDIR(20)", TKI_PK_ERRNO, 3, { ENOENT, ENOTDIR } },
	{ "PR-PTRACE-1", "#37", "ptrace(PTRACE_TRACEME)",
	  "refused: EPERM(1) (seccomp)", TKI_PK_ERRNO, 1, { EPERM } },
};

const struct tki_probe_def *tki_probe_find(const char *id)
{
	for (size_t i = 0; id && i < TKI_PROBE_COUNT; i++)
		if (strcmp(tki_probe_table[i].id, id) == 0)
			return &tki_probe_table[i];
	return NULL;
}

void tki_errno_fmt(int e, char *buf, size_t len)
{
	const char *name = e > 0 ? strerrorname_np(e) : NULL;
	if (e == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%s(%d)", name ? name : "E?", e);
}

/* One observation: "0" -> 0; "NAME(N)" with NAME the kernel's name for N
 * -> N; anything else -> -1 (a tampered or garbled bundle). */
static int parse_obs(const char *s, size_t len)
{
	while (len && *s == ' ')
		s++, len--;
	while (len && s[len - 1] == ' ')
		len--;
	if (len == 1 && s[0] == '0')
		return 0;
	const char *lp = memchr(s, '(', len);
	if (!lp || s[len - 1] != ')' || lp == s || lp - s > 31)
		return -1;
	char name[32];
	memcpy(name, s, (size_t)(lp - s));
	name[lp - s] = '\0';
	int n = 0;
	const char *d = lp + 1;
	if (d == s + len - 1)
		return -1;
	for (; d < s + len - 1; d++) {
		if (*d < '0' || *d > '9' || n > 100000)
			return -1;
		n = n * 10 + (*d - '0');
	}
	const char *kname = n > 0 ? strerrorname_np(n) : NULL;
	if (!kname || strcmp(kname, name) != 0)
		return -1;
	return n;
}

static bool errno_ok(const struct tki_probe_def *d, int e)
{
	for (size_t i = 0; i < TKI_ARRAY_LEN(d->ok_errnos) && d->ok_errnos[i]; i++)
		if (d->ok_errnos[i] == e)
			return true;
	return false;
}

/* Every ", "-separated observation must be an accepted errno (or, for the
 * positive control, "0"). */
static bool judge_obs(const struct tki_probe_def *d, const char *eoe, char *why, size_t whylen)
{
	if (!eoe || !*eoe) {
		snprintf(why, whylen, "no errno_or_exit observation");
		return false;
	}
	unsigned n = 0;
	for (const char *p = eoe;; n++) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		int e = parse_obs(p, len);
		if (e < 0) {
			snprintf(why, whylen, "observation \"%.*s\" is not \"0\" or NAME(N) with the kernel's name for N",
				 (int)(len > 40 ? 40 : len), p);
			return false;
		}
		if (d->kind == TKI_PK_SUCCESS && e != 0) {
			snprintf(why, whylen, "the positive control failed: %.*s", (int)len, p);
			return false;
		}
		if (d->kind != TKI_PK_SUCCESS && e == 0) {
			snprintf(why, whylen, "operation %u succeeded (errno_or_exit 0): the wall is missing", n + 1);
			return false;
		}
		if (d->kind != TKI_PK_SUCCESS && !errno_ok(d, e)) {
			snprintf(why, whylen, "refused with %.*s, which is not an expected errno", (int)len, p);
			return false;
		}
		if (!c)
			break;
		p = c + 1;
	}
	if (n + 1 != d->n_ops) {
		snprintf(why, whylen, "%u observation(s) for %u operation(s)", n + 1, d->n_ops);
		return false;
	}
	snprintf(why, whylen, d->kind == TKI_PK_SUCCESS ? "succeeded as expected" : "refused as expected: %s", eoe);
	return true;
}

/* PR-ENV-1 is P1's env invariant over the bundle's raw.env_keyset (the
 * same judge, tki_p1_judge_env: only allowlisted keys, none secret-like),
 * and the probe's own value may not name a secret-like key either. */
static bool judge_env(const char *actual, const json_t *raw, char *why, size_t whylen)
{
	const json_t *ks = raw ? json_object_get(raw, "env_keyset") : NULL;
	if (!json_is_array(ks)) {
		snprintf(why, whylen, "raw.env_keyset is missing or not an array");
		return false;
	}
	size_t n = json_array_size(ks), i;
	tki_autofree const char **keys = tki_xcalloc(n + 1, sizeof(*keys));
	const json_t *k;
	json_array_foreach(ks, i, k) {
		if (!json_is_string(k) || memchr(json_string_value(k), '\0', json_string_length(k))) {
			snprintf(why, whylen, "raw.env_keyset[%zu] is not a string", i);
			return false;
		}
		keys[i] = json_string_value(k);
	}
	tki_autofree char *obs = NULL;
	if (!tki_p1_judge_env(keys, n, &obs)) {
		snprintf(why, whylen, "raw.env_keyset: %.400s", obs);
		return false;
	}
	/* The probe's own value is the same keyset, comma-separated. */
	tki_autofree char *copy = tki_xstrdup(actual ? actual : "");
	char *save = NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (tki_p1_env_key_secret(t)) {
			tki_autofree char *q = tki_p1_sanitize(t, strlen(t) > 64 ? 64 : strlen(t));
			snprintf(why, whylen, "secret-like key in the probe's value: %s", q);
			return false;
		}
	}
	snprintf(why, whylen, "%zu env keys, all allowlisted, none secret-like", n);
	return true;
}

static bool judge_mounts(const json_t *raw, const struct tki_attest_layout *lay, char *why, size_t whylen)
{
	const json_t *mi = raw ? json_object_get(raw, "mountinfo") : NULL;
	struct tki_strlist bad = {0};
	bool ok = tki_mountinfo_judge(json_is_string(mi) ? json_string_value(mi) : NULL, lay, &bad);
	if (ok) {
		snprintf(why, whylen, "mount table classified: root ro, %s ro, %s rw, the rest runtime-standard",
			 lay->in_dir, lay->out_dir);
	} else {
		size_t off = 0;
		for (size_t i = 0; i < bad.n && off + 1 < whylen; i++)
			off += (size_t)snprintf(why + off, whylen - off, "%s%s", i ? "; " : "", bad.v[i]);
	}
	tki_strlist_free(&bad);
	return ok;
}

static const char *raw_netdev(const json_t *raw)
{
	const json_t *s = raw ? json_object_get(raw, "proc_net_dev") : NULL;
	return json_is_string(s) ? json_string_value(s) : NULL;
}

bool tki_probe_judge(const struct tki_probe_def *d, const char *eoe, const char *actual, const json_t *raw,
		     const struct tki_attest_layout *lay, char *why, size_t whylen)
{
	switch (d->kind) {
	case TKI_PK_ERRNO:
	case TKI_PK_SUCCESS:
		return judge_obs(d, eoe, why, whylen);
	case TKI_PK_CONNECT: {
		/* Never accept an egress result from a venue that had a route out:
		 * the probe must not have been sent there in the first place. */
		char nwhy[160];
		if (!tki_netdev_lo_only(raw_netdev(raw), nwhy, sizeof(nwhy))) {
			snprintf(why, whylen, "not attemptable: %s", nwhy);
			return false;
		}
		return judge_obs(d, eoe, why, whylen);
	}
	case TKI_PK_NETDEV:
		return tki_netdev_lo_only(raw_netdev(raw), why, whylen);
	case TKI_PK_ENV:
		return judge_env(actual, raw, why, whylen);
	case TKI_PK_MOUNTS:
		return judge_mounts(raw, lay, why, whylen);
	}
	snprintf(why, whylen, "unknown probe kind");
	return false;
}
