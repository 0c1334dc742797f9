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
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tki/common.h"
#include "tki/selfcheck.h"
#include "selfcheck_int.h"

extern char **environ;

#define P1_MAX_INV 20
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
	char *fds_found, *fds_left;  /* "<fd> <target>" lines, before/after closing */
	char *proc_pids;             /* numeric /proc entries, one a line */
	char *proc_self;             /* the /proc/self link ("" unreadable) */
	char *proc_present;          /* runtime-masked /proc entries that exist */
	char *proc_reach;            /* an outer /proc: "<pid> <errno>" of /proc/<pid>/root */
	char *proc_chain;            /* an outer /proc: our pid and our ancestors' there */
	long pid;
	char *ls_root, *ls_etc, *ls_run, *ls_cgroup; /* "<type> <name>" lines */
	char *self_name;
	int root_before, root_after; /* errno of open("/") before/after the own layer */
	int socket_probe;            /* errno of socket(AF_UNIX) after it */
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

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Entries of dir, "<type> <name>" a line (d, f, l, o as lstat shows
 * them, names sanitised), or NULL; symlinks are never followed. With
 * digits_only, numeric names alone and no type (the pids of /proc). */
static char *list_dir(struct tki_p1 *p, const char *dir, bool digits_only)
{
	if (!may_open(p, dir))
		return NULL;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return NULL;
	}
	struct tki_strlist l = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (digits_only) {
			if (all_digits(e->d_name))
				tki_strlist_addf(&l, "%s\n", e->d_name);
			continue;
		}
		struct stat st;
		char t = 'o';
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			t = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : 'o';
		tki_autofree char *n = tki_p1_sanitize(e->d_name, strlen(e->d_name));
		tki_strlist_addf(&l, "%c %s\n", t, n);
	}
	closedir(d);
	char *s = tki_p1_join(&l, "");
	tki_strlist_free(&l);
	return s;
}

/* Open descriptors above 2, "<fd> <target>" a line (readlink only: the
 * target is never opened), without the listing's own; NULL when
 * /proc/self/fd cannot be listed. */
static char *list_fds(struct tki_p1 *p)
{
	if (!may_open(p, "/proc/self/fd"))
		return NULL;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return NULL;
	struct tki_strlist l = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!all_digits(e->d_name))
			continue;
		int fd = atoi(e->d_name);
		if (fd <= 2 || fd == dirfd(d))
			continue;
		char t[PATH_MAX];
		ssize_t n = readlinkat(dirfd(d), e->d_name, t, sizeof(t) - 1);
		tki_autofree char *ts = tki_p1_sanitize(t, n > 0 ? (size_t)n : 0);
		tki_strlist_addf(&l, "%d %s\n", fd, ts);
	}
	closedir(d);
	char *s = tki_p1_join(&l, "");
	tki_strlist_free(&l);
	return s;
}

/* No descriptor but 0-2 may reach the code that reads the packet: a
 * caller's open file or directory (bwrap passes whatever it inherited)
 * would be readable past every wall. Recorded, then all closed. */
static void close_inherited(struct tki_p1 *p)
{
	p->fds_found = list_fds(p);
	if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
		/* a venue's seccomp profile may refuse close_range: one by one */
		struct rlimit r;
		int max = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < 65536 ? (int)r.rlim_cur : 65536;
		for (int fd = 3; fd < max; fd++)
			close(fd);
	}
	p->fds_left = list_fds(p);
}

static void find_sockets(struct tki_p1 *p)
{
	for (size_t i = 0; tki_p1_engine_sockets[i]; i++) {
		struct stat st;
		if (may_open(p, tki_p1_engine_sockets[i]) && stat(tki_p1_engine_sockets[i], &st) == 0)
			tki_strlist_add(&p->sockets, tki_p1_engine_sockets[i]);
	}
	/* rootless podman: /run/user/<uid>/podman/podman.sock, any uid */
	tki_autofree char *users = list_dir(p, "/run/user", false);
	for (const char *l = users ? users : ""; *l;) {
		size_t len = strcspn(l, "\n");
		if (len > 2 && l[0] == 'd') {
			tki_autofree char *path = tki_xasprintf("/run/user/%.*s/podman/podman.sock", (int)(len - 2), l + 2);
			struct stat st;
			if (may_open(p, path) && stat(path, &st) == 0)
				tki_strlist_add(&p->sockets, path);
		}
		l += len;
		if (*l == '\n')
			l++;
	}
}

/* errno of open("/", O_RDONLY|O_DIRECTORY), 0 when it opened. */
static int open_root(struct tki_p1 *p)
{
	if (!may_open(p, "/"))
		return EINVAL;
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		close(fd);
	return e;
}

/* Our pid as the procfs at /proc sees it: getpid() in a procfs of our own
 * pid namespace, another number in an outer one's bound in (a pod). */
static char *proc_self_link(struct tki_p1 *p)
{
	char t[32];
	ssize_t n = may_open(p, "/proc/self") ? readlink("/proc/self", t, sizeof(t) - 1) : -1;
	return n > 0 ? tki_p1_sanitize(t, (size_t)n) : tki_xstrdup("");
}

/* Which of the entries a runtime masks exist (lstat: a mask is there
 * too), one a line: a bound /proc must keep the mask of each. */
static char *proc_present(struct tki_p1 *p)
{
	struct tki_strlist l = {0};
	const char *const *lists[] = {tki_p1_proc_masked, tki_p1_proc_readonly};
	for (size_t k = 0; k < TKI_ARRAY_LEN(lists); k++)
		for (size_t i = 0; lists[k][i]; i++) {
			struct stat st;
			if (may_open(p, lists[k][i]) && lstat(lists[k][i], &st) == 0)
				tki_strlist_addf(&l, "%s\n", lists[k][i]);
		}
	char *s = tki_p1_join(&l, "");
	tki_strlist_free(&l);
	return s;
}

/* In an outer pid namespace's /proc (a pod's, bound in by --self-sandbox)
 * the pod's other processes are listed: none may be reachable, or its
 * root, descriptors and environment would be readable through
 * /proc/<pid>/. readlink of /proc/<pid>/root asks the kernel's ptrace
 * access check, the one those entries share; we never follow it. One
 * "<pid> <result>" line per other pid: EACCES (refused), ENOENT (gone),
 * "reachable" or another errno. NULL when /proc is our own. */
static char *proc_reach(struct tki_p1 *p)
{
	if (!p->proc_pids || !p->proc_self || atol(p->proc_self) == p->pid)
		return NULL;
	struct tki_strlist l = {0};
	for (const char *s = p->proc_pids; *s;) {
		size_t len = strcspn(s, "\n");
		bool self = len == strlen(p->proc_self) && !strncmp(s, p->proc_self, len);
		if (len && len < 16 && !self) {
			char path[48], t[PATH_MAX];
			snprintf(path, sizeof(path), "/proc/%.*s/root", (int)len, s);
			errno = EINVAL;
			ssize_t n = may_open(p, path) ? readlink(path, t, sizeof(t) - 1) : -1;
			const char *e = strerrorname_np(errno);
			tki_strlist_addf(&l, "%.*s %s\n", (int)len, s, n >= 0 ? "reachable" : e ? e : "error");
		}
		s += len;
		if (*s == '\n')
			s++;
	}
	char *r = tki_p1_join(&l, "");
	tki_strlist_free(&l);
	return r;
}

/* Field 4 of /proc/<pid>/stat (the parent, numbered in that procfs's pid
 * namespace), after the command name's last ')'; -1 if unreadable. */
static long proc_ppid(struct tki_p1 *p, long pid)
{
	char path[48];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	tki_autofree char *st = read_text(p, path);
	const char *r = st ? strrchr(st, ')') : NULL;
	char state;
	long ppid;
	if (!r || sscanf(r + 1, " %c %ld", &state, &ppid) != 2)
		return -1;
	return ppid;
}

/* In an outer /proc: our pid there, then our parent's, its parent's, ...
 * (at most 16), one a line: the processes that may share the pod's pid
 * namespace with us (PID 1 of the sandbox, the outer process, an init the
 * runtime put above it). NULL when /proc is our own. */
static char *proc_chain(struct tki_p1 *p)
{
	if (!p->proc_self || atol(p->proc_self) <= 0 || atol(p->proc_self) == p->pid)
		return NULL;
	struct tki_strlist l = {0};
	long pid = atol(p->proc_self);
	for (int i = 0; i < 16 && pid > 0; i++) {
		tki_strlist_addf(&l, "%ld\n", pid);
		pid = proc_ppid(p, pid);
	}
	char *r = tki_p1_join(&l, "");
	tki_strlist_free(&l);
	return r;
}

static char *self_name(void)
{
	char t[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", t, sizeof(t) - 1);
	if (n <= 0)
		return NULL;
	t[n] = '\0';
	const char *b = strrchr(t, '/');
	return tki_xstrdup(b ? b + 1 : t);
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
	close_inherited(p);

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
	p->root_before = open_root(p);

	p->pid = (long)getpid();
	p->proc_pids = list_dir(p, "/proc", true);
	p->proc_self = proc_self_link(p);
	p->proc_present = proc_present(p);
	p->proc_reach = proc_reach(p);
	p->proc_chain = proc_chain(p);
	p->ls_root = list_dir(p, "/", false);
	p->ls_etc = list_dir(p, "/etc", false);
	p->ls_run = list_dir(p, "/run", false);
	p->ls_cgroup = list_dir(p, "/sys/fs/cgroup", false);
	p->self_name = self_name();

	/* Names only: a value is never copied, so it can never be printed
	 * (the env judge reads environ in place, below). */
	for (char **e = environ; e && *e; e++) {
		size_t k = strcspn(*e, "=");
		char *key = tki_xmalloc(k + 1);
		memcpy(key, *e, k);
		key[k] = '\0';
		tki_strlist_add(&p->env_keys, key);
		free(key);
	}
	find_sockets(p);
	/* --self-sandbox in a container (a pod): the sockets of the venue
	 * around us, found before the walls. On a host they are the host's
	 * own; in a pod they would hand the node to whoever got out. */
	bool outer_bound = p->proc_self && atol(p->proc_self) != p->pid;
	for (const char *s = o->outer_sockets && (o->outer_confined || outer_bound) ? o->outer_sockets : ""; *s;) {
		size_t len = strcspn(s, "\n");
		if (len)
			tki_strlist_addf(&p->sockets, "%.*s (in the venue around --self-sandbox)", (int)len, s);
		s += len;
		if (*s == '\n')
			s++;
	}

	char *obs;
	bool ok = tki_p1_judge_mounts(p->mountinfo, p->in_dir, p->out_dir, &obs);
	add_inv(p, "mounts", ok, obs);
	ok = tki_p1_judge_network(p->net_dev, &obs);
	add_inv(p, "network", ok, obs);
	size_t n_env = 0;
	while (environ && environ[n_env])
		n_env++;
	ok = tki_p1_judge_env((const char *const *)environ, n_env, &obs);
	add_inv(p, "env", ok, obs);
	ok = tki_p1_judge_uid(p->uid_map, p->euid, &obs);
	add_inv(p, "uid", ok, obs);
	ok = tki_p1_judge_sockets((const char *const *)p->sockets.v, p->sockets.n, &obs);
	add_inv(p, "engine_sockets", ok, obs);
	ok = tki_p1_judge_fds(p->fds_found, p->fds_left, &obs);
	add_inv(p, "fds", ok, obs);
	ok = tki_p1_judge_pidns(p->proc_pids, p->pid,
				&(struct tki_p1_procfs){p->proc_self, p->proc_present, p->mountinfo, p->proc_reach, p->proc_chain}, &obs);
	add_inv(p, "pid_namespace", ok, obs);
	struct tki_p1_layout lay = { .root = p->ls_root, .etc = p->ls_etc, .run = p->ls_run,
				     .cgroup = p->ls_cgroup, .self_name = p->self_name };
	ok = tki_p1_judge_root(p->mountinfo, &lay, &obs);
	add_inv(p, "root", ok, obs);
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
	/* ...and the filter observed on its own: a call only ours refuses. */
	/* Only once the snapshot shows a sandbox: a bare host is blocked
	 * already, and attest there must try no probe call at all (#24).
	 * syscall(2): the binary imports no socket() (#35). */
	char *pobs;
	bool pok = true;
	if (tki_p1_static_ok(p)) {
		int s = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		p->socket_probe = s >= 0 ? 0 : errno;
		if (s >= 0)
			close(s);
		pok = tki_p1_judge_seccomp_probe(p->socket_probe, &pobs);
	} else {
		pobs = tki_xstrdup("socket(AF_UNIX) not tried (P1 failed already)");
	}
	char *both = tki_xasprintf("%s; %s", obs, pobs);
	free(obs);
	free(pobs);
	add_inv(p, "seccomp", ok && pok, both);

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

	/* Landlock on its own: the root opened before the lock, and only a
	 * ruleset in force refuses it now (EACCES). */
	p->root_after = open_root(p);
	ok = tki_p1_judge_landlock(sb, p->landlock_abi, p->root_before, p->root_after, &obs);
	add_inv(p, "landlock", ok, obs);
	return tki_p1_static_ok(p);
}

void tki_p1_print_blocked(const struct tki_p1 *p, FILE *f)
{
	for (size_t i = 0; i < p->n_inv; i++) {
		if (p->inv[i].ok)
			continue;
		fprintf(f, "BLOCKED: %s: ", p->inv[i].name);
		tki_fput_text(f, p->inv[i].observed);
		fputc('\n', f);
	}
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
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}",
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
			      "seccomp_own", text_or_null(p->seccomp_own),
			      "fds_inherited", text_or_null(p->fds_found),
			      "fds_left", text_or_null(p->fds_left),
			      "proc_pids", text_or_null(p->proc_pids),
			      "pid", (json_int_t)p->pid,
			      "root_layout", json_pack("{s:o, s:o, s:o, s:o}", "root", text_or_null(p->ls_root),
						       "etc", text_or_null(p->ls_etc), "run", text_or_null(p->ls_run),
						       "sys_fs_cgroup", text_or_null(p->ls_cgroup)),
			      "self_name", text_or_null(p->self_name));
	if (o && (json_object_set_new(o, "proc_self", json_string(p->proc_self)) != 0 ||
		  json_object_set_new(o, "proc_present", json_string(p->proc_present)) != 0 ||
		  json_object_set_new(o, "proc_reach", text_or_null(p->proc_reach)) != 0 ||
		  json_object_set_new(o, "proc_chain", text_or_null(p->proc_chain)) != 0)) {
		json_decref(o);
		o = NULL;
	}
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
	free(p->fds_found);
	free(p->fds_left);
	free(p->proc_pids);
	free(p->proc_self);
	free(p->proc_present);
	free(p->proc_reach);
	free(p->proc_chain);
	free(p->ls_root);
	free(p->ls_etc);
	free(p->ls_run);
	free(p->ls_cgroup);
	free(p->self_name);
	tki_strlist_free(&p->env_keys);
	tki_strlist_free(&p->sockets);
	tki_strlist_free(&p->refused);
	free(p);
}
