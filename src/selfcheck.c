// SPDX-License-Identifier: Apache-2.0
/* P1 runtime self-check (L3): the thin layer over the live system.
 *
 * tki_p1_capture() reads the few /proc files P1 judges before the own
 * layer locks the filesystem; tki_p1_finish() asks the kernel the live
 * questions (prctl, capget, getrlimit) after it. Every judgement is a pure
 * function in selfcheck_judge.c / selfcheck_mounts.c. Nothing here ever
 * opens a path under the input dir: the only opens are the fixed /proc and
 * /sys paths below, and each is refused if it overlaps the input dir. */
#include <cap-ng.h>
#include <linux/landlock.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tki/common.h"
#include "tki/selfcheck.h"
#include "selfcheck_int.h"

extern char **environ;

#define P1_MAX_INV 16
#define P1_MAX_FILE (1 << 20) /* mountinfo of a busy host is ~100 KiB */

struct p1_inv {
	const char *name;
	bool ok;
	char *observed;
};

struct tki_p1 {
	char *in_dir, *out_dir;
	char *in_real; /* realpath of the input dir (lstat only), or NULL */
	char *mountinfo, *net_dev, *status, *uid_map;
	char *pids_max, *mem_max;
	struct tki_strlist env_keys, sockets, refused;
	unsigned long euid;
	int seccomp_mode, nnp;
	unsigned long long caps[TKI_CAP_NSETS]; /* as judged after the own layer */
	bool caps_known;
	char *seccomp_own; /* the own allowlist's record, NULL when not loaded */
	int landlock_abi; /* the kernel's, asked before the lock */
	bool finished;
	struct p1_inv inv[P1_MAX_INV];
	size_t n_inv;
};

static const char *const engine_sockets[] = {
	"/var/run/docker.sock", "/run/docker.sock",
	"/run/podman/podman.sock", "/run/containerd/containerd.sock",
};

static void add_inv(struct tki_p1 *p, const char *name, bool ok, char *observed)
{
	if (p->n_inv == P1_MAX_INV)
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: selfcheck: too many invariants (internal error)");
	p->inv[p->n_inv++] = (struct p1_inv){ name, ok, observed };
}

/* path == dir or path beneath dir, lexically. */
static bool overlaps(const char *path, const char *dir)
{
	if (!dir || !*dir)
		return false;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return true;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* The fixed paths P1 reads must never be the packet itself (an input dir
 * of / or /proc would make them so): refuse, and the invariant fails. */
static bool may_open(struct tki_p1 *p, const char *path)
{
	if (overlaps(path, p->in_dir) || overlaps(path, p->in_real)) {
		tki_strlist_addf(&p->refused, "%s (inside the input dir)", path);
		return false;
	}
	return true;
}

static char *read_text(struct tki_p1 *p, const char *path)
{
	if (!may_open(p, path))
		return NULL;
	tki_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	tki_autofree char *buf = tki_xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= P1_MAX_FILE)
				return NULL; /* absurdly large: judged unreadable */
			cap *= 2;
			buf = tki_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NULL;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n))
		return NULL;
	return tki_steal(&buf);
}

static char *read_line(struct tki_p1 *p, const char *path)
{
	char *t = read_text(p, path);
	if (t)
		t[strcspn(t, "\n")] = '\0';
	return t;
}

static char *first_of(struct tki_p1 *p, const char *a, const char *b)
{
	char *t = read_line(p, a);
	return t ? t : read_line(p, b);
}

struct tki_p1 *tki_p1_capture(const struct tki_opts *o)
{
	struct tki_p1 *p = tki_xcalloc(1, sizeof(*p));
	p->in_dir = tki_xstrdup(o->in_dir ? o->in_dir : "/in");
	p->out_dir = tki_xstrdup(o->out_dir ? o->out_dir : "/out");
	/* realpath() resolves with lstat/readlink and opens nothing, so a
	 * symlinked input dir cannot smuggle /proc into the packet path. */
	char rp[PATH_MAX];
	if (realpath(p->in_dir, rp))
		p->in_real = tki_xstrdup(rp);

	p->mountinfo = read_text(p, "/proc/self/mountinfo");
	p->net_dev = read_text(p, "/proc/net/dev");
	p->status = read_text(p, "/proc/self/status");
	p->uid_map = read_text(p, "/proc/self/uid_map");
	/* cgroup v1 (this machine's Docker) first, then v2. */
	p->pids_max = first_of(p, "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/pids.max");
	p->mem_max = first_of(p, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max");
	p->euid = (unsigned long)geteuid();
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	p->landlock_abi = abi > 0 ? (int)abi : 0;

	/* Names only: a value is never copied, so it can never be printed. */
	for (char **e = environ; e && *e; e++) {
		size_t k = strcspn(*e, "=");
		char *key = tki_xmalloc(k + 1);
		memcpy(key, *e, k);
		key[k] = '\0';
		tki_strlist_add(&p->env_keys, key);
		free(key);
	}
	for (size_t i = 0; i < TKI_ARRAY_LEN(engine_sockets); i++) {
		struct stat st;
		if (may_open(p, engine_sockets[i]) && stat(engine_sockets[i], &st) == 0)
			tki_strlist_add(&p->sockets, engine_sockets[i]);
	}

	char *obs;
	bool ok = tki_p1_judge_mounts(p->mountinfo, p->in_dir, p->out_dir, &obs);
	add_inv(p, "mounts", ok, obs);
	ok = tki_p1_judge_network(p->net_dev, &obs);
	add_inv(p, "network", ok, obs);
	ok = tki_p1_judge_env((const char *const *)p->env_keys.v, p->env_keys.n, &obs);
	add_inv(p, "env", ok, obs);
	ok = tki_p1_judge_uid(p->uid_map, p->euid, &obs);
	add_inv(p, "uid", ok, obs);
	ok = tki_p1_judge_sockets((const char *const *)p->sockets.v, p->sockets.n, &obs);
	add_inv(p, "engine_sockets", ok, obs);
	if (p->refused.n) {
		tki_autofree char *j = tki_p1_join(&p->refused, ", ");
		add_inv(p, "input_dir", false, tki_xasprintf("refused to read %s", j));
	}
	return p;
}

bool tki_p1_static_ok(const struct tki_p1 *p)
{
	for (size_t i = 0; i < p->n_inv; i++)
		if (!p->inv[i].ok)
			return false;
	return true;
}

/* All five sets from libcap-ng (capget for E/P/I; bounding and ambient
 * as libcap-ng reads them). false when libcap-ng cannot tell. */
static bool live_caps(unsigned long long sets[TKI_CAP_NSETS])
{
	static const capng_type_t types[TKI_CAP_NSETS] = {
		[TKI_CAP_EFF] = CAPNG_EFFECTIVE, [TKI_CAP_PRM] = CAPNG_PERMITTED,
		[TKI_CAP_INH] = CAPNG_INHERITABLE, [TKI_CAP_BND] = CAPNG_BOUNDING_SET,
		[TKI_CAP_AMB] = CAPNG_AMBIENT,
	};
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_get_caps_process() != 0)
		return false;
	for (int s = 0; s < TKI_CAP_NSETS; s++) {
		sets[s] = 0;
		for (unsigned c = 0; c < 64; c++)
			if (capng_have_capability(types[s], c) > 0)
				sets[s] |= 1ULL << c;
	}
	return true;
}

static void rlim(int res, unsigned long long v[2])
{
	struct rlimit r;
	if (getrlimit(res, &r) != 0) {
		v[0] = v[1] = TKI_RLIM_INF; /* unknown counts as unlimited */
		return;
	}
	v[0] = r.rlim_cur == RLIM_INFINITY ? TKI_RLIM_INF : (unsigned long long)r.rlim_cur;
	v[1] = r.rlim_max == RLIM_INFINITY ? TKI_RLIM_INF : (unsigned long long)r.rlim_max;
}

/* What the own layer says it did, so that a reader (and the acceptance
 * tests) can tell a venue's state from the layer's. Consumes obs. */
static char *with_own(char *obs, bool done, const char *yes, const char *no)
{
	char *s = tki_xasprintf("%s; own layer %s", obs, done ? yes : no);
	free(obs);
	return s;
}

bool tki_p1_finish(struct tki_p1 *p, const struct tki_sandbox_state *sb)
{
	if (p->finished)
		return tki_p1_static_ok(p);
	p->finished = true;
	char *obs;

	p->seccomp_mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	bool ok = tki_p1_judge_seccomp(p->seccomp_mode, sb->seccomp_loaded, sb->seccomp_detail, &obs);
	if (sb->seccomp_loaded && sb->seccomp_detail[0])
		p->seccomp_own = tki_xstrdup(sb->seccomp_detail);
	add_inv(p, "seccomp", ok, obs);

	p->nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	ok = tki_p1_judge_nnp(p->nnp, &obs);
	add_inv(p, "no_new_privs", ok, with_own(obs, sb->nnp_set, "set it", "did not set it"));

	unsigned long long sets[TKI_CAP_NSETS];
	if (live_caps(sets)) {
		memcpy(p->caps, sets, sizeof(p->caps));
		p->caps_known = true;
		ok = tki_p1_judge_caps(sets, &obs);
		add_inv(p, "capabilities", ok, with_own(obs, sb->caps_cleared, "cleared them", "did not clear them"));
	} else {
		add_inv(p, "capabilities", false,
			tki_xasprintf("libcap-ng could not read the capability sets (errno %d)", errno));
	}

	struct tki_p1_limits l = { .pids_max = p->pids_max, .mem_max = p->mem_max, .as_waiver = sb->rlimit_waiver };
	rlim(RLIMIT_NOFILE, l.nofile);
	rlim(RLIMIT_FSIZE, l.fsize);
	rlim(RLIMIT_NPROC, l.nproc);
	rlim(RLIMIT_AS, l.as);
	ok = tki_p1_judge_rlimits(&l, &obs);
	add_inv(p, "rlimits", ok, with_own(obs, sb->rlimits_set, "set them", "did not set them"));

	ok = tki_p1_judge_landlock(sb, p->landlock_abi, &obs);
	add_inv(p, "landlock", ok, obs);
	return tki_p1_static_ok(p);
}

void tki_p1_print_blocked(const struct tki_p1 *p, FILE *f)
{
	for (size_t i = 0; i < p->n_inv; i++)
		if (!p->inv[i].ok)
			fprintf(f, "BLOCKED: %s: %s\n", p->inv[i].name, p->inv[i].observed);
}

void tki_p1_print_json(const struct tki_p1 *p, FILE *f)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < p->n_inv; i++)
		json_array_append_new(arr, json_pack("{s:s, s:b, s:s}", "name", p->inv[i].name,
						     "ok", p->inv[i].ok, "observed", p->inv[i].observed));
	bool ok = p->finished && tki_p1_static_ok(p);
	json_t *o = json_pack("{s:s, s:o}", "verdict", ok ? "OK" : "BLOCKED", "invariants", arr);
	if (!o || json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: selfcheck: cannot write the JSON report");
	fputc('\n', f);
	json_decref(o);
}

static json_t *text_or_null(const char *t)
{
	return t ? json_string(t) : json_null();
}

/* The status lines that matter for the boundary, not the whole file. The
 * file was read before the own layer; once P1 has finished, the lines P1
 * judged live (capability sets, NoNewPrivs, Seccomp) carry the values it
 * judged, so that a re-judge of raw (src/attest_p1.c) judges what P1 did. */
static char *status_selected(const struct tki_p1 *p)
{
	static const char *const keys[] = {
		"Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
		"NoNewPrivs", "Seccomp", "Seccomp_filters",
	};
	static const int capset[] = { [3] = TKI_CAP_INH, [4] = TKI_CAP_PRM, [5] = TKI_CAP_EFF,
				      [6] = TKI_CAP_BND, [7] = TKI_CAP_AMB };
	if (!p->status)
		return NULL;
	struct tki_strlist l = {0};
	for (size_t i = 0; i < TKI_ARRAY_LEN(keys); i++) {
		tki_autofree char *v = tki_p1_status_field(p->status, keys[i]);
		if (p->finished && i >= 3 && i <= 7 && p->caps_known)
			tki_strlist_addf(&l, "%s:\t%016llx\n", keys[i], p->caps[capset[i]]);
		else if (p->finished && i == 8)
			tki_strlist_addf(&l, "%s:\t%d\n", keys[i], p->nnp);
		else if (p->finished && i == 9)
			tki_strlist_addf(&l, "%s:\t%d\n", keys[i], p->seccomp_mode);
		else if (v)
			tki_strlist_addf(&l, "%s:\t%s\n", keys[i], v);
	}
	char *s = tki_p1_join(&l, "");
	tki_strlist_free(&l);
	return s;
}

json_t *tki_p1_raw_json(const struct tki_p1 *p)
{
	json_t *keys = json_array();
	for (size_t i = 0; i < p->env_keys.n; i++)
		json_array_append_new(keys, json_string(p->env_keys.v[i]));
	json_t *socks = json_array();
	for (size_t i = 0; i < p->sockets.n; i++)
		json_array_append_new(socks, json_string(p->sockets.v[i]));
	tki_autofree char *st = status_selected(p);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "mountinfo", text_or_null(p->mountinfo),
			      "env_keyset", keys,
			      "proc_net_dev", text_or_null(p->net_dev),
			      "status", text_or_null(st),
			      "uid_map", text_or_null(p->uid_map),
			      "engine_sockets", socks,
			      "cgroup", json_pack("{s:o, s:o}", "pids_max", text_or_null(p->pids_max),
						  "memory_max", text_or_null(p->mem_max)),
			      "seccomp_mode", p->finished ? json_integer(p->seccomp_mode) : json_null(),
			      "no_new_privs", p->finished ? json_integer(p->nnp) : json_null(),
			      "seccomp_own", text_or_null(p->seccomp_own));
	if (!o)
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: selfcheck: cannot build the raw observations");
	return o;
}

void tki_p1_free(struct tki_p1 *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_inv; i++)
		free(p->inv[i].observed);
	free(p->in_dir);
	free(p->out_dir);
	free(p->in_real);
	free(p->mountinfo);
	free(p->net_dev);
	free(p->status);
	free(p->uid_map);
	free(p->pids_max);
	free(p->mem_max);
	free(p->seccomp_own);
	tki_strlist_free(&p->env_keys);
	tki_strlist_free(&p->sockets);
	tki_strlist_free(&p->refused);
	free(p);
}
