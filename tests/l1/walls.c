// SPDX-License-Identifier: Apache-2.0
/* walls: try every L1 escape from inside a venue and say what happened.
 *
 * Test tree only, never in the shipped binary. Inside a venue (docker,
 * bwrap, or --venue self, which calls tki_sandbox_enter first) each attempt
 * runs in its own forked child that applies the binary's own layer
 * (tki_sandbox_restrict, the same call main() makes) and then tries one
 * escape; the parent prints one line per attempt:
 *
 *   WALL <id>:<name> <expected> <observed> PASS|FAIL
 *
 * A child killed by a signal (SIGSYS from a KILL action) is a refusal.
 * --only NAME runs one attempt in this process (for venues that refuse
 * fork to the harness itself); its death is then read from the exit code.
 * Observations the layer would hide (/proc files under Landlock) are
 * opened before the layer and read after it. */
#include "tki/cli.h"
#include "tki/common.h"
#include "tki/sandbox.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

extern char **environ;

struct ctx {
	const char *venue;
	struct tki_opts o;     /* in_dir/out_dir as seen inside */
	const char *secret_key, *sentinel, *home, *host_pidns, *suid, *link;
	int mountinfo, netdev, status, environ_fd, self_exe, out_fd;
	int in_ro, in_nosuid; /* statvfs of /in before the layer (statfs may be denied after) */
};

struct wall {
	int id;
	const char *name, *expected;
	bool positive; /* success expected: a signal is a FAIL */
	bool (*run)(struct ctx *c, char *obs, size_t n);
};

#define OBS(...) snprintf(obs, n, __VA_ARGS__)

static const char *ename(int e)
{
	switch (e) {
	case 0: return "OK";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EROFS: return "EROFS";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EXDEV: return "EXDEV";
	case ELOOP: return "ELOOP";
	case ENOTDIR: return "ENOTDIR";
	case ESRCH: return "ESRCH";
	case EBADF: return "EBADF";
	case ENOTSUP: return "ENOTSUP";
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	default: {
		static char b[16];
		snprintf(b, sizeof(b), "errno%d", e);
		return b;
	}
	}
}

/* Read what an fd opened before the layer shows now. */
static size_t slurp(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return 0;
	ssize_t r;
	while (len + 1 < cap && (r = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	return len;
}

static bool refused_open(const char *path, int flags, char *obs, size_t n)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	int e = errno;
	if (fd >= 0) {
		close(fd);
		OBS("opened");
		return false;
	}
	OBS("%s", ename(e));
	return true;
}

/* ---- #25 #26 #27: network ---- */
static bool w_socket_inet(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0) {
		OBS("socket-created");
		return false;
	}
	OBS("%s", ename(errno));
	return true;
}

/* The x32 ABI (syscall number | 0x40000000) must not be a way around. */
static bool w_x32_socket(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	long r = syscall(0x40000000L | __NR_socket, AF_INET, SOCK_STREAM, 0);
	OBS("%s", r >= 0 ? "socket-created" : ename(errno));
	return r < 0;
}

/* i386 entry through int 0x80: socket is 359 there. */
static bool w_i386_socket(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	long r = 359;
	__asm__ volatile("int $0x80" : "+a"(r) : "b"(AF_INET), "c"(SOCK_STREAM), "d"(0) : "memory");
	OBS("%s", r >= 0 ? "socket-created" : ename((int)-r));
	return r < 0;
}

static bool try_connect(int family, const void *sa, socklen_t len, int type, char *obs, size_t n)
{
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		OBS("socket:%s", ename(errno));
		return true;
	}
	int r = connect(fd, sa, len);
	int e = errno;
	close(fd);
	if (r == 0) {
		OBS("connected");
		return false;
	}
	OBS("socket:OK,connect:%s", ename(e));
	return true;
}

static bool w_pg_tcp(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(5432)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return try_connect(AF_INET, &sa, sizeof(sa), SOCK_STREAM, obs, n);
}

static bool w_pg_unix(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	static const char path[] = "/var/run/postgresql/.s.PGSQL.5432";
	struct stat st;
	int se = stat(path, &st) == 0 ? 0 : errno;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, path, sizeof(path));
	char sub[96];
	bool ok = try_connect(AF_UNIX, &sa, sizeof(sa), SOCK_STREAM, sub, sizeof(sub));
	OBS("stat:%s,%s", ename(se), sub);
	return ok;
}

/* Interfaces listed in /proc/net/dev, comma-joined; true when only lo. */
static bool lo_only(struct ctx *c, char *list, size_t n)
{
	char buf[8192];
	slurp(c->netdev, buf, sizeof(buf));
	list[0] = '\0';
	int count = 0;
	bool only_lo = true;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		char *colon = strchr(l, ':');
		if (!colon || strchr(l, '|'))
			continue;
		*colon = '\0';
		while (*l == ' ')
			l++;
		size_t len = strlen(list);
		snprintf(list + len, n - len, "%s%s", count ? "," : "", l);
		only_lo = only_lo && !strcmp(l, "lo");
		count++;
	}
	return count > 0 && only_lo;
}

static bool w_netdev_lo(struct ctx *c, char *obs, size_t n)
{
	char list[256];
	bool ok = lo_only(c, list, sizeof(list));
	OBS("%s", c->netdev < 0 ? "unreadable" : list[0] ? list : "none");
	return ok;
}

/* Only ever attempted when the namespace has nothing but lo, and over UDP
 * whose connect() sends no packet: this test never leaves the machine. */
static bool w_connect_dns(struct ctx *c, char *obs, size_t n)
{
	char list[256];
	if (!lo_only(c, list, sizeof(list))) {
		OBS("not-attempted:interfaces=%s", list[0] ? list : "unreadable");
		return false;
	}
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(53)};
	inet_pton(AF_INET, "1.1.1.1", &sa.sin_addr);
	return try_connect(AF_INET, &sa, sizeof(sa), SOCK_DGRAM, obs, n);
}

/* ---- #28 environment ---- */
static bool secret_like(const char *k)
{
	static const char *const bad[] = {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL",
					  "AUTH", "DATABASE_URL"};
	static const char *const prefixes[] = {"PG", "AWS_", "GITHUB_"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++)
		if (strstr(k, bad[i]))
			return true;
	for (size_t i = 0; i < TKI_ARRAY_LEN(prefixes); i++)
		if (!strncmp(k, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static bool w_env(struct ctx *c, char *obs, size_t n)
{
	char keys[512] = "";
	bool ok = true;
	for (char **e = environ; *e; e++) {
		size_t kl = strcspn(*e, "=");
		char k[128];
		snprintf(k, sizeof(k), "%.*s", (int)kl, *e);
		size_t len = strlen(keys);
		snprintf(keys + len, sizeof(keys) - len, "%s%s", len ? "," : "", k);
		if (secret_like(k))
			ok = false;
	}
	/* The initial environment block stays readable in memory unless
	 * scrubbed: look there too (opened before the layer). */
	char block[16384];
	size_t bl = slurp(c->environ_fd, block, sizeof(block));
	bool in_block = false;
	if (c->secret_key) {
		size_t kl = strlen(c->secret_key);
		for (size_t i = 0; i + kl < bl; i++)
			if ((i == 0 || block[i - 1] == '\0') && !memcmp(block + i, c->secret_key, kl) &&
			    block[i + kl] == '=')
				in_block = true;
		if (getenv(c->secret_key))
			ok = false;
	}
	OBS("keys=%s;environ_block=%s", keys[0] ? keys : "none", in_block ? "HAS-SECRET" : "clean");
	return ok && !in_block && c->secret_key;
}

/* ---- #29 writes outside, mount table ---- */
static bool w_write_etc(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	return refused_open("/etc/tki-wall", O_WRONLY | O_CREAT, obs, n);
}
static bool w_write_root(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	return refused_open("/root/tki-wall", O_WRONLY | O_CREAT, obs, n);
}
static bool w_write_app(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	bool a = refused_open("/app/tki-wall", O_WRONLY | O_CREAT, obs, n);
	int r = mkdir("/app", 0755);
	size_t l = strlen(obs);
	snprintf(obs + l, n - l, ",mkdir:%s", r == 0 ? "created" : ename(errno));
	return a && r < 0;
}

static bool runtime_fs(const char *t)
{
	static const char *const ok[] = {"proc", "tmpfs", "devpts", "mqueue", "sysfs", "cgroup", "cgroup2", "devtmpfs"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(ok); i++)
		if (!strcmp(t, ok[i]))
			return true;
	return false;
}

/* Classify: the root and /in must be read-only, /out present; no other
 * disk-backed mount except the engine's /etc/hosts|hostname|resolv.conf. */
static bool w_mount_table(struct ctx *c, char *obs, size_t n)
{
	char buf[16384];
	if (!slurp(c->mountinfo, buf, sizeof(buf))) {
		OBS("unreadable");
		return false;
	}
	const char *root = "missing", *in = "missing", *out = "missing";
	char others[256] = "";
	int nmounts = 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		char mp[256], opts[256], fstype[64];
		/* id parent maj:min root mountpoint opts [optional...] - fstype src superopts */
		if (sscanf(l, "%*s %*s %*s %*s %255s %255s", mp, opts) != 2)
			continue;
		const char *dash = strstr(l, " - ");
		if (!dash || sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		nmounts++;
		const char *rw = !strncmp(opts, "ro", 2) && (opts[2] == ',' || !opts[2]) ? "ro" : "rw";
		if (!strcmp(mp, "/"))
			root = rw;
		else if (!strcmp(mp, "/in"))
			in = rw;
		else if (!strcmp(mp, "/out"))
			out = rw;
		else if (!runtime_fs(fstype) && strcmp(mp, "/etc/hosts") && strcmp(mp, "/etc/hostname") &&
			 strcmp(mp, "/etc/resolv.conf")) {
			size_t len = strlen(others);
			snprintf(others + len, sizeof(others) - len, "%s%s(%s)", len ? "+" : "", mp, fstype);
		}
	}
	OBS("mounts=%d,root=%s,in=%s,out=%s,other_data=%s", nmounts, root, in, out, others[0] ? others : "none");
	return !strcmp(root, "ro") && !strcmp(in, "ro") && !strcmp(out, "rw") && !others[0];
}

/* ---- #30 host files ---- */
static bool w_read_shadow(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	return refused_open("/etc/shadow", O_RDONLY, obs, n);
}
static bool w_read_home(struct ctx *c, char *obs, size_t n)
{
	return refused_open(c->home ? c->home : "/root", O_RDONLY | O_DIRECTORY, obs, n);
}
static bool w_read_sentinel(struct ctx *c, char *obs, size_t n)
{
	if (!c->sentinel) {
		OBS("no-sentinel-given");
		return false;
	}
	return refused_open(c->sentinel, O_RDONLY, obs, n);
}
/* /proc/1 inside a new pid namespace is the sandbox's own init, never the
 * host's: readable is a PASS only when the pid namespace differs. */
static bool w_read_host_environ(struct ctx *c, char *obs, size_t n)
{
	if (refused_open("/proc/1/environ", O_RDONLY, obs, n))
		return true;
	char ns[64] = "";
	ssize_t r = readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1);
	if (r > 0)
		ns[r] = '\0';
	bool other = c->host_pidns && r > 0 && strcmp(ns, c->host_pidns);
	OBS("readable,own-pidns=%s", other ? "yes" : r > 0 ? "no" : "unknown");
	return other;
}
static bool w_proc_root(struct ctx *c, char *obs, size_t n)
{
	char a[32], b[32];
	bool x = refused_open("/proc/self/root/etc/shadow", O_RDONLY, a, sizeof(a));
	bool y = c->sentinel ? ({
		tki_autofree char *p = tki_xasprintf("/proc/1/root%s", c->sentinel);
		refused_open(p, O_RDONLY, b, sizeof(b));
	}) : (snprintf(b, sizeof(b), "skipped"), true);
	OBS("self_root_shadow:%s,pid1_root_sentinel:%s", a, b);
	return x && y;
}
static bool w_open_by_handle(struct ctx *c, char *obs, size_t n)
{
	struct {
		struct file_handle h;
		unsigned char buf[128];
	} fh = {.h.handle_bytes = 128};
	int mnt = -1;
	int r = name_to_handle_at(AT_FDCWD, c->o.out_dir, &fh.h, &mnt, 0);
	int ne = r == 0 ? 0 : errno;
	if (r < 0) { /* a forged handle is as good a try */
		fh.h.handle_bytes = 8;
		fh.h.handle_type = 1;
		memset(fh.buf, 0, 8);
		fh.buf[0] = 2;
	}
	int fd = open_by_handle_at(c->out_fd, &fh.h, O_RDONLY);
	int e = errno;
	if (fd >= 0) {
		close(fd);
		OBS("opened");
		return false;
	}
	OBS("name_to_handle:%s,open_by_handle:%s", ename(ne), ename(e));
	return true;
}

/* ---- #31 out of /out ---- */
static bool w_symlink_out(struct ctx *c, char *obs, size_t n)
{
	/* A link the sandbox makes itself, and one planted by the host. */
	int s = symlinkat("/etc/tki-escape", c->out_fd, "tki-wall-link");
	int se = s == 0 ? 0 : errno;
	char a[32] = "", b[32] = "";
	bool x = true, y = true;
	if (s == 0) {
		int fd = openat(c->out_fd, "tki-wall-link", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		x = fd < 0;
		snprintf(a, sizeof(a), "%s", fd >= 0 ? "written" : ename(errno));
		if (fd >= 0)
			close(fd);
		unlinkat(c->out_fd, "tki-wall-link", 0);
	}
	if (c->link) {
		int fd = openat(c->out_fd, c->link, O_WRONLY | O_TRUNC | O_CLOEXEC);
		y = fd < 0;
		snprintf(b, sizeof(b), "%s", fd >= 0 ? "written" : ename(errno));
		if (fd >= 0) {
			if (write(fd, "ESCAPED\n", 8) < 0)
				snprintf(b, sizeof(b), "opened");
			close(fd);
		}
	}
	OBS("symlink:%s,via_own_link:%s,via_host_link:%s", ename(se), a[0] ? a : "-", b[0] ? b : "-");
	return x && y;
}
static bool w_dotdot_out(struct ctx *c, char *obs, size_t n)
{
	tki_autofree char *p = tki_xasprintf("%s/../tki-wall-escape", c->o.out_dir);
	return refused_open(p, O_WRONLY | O_CREAT, obs, n);
}

/* ---- #32 privilege ---- */
static unsigned long long status_hex(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : ~0ULL;
}
static bool w_caps_nnp(struct ctx *c, char *obs, size_t n)
{
	char buf[4096];
	if (!slurp(c->status, buf, sizeof(buf))) {
		OBS("status-unreadable");
		return false;
	}
	unsigned long long inh = status_hex(buf, "CapInh:"), prm = status_hex(buf, "CapPrm:"),
			   eff = status_hex(buf, "CapEff:"), bnd = status_hex(buf, "CapBnd:"),
			   amb = status_hex(buf, "CapAmb:");
	const char *p = strstr(buf, "NoNewPrivs:");
	int nnp_status = p ? atoi(p + 11) : -1; /* absent under gVisor */
	int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	OBS("CapInh=%llx,CapPrm=%llx,CapEff=%llx,CapBnd=%llx,CapAmb=%llx,NoNewPrivs=%d(prctl=%d)", inh, prm, eff,
	    bnd, amb, nnp_status, nnp);
	return !inh && !prm && !eff && !bnd && !amb && nnp == 1;
}
static bool w_suid_exec(struct ctx *c, char *obs, size_t n)
{
	if (!c->suid) {
		OBS("no-suid-binary-given");
		return false;
	}
	tki_autofree char *p = tki_xasprintf("%s/%s", c->o.in_dir, c->suid);
	struct stat st;
	int se = stat(p, &st) == 0 ? 0 : errno;
	const char *nosuid = c->in_nosuid < 0 ? "unknown" : c->in_nosuid ? "yes" : "no";
	char *argv[] = {p, "--whoami", NULL};
	execve(p, argv, environ);
	int e = errno;
	OBS("mode=%o,in_nosuid=%s,exec:%s", se ? 0 : (unsigned)(st.st_mode & 07777), nosuid, ename(e));
	return se == 0 && (st.st_mode & S_ISUID);
}
static bool w_setuid0(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	int r = setuid(0);
	int e = errno;
	OBS("%s,uid_after=%u", r == 0 ? "OK" : ename(e), (unsigned)getuid());
	return r < 0 && getuid() != 0;
}

/* ---- #33 /in and /out ---- */
static bool w_write_in(struct ctx *c, char *obs, size_t n)
{
	tki_autofree char *p = tki_xasprintf("%s/tki-wall", c->o.in_dir);
	bool ro = c->in_ro == 1;
	char sub[32];
	bool refused = refused_open(p, O_WRONLY | O_CREAT, sub, sizeof(sub));
	OBS("%s,mount=%s", sub, c->in_ro < 0 ? "unknown" : ro ? "ro" : "rw");
	return refused && ro;
}
static bool w_write_out(struct ctx *c, char *obs, size_t n)
{
	int fd = openat(c->out_fd, "tki-wall-ok", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		OBS("%s", ename(errno));
		return false;
	}
	bool ok = write(fd, "ok\n", 3) == 3;
	int e = errno;
	close(fd);
	OBS("%s", ok ? "written" : ename(e));
	return ok;
}

/* ---- #34 exec ---- */
static bool w_execve(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	char *argv[] = {"walls", "--exec-canary", NULL};
	execve("/proc/self/exe", argv, environ);
	OBS("%s", ename(errno));
	return true;
}
static bool w_execveat(struct ctx *c, char *obs, size_t n)
{
	char *argv[] = {"walls", "--exec-canary", NULL};
	syscall(SYS_execveat, c->self_exe, "", argv, environ, AT_EMPTY_PATH);
	OBS("%s", ename(errno));
	return true;
}
static bool w_fork_exec(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	pid_t p = fork();
	if (p < 0) {
		OBS("fork:%s", ename(errno));
		return true;
	}
	if (p == 0) {
		char *argv[] = {"walls", "--exec-canary", NULL};
		execve("/proc/self/exe", argv, environ);
		_exit(100 + (errno & 0x1f));
	}
	int st;
	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 42) {
		OBS("fork:OK,exec:RAN");
		return false;
	}
	if (WIFSIGNALED(st))
		OBS("fork:OK,child:%s", strsignal(WTERMSIG(st)));
	else
		OBS("fork:OK,exec:failed(exit%d)", WEXITSTATUS(st));
	return true;
}

/* ---- #36 engine sockets ---- */
static bool w_engine_sockets(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	static const char *const socks[] = {"/var/run/docker.sock", "/run/docker.sock", "/run/podman/podman.sock",
					    "/run/containerd/containerd.sock"};
	bool ok = true;
	obs[0] = '\0';
	for (size_t i = 0; i < TKI_ARRAY_LEN(socks); i++) {
		struct stat st;
		int r = stat(socks[i], &st);
		ok = ok && r < 0;
		size_t l = strlen(obs);
		snprintf(obs + l, n - l, "%s%s:%s", i ? "," : "", socks[i], r == 0 ? "PRESENT" : ename(errno));
	}
	return ok;
}

/* ---- #37 ptrace and kernel attack surface ---- */
static bool w_ptrace_traceme(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	OBS("%s", r == 0 ? "OK" : ename(errno));
	return r < 0;
}
static bool w_ptrace_parent(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	pid_t pp = getppid();
	long r = ptrace(PTRACE_ATTACH, pp, NULL, NULL);
	int e = errno;
	if (r == 0) { /* wait for the stop, then let it go, or it stays stopped */
		int st;
		waitpid(pp, &st, __WALL);
		ptrace(PTRACE_DETACH, pp, NULL, NULL);
	}
	OBS("ppid=%d,%s", (int)pp, r == 0 ? "ATTACHED" : ename(e));
	return r < 0;
}
static bool w_io_uring(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	struct io_uring_params p = {0};
	long r = syscall(__NR_io_uring_setup, 4, &p);
	OBS("%s", r >= 0 ? "ring-created" : ename(errno));
	return r < 0;
}
static bool w_userfaultfd(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	long r = syscall(__NR_userfaultfd, O_CLOEXEC);
	OBS("%s", r >= 0 ? "fd-created" : ename(errno));
	return r < 0;
}
static bool w_bpf(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	union bpf_attr a = {.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1};
	long r = syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	OBS("%s", r >= 0 ? "map-created" : ename(errno));
	return r < 0;
}
static bool w_perf(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	struct perf_event_attr a = {.type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
				    .config = PERF_COUNT_SW_TASK_CLOCK, .disabled = 1,
				    .exclude_kernel = 1, .exclude_hv = 1};
	long r = syscall(__NR_perf_event_open, &a, 0, -1, -1, 0);
	OBS("%s", r >= 0 ? "event-opened" : ename(errno));
	return r < 0;
}
static bool w_keyctl(struct ctx *c, char *obs, size_t n)
{
	(void)c;
	long r = syscall(__NR_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);
	OBS("%s", r >= 0 ? "keyring-reached" : ename(errno));
	return r < 0;
}

static const struct wall walls[] = {
	{25, "socket_inet", "EPERM", false, w_socket_inet},
	{25, "x32_socket", "refused(ENOSYS|EPERM|SIGSYS)", false, w_x32_socket},
	{25, "i386_int80_socket", "refused(SIGSYS|ENOSYS|EPERM)", false, w_i386_socket},
	{26, "pg_tcp_127.0.0.1:5432", "EPERM|ECONNREFUSED", false, w_pg_tcp},
	{26, "pg_unix_socket", "ENOENT|EPERM", false, w_pg_unix},
	{27, "proc_net_dev", "lo-only", false, w_netdev_lo},
	{27, "connect_1.1.1.1:53", "EPERM|ENETUNREACH", false, w_connect_dns},
	{28, "env_keyset", "no-secret", false, w_env},
	{29, "write_etc", "EROFS|EACCES|ENOENT", false, w_write_etc},
	{29, "write_root", "EROFS|EACCES|ENOENT", false, w_write_root},
	{29, "write_app", "EROFS|EACCES|ENOENT", false, w_write_app},
	{29, "mount_table", "root=ro,in=ro,out=rw,no-other-data", false, w_mount_table},
	{30, "read_etc_shadow", "ENOENT|EACCES", false, w_read_shadow},
	{30, "read_home", "ENOENT|EACCES", false, w_read_home},
	{30, "read_host_proc1_environ", "refused|own-pidns", false, w_read_host_environ},
	{30, "read_host_sentinel", "ENOENT|EACCES", false, w_read_sentinel},
	{30, "proc_self_root", "ENOENT|EACCES", false, w_proc_root},
	{30, "open_by_handle_at", "EPERM", false, w_open_by_handle},
	{31, "write_via_symlink", "refused", false, w_symlink_out},
	{31, "write_via_dotdot", "EROFS|EACCES", false, w_dotdot_out},
	{32, "caps_zero_nnp", "caps=0,nnp=1", false, w_caps_nnp},
	{32, "setuid_binary_exec", "EPERM|EACCES", false, w_suid_exec},
	{32, "setuid0", "EPERM|EINVAL", false, w_setuid0},
	{33, "write_in", "EROFS|EACCES,mount=ro", false, w_write_in},
	{33, "write_out", "written", true, w_write_out},
	{34, "execve", "EPERM|ENOENT", false, w_execve},
	{34, "execveat", "EPERM|ENOENT", false, w_execveat},
	{34, "fork_exec", "refused", false, w_fork_exec},
	{36, "engine_sockets", "ENOENT|EACCES", false, w_engine_sockets},
	{37, "ptrace_traceme", "EPERM", false, w_ptrace_traceme},
	{37, "ptrace_parent", "EPERM", false, w_ptrace_parent},
	{37, "io_uring_setup", "EPERM|ENOSYS", false, w_io_uring},
	{37, "userfaultfd", "EPERM|ENOSYS", false, w_userfaultfd},
	{37, "bpf", "EPERM|ENOSYS", false, w_bpf},
	{37, "perf_event_open", "EPERM|ENOSYS", false, w_perf},
	{37, "keyctl", "EPERM|ENOSYS", false, w_keyctl},
};

/* Per-mount flags of mountpoint from mountinfo (the last mount wins). */
static void mount_flags(struct ctx *c, const char *mountpoint, int *ro, int *nosuid)
{
	char buf[16384];
	if (!slurp(c->mountinfo, buf, sizeof(buf)))
		return;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		char mp[256], opts[256];
		if (sscanf(l, "%*s %*s %*s %*s %255s %255s", mp, opts) != 2 || strcmp(mp, mountpoint))
			continue;
		char with[260];
		snprintf(with, sizeof(with), ",%s,", opts);
		*ro = strstr(with, ",ro,") != NULL;
		*nosuid = strstr(with, ",nosuid,") != NULL;
	}
}

/* In the attempt's own process: open what the layer will hide, apply the
 * layer exactly as main() does, try. */
static void attempt(struct ctx *c, const struct wall *w, int outfd)
{
	c->mountinfo = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	c->netdev = open("/proc/net/dev", O_RDONLY | O_CLOEXEC);
	c->status = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	c->environ_fd = open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
	c->self_exe = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	c->out_fd = open(c->o.out_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct statvfs vfs;
	bool have_vfs = statvfs(c->o.in_dir, &vfs) == 0;
	c->in_ro = have_vfs ? !!(vfs.f_flag & ST_RDONLY) : -1;
	c->in_nosuid = have_vfs ? !!(vfs.f_flag & ST_NOSUID) : -1;
	if (!have_vfs) /* statfs refused to the harness (container profile) */
		mount_flags(c, c->o.in_dir, &c->in_ro, &c->in_nosuid);
	struct tki_sandbox_state st;
	tki_sandbox_restrict(&c->o, true, &st);
	char obs[512];
	bool ok = w->run(c, obs, sizeof(obs));
	for (char *p = obs; *p; p++)
		if (*p == ' ' || *p == '\n')
			*p = '_';
	dprintf(outfd, "WALL %d:%s %s %s %s\n", w->id, w->name, w->expected, obs, ok ? "PASS" : "FAIL");
}

static void forked(struct ctx *c, const struct wall *w)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) { /* the venue refuses the harness itself */
		printf("WALL %d:%s %s harness-fork:pipe:%s FAIL\n", w->id, w->name, w->expected, ename(errno));
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("WALL %d:%s %s harness-fork:%s FAIL\n", w->id, w->name, w->expected, ename(errno));
		return;
	}
	if (pid == 0) {
		close(p[0]);
		attempt(c, w, p[1]);
		_exit(0);
	}
	close(p[1]);
	char line[1024];
	size_t len = 0;
	ssize_t r;
	while (len + 1 < sizeof(line) && (r = read(p[0], line + len, sizeof(line) - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		len += (size_t)r;
	}
	line[len] = '\0';
	close(p[0]);
	int stt;
	while (waitpid(pid, &stt, 0) < 0 && errno == EINTR)
		;
	if (len) {
		fputs(line, stdout);
	} else if (WIFEXITED(stt) && WEXITSTATUS(stt) == 42) {
		printf("WALL %d:%s %s exec-succeeded(canary-ran) FAIL\n", w->id, w->name, w->expected);
	} else if (WIFSIGNALED(stt)) {
		const char *sig = WTERMSIG(stt) == SIGSYS ? "SIGSYS" : WTERMSIG(stt) == SIGSEGV ? "SIGSEGV" : "signal";
		printf("WALL %d:%s %s killed:%s(%d) %s\n", w->id, w->name, w->expected, sig, WTERMSIG(stt),
		       w->positive ? "FAIL" : "PASS");
	} else {
		printf("WALL %d:%s %s no-result:exit%d FAIL\n", w->id, w->name, w->expected,
		       WIFEXITED(stt) ? WEXITSTATUS(stt) : -1);
	}
	fflush(stdout);
}

static void usage(void)
{
	fputs("usage: walls --venue self|docker|bwrap [--in DIR --out DIR] [--secret-key NAME]\n"
	      "             [--sentinel PATH] [--home PATH] [--host-pidns pid:[N]] [--suid NAME]\n"
	      "             [--link NAME] [--only NAME | --list]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--exec-canary"))
		return 42; /* reached only if an exec wall fell */
	if (argc == 2 && !strcmp(argv[1], "--whoami")) {
		printf("euid=%u\n", (unsigned)geteuid());
		return 42;
	}
	struct ctx c = {.venue = NULL};
	c.o.in_dir = "/in";
	c.o.out_dir = "/out";
	c.o.cmd = TKI_CMD_INSPECT;
	c.o.formats = TKI_FMT_ALL;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--list")) {
			for (size_t k = 0; k < TKI_ARRAY_LEN(walls); k++)
				printf("%d:%s\n", walls[k].id, walls[k].name);
			return 0;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--venue")) c.venue = v;
		else if (!strcmp(a, "--in")) c.o.in_dir = v;
		else if (!strcmp(a, "--out")) c.o.out_dir = v;
		else if (!strcmp(a, "--secret-key")) c.secret_key = v;
		else if (!strcmp(a, "--sentinel")) c.sentinel = v;
		else if (!strcmp(a, "--home")) c.home = v;
		else if (!strcmp(a, "--host-pidns")) c.host_pidns = v;
		else if (!strcmp(a, "--suid")) c.suid = v;
		else if (!strcmp(a, "--link")) c.link = v;
		else if (!strcmp(a, "--only")) only = v;
		else usage();
	}
	if (!c.venue)
		usage();
	if (!strcmp(c.venue, "self")) {
		c.o.self_sandbox = true;
		tki_sandbox_enter(&c.o); /* returns in the sandboxed worker */
	}
	bool found = false;
	for (size_t k = 0; k < TKI_ARRAY_LEN(walls); k++) {
		char full[96];
		snprintf(full, sizeof(full), "%d:%s", walls[k].id, walls[k].name);
		if (only && strcmp(only, full) && strcmp(only, walls[k].name))
			continue;
		found = true;
		if (only) {
			fflush(stdout);
			attempt(&c, &walls[k], STDOUT_FILENO);
			return 0;
		}
		forked(&c, &walls[k]);
	}
	if (!found)
		usage();
	return 0;
}
