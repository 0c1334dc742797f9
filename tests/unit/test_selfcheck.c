// SPDX-License-Identifier: Apache-2.0
/* P1 judges on text captured from real venues (fixtures/p1/<venue>/, see
 * tests/tools/p1-capture.sh): each good venue passes, each broken variant
 * fails exactly the invariants it breaks, naming the right thing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tki/common.h"
#include "tki/selfcheck.h"

#include "tki_test_p1.h"

enum { F_MOUNTS = 1, F_NETWORK = 2, F_ENV = 4, F_UID = 8, F_SOCKETS = 16, F_CAPS = 32,
       F_FDS = 64, F_PIDNS = 128, F_ROOT = 256 };
static const char *const inv_names[] = { "mounts", "network", "env", "uid", "engine_sockets", "capabilities",
					 "fds", "pid_namespace", "root" };
#define N_INV 9

struct judged {
	unsigned failed;  /* F_* bits */
	char *obs[N_INV];
};

/* env entries as P1 sees them: KEY=VALUE for the keys whose values the
 * capture kept (env_values: allowlisted keys only), KEY alone otherwise. */
static void env_entries(const char *venue, struct tki_strlist *env)
{
	struct tki_strlist keys = {0}, vals = {0};
	lines(venue, "env_keys", &keys);
	lines(venue, "env_values", &vals);
	for (size_t i = 0; i < keys.n; i++) {
		const char *e = keys.v[i];
		size_t kl = strlen(keys.v[i]);
		for (size_t k = 0; k < vals.n; k++)
			if (!strncmp(vals.v[k], keys.v[i], kl) && vals.v[k][kl] == '=')
				e = vals.v[k];
		tki_strlist_add(env, e);
	}
	tki_strlist_free(&keys);
	tki_strlist_free(&vals);
}

static void judge_venue(const char *venue, struct judged *j)
{
	memset(j, 0, sizeof(*j));
	char *mi = slurp(venue, "mountinfo");
	char *nd = slurp(venue, "net_dev");
	char *st = slurp(venue, "status");
	char *um = slurp(venue, "uid_map");
	struct tki_strlist env = {0}, socks = {0};
	env_entries(venue, &env);
	lines(venue, "sockets", &socks);

	if (!tki_p1_judge_mounts(mi, "/in", "/out", &j->obs[0]))
		j->failed |= F_MOUNTS;
	if (!tki_p1_judge_network(nd, &j->obs[1]))
		j->failed |= F_NETWORK;
	if (!tki_p1_judge_env((const char *const *)env.v, env.n, &j->obs[2]))
		j->failed |= F_ENV;
	/* "Uid:\treal\teffective\tsaved\tfs" */
	char *uid = tki_p1_status_field(st, "Uid");
	assert_non_null(uid);
	unsigned long r, e;
	assert_int_equal(sscanf(uid, "%lu %lu", &r, &e), 2);
	if (!tki_p1_judge_uid(um, e, &j->obs[3]))
		j->failed |= F_UID;
	if (!tki_p1_judge_sockets((const char *const *)socks.v, socks.n, &j->obs[4]))
		j->failed |= F_SOCKETS;
	static const char *const capkeys[TKI_CAP_NSETS] = {
		[TKI_CAP_EFF] = "CapEff", [TKI_CAP_PRM] = "CapPrm", [TKI_CAP_INH] = "CapInh",
		[TKI_CAP_BND] = "CapBnd", [TKI_CAP_AMB] = "CapAmb",
	};
	unsigned long long sets[TKI_CAP_NSETS];
	for (int i = 0; i < TKI_CAP_NSETS; i++) {
		char *v = tki_p1_status_field(st, capkeys[i]);
		assert_true(tki_p1_parse_capmask(v, &sets[i]));
		free(v);
	}
	if (!tki_p1_judge_caps(sets, &j->obs[5]))
		j->failed |= F_CAPS;
	/* P1 closes what it finds: nothing is left in any venue */
	char *fds = slurp(venue, "fds");
	if (!tki_p1_judge_fds(fds, "", &j->obs[6]))
		j->failed |= F_FDS;
	char *pids = slurp(venue, "pids"), *pid = slurp(venue, "pid");
	if (!tki_p1_judge_pidns(pids, atol(pid), procfs_of(venue, mi), &j->obs[7]))
		j->failed |= F_PIDNS;
	char *ls[4];
	static const char *const lsn[4] = { "root", "etc", "run", "cgroup_dir" };
	for (int i = 0; i < 4; i++)
		ls[i] = slurp(venue, lsn[i]);
	struct tki_p1_layout lay = { ls[0], ls[1], ls[2], ls[3], "p1-capture" };
	if (!tki_p1_judge_root(mi, &lay, &j->obs[8]))
		j->failed |= F_ROOT;
	for (int i = 0; i < 4; i++)
		free(ls[i]);
	free(fds);
	free(pids);
	free(pid);
	free(uid);
	free(mi);
	free(nd);
	free(st);
	free(um);
	tki_strlist_free(&env);
	tki_strlist_free(&socks);
}

static void judged_free(struct judged *j)
{
	for (size_t i = 0; i < TKI_ARRAY_LEN(j->obs); i++)
		free(j->obs[i]);
}

static void print_failed(const char *venue, const struct judged *j)
{
	for (size_t i = 0; i < TKI_ARRAY_LEN(inv_names); i++)
		if (j->failed & (1u << i))
			print_message("  %s: %s: %s\n", venue, inv_names[i], j->obs[i]);
}

/* venue, exactly these invariants fail, and each failing one names... */
struct expect {
	const char *venue;
	unsigned failed;
	const char *names[N_INV]; /* indexed like inv_names; NULL = no check */
};

static const struct expect venues[] = {
	{ "docker", 0, { 0 } },
	{ "docker-limits", 0, { 0 } },
	{ "bwrap", 0, { 0 } },
	/* rootful podman (scripts/run-podman): /run/.containerenv is podman's
	 * read-only metadata file, runtime-standard like /etc/hostname */
	{ "podman", 0, { 0 } },
	{ "podman-no-read-only", F_MOUNTS,
	  { [0] = "/run/.containerenv: writable (ext4, rw)" } },
	{ "podman-fake-containerenv", F_MOUNTS,
	  { [0] = "/run/.containerenv: not podman's own metadata file (ext4, ro)" } },
	/* Root in its own user namespace with full caps there until the own
	 * layer clears them (capabilities are judged live, after that). */
	{ "selfsandbox-emul", F_CAPS, { [5] = "effective=0x" } },
	/* --self-sandbox in the pod stand-in (scripts/run-pod): the pod's
	 * /proc bound read-only with Docker's masks (issue 18); the caps of its
	 * own user namespace are cleared by the own layer, judged live */
	{ "pod-self", F_CAPS, { [5] = "effective=0x", [7] = "in the procfs of an outer pid namespace, bound at /proc read-only" } },
	{ "host", F_MOUNTS | F_NETWORK | F_ENV | F_UID | F_SOCKETS | F_CAPS | F_PIDNS | F_ROOT,
	  { "/: root is writable", "eth0", "not on the allowlist", "euid 0 maps to uid 0",
	    "/var/run/docker.sock", "effective=0x", NULL, "the pid namespace is shared",
	    "/usr: directory that is not a mount point" } },
	/* #5 minimal root: the host's own root read-only (an overlay with
	 * lowerdir=/), fresh namespaces, uid 65532, no capabilities. Every
	 * mount is in order; the root's content is not (and the host's
	 * docker.sock lies on the root filesystem here). */
	{ "hostroot", F_ROOT | F_SOCKETS,
	  { [8] = "/usr: directory that is not a mount point", [4] = "/var/run/docker.sock" } },
	/* #1 a shared pid namespace */
	{ "docker-pid-host", F_PIDNS, { [7] = "processes visible in /proc (at most 8" } },
	/* #5 writable mounts other than /out: a host tmpfs, a writable
	 * cgroup hierarchy, an exec /tmp without a size, bwrap's /dev */
	{ "docker-shm-rw", F_MOUNTS, { [0] = "/dev/shm: writable tmpfs without a size of at most 64 MiB" } },
	{ "bwrap-shm-rw", F_MOUNTS | F_ROOT, { [0] = "/dev/shm: writable tmpfs without a size of at most 64 MiB" } },
	{ "docker-cgroup-rw", F_MOUNTS, { [0] = "/sys/fs/cgroup/memory: writable cgroup mount (cgroup, rw)" } },
	{ "bwrap-cgroup-rw", F_MOUNTS | F_ROOT,
	  { [0] = "/sys/fs/cgroup/memory: writable cgroup mount (cgroup, rw)",
	    [8] = "/sys: directory that is not a mount point" } },
	{ "bwrap-cgroup-root-rw", F_MOUNTS | F_ROOT, { [0] = "/sys/fs/cgroup/memory: writable cgroup mount" } },
	{ "bwrap-tmp-exec", F_MOUNTS, { [0] = "/tmp: writable /tmp without noexec" } },
	{ "bwrap-dev", F_MOUNTS, { [0] = "/dev: writable tmpfs without a size of at most 64 MiB" } },
	/* #3 values of allowed keys: never a URL in a locale, a token in TERM */
	{ "bwrap-env-lc-database", F_ENV, { [2] = "LC_DATABASE (not on the allowlist)" } },
	{ "bwrap-env-term", F_ENV, { [2] = "TERM (value does not look like a terminal name; value not shown)" } },
	/* #1 descriptors passed by the caller: found, closed, named */
	{ "bwrap-fds", 0, { [6] = "inherited and closed before the packet is read: 5 -> /tmp/" } },
	/* #6 rootless podman's socket */
	{ "bwrap-podman-rootless-sock", F_SOCKETS | F_MOUNTS | F_ROOT,
	  { [4] = "engine socket present: /run/user/1000/podman/podman.sock" } },
	/* #2 network */
	{ "docker-bridge", F_NETWORK, { [1] = "eth0" } },
	{ "bwrap-share-net", F_NETWORK, { [1] = "eth0" } },
	/* #3 env */
	{ "docker-env-token", F_ENV, { [2] = "GITHUB_TOKEN (secret-like key" } },
	{ "bwrap-env-token", F_ENV, { [2] = "GITHUB_TOKEN (secret-like key" } },
	/* #5 mounts */
	{ "docker-extra-bind", F_MOUNTS, { [0] = "/hostetc: extra mount" } },
	{ "bwrap-extra-bind", F_MOUNTS, { [0] = "/hostetc: extra mount" } },
	{ "docker-in-rw", F_MOUNTS, { [0] = "/in: input dir is writable" } },
	{ "bwrap-in-rw", F_MOUNTS, { [0] = "/in: input dir is writable" } },
	{ "docker-no-read-only", F_MOUNTS, { [0] = "/: root is writable" } },
	{ "bwrap-root-rw", F_MOUNTS, { [0] = "/: root is writable" } },
	/* #6 caps and engine sockets (a socket bind is also an extra mount) */
	{ "docker-no-cap-drop", F_CAPS, { [5] = "bounding=0x" } },
	{ "bwrap-caps", F_CAPS | F_UID, { [5] = "effective=0x1fffeffffff", [3] = "maps to uid 0" } },
	{ "docker-docker-sock", F_SOCKETS | F_MOUNTS | F_ROOT,
	  { [4] = "engine socket present: /var/run/docker.sock", [0] = "/var/run/docker.sock: extra mount" } },
	{ "bwrap-docker-sock", F_SOCKETS | F_MOUNTS | F_ROOT,
	  { [4] = "engine socket present: /var/run/docker.sock", [0] = "/var/run/docker.sock: extra mount" } },
};

static void test_venues(void **state)
{
	(void)state;
	for (size_t v = 0; v < TKI_ARRAY_LEN(venues); v++) {
		const struct expect *x = &venues[v];
		struct judged j;
		judge_venue(x->venue, &j);
		if (j.failed != x->failed) {
			print_failed(x->venue, &j);
			fail_msg("%s: failed set %#x, expected %#x", x->venue, j.failed, x->failed);
		}
		for (size_t i = 0; i < TKI_ARRAY_LEN(inv_names); i++) {
			if (!x->names[i])
				continue;
			if (!strstr(j.obs[i], x->names[i]))
				fail_msg("%s: %s observed \"%s\" does not name \"%s\"", x->venue,
					 inv_names[i], j.obs[i], x->names[i]);
		}
		judged_free(&j);
	}
}

/* Descriptors left open are named; the value of an env key never shows. */
static void test_fds_env_values(void **state)
{
	(void)state;
	char *fds = slurp("bwrap-fds", "fds");
	char *obs = NULL;
	assert_false(tki_p1_judge_fds(fds, fds, &obs)); /* as if nothing were closed */
	assert_non_null(strstr(obs, "still open after closing every descriptor above 2: 5 -> /tmp/"));
	assert_non_null(strstr(obs, "6 -> /etc"));
	free(obs);
	assert_false(tki_p1_judge_fds(NULL, "", &obs));
	free(obs);
	assert_true(tki_p1_judge_fds("", "", &obs));
	assert_string_equal(obs, "none inherited beyond 0-2");
	free(obs);
	free(fds);
	const char *vs[] = { "bwrap-env-lc-database", "bwrap-env-term" };
	for (size_t i = 0; i < 2; i++) {
		struct judged j;
		judge_venue(vs[i], &j);
		assert_null(strstr(j.obs[2], "postgres"));
		assert_null(strstr(j.obs[2], "ghp_"));
		judged_free(&j);
	}
	/* an allowlisted key with a secret value: the key is named, not the value */
	const char *e[] = { "PATH=/usr/bin:/bin", "LC_ALL=postgres://admin:pw@db/prod" };
	assert_false(tki_p1_judge_env(e, 2, &obs));
	assert_string_equal(obs, "LC_ALL (value does not look like a locale; value not shown)");
	free(obs);
}

/* value shapes, key by key */
static void test_env_values(void **state)
{
	(void)state;
	static const struct { const char *k, *v; bool ok; } t[] = {
		{ "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", true },
		{ "PATH", "/", true },
		{ "PATH", "/usr/bin:", false },
		{ "PATH", "/usr/bin:relative", false },
		{ "PATH", "/a/../etc", false },
		{ "PATH", "postgres://admin:pw@db/prod", false },
		{ "PATH", "/bin:/x@y", false },
		{ "HOME", "/", true },
		{ "HOME", "/home/u", true },
		{ "HOME", "/home//x", false },
		{ "PWD", "/tmp/tmp.doVoAHrqFV/sbroot", true },
		{ "TERM", "xterm-256color", true },
		{ "TERM", "screen.xterm-256color", true },
		{ "TERM", "ghp_0123456789abcdefABCDEF0123456789abcd", false },
		{ "TERM", "", false },
		{ "TERM", "abcdefghijklmnopqrstuvwxyz0123456789", false },
		{ "LANG", "C.UTF-8", true },
		{ "LANG", "en_US.UTF-8", true },
		{ "LANG", "de_DE.UTF-8@euro", true },
		{ "LANG", "sr_RS@latin", true },
		{ "LANG", "POSIX", true },
		{ "LANG", "", true },
		{ "LC_ALL", "postgres://admin:pw@db/prod", false },
		{ "LC_CTYPE", "hunter2hunter2", false },
		{ "LANGUAGE", "en_US:en", true },
		{ "LANGUAGE", "en_US:x=y", false },
		{ "TZ", "Europe/Berlin", true },
		{ "TZ", "EST5EDT,M3.2.0,M11.1.0", true },
		{ "TZ", "https://x", false },
		{ "HOSTNAME", "8c3119cf9590", true },
		{ "HOSTNAME", "a b", false },
		{ "container", "podman", true },
		{ "container", "Podman Secret", false },
		{ "FOO", "bar", false },
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(t); i++)
		if (tki_p1_env_value_ok(t[i].k, t[i].v) != t[i].ok)
			fail_msg("%s=%s: want %s", t[i].k, t[i].v, t[i].ok ? "ok" : "refused");
	assert_false(tki_p1_env_key_allowed("LC_DATABASE"));
	assert_true(tki_p1_env_key_allowed("LC_MESSAGES"));
}

/* Judge pod-self's capture with one edit: the mountinfo line at `point`
 * replaced by `line` ("" drops it), or other pids, link or present list. */
static bool judge_pod_edit(const char *point, const char *line, const char *pids, const char *self,
			   const char *present, const char *reach, char **obs)
{
	char *mi = slurp("pod-self", "mountinfo");
	char *text = tki_xcalloc(1, strlen(mi) + 512);
	char want[80];
	snprintf(want, sizeof(want), " %s ", point ? point : "\x01");
	for (char *t = strtok(mi, "\n"); t; t = strtok(NULL, "\n")) {
		char *sp = strchr(strchr(strchr(strchr(t, ' ') + 1, ' ') + 1, ' ') + 1, ' '); /* " <point> " */
		if (sp && !strncmp(sp, want, strlen(want)))
			t = (char *)line;
		if (*t) {
			strcat(text, t);
			strcat(text, "\n");
		}
	}
	char *base_pids = slurp("pod-self", "pids"), *base_present = slurp("pod-self", "proc_present");
	char *base_reach = slurp("pod-self", "proc_reach"), *chain = slurp("pod-self", "proc_chain");
	struct tki_p1_procfs proc = {self ? self : "7", present ? present : base_present, text,
				     reach ? reach : base_reach, chain};
	bool ok = tki_p1_judge_pidns(pids ? pids : base_pids, 2, &proc, obs);
	free(text);
	free(mi);
	free(base_pids);
	free(base_present);
	free(base_reach);
	free(chain);
	return ok;
}

/* The pod's /proc bound into --self-sandbox (issue 18): each way the
 * bind could hide a weakness is refused, and the real capture holds. */
static void test_pidns_proc_bind(void **state)
{
	(void)state;
	char *obs = NULL;
	char *self = slurp("pod-self", "proc_self");
	self[strcspn(self, "\n")] = '\0';
	assert_true(judge_pod_edit(NULL, NULL, NULL, self, NULL, NULL, &obs));
	assert_non_null(strstr(obs, "pid 2, pid 8 in the procfs of an outer pid namespace"));
	free(obs);
	static const struct {
		const char *point, *line, *pids, *self, *present, *want;
	} bad[] = {
		/* the bind writable, or without nosuid/nodev/noexec */
		{ "/proc", "128 124 0:47 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw", NULL, NULL, NULL,
		  "/proc: bound without ro" },
		{ "/proc", "128 124 0:47 / /proc ro,nosuid,nodev,relatime - proc proc rw", NULL, NULL, NULL,
		  "/proc: bound without noexec" },
		{ "/proc", "128 124 0:47 / /proc ro,nodev,noexec,relatime - proc proc rw", NULL, NULL, NULL,
		  "/proc: bound without nosuid" },
		{ "/proc", "", NULL, NULL, NULL, "no mount at /proc" },
		/* a non-recursive bind: the runtime's masks lost */
		{ "/proc/keys", "", NULL, NULL, NULL, "/proc/keys exists and is not masked" },
		{ "/proc/acpi", "", NULL, NULL, NULL, "/proc/acpi exists and is not masked" },
		{ "/proc/sys", "", NULL, NULL, NULL, "/proc/sys exists and is not bound read-only" },
		/* a mask made writable, or a sysctl tree bound from elsewhere */
		{ "/proc/sys", "132 128 0:47 /sys /proc/sys rw,nosuid,nodev,noexec,relatime - proc proc rw", NULL, NULL,
		  NULL, "/proc/sys: writable mount beneath the bound /proc" },
		{ "/proc/sys", "132 128 0:47 / /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw", NULL, NULL,
		  NULL, "/proc/sys exists and is not bound read-only" },
		/* an entry the kernel has (kcore) that nothing masks */
		{ NULL, NULL, NULL, NULL, "/proc/kcore\n/proc/keys\n", "/proc/kcore exists and is not masked" },
		/* not captured: fail closed */
		{ NULL, NULL, NULL, NULL, "", NULL },
		/* a shared pid namespace seen through the bind */
		{ NULL, NULL, "1\n2\n3\n4\n5\n6\n7\n8\n9\n", NULL, NULL, "9 processes visible in /proc (at most 8)" },
		/* few, but someone else's (a pod sharing its process namespace) */
		{ NULL, NULL, "1\n7\n8\n42\n", NULL, NULL,
		  "1 process not ours nor our ancestors' share the pod's pid namespace (42)" },
		{ NULL, NULL, "1\n7\n8\n40\n41\n42\n43\n44\n", NULL, NULL, "(40, 41, 42, 43, ...)" },
		/* our pid there is not listed, or the link is no pid */
		{ NULL, NULL, NULL, "99", NULL, "pid 99 (/proc/self) is not among the 3 processes" },
		{ NULL, NULL, NULL, "", NULL, "/proc/self is \"\", not a pid" },
		{ NULL, NULL, NULL, "self", NULL, "not a pid" },
		{ NULL, NULL, NULL, "-7", NULL, "not a pid" },
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++) {
		if (bad[i].present && !*bad[i].present) {
			/* an empty present list is "none exist": only a NULL one
			 * (not captured) must fail */
			char *mi = slurp("pod-self", "mountinfo"), *pids = slurp("pod-self", "pids");
			struct tki_p1_procfs proc = {self, NULL, mi, "1 EACCES\n", "8\n7\n1\n"};
			assert_false(tki_p1_judge_pidns(pids, 2, &proc, &obs));
			assert_non_null(strstr(obs, "was not captured"));
			free(obs);
			free(mi);
			free(pids);
			continue;
		}
		if (judge_pod_edit(bad[i].point, bad[i].line, bad[i].pids, bad[i].self ? bad[i].self : self,
				   bad[i].present, NULL, &obs))
			fail_msg("case %zu passed: %s", i, obs);
		if (!strstr(obs, bad[i].want))
			fail_msg("case %zu: \"%s\" does not name \"%s\"", i, obs, bad[i].want);
		free(obs);
	}
	/* another process of the pod reachable through /proc/<pid>/ (PID 1
	 * or the outer process left dumpable): only EACCES or ENOENT hold */
	static const char *const reach_bad[][2] = {
		{ "1 EACCES\n7 reachable\n", "/proc/7/root: reachable (want EACCES" },
		{ "1 EPERM\n7 EACCES\n", "/proc/1/root: EPERM" },
		{ "1 EACCESS\n", "/proc/1/root: EACCESS" },
		{ "1\n", "/proc/1/root:  (want" },
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(reach_bad); i++) {
		if (judge_pod_edit(NULL, NULL, NULL, self, NULL, reach_bad[i][0], &obs))
			fail_msg("reach case %zu passed: %s", i, obs);
		if (!strstr(obs, reach_bad[i][1]))
			fail_msg("reach case %zu: \"%s\" does not name \"%s\"", i, obs, reach_bad[i][1]);
		free(obs);
	}
	assert_true(judge_pod_edit(NULL, NULL, NULL, self, NULL, "1 ENOENT\n7 EACCES\n", &obs));
	free(obs);
	/* an outer /proc with hidepid=invisible: fewer pids, still ours */
	assert_true(judge_pod_edit("/proc", "128 124 0:47 / /proc ro,nosuid,nodev,noexec,relatime - proc proc rw,hidepid=invisible",
				   "8\n", self, NULL, "", &obs));
	free(obs);
	/* reachability not captured (a bundle that drops it): fails */
	char *mi = slurp("pod-self", "mountinfo"), *pids = slurp("pod-self", "pids");
	char *present = slurp("pod-self", "proc_present");
	assert_false(tki_p1_judge_pidns(pids, 2, &(struct tki_p1_procfs){self, present, mi, NULL, "8\n7\n1\n"}, &obs));
	assert_non_null(strstr(obs, "reachable was not captured"));
	free(obs);
	/* nor our ancestry, or one that does not start with us */
	assert_false(tki_p1_judge_pidns(pids, 2, &(struct tki_p1_procfs){self, present, mi, "1 EACCES\n7 EACCES\n", NULL}, &obs));
	assert_non_null(strstr(obs, "our ancestry in /proc was not captured"));
	free(obs);
	assert_false(tki_p1_judge_pidns(pids, 2, &(struct tki_p1_procfs){self, present, mi, "1 EACCES\n7 EACCES\n", "7\n1\n"}, &obs));
	assert_non_null(strstr(obs, "our ancestry in /proc was not captured"));
	free(obs);
	free(mi);
	free(pids);
	free(present);
	free(self);
}

/* pid namespace and the root's content on synthetic text */
static void test_pidns_root(void **state)
{
	(void)state;
	char *obs = NULL;
	assert_true(tki_p1_judge_pidns("1\n2\n", 2, NULL, &obs));
	assert_string_equal(obs, "pid 2; 2 processes visible in /proc: 1, 2");
	free(obs);
	assert_false(tki_p1_judge_pidns("1\n", 2, NULL, &obs));
	assert_non_null(strstr(obs, "not among"));
	free(obs);
	assert_false(tki_p1_judge_pidns("1\n2\n3\n4\n5\n6\n7\n8\n9\n", 1, NULL, &obs));
	free(obs);
	assert_false(tki_p1_judge_pidns("1\nx\n", 1, NULL, &obs));
	free(obs);
	assert_false(tki_p1_judge_pidns(NULL, 1, NULL, &obs));
	free(obs);

	const char *mi = "1 0 0:1 / / ro - tmpfs tmpfs rw\n2 1 0:2 / /proc rw - proc proc rw\n";
	struct tki_p1_layout l = { "d proc\nf tki-inspector\n", "", "", "", "tki-inspector" };
	assert_true(tki_p1_judge_root(mi, &l, &obs));
	assert_string_equal(obs, "/ holds: proc tki-inspector");
	free(obs);
	l.root = "d proc\nd home\n";
	assert_false(tki_p1_judge_root(mi, &l, &obs));
	assert_string_equal(obs, "/home: directory that is not a mount point");
	free(obs);
	l.root = "d proc\nd etc\n";
	l.etc = "f hosts\nf passwd\nl mtab\n";
	assert_false(tki_p1_judge_root(mi, &l, &obs));
	assert_string_equal(obs, "/etc/passwd: not an engine's per-container file");
	free(obs);
	l.root = "d proc\nl bin\nf .dockerenv\no sock\nf other\n";
	assert_false(tki_p1_judge_root(mi, &l, &obs));
	assert_string_equal(obs, "/bin: symlink; /sock: not a file or directory; /other: file that is not our binary");
	free(obs);
	l.root = "d run\n";
	l.run = "f .containerenv\no podman.sock\n";
	assert_false(tki_p1_judge_root(mi, &l, &obs));
	assert_string_equal(obs, "/run/podman.sock: not podman's metadata file");
	free(obs);
	l.root = NULL;
	assert_false(tki_p1_judge_root(mi, &l, &obs));
	free(obs);
	/* a cgroup v1 parent tmpfs holding more than its cgroup mounts */
	const char *cg = "1 0 0:1 / / ro - tmpfs tmpfs rw\n2 1 0:2 / /sys ro - sysfs sysfs ro\n"
			 "3 2 0:3 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
			 "4 3 0:4 / /sys/fs/cgroup/pids ro - cgroup cgroup rw,pids\n";
	struct tki_p1_layout c = { "d sys\n", NULL, NULL, "d pids\nl cpu\n", NULL };
	assert_true(tki_p1_judge_root(cg, &c, &obs));
	free(obs);
	c.cgroup = "d pids\nd memory\nf release_agent\n";
	assert_false(tki_p1_judge_root(cg, &c, &obs));
	assert_string_equal(obs, "/sys/fs/cgroup/memory: not a cgroup mount point (a host tmpfs?); "
				 "/sys/fs/cgroup/release_agent: not a cgroup mount point (a host tmpfs?)");
	free(obs);
	c.cgroup = NULL;
	assert_false(tki_p1_judge_root(cg, &c, &obs));
	free(obs);
}

/* The value given to the secret-like key never reaches the fixture or
 * the observed string: only names are captured. */
static void test_env_value_never_captured(void **state)
{
	(void)state;
	const char *vs[] = { "docker-env-token", "bwrap-env-token" };
	for (size_t i = 0; i < 2; i++) {
		struct judged j;
		judge_venue(vs[i], &j);
		assert_null(strstr(j.obs[2], "s3cr3tvalue"));
		char *keys = slurp(vs[i], "env_keys");
		assert_null(strstr(keys, "s3cr3tvalue"));
		assert_non_null(strstr(keys, "GITHUB_TOKEN"));
		free(keys);
		judged_free(&j);
	}
}

/* The observed strings of good venues say what was seen. */
static void test_good_observed(void **state)
{
	(void)state;
	struct judged j;
	judge_venue("docker", &j);
	assert_non_null(strstr(j.obs[0], "root ro (overlay); /in ro (ext4); /out rw (ext4)"));
	assert_string_equal(j.obs[1], "interfaces: lo");
	assert_string_equal(j.obs[2], "keys: PATH,HOSTNAME,HOME");
	assert_non_null(strstr(j.obs[3], "euid 65532 maps to uid 65532"));
	judged_free(&j);
	judge_venue("selfsandbox-emul", &j);
	assert_non_null(strstr(j.obs[3], "euid 0 maps to uid 65532"));
	assert_non_null(strstr(j.obs[0], "root ro (tmpfs)"));
	judged_free(&j);
}

/* ---- synthetic mountinfo: what the venues do not show ---- */

#define ROOT_RO "1 0 0:1 / / ro,relatime - tmpfs tmpfs rw\n"
#define IN_RO "2 1 8:1 /data/in /in ro,relatime - ext4 /dev/sda rw\n"
#define OUT_RW "3 1 8:1 /data/out /out rw,relatime - ext4 /dev/sda rw\n"

static bool mounts(const char *mi, const char *in, const char *out, const char *want)
{
	char *obs = NULL;
	bool ok = tki_p1_judge_mounts(mi, in, out, &obs);
	if (want && !strstr(obs, want))
		fail_msg("observed \"%s\" does not name \"%s\"", obs, want);
	free(obs);
	return ok;
}

static void test_mounts_synthetic(void **state)
{
	(void)state;
	assert_true(mounts(ROOT_RO IN_RO OUT_RW, "/in", "/out", "0 runtime-standard"));
	/* trailing slashes on the command line */
	assert_true(mounts(ROOT_RO IN_RO OUT_RW, "/in/", "/out//", NULL));
	/* other data dirs (--in /srv/packet) */
	assert_true(mounts(ROOT_RO "2 1 8:1 /p /srv/packet ro - ext4 x rw\n" OUT_RW, "/srv/packet", "/out", NULL));
	/* escaped mount point with a space */
	assert_true(mounts(ROOT_RO "2 1 8:1 /p /my\\040in ro - ext4 x rw\n" OUT_RW, "/my in", "/out", NULL));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 8:1 /x /my\\040data ro - ext4 x rw\n", "/in", "/out",
			    "/my data: extra mount"));
	/* a second mount stacked on /in, or a mount inside it */
	assert_false(mounts(ROOT_RO IN_RO IN_RO OUT_RW, "/in", "/out", "/in: 2 mounts"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 2 8:1 /s /in/sub ro - ext4 x rw\n", "/in", "/out",
			    "/in/sub: mount inside a data dir"));
	/* missing data dirs, read-only output */
	assert_false(mounts(ROOT_RO OUT_RW, "/in", "/out", "/in: no mount"));
	assert_false(mounts(ROOT_RO IN_RO, "/in", "/out", "/out: no mount"));
	assert_false(mounts(ROOT_RO IN_RO "3 1 8:1 /o /out ro - ext4 x rw\n", "/in", "/out",
			    "/out: output dir is read-only"));
	/* runtime-standard mounts that are not what they claim */
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "5 1 0:2 / /sys rw - sysfs sysfs rw\n", "/in", "/out",
			    "/sys: /sys is writable"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "5 1 8:1 /home /proc/kcore rw - ext4 x rw\n", "/in", "/out",
			    "/proc/kcore: not a masked /proc entry"));
	assert_true(mounts(ROOT_RO IN_RO OUT_RW "5 1 0:5 /null /proc/kcore rw - devtmpfs udev rw\n", "/in",
			   "/out", "1 runtime-standard"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "5 1 8:1 /etc/hosts /etc/hosts rw - ext4 x rw\n", "/in",
			    "/out", "/etc/hosts: writable"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "5 1 8:1 /x /dev/sda rw - ext4 x rw\n", "/in", "/out",
			    "/dev/sda: not a standard device node"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "5 1 8:1 /home /tmp rw - ext4 x rw\n", "/in", "/out",
			    "/tmp: /tmp is not a tmpfs"));
	/* no root, garbage, unreadable */
	assert_false(mounts(IN_RO OUT_RW, "/in", "/out", "/: no root mount"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "garbage line\n", "/in", "/out", "unparsable"));
	assert_false(mounts(NULL, "/in", "/out", "cannot read"));
	/* a second procfs: its root bound over a /proc entry, or anywhere else */
	assert_true(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:9 / /proc rw - proc proc rw\n"
			   "5 4 0:9 /sys /proc/sys ro - proc proc rw\n", "/in", "/out", NULL));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:9 / /proc rw - proc proc rw\n"
			    "5 4 0:7 / /proc/sys ro - proc proc rw\n", "/in", "/out",
			    "/proc/sys: a procfs entry bound from elsewhere"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:7 / /tmp/hostproc ro - proc proc rw\n", "/in", "/out",
			    "/tmp/hostproc: extra mount"));
	/* hugetlbfs, a host dir under /tmp, a writable /proc/sys mask */
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:8 / /dev/hugepages rw - hugetlbfs hugetlbfs rw\n", "/in",
			    "/out", "/dev/hugepages: not a standard device node"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 8:1 /etc /tmp/etc ro - ext4 /dev/sda rw\n", "/in", "/out",
			    "/tmp/etc: extra mount"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:9 / /proc rw - proc proc rw\n"
			    "5 4 0:9 /sys /proc/sys rw - proc proc rw\n", "/in", "/out", "not a masked /proc entry"));
	/* writable tmpfs: small and (for /tmp) noexec, or it is the host's */
	assert_true(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /tmp rw,noexec - tmpfs tmpfs rw,size=16384k\n", "/in",
			   "/out", NULL));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /tmp rw - tmpfs tmpfs rw,size=16384k\n", "/in", "/out",
			    "without noexec"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /tmp rw,noexec - tmpfs tmpfs rw,size=65537k\n", "/in",
			    "/out", "without a size of at most 64 MiB"));
	assert_true(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /tmp rw,noexec - tmpfs tmpfs rw,size=64m\n", "/in",
			   "/out", NULL));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /tmp rw,noexec - tmpfs tmpfs rw,size=1g\n", "/in",
			    "/out", "without a size"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /dev/shm rw - tmpfs tmpfs rw,inode64\n", "/in", "/out",
			    "/dev/shm: writable tmpfs without a size"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /dev/pts rw - devpts devpts rw,mode=620,ptmxmode=000\n",
			    "/in", "/out", "not a fresh instance"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "/in", "/out",
			    "writable cgroup mount"));
	assert_false(mounts(ROOT_RO IN_RO OUT_RW "4 1 0:5 / /sys/fs/cgroup rw - tmpfs tmpfs rw,size=100k\n", "/in",
			    "/out", "writable tmpfs with a size"));
	/* an input dir of / is never satisfied by the root mount */
	assert_false(mounts(ROOT_RO OUT_RW, "/", "/out", "/: no mount"));
}

/* ---- env ---- */

static bool env1(const char *key, const char *want)
{
	char *obs = NULL;
	const char *keys[] = { "PATH", key };
	bool ok = tki_p1_judge_env(keys, 2, &obs);
	if (want && !strstr(obs, want))
		fail_msg("observed \"%s\" does not name \"%s\"", obs, want);
	free(obs);
	return ok;
}

static void test_env(void **state)
{
	(void)state;
	const char *secret[] = {
		"GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "DATABASE_URL", "PGPASSWORD",
		"PGHOST", "MY_API_KEY", "DB_PASSWD", "SERVICE_CREDENTIALS", "HTTP_AUTHORIZATION",
		"github_token", "Npm_Token", "SSH_AUTH_SOCK", "DOCKER_HOST", "KUBECONFIG",
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(secret); i++) {
		assert_true(tki_p1_env_key_secret(secret[i]));
		assert_false(env1(secret[i], "secret-like key; value not shown"));
	}
	const char *harmless[] = { "PATH", "HOSTNAME", "HOME", "TERM", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PWD" };
	for (size_t i = 0; i < TKI_ARRAY_LEN(harmless); i++)
		assert_true(env1(harmless[i], "keys: PATH,"));
	assert_false(env1("FOO", "FOO (not on the allowlist)"));
	assert_false(env1("LD_PRELOAD", "LD_PRELOAD (not on the allowlist)"));
	assert_false(env1("path", "path (not on the allowlist)"));
	/* a key with control bytes is shown escaped, never raw */
	assert_false(env1("A\x1b[2JB", "A\\x1b[2JB (not on the allowlist)"));
	char *obs = NULL;
	assert_true(tki_p1_judge_env(NULL, 0, &obs));
	assert_string_equal(obs, "keys: (none)");
	free(obs);
}

/* ---- uid ---- */

static bool uid(const char *map, unsigned long euid, const char *want)
{
	char *obs = NULL;
	bool ok = tki_p1_judge_uid(map, euid, &obs);
	if (want && !strstr(obs, want))
		fail_msg("observed \"%s\" does not name \"%s\"", obs, want);
	free(obs);
	return ok;
}

static void test_uid(void **state)
{
	(void)state;
	assert_false(uid("         0          0 4294967295\n", 0, "euid 0 maps to uid 0"));
	assert_true(uid("         0          0 4294967295\n", 65532, "uid_map: 0 0 4294967295)"));
	assert_true(uid("         0      65532          1\n", 0, "maps to uid 65532"));
	assert_false(uid("         0      65532          1\n", 1, "euid 1 is not mapped"));
	assert_false(uid("     65532          0          1\n", 65532, "maps to uid 0"));
	assert_true(uid("0 100000 65536\n", 1000, "maps to uid 101000"));
	assert_false(uid("0 0 1\n1 100000 65535\n", 0, "maps to uid 0"));
	assert_false(uid(NULL, 0, "cannot read"));
	assert_false(uid("", 5, "not mapped"));
}

/* ---- sockets, caps ---- */

static void test_sockets_caps(void **state)
{
	(void)state;
	char *obs = NULL;
	assert_true(tki_p1_judge_sockets(NULL, 0, &obs));
	free(obs);
	const char *s[] = { "/run/podman/podman.sock" };
	assert_false(tki_p1_judge_sockets(s, 1, &obs));
	assert_string_equal(obs, "engine socket present: /run/podman/podman.sock");
	free(obs);

	unsigned long long sets[TKI_CAP_NSETS] = { 0 };
	assert_true(tki_p1_judge_caps(sets, &obs));
	free(obs);
	for (int i = 0; i < TKI_CAP_NSETS; i++) {
		static const char *const n[] = { "effective=0x4", "permitted=0x4", "inheritable=0x4",
						 "bounding=0x4", "ambient=0x4" };
		memset(sets, 0, sizeof(sets));
		sets[i] = 1ULL << 2;
		assert_false(tki_p1_judge_caps(sets, &obs));
		assert_non_null(strstr(obs, n[i]));
		free(obs);
	}
	unsigned long long m;
	assert_true(tki_p1_parse_capmask("000001fffeffffff", &m));
	assert_true(m == 0x1fffeffffffULL);
	assert_false(tki_p1_parse_capmask("zz", &m));
	assert_false(tki_p1_parse_capmask(NULL, &m));
}

/* ---- rlimits ---- */

static char *cgroup_value(const char *venue, const char *key)
{
	char *t = slurp(venue, "cgroup");
	char *v = NULL;
	for (char *s = strtok(t, "\n"); s; s = strtok(NULL, "\n"))
		if (!strncmp(s, key, strlen(key)) && s[strlen(key)] == '=')
			v = tki_xstrdup(s + strlen(key) + 1);
	free(t);
	return v;
}

static void test_rlimits(void **state)
{
	(void)state;
	const unsigned long long I = TKI_RLIM_INF;
	struct tki_p1_limits l = { { I, I }, { I, I }, { I, I }, { I, I }, NULL, NULL, NULL };
	char *obs = NULL;
	assert_false(tki_p1_judge_rlimits(&l, &obs));
	assert_non_null(strstr(obs, "RLIMIT_NOFILE, RLIMIT_FSIZE, RLIMIT_NPROC or pids cgroup, RLIMIT_AS or memory cgroup"));
	free(obs);
	struct tki_p1_limits good = { { 64, 64 }, { 1 << 20, 1 << 20 }, { 16, 16 }, { 1ULL << 30, 1ULL << 30 }, NULL, NULL, NULL };
	assert_true(tki_p1_judge_rlimits(&good, &obs));
	assert_non_null(strstr(obs, "NOFILE=64/64 FSIZE=1048576/1048576 NPROC=16/16 AS=1073741824/1073741824"));
	free(obs);
	/* a soft limit under an unlimited hard one can be raised: not set */
	struct tki_p1_limits soft = good;
	soft.fsize[1] = I;
	assert_false(tki_p1_judge_rlimits(&soft, &obs));
	assert_non_null(strstr(obs, "unlimited: RLIMIT_FSIZE ("));
	free(obs);
	/* cgroup limits stand in for NPROC and AS, as Docker sets them */
	struct tki_p1_limits cg = good;
	cg.nproc[0] = cg.nproc[1] = I;
	cg.as[0] = cg.as[1] = I;
	char *pids = cgroup_value("docker-limits", "pids.max");
	char *mem = cgroup_value("docker-limits", "memory.limit_in_bytes");
	cg.pids_max = pids;
	cg.mem_max = mem;
	assert_true(tki_p1_judge_rlimits(&cg, &obs));
	assert_non_null(strstr(obs, "pids.max=64 memory=268435456"));
	free(obs);
	free(pids);
	free(mem);
	/* the default docker run: pids.max=max, v1 "no limit" memory */
	pids = cgroup_value("docker", "pids.max");
	mem = cgroup_value("docker", "memory.limit_in_bytes");
	cg.pids_max = pids;
	cg.mem_max = mem;
	assert_false(tki_p1_judge_rlimits(&cg, &obs));
	assert_non_null(strstr(obs, "unlimited: RLIMIT_NPROC or pids cgroup, RLIMIT_AS or memory cgroup"));
	assert_non_null(strstr(obs, "memory=unlimited"));
	free(obs);
	free(pids);
	free(mem);
	/* a sanitizer build's own layer leaves AS unset and says so: only
	 * AS is waived, and the observation carries the reason */
	struct tki_p1_limits san = good;
	san.as[0] = san.as[1] = I;
	assert_false(tki_p1_judge_rlimits(&san, &obs));
	free(obs);
	san.as_waiver = "AS not set: sanitizer build";
	assert_true(tki_p1_judge_rlimits(&san, &obs));
	assert_non_null(strstr(obs, "AS=unlimited/unlimited"));
	assert_non_null(strstr(obs, "; AS not set: sanitizer build"));
	free(obs);
	san.nofile[0] = san.nofile[1] = I;
	assert_false(tki_p1_judge_rlimits(&san, &obs));
	assert_non_null(strstr(obs, "unlimited: RLIMIT_NOFILE ("));
	free(obs);
}

/* ---- seccomp, no_new_privs, Landlock ---- */

static void test_live_judges(void **state)
{
	(void)state;
	char *obs = NULL;
	assert_true(tki_p1_judge_seccomp(2, true, "allowlist loaded", &obs));
	assert_string_equal(obs, "prctl(PR_GET_SECCOMP)=2 (filter); allowlist loaded");
	free(obs);
	assert_false(tki_p1_judge_seccomp(0, false, "", &obs));
	assert_string_equal(obs, "prctl(PR_GET_SECCOMP)=0 (disabled); own filter not loaded");
	free(obs);
	assert_false(tki_p1_judge_seccomp(-1, false, NULL, &obs));
	free(obs);
	/* the container's filter is there, ours is not: not enough */
	assert_false(tki_p1_judge_seccomp(2, false, "", &obs));
	assert_string_equal(obs, "prctl(PR_GET_SECCOMP)=2 (filter); own filter not loaded");
	free(obs);
	assert_true(tki_p1_judge_nnp(1, &obs));
	free(obs);
	assert_false(tki_p1_judge_nnp(0, &obs));
	assert_string_equal(obs, "prctl(PR_GET_NO_NEW_PRIVS)=0");
	free(obs);

	struct tki_sandbox_state sb = { 0 };
	assert_false(tki_p1_judge_landlock(&sb, 0, 0, 0, &obs));
	assert_non_null(strstr(obs, "degraded: this kernel offers no Landlock"));
	free(obs);
	assert_false(tki_p1_judge_landlock(&sb, 7, 0, 0, &obs));
	assert_non_null(strstr(obs, "not enforced by the own layer (kernel Landlock ABI 7)"));
	free(obs);
	sb.landlock_abi = 7;
	sb.landlock_enforced = true;
	snprintf(sb.landlock_detail, sizeof(sb.landlock_detail), "ro beneath /in, rw beneath /out");
	assert_true(tki_p1_judge_landlock(&sb, 7, 0, EACCES, &obs));
	assert_string_equal(obs, "enforced, ABI 7, open(/) opened before the lock, EACCES after: "
				 "ro beneath /in, rw beneath /out");
	free(obs);
	/* the own layer's word alone: the kernel let the root be read */
	assert_false(tki_p1_judge_landlock(&sb, 7, 0, 0, &obs));
	assert_string_equal(obs, "reported enforced but not in force: open(/) after the lock: opened (want EACCES): "
				 "ro beneath /in, rw beneath /out");
	free(obs);
	assert_false(tki_p1_judge_landlock(&sb, 7, 0, EPERM, &obs));
	free(obs);
	/* a root the venue's modes already refuse tells nothing about Landlock */
	assert_false(tki_p1_judge_landlock(&sb, 7, EACCES, EACCES, &obs));
	assert_non_null(strstr(obs, "cannot be observed: open(/) before the lock: EACCES"));
	free(obs);
	assert_true(tki_p1_judge_seccomp_probe(EPERM, &obs));
	assert_string_equal(obs, "socket(AF_UNIX) refused (EPERM)");
	free(obs);
	assert_false(tki_p1_judge_seccomp_probe(0, &obs));
	assert_string_equal(obs, "socket(AF_UNIX) succeeded (want EPERM from the own filter)");
	free(obs);
	assert_false(tki_p1_judge_seccomp_probe(EACCES, &obs));
	free(obs);
}

static void test_network_synthetic(void **state)
{
	(void)state;
	char *obs = NULL;
	const char *hdr = "Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n";
	char buf[512];
	snprintf(buf, sizeof(buf), "%s    lo: 1 2 3\n", hdr);
	assert_true(tki_p1_judge_network(buf, &obs));
	free(obs);
	snprintf(buf, sizeof(buf), "%s", hdr);
	assert_true(tki_p1_judge_network(buf, &obs));
	assert_string_equal(obs, "interfaces: none");
	free(obs);
	snprintf(buf, sizeof(buf), "%s    lo: 1\n wlan0: 1\nveth1234:1\n", hdr);
	assert_false(tki_p1_judge_network(buf, &obs));
	assert_string_equal(obs, "non-loopback interfaces visible: wlan0, veth1234");
	free(obs);
	assert_false(tki_p1_judge_network(NULL, &obs));
	free(obs);
	/* Text that is not /proc/net/dev fails closed, never "interfaces: none"
	 * (the parser is shared with the attestation re-judge). */
	assert_false(tki_p1_judge_network("garbage\n", &obs));
	assert_string_equal(obs, "/proc/net/dev is not in the expected format");
	free(obs);
	snprintf(buf, sizeof(buf), "%s    lo: 1\nno colon here\n", hdr);
	assert_false(tki_p1_judge_network(buf, &obs));
	free(obs);
	/* A hostile name from a bundle is sanitized before it is shown. */
	snprintf(buf, sizeof(buf), "%s  e\033[2J: 1\n", hdr);
	assert_false(tki_p1_judge_network(buf, &obs));
	assert_string_equal(obs, "non-loopback interface visible: e\\x1b[2J");
	free(obs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_venues),
		cmocka_unit_test(test_env_value_never_captured),
		cmocka_unit_test(test_fds_env_values),
		cmocka_unit_test(test_env_values),
		cmocka_unit_test(test_pidns_root),
		cmocka_unit_test(test_pidns_proc_bind),
		cmocka_unit_test(test_good_observed),
		cmocka_unit_test(test_mounts_synthetic),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_sockets_caps),
		cmocka_unit_test(test_rlimits),
		cmocka_unit_test(test_live_judges),
		cmocka_unit_test(test_network_synthetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
