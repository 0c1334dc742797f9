// SPDX-License-Identifier: Apache-2.0
/* --self-sandbox: build the L1 boundary without a container engine.
 *
 *   outer (host)  validate --in/--out; as root, clone the two trees and
 *                 idmap them (before clone: the sandbox uid cannot reach
 *                 a root-owned 0700 packet dir)
 *     clone(NEWUSER|NEWNS|NEWPID|NEWNET|NEWIPC|NEWUTS|NEWCGROUP)
 *                 write uid_map/gid_map, then relay signals and exit code
 *   PID 1         setresgid/setresuid, private propagation, tmpfs root with
 *                 /in (ro) /out (rw) /tmp /proc, pivot_root, detach the old
 *                 root, root read-only, scrub the environment, fork
 *   worker        returns to main() with o->in_dir="/in", o->out_dir="/out"
 *
 * docs/self-sandbox.md explains each step. Every failure exits 3 (2 for a
 * bad --in/--out) with a "Hint:". */
#include "tki/common.h"
#include "tki/sandbox.h"
#include "tki/guard.h"
#include "tki/selfcheck.h"
#include "sandbox_impl.h"
#include "sandbox_ns.h"

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NS_FLAGS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | \
		  CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)
/* The new root is built on a tmpfs mounted over /tmp inside our own
 * mount namespace (nothing on the host changes), as bubblewrap does. */
#define BASE "/tmp"
#define DATA_ATTRS (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

#define HINT_USERNS "unprivileged user namespaces must be enabled " \
	"(sysctl user.max_user_namespaces > 0, kernel.unprivileged_userns_clone=1, " \
	"kernel.apparmor_restrict_unprivileged_userns=0), or run in the hardened " \
	"container (scripts/run-container) or bubblewrap (scripts/run-bwrap) instead."

#define HINT_SECCOMP "a seccomp filter is already in force here (a container's profile: Docker's default " \
	"and seccomp/tki-container.json refuse what the inner sandbox needs). In a pod, use the Localhost " \
	"profile seccomp/tki-pod.json (docs/deploy.md, \"The pod venue\"); in the hardened container " \
	"(scripts/run-container), run without --self-sandbox."

extern char **environ;

/* Refused by a seccomp filter someone else installed (a container's)
 * rather than by the kernel's user namespace settings: our own filter
 * is not loaded yet, so mode 2 is the venue's. */
static const char *refusal_hint(int err)
{
	return err == EPERM && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2 ? HINT_SECCOMP : HINT_USERNS;
}

struct ns_plan {
	char *in, *out;   /* canonical host paths */
	uid_t uid;        /* inside == outside, never 0 */
	gid_t gid;
	bool privileged;  /* started as root: trees cloned and idmapped outside */
	bool stage;       /* the stage command: an idmap refusal is fatal */
	int in_tree, out_tree;
	int in_fd, out_fd; /* O_PATH, opened with no symlink on the path */
	/* No --in for selfcheck/attest, no --out for selfcheck: an empty
	 * tmpfs stands in (read-only for /in), so the layout P1 checks is
	 * the same without asking the user for directories it won't use. */
	bool in_empty, out_empty;
};

/* --in/--out: opened once, without following a symlink in any component
 * (tki_guard_open_dir); the trees are cloned from this fd, never from the
 * path again. The path returned is the kernel's name for the fd (for the
 * overlap check and the messages), not a re-resolution of what was given. */
static char *resolve_dir(const char *opt, const char *path, int *fd_out)
{
	tki_autofree char *link = NULL;
	int fd = tki_guard_open_dir(path, O_PATH, &link);
	if (fd < 0 && errno == ELOOP)
		tki_die(TKI_EXIT_USAGE, "%s %s: refused: %s is a symlink (no component of --in/--out may be one)\n"
			"Hint: pass the real directory path (realpath %s).", opt, path,
			link ? link : "a component of the path", path);
	if (fd < 0 && errno == EACCES)
		tki_die(TKI_EXIT_USAGE, "%s %s: %s\nHint: you (uid %u) cannot reach it; run as its owner (or root), "
			"or make it and its parents traversable for you.", opt, path, strerror(errno), (unsigned)getuid());
	if (fd < 0 && errno == ENOTDIR)
		tki_die(TKI_EXIT_USAGE, "%s %s: not a directory\nHint: --in is the packet directory, --out an existing directory for the reports.",
			opt, path);
	if (fd < 0)
		tki_die(TKI_EXIT_USAGE, "%s %s: %s\nHint: pass an existing directory, e.g. %s \"$(mktemp -d)\".",
			opt, path, strerror(errno), opt);
	tki_autofree char *proc = tki_xasprintf("/proc/self/fd/%d", fd);
	char buf[PATH_MAX];
	ssize_t n = readlink(proc, buf, sizeof(buf) - 1);
	if (n <= 0 || buf[0] != '/')
		tki_die_errno(TKI_EXIT_BLOCKED, "%s %s: cannot name the opened directory (%s)", opt, path, proc);
	buf[n] = '\0';
	*fd_out = fd;
	return tki_xstrdup(buf);
}

static void check_dirs(const struct ns_plan *p)
{
	if (p->in_empty || p->out_empty)
		return;
	const char *why = tki_ns_dirs_conflict(p->in, p->out);
	struct stat a, b;
	if (!why && fstat(p->in_fd, &a) == 0 && fstat(p->out_fd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		why = "--in and --out are the same directory (reached by two paths)";
	if (why)
		tki_fatal(TKI_EXIT_USAGE, 0, NULL, "use two separate directories, e.g. --out \"$(mktemp -d)\".",
			  "%s: --in %s --out %s", why, p->in, p->out);
}

static void write_file(pid_t pid, const char *name, const char *text)
{
	tki_autofree char *path = tki_xasprintf("/proc/%d/%s", (int)pid, name);
	tki_autoclose int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(text);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: writing %s", path);
}

/* The holder only blocks in read(2) until we close the pipe. It shares
 * our memory (CLONE_VM): no page tables to copy and tear down for it. So
 * it may only make calls that cannot fail (a close of its own copy, a read
 * that ends at EOF with every signal blocked): it shares our errno. */
static int hold_ns(void *arg)
{
	const int *hold = arg; /* its own copies: no CLONE_FILES */
	char c;
	close(hold[1]);
	return read(hold[0], &c, 1) == 0 ? 0 : 1;
}

/* The last holder, reaped late: it exits as soon as it reads EOF, and
 * waiting for that at once (a wake-up, slow on a busy machine) only
 * delayed the sandbox's clone. Until it is reaped its stack is not ours to
 * reuse; what it still runs then (read ends at EOF, return) touches
 * neither our memory nor our errno. */
static pid_t holder_pid = -1;

static void reap_holder(void)
{
	if (holder_pid > 0)
		while (waitpid(holder_pid, NULL, 0) < 0 && errno == EINTR)
			;
	holder_pid = -1;
}

/* A child that sits in a fresh user namespace until we close its pipe:
 * only there to give us a namespace fd with the mapping we want. */
static int idmap_userns(uid_t disk_uid, gid_t disk_gid, uid_t to_uid, gid_t to_gid)
{
	static char stack[16384] __attribute__((aligned(16)));
	int hold[2];
	reap_holder(); /* before its stack is used again */
	if (pipe2(hold, O_CLOEXEC) < 0)
		return -1;
	/* The holder starts with every signal blocked: no handler of ours can
	 * run on its stack or interrupt its read (it shares our errno). */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = clone(hold_ns, stack + sizeof(stack), CLONE_VM | CLONE_NEWUSER | SIGCHLD, hold);
	int clone_errno = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = clone_errno;
	if (pid < 0) {
		close(hold[0]);
		close(hold[1]);
		return -1;
	}
	close(hold[0]);
	/* "inside outside 1": an idmapped mount treats the on-disk id as the
	 * inside id and shows it as the outside one. */
	tki_autofree char *um = tki_xasprintf("%u %u 1\n", disk_uid, to_uid);
	tki_autofree char *gm = tki_xasprintf("%u %u 1\n", disk_gid, to_gid);
	write_file(pid, "uid_map", um);
	write_file(pid, "setgroups", "deny\n");
	write_file(pid, "gid_map", gm);
	tki_autofree char *nspath = tki_xasprintf("/proc/%d/ns/user", (int)pid);
	int fd = open(nspath, O_RDONLY | O_CLOEXEC);
	int e = errno;
	close(hold[1]);
	holder_pid = pid;
	errno = e;
	return fd;
}

/* Detached recursive copy of path with attrs set; NULL reason on success.
 * With idmap (root only), files owned by the dir's owner appear owned by
 * the sandbox uid, and what the sandbox creates lands as that owner. */
static int clone_tree(const char *opt, const char *path, int dirfd, unsigned attrs, const struct ns_plan *p,
		      bool idmap)
{
	int fd = open_tree(dirfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (fd < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox",
			  errno == EPERM ? "the kernel refused to clone the mount; run as root or as the owner of the directory" : NULL,
			  "open_tree(%s %s)", opt, path);
	if (idmap) {
		struct stat st;
		if (fstat(dirfd, &st) < 0)
			tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: stat %s", path);
		/* One throwaway namespace serves both trees when they have the
		 * same owner (the usual case): one clone and wait less. */
		static int cached_ns = -1;
		static uid_t cached_uid;
		static gid_t cached_gid;
		if (cached_ns < 0 || cached_uid != st.st_uid || cached_gid != st.st_gid) {
			if (cached_ns >= 0)
				close(cached_ns);
			cached_ns = idmap_userns(st.st_uid, st.st_gid, p->uid, p->gid);
			cached_uid = st.st_uid;
			cached_gid = st.st_gid;
		}
		int ns = cached_ns;
		struct mount_attr a = {.attr_set = attrs | MOUNT_ATTR_IDMAP, .userns_fd = (__u64)ns};
		if (ns >= 0 && mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) == 0)
			return fd;
		if (p->stage) /* no fallback: the venue would see on-disk owners */
			tki_die(TKI_EXIT_BLOCKED, "stage: %s %s: idmapped mount refused (%s)\nHint: the directory (or a "
				"mount beneath it) is on a filesystem without idmapped mounts; use ext4, xfs, btrfs "
				"or tmpfs, or tki-inspector --self-sandbox.", opt, path, strerror(errno));
		tki_warn("warning: %s %s: idmapped mount refused (%s); the sandbox uid %u sees the files "
			 "with their on-disk owner, so a private (0700) directory will be unreadable. "
			 "Hint: use a filesystem with idmapped mounts (ext4, xfs, btrfs, tmpfs) or make the directory readable for uid %u.",
			 opt, path, strerror(errno), p->uid, p->uid);
	}
	struct mount_attr a = {.attr_set = attrs};
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox", "a kernel >= 5.12 is needed", "mount_setattr(%s %s)", opt, path);
	return fd;
}

static void attach(int tree, const char *target)
{
	if (move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: move_mount to %s", target);
	close(tree);
}

static void xmount(const char *src, const char *target, const char *type, unsigned long flags,
		   const char *data, const char *hint)
{
	if (mount(src, target, type, flags, data) < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox", hint, "mount %s on %s", type ? type : "(flags)", target);
}

static void xmkdir(const char *path)
{
	if (mkdir(path, 0755) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: mkdir %s", path);
}

/* Overwrite the environment strings in place: clearenv() alone leaves the
 * original block readable in /proc/self/environ and in memory. */
static void scrub_env(void)
{
	for (char **e = environ; e && *e; e++)
		explicit_bzero(*e, strlen(*e));
	if (clearenv() != 0 || setenv("PATH", "/", 1) < 0 || setenv("HOME", "/", 1) < 0)
		tki_die(TKI_EXIT_BLOCKED, "--self-sandbox: cannot reset the environment");
}

static void become_ids(const struct ns_plan *p)
{
	/* Only the privileged parent may allow setgroups; an unprivileged
	 * user keeps its supplementary groups (shown as the overflow gid). */
	if (p->privileged && setgroups(0, NULL) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0 || setresuid(p->uid, p->uid, p->uid) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: setresuid/setresgid(%u)", p->uid);
}

/* Unprivileged: the fd opened outside lives in the host's mount namespace,
 * which open_tree refuses to clone from (EINVAL); look the canonical name up
 * again here, still with no symlink allowed, and accept it only if it is
 * the very directory the outer process opened. */
static int clone_own(const char *opt, const char *path, int outer_fd, unsigned attrs, const struct ns_plan *p)
{
	tki_autoclose int fd = tki_guard_open_dir(path, O_PATH, NULL);
	struct stat a, b;
	if (fd < 0 || fstat(fd, &a) < 0 || fstat(outer_fd, &b) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: %s %s changed while the sandbox was built", opt, path);
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		tki_die(TKI_EXIT_BLOCKED, "--self-sandbox: %s %s was replaced while the sandbox was built", opt, path);
	return clone_tree(opt, path, fd, attrs, p, false);
}

static void close_plan_fds(struct ns_plan *p)
{
	if (p->in_fd >= 0)
		close(p->in_fd);
	if (p->out_fd >= 0)
		close(p->out_fd);
	p->in_fd = p->out_fd = -1;
}

/* A fresh procfs shows our own pid namespace only. Inside a container
 * (a pod) the kernel refuses it (EPERM) because the runtime's /proc has
 * masked entries a fresh instance would reveal; then the existing /proc is
 * cloned with its masks (recursively: the kernel refuses a non-recursive
 * clone that would drop them) and made read-only, nosuid, nodev and
 * noexec all the way down. P1's pid_namespace invariant judges which of
 * the two the worker got (docs/self-sandbox.md, "/proc in a pod"). */
static void mount_proc(void)
{
	if (mount("proc", BASE "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		return;
	if (errno != EPERM)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox", NULL, "mount proc on " BASE "/proc");
	int fd = open_tree(AT_FDCWD, "/proc", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY | DATA_ATTRS};
	if (fd < 0 || mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox",
			  "a fresh /proc is refused (the runtime masks /proc entries) and so is a read-only "
			  "clone of the existing one; use the container venue (scripts/run-container) "
			  "or run on the host", "mounting /proc (fresh: refused; clone of /proc)");
	attach(fd, BASE "/proc");
}

static void build_root(struct ns_plan *p)
{
	/* Nothing we mount may propagate back to the host. */
	xmount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, "the kernel refused a private mount propagation");
	if (!p->privileged) {
		/* Unprivileged: open_tree(CLONE) needs CAP_SYS_ADMIN over the
		 * mount namespace, which we have only now, in our own. Before
		 * BASE is covered, since the dirs may live beneath it. */
		if (!p->in_empty)
			p->in_tree = clone_own("--in", p->in, p->in_fd, MOUNT_ATTR_RDONLY | DATA_ATTRS, p);
		if (!p->out_empty)
			p->out_tree = clone_own("--out", p->out, p->out_fd, DATA_ATTRS, p);
	}
	xmount("tmpfs", BASE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k,nr_inodes=32",
	       "tmpfs must be mountable in a user namespace");
	xmkdir(BASE "/in");
	xmkdir(BASE "/out");
	xmkdir(BASE "/tmp");
	xmkdir(BASE "/proc");
	if (p->in_empty)
		xmount("tmpfs", BASE "/in", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		       "mode=0755,size=4k,nr_inodes=1", "tmpfs must be mountable in a user namespace");
	else
		attach(p->in_tree, BASE "/in");
	if (p->out_empty)
		xmount("tmpfs", BASE "/out", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		       "mode=0755,size=4k,nr_inodes=4", "tmpfs must be mountable in a user namespace");
	else
		attach(p->out_tree, BASE "/out");
	xmount("tmpfs", BASE "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700,size=16m",
	       "tmpfs must be mountable in a user namespace");
	mount_proc();
	/* pivot_root(".", ".") stacks the old root under the new one; the
	 * lazy unmount then drops every host mount from our namespace. */
	if (chdir(BASE) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox", "the root must be a mount point with private propagation",
			  "pivot_root");
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: detaching the old root");
	xmount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL,
	       "the kernel refused to make the new root read-only");
}

/* The engine sockets of the venue we start in (a pod with the node's
 * docker.sock bound in): the sandbox hides them, but whoever got out of
 * it would find them, so P1 inside refuses them as its own. */
static char *outer_sockets(void)
{
	struct tki_strlist l = {0};
	for (size_t i = 0; tki_p1_engine_sockets[i]; i++) {
		struct stat st;
		if (stat(tki_p1_engine_sockets[i], &st) == 0)
			tki_strlist_addf(&l, "%s\n", tki_p1_engine_sockets[i]);
	}
	size_t n = 1;
	for (size_t i = 0; i < l.n; i++)
		n += strlen(l.v[i]);
	char *s = tki_xcalloc(1, n);
	for (size_t i = 0; i < l.n; i++)
		strcat(s, l.v[i]);
	tki_strlist_free(&l);
	return s;
}

/* PID 1 keeps nothing it does not need while it waits. */
static void pid1_disarm(void)
{
	/* The bounding set first, while CAP_SETPCAP is effective (EPERM without
	 * it: left as found, as capng_apply(CAPNG_SELECT_ALL) leaves it). */
	if (tki_sandbox_drop_bounds() != 0 && errno != EPERM)
		_exit(TKI_EXIT_BLOCKED);
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_apply(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(TKI_EXIT_BLOCKED);
}

/* Runs as PID 1 of the new pid namespace; returns only in the worker. */
static void pid1(struct ns_plan *p, int sync_fd)
{
	char c;
	ssize_t r;
	while ((r = read(sync_fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (r != 1) /* the outer process failed and has told us why */
		_exit(TKI_EXIT_BLOCKED);
	close(sync_fd);
	/* Not dumpable before the worker exists: in a pod the worker sees the
	 * outer /proc (mount_proc), and /proc/<pid>/root, fd/ and environ of
	 * a non-dumpable process need CAP_SYS_PTRACE over the pod's user
	 * namespace, which nothing inside has. P1 checks (pid_namespace). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || setsid() < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: prctl/setsid");
	if (sethostname("tki-sandbox", 11) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: sethostname");
	become_ids(p);
	build_root(p);
	scrub_env();
	/* No host descriptor crosses the wall except stdin/stdout/stderr. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: close_range");
	pid_t w = fork();
	if (w < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: fork of the worker");
	if (w == 0) {
		/* dumpable again: its own /proc/self files stay its own */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
			tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: prctl");
		tki_ns_unblock_relay();
		return;
	}
	pid1_disarm();
	_exit(tki_ns_relay(w, true));
}

void tki_sandbox_enter(struct tki_opts *o)
{
	struct ns_plan p = {.in_tree = -1, .out_tree = -1, .in_fd = -1, .out_fd = -1};
	p.in_empty = !o->in_given && o->cmd != TKI_CMD_INSPECT;
	p.out_empty = !o->out_given && o->cmd == TKI_CMD_SELFCHECK;
	if (o->cmd == TKI_CMD_ATTEST && !o->out_given)
		tki_die(TKI_EXIT_USAGE, "attest --self-sandbox needs --out DIR for the bundle\n"
			"Hint: tki-inspector attest --self-sandbox --out \"$(mktemp -d)\"");
	o->outer_sockets = outer_sockets();
	o->outer_confined = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2 || getpid() == 1;
	p.in = p.in_empty ? NULL : resolve_dir("--in", o->in_dir, &p.in_fd);
	p.out = p.out_empty ? NULL : resolve_dir("--out", o->out_dir, &p.out_fd);
	check_dirs(&p);
	p.privileged = geteuid() == 0;
	p.uid = p.privileged ? TKI_NS_ROOT_MAPPED_ID : geteuid();
	p.gid = p.privileged ? TKI_NS_ROOT_MAPPED_ID : getegid();
	if (p.privileged) {
		/* Before clone: the mapped uid could not even traverse a
		 * root-owned 0700 dir, and an fd-based bind across mount
		 * namespaces is refused (EINVAL). */
		if (!p.in_empty)
			p.in_tree = clone_tree("--in", p.in, p.in_fd, MOUNT_ATTR_RDONLY | DATA_ATTRS, &p, true);
		if (!p.out_empty)
			p.out_tree = clone_tree("--out", p.out, p.out_fd, DATA_ATTRS, &p, true);
	}
	fflush(NULL);

	int sync[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox", refusal_hint(errno), "pipe");
	tki_ns_block_relay();
	pid_t pid = (pid_t)syscall(SYS_clone, NS_FLAGS | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		tki_fatal(TKI_EXIT_BLOCKED, errno, "--self-sandbox", refusal_hint(errno), "cannot create the namespaces");
	if (pid == 0) {
		close(sync[1]);
		pid1(&p, sync[0]);
		free(p.in);
		free(p.out);
		o->in_dir = "/in";
		o->out_dir = "/out";
		return;
	}
	close(sync[0]);
	close_plan_fds(&p);
	if (p.in_tree >= 0)
		close(p.in_tree);
	if (p.out_tree >= 0)
		close(p.out_tree);
	{ /* scoped: exit() below runs no cleanup attributes */
		tki_autofree char *um = tki_xasprintf("%u %u 1\n", p.uid, p.privileged ? p.uid : geteuid());
		tki_autofree char *gm = tki_xasprintf("%u %u 1\n", p.gid, p.privileged ? p.gid : getegid());
		write_file(pid, "uid_map", um);
		if (!p.privileged) /* required before an unprivileged gid_map */
			write_file(pid, "setgroups", "deny\n");
		write_file(pid, "gid_map", gm);
	}
	/* From here the outer process only relays; in a pod the worker could
	 * otherwise reach its root, fds and environment through /proc. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: prctl(PR_SET_DUMPABLE)");
	if (write(sync[1], "1", 1) != 1)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: starting the sandbox");
	close(sync[1]);
	free(p.in);
	free(p.out);
	reap_holder();
	exit(tki_ns_relay(pid, false));
}

/* stage (the venue scripts, as root): the same clones as above, attached
 * beneath AT in the host's mount namespace, so that a container engine or
 * bwrap can bind AT/in and AT/out. Nothing on disk changes: no ACL, no
 * chmod, no chown; the sandbox uid reads the packet through the idmapping
 * with exactly its owner's rights (docs/deploy.md, "Why no ACLs"). */
static void stage_attach(int tree, int at, const char *name)
{
	if (mkdirat(at, name, 0755) < 0 && errno != EEXIST)
		tki_die_errno(TKI_EXIT_BLOCKED, "stage: mkdir %s", name);
	if (move_mount(tree, "", at, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "stage: move_mount to %s", name);
	close(tree);
}

int tki_sandbox_stage(const struct tki_opts *o)
{
	if (geteuid() != 0)
		tki_die(TKI_EXIT_BLOCKED, "stage needs root (it makes idmapped mounts)\n"
			"Hint: as another user, use --self-sandbox, or give uid %u read access to IN yourself.",
			TKI_NS_ROOT_MAPPED_ID);
	struct ns_plan p = {.in_tree = -1, .out_tree = -1, .in_fd = -1, .out_fd = -1, .privileged = true, .stage = true,
			    .uid = TKI_NS_ROOT_MAPPED_ID, .gid = TKI_NS_ROOT_MAPPED_ID};
	p.in = resolve_dir("--in", o->in_dir, &p.in_fd);
	p.out = resolve_dir("--out", o->out_dir, &p.out_fd);
	check_dirs(&p);
	int at = -1;
	tki_autofree char *at_name = resolve_dir("--at", o->stage_at, &at);
	struct stat st;
	/* The scripts' own mktemp dir: root's, writable by nobody else, so
	 * nobody can swap in/ or out/ beneath it. */
	if (fstat(at, &st) < 0 || st.st_uid != 0 || (st.st_mode & 022))
		tki_die(TKI_EXIT_USAGE, "stage: --at %s must be a directory owned by root and writable by root only",
			at_name);
	stage_attach(clone_tree("--in", p.in, p.in_fd, MOUNT_ATTR_RDONLY | DATA_ATTRS, &p, true), at, "in");
	stage_attach(clone_tree("--out", p.out, p.out_fd, DATA_ATTRS, &p, true), at, "out");
	reap_holder();
	close(at);
	close_plan_fds(&p);
	free(p.in);
	free(p.out);
	return TKI_EXIT_ADEQUATE;
}
