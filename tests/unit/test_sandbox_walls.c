// SPDX-License-Identifier: Apache-2.0
/* The own layer on the real kernel: fork, call tki_sandbox_restrict() on
 * two temp dirs, and watch each wall refuse (and the pipeline's own work
 * still succeed). Lives in the test tree, never in the shipped binary. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cap-ng.h>
#include <cmocka.h>
#include <jansson.h>
#include <nettle/sha2.h>

#include "tki/sandbox.h"
#include "sandbox_impl.h"

static char in_dir[64], out_dir[64], other_dir[64];
static const char victim_text[] = "host file: must not change\n";
static const char packet_text[] = "{\"packet_id\": \"p-1\", \"claims\": [1, 2, 3]}\n";

/* ---- helpers ------------------------------------------------------------ */

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(in_dir, sizeof(in_dir), "%s/tki-wall-in.XXXXXX", tmp);
	snprintf(out_dir, sizeof(out_dir), "%s/tki-wall-out.XXXXXX", tmp);
	snprintf(other_dir, sizeof(other_dir), "%s/tki-wall-other.XXXXXX", tmp);
	assert_non_null(mkdtemp(in_dir));
	assert_non_null(mkdtemp(out_dir));
	assert_non_null(mkdtemp(other_dir));
	write_file(in_dir, "packet.json", packet_text);
	write_file(other_dir, "victim.txt", victim_text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s' '%s'", in_dir, out_dir, other_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Not root: become root of a fresh user namespace first, as --self-sandbox
 * does, so that the bounding set can be cleared. */
static void maybe_enter_userns(void)
{
	if (geteuid() == 0)
		return;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (unshare(CLONE_NEWUSER) != 0) {
		perror("wall: unshare(CLONE_NEWUSER)");
		_exit(77);
	}
	char buf[64];
	int fd = open("/proc/self/setgroups", O_WRONLY);
	if (fd >= 0) {
		(void)!write(fd, "deny", 4);
		close(fd);
	}
	snprintf(buf, sizeof(buf), "0 %u 1", uid);
	fd = open("/proc/self/uid_map", O_WRONLY);
	if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
		_exit(77);
	close(fd);
	snprintf(buf, sizeof(buf), "0 %u 1", gid);
	fd = open("/proc/self/gid_map", O_WRONLY);
	if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
		_exit(77);
	close(fd);
}

static struct tki_sandbox_state child_state;

/* Run fn in a child behind the own layer; returns the wait status. */
/* fn in a forked child (in a user namespace of its own when not root);
 * its wait status. */
static int run_child(int (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		maybe_enter_userns();
		int rc = fn();
		fflush(NULL);
		_exit(rc);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

/* fn behind the whole own layer: run_walled's arguments, for the child. */
static struct {
	int (*fn)(void);
	bool data_dirs;
	const char *in;
} walled;

static int walled_child(void)
{
	struct tki_opts o = {.cmd = TKI_CMD_INSPECT, .in_dir = walled.in ? walled.in : in_dir, .out_dir = out_dir};
	tki_sandbox_restrict(&o, walled.data_dirs, &child_state);
	return walled.fn();
}

static int run_walled(int (*fn)(void), bool data_dirs, const char *in)
{
	walled.fn = fn;
	walled.data_dirs = data_dirs;
	walled.in = in;
	return run_child(walled_child);
}

static void assert_child_ok(int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		skip(); /* no user namespace for a non-root run */
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("child: %s %d (see its messages above)", WIFEXITED(st) ? "exit" : "signal",
			 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static void assert_child_killed(int st, const char *what)
{
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
		fail_msg("%s: expected death by SIGSYS, got %s %d", what, WIFEXITED(st) ? "exit" : "signal",
			 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

static int failures;
__attribute__((format(printf, 1, 2))) static void bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("wall: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* The call must fail with errno e. */
#define REFUSED(call, e)                                                                                   \
	do {                                                                                               \
		errno = 0;                                                                                 \
		long r_ = (long)(call);                                                                    \
		int e_ = errno;                                                                            \
		if (r_ != -1 || e_ != (e))                                                                 \
			bad("%s: returned %ld errno %d (%s), want -1 %s", #call, r_, e_, strerror(e_), #e); \
	} while (0)
#define WORKS(call)                                                                        \
	do {                                                                               \
		errno = 0;                                                                 \
		long r_ = (long)(call);                                                    \
		if (r_ < 0)                                                                \
			bad("%s: returned %ld: %s, want success", #call, r_, strerror(errno)); \
	} while (0)

static char *path_in(const char *dir, const char *name)
{
	static char p[4][160];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* A cmocka test: fn in a child behind the whole own layer (data dirs on)
 * must return 0 failures. */
#define WALLED_TEST(name, fn)                                     \
	static void name(void **state)                            \
	{                                                         \
		(void)state;                                      \
		assert_child_ok(run_walled(fn, true, NULL));      \
	}

/* ---- walls that refuse -------------------------------------------------- */

static int do_exec(void)
{
	char *argv[] = {"/bin/true", NULL};
	char *envp[] = {NULL};
	REFUSED(execve("/bin/true", argv, envp), EPERM);
	REFUSED(syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, envp, 0), EPERM);
	REFUSED(fork(), EPERM); /* no fork+exec either */
	REFUSED(syscall(SYS_vfork), EPERM);
	return failures;
}

WALLED_TEST(test_exec_refused, do_exec)

static int do_net(void)
{
	int sv[2];
	struct sockaddr_storage ss = {0};
	REFUSED(socket(AF_INET, SOCK_STREAM, 0), EPERM);
	REFUSED(socket(AF_INET6, SOCK_DGRAM, 0), EPERM);
	REFUSED(socket(AF_UNIX, SOCK_STREAM, 0), EPERM);
	REFUSED(socket(AF_NETLINK, SOCK_RAW, 0), EPERM);
	REFUSED(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), EPERM);
	REFUSED(connect(0, (struct sockaddr *)&ss, sizeof(ss)), EPERM);
	REFUSED(bind(0, (struct sockaddr *)&ss, sizeof(ss)), EPERM);
	REFUSED(listen(0, 1), EPERM);
	REFUSED(accept(0, NULL, NULL), EPERM);
	return failures;
}

WALLED_TEST(test_network_refused, do_net)

static int do_ptrace(void)
{
	char buf[8];
	struct iovec l = {buf, sizeof(buf)}, r = {buf, sizeof(buf)};
	REFUSED(ptrace(PTRACE_TRACEME, 0, NULL, NULL), EPERM);
	REFUSED(ptrace(PTRACE_ATTACH, getppid(), NULL, NULL), EPERM);
	REFUSED(process_vm_readv(getppid(), &l, 1, &r, 1, 0), EPERM);
	REFUSED(process_vm_writev(getppid(), &l, 1, &r, 1, 0), EPERM);
	return failures;
}

WALLED_TEST(test_ptrace_refused, do_ptrace)

static int do_ns(void)
{
	REFUSED(unshare(CLONE_NEWUSER), EPERM);
	REFUSED(unshare(CLONE_NEWNET), EPERM);
	REFUSED(unshare(CLONE_NEWNS), EPERM);
	REFUSED(setns(0, 0), EPERM);
	REFUSED(mount("none", "/tmp", "tmpfs", 0, NULL), EPERM);
	REFUSED(umount2("/tmp", MNT_DETACH), EPERM);
	REFUSED(syscall(SYS_pivot_root, "/tmp", "/tmp"), EPERM);
	/* clone with a namespace flag: refused (a success would return twice). */
	long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	if (r != -1 || errno != EPERM)
		bad("clone(CLONE_NEWUSER): returned %ld errno %d, want EPERM", r, errno);
	r = syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWNET, 0, 0, 0, 0);
	if (r != -1 || errno != EPERM)
		bad("clone(CLONE_THREAD|CLONE_NEWNET): returned %ld errno %d, want EPERM", r, errno);
	/* clone3 hides its flags behind a pointer: ENOSYS, glibc falls back. */
	REFUSED(syscall(SYS_clone3, NULL, 0), ENOSYS);
	return failures;
}

WALLED_TEST(test_namespaces_refused, do_ns)

static int do_kernel_surface(void)
{
	REFUSED(syscall(SYS_io_uring_setup, 8, NULL), EPERM);
	REFUSED(syscall(SYS_io_uring_enter, 0, 0, 0, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_io_uring_register, 0, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_userfaultfd, 0), EPERM);
	REFUSED(syscall(SYS_bpf, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0), EPERM);
	REFUSED(syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM);
	REFUSED(syscall(SYS_add_key, "user", "k", "v", 1, 0), EPERM);
	REFUSED(syscall(SYS_request_key, "user", "k", NULL, 0), EPERM);
	REFUSED(syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0), EPERM);
	REFUSED(syscall(SYS_name_to_handle_at, AT_FDCWD, "/", NULL, NULL, 0), EPERM);
	REFUSED(syscall(SYS_personality, 0xffffffff), EPERM);
	REFUSED(syscall(SYS_memfd_create, "x", 0), EPERM); /* not on the list: the default */
	REFUSED(syscall(SYS_setuid, 0), EPERM);
	return failures;
}

WALLED_TEST(test_kernel_surface_refused, do_kernel_surface)

static int do_init_module(void) { return (int)syscall(SYS_init_module, NULL, 0, ""); }
static int do_kexec(void) { return (int)syscall(SYS_kexec_load, 0, 0, NULL, 0); }

static void test_gravest_killed(void **state)
{
	(void)state;
	assert_child_killed(run_walled(do_init_module, true, NULL), "init_module");
	assert_child_killed(run_walled(do_kexec, true, NULL), "kexec_load");
}

/* ---- foreign ABIs --------------------------------------------------------- */

#define X32_BIT 0x40000000L

static int x32_getpid(void)
{
	long r = syscall(SYS_getpid | X32_BIT);
	fprintf(stderr, "wall: x32 getpid returned %ld errno %d\n", r, r < 0 ? errno : 0);
	return r == -1 && errno == EPERM ? 0 : 10; /* refused is acceptable, killed is expected */
}

static long i386_getpid(void)
{
	long r;
	/* i386 getpid is 20; the int 0x80 entry point uses the 32-bit table. */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r;
}

static int do_i386(void)
{
	long r = i386_getpid();
	fprintf(stderr, "wall: i386 getpid returned %ld\n", r);
	return 10;
}

static void test_x32_killed(void **state)
{
	(void)state;
	/* Control, unfiltered: this kernel answers an x32 number (ENOSYS
	 * without CONFIG_X86_X32_ABI), it does not kill. */
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		long r = syscall(SYS_getpid | X32_BIT);
		_exit(r == -1 && errno == EPERM ? 1 : 0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	st = run_walled(x32_getpid, true, NULL);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return; /* refused with EPERM */
	assert_child_killed(st, "x32 getpid");
}

static void test_i386_int80_killed(void **state)
{
	(void)state;
	/* Control, unfiltered: int 0x80 is a live entry point here. */
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(i386_getpid() == getpid() ? 0 : 1);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		skip(); /* no IA32 emulation: the entry point does not exist */
	assert_child_killed(run_walled(do_i386, true, NULL), "i386 int 0x80 getpid");
}

/* ---- Landlock ------------------------------------------------------------- */

static int do_fs(void)
{
	char buf[256];
	/* Host files: unreadable. */
	REFUSED(open("/etc/passwd", O_RDONLY), EACCES);
	REFUSED(open("/", O_RDONLY | O_DIRECTORY), EACCES);
	REFUSED(open(path_in(other_dir, "victim.txt"), O_RDONLY), EACCES);
	/* Writes outside /out: refused, existing file or new one. */
	REFUSED(open(path_in(other_dir, "victim.txt"), O_WRONLY | O_TRUNC), EACCES);
	REFUSED(open(path_in(other_dir, "new.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644), EACCES);
	REFUSED(unlinkat(AT_FDCWD, path_in(other_dir, "victim.txt"), 0), EACCES);
	REFUSED(renameat(AT_FDCWD, path_in(other_dir, "victim.txt"), AT_FDCWD, path_in(out_dir, "stolen")), EACCES);
	REFUSED(open("/tmp/tki-wall-escape", O_WRONLY | O_CREAT, 0644), EACCES);
	/* The input dir: read yes, write no, execute no. */
	int fd = open(path_in(in_dir, "packet.json"), O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
		bad("read the packet: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	REFUSED(open(path_in(in_dir, "packet.json"), O_WRONLY), EACCES);
	REFUSED(open(path_in(in_dir, "new.txt"), O_WRONLY | O_CREAT, 0644), EACCES);
	/* The output dir: the atomic report works... */
	fd = open(path_in(out_dir, ".report.tmp"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		bad("create in out: %s", strerror(errno));
	WORKS(write(fd, "report\n", 7));
	WORKS(fsync(fd));
	WORKS(close(fd));
	WORKS(renameat(AT_FDCWD, path_in(out_dir, ".report.tmp"), AT_FDCWD, path_in(out_dir, "report.md")));
	/* ...but no way out of it by rename, */
	REFUSED(renameat(AT_FDCWD, path_in(out_dir, "report.md"), AT_FDCWD, path_in(other_dir, "moved.md")), EACCES);
	/* and no directories, symlinks, fifos, hard links: these syscalls
	 * are not on the list at all (and Landlock grants no MAKE_DIR,
	 * MAKE_SYM, MAKE_FIFO beneath /out either). The legacy non-*at
	 * forms (rename, unlink, truncate) are not on the list either. */
	REFUSED(mkdirat(AT_FDCWD, path_in(out_dir, "sub"), 0755), EPERM);
	REFUSED(symlinkat("/etc/passwd", AT_FDCWD, path_in(out_dir, "link")), EPERM);
	REFUSED(mknodat(AT_FDCWD, path_in(out_dir, "fifo"), S_IFIFO | 0644, 0), EPERM);
	REFUSED(linkat(AT_FDCWD, path_in(out_dir, "report.md"), AT_FDCWD, path_in(out_dir, "hard"), 0), EPERM);
	REFUSED(rename(path_in(out_dir, "report.md"), path_in(out_dir, "r2")), EPERM);
	REFUSED(truncate(path_in(out_dir, "report.md"), 0), EPERM);
	return failures;
}

static void test_landlock_fs(void **state)
{
	(void)state;
	assert_child_ok(run_walled(do_fs, true, NULL));
	/* Seen from outside: the report landed, the host file is intact. */
	char buf[128] = {0};
	FILE *f = fopen(path_in(other_dir, "victim.txt"), "r");
	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	fclose(f);
	assert_string_equal(buf, victim_text);
	assert_int_equal(access(path_in(out_dir, "report.md"), F_OK), 0);
	assert_int_equal(access(path_in(other_dir, "new.txt"), F_OK), -1);
	assert_int_equal(access(path_in(other_dir, "moved.md"), F_OK), -1);
}

static int do_no_data_dirs(void)
{
	REFUSED(open(out_dir, O_RDONLY | O_DIRECTORY), EACCES);
	REFUSED(open(path_in(out_dir, "x"), O_WRONLY | O_CREAT, 0644), EACCES);
	REFUSED(open(path_in(in_dir, "packet.json"), O_RDONLY), EACCES);
	REFUSED(open("/etc/passwd", O_RDONLY), EACCES);
	if (!strstr(child_state.landlock_detail, "no file access"))
		bad("landlock_detail: %s", child_state.landlock_detail);
	return failures;
}

static void test_no_data_dirs(void **state)
{
	(void)state;
	/* The input dir does not even exist: proof that it is never opened. */
	assert_child_ok(run_walled(do_no_data_dirs, false, "/nonexistent/tki-in"));
}

static int do_signal_scope(void)
{
	/* Ask the kernel, not the state under test. */
	if (syscall(SYS_landlock_create_ruleset, NULL, 0, 1U /* VERSION */) < 6)
		return 0;
	REFUSED(kill(getppid(), 0), EPERM);
	return failures;
}

WALLED_TEST(test_signals_scoped, do_signal_scope)

/* Without CAP_SETPCAP the bounding set cannot be cleared: it is left as
 * found and recorded (caps_cleared false, for P1 to block on), while
 * every other set is empty and the other layers are in force. */
static int do_bounding_kept(void)
{
	if (child_state.caps_cleared)
		bad("caps_cleared is true with a full bounding set");
	if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 1)
		bad("the bounding set was cleared without CAP_SETPCAP?");
	if (capng_get_caps_process() != 0 || capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE)
		bad("effective/permitted/inheritable not empty");
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2 || !child_state.landlock_enforced || !child_state.rlimits_set)
		bad("the other layers are not in force");
	REFUSED(execve("/bin/true", (char *[]){"/bin/true", NULL}, (char *[]){NULL}), EPERM);
	return failures;
}

/* Keep the bounding set full, lose CAP_SETPCAP, then the own layer. */
static int do_bounding_without_setpcap(void)
{
	capng_get_caps_process();
	capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE, CAP_SETPCAP);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0 || prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 1)
		return 77;
	struct tki_opts o = {.cmd = TKI_CMD_INSPECT, .in_dir = in_dir, .out_dir = out_dir};
	tki_sandbox_restrict(&o, true, &child_state);
	return do_bounding_kept();
}

static void test_bounding_set_without_setpcap(void **state)
{
	(void)state;
	assert_child_ok(run_child(do_bounding_without_setpcap));
}

/* tki_sandbox_drop_bounds (the worker's and PID 1's bounding set, without
 * libcap-ng's re-read): without CAP_SETPCAP in the effective set, EPERM
 * and the set as found; with it, 0 and every cap gone. */
static int do_drop_bounds(void)
{
	failures = 0;
	capng_get_caps_process();
	capng_update(CAPNG_DROP, CAPNG_EFFECTIVE, CAP_SETPCAP);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		return 77;
	errno = 0;
	if (tki_sandbox_drop_bounds() != -1 || errno != EPERM)
		bad("without CAP_SETPCAP: expected -1 EPERM");
	if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 1)
		bad("without CAP_SETPCAP the bounding set changed");
	capng_update(CAPNG_ADD, CAPNG_EFFECTIVE, CAP_SETPCAP);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		return 77;
	if (tki_sandbox_drop_bounds() != 0)
		bad("with CAP_SETPCAP: not 0");
	for (unsigned long c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 0)
			bad("a cap is left in the bounding set");
	return failures;
}

static void test_drop_bounds(void **state)
{
	(void)state;
	assert_child_ok(run_child(do_drop_bounds));
}

/* ---- what must still work -------------------------------------------------- */

#define NTHREADS 16

struct hash_job {
	int dirfd;
	uint8_t digest[SHA256_DIGEST_SIZE];
	int err;
};

static void *hash_packet(void *arg)
{
	struct hash_job *j = arg;
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
					  RESOLVE_NO_XDEV};
	int fd = (int)syscall(SYS_openat2, j->dirfd, "packet.json", &how, sizeof(how));
	if (fd < 0) {
		j->err = errno;
		return NULL;
	}
	struct sha256_ctx c;
	sha256_init(&c);
	uint8_t buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&c, (size_t)n, buf);
	if (n < 0)
		j->err = errno;
	sha256_digest(&c, sizeof(j->digest), j->digest);
	close(fd);
	return NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* What the pipeline does after the filter: P1's live reads, jansson,
 * listing, openat2, hashing in threads, an atomic report, stdio. */
static int do_pipeline(void)
{
	/* P1 reads these after the filter. */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		bad("PR_GET_SECCOMP is not 2 (filter mode)");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		bad("PR_GET_NO_NEW_PRIVS is not 1");
	if (capng_get_caps_process() != 0)
		bad("capng_get_caps_process: %s", strerror(errno));
	else if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE ||
		 capng_have_capabilities(CAPNG_SELECT_BOUNDS) != CAPNG_NONE)
		bad("capabilities are not empty after the filter");
	for (int c = 0; c <= CAP_LAST_CAP; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 0 || prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) != 0)
			bad("capability %d still in the bounding or ambient set", c);
	for (size_t i = 0; i < tki_sandbox_rlimits_n; i++) {
		struct rlimit rl;
#ifdef TKI_ASAN_BUILD
		/* The one waiver, sanitizer builds only: AS is left unset and the
		 * state says so (the shipped build takes the check below). */
		if (tki_sandbox_rlimits[i].resource == RLIMIT_AS) {
			if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_max != RLIM_INFINITY ||
			    !child_state.rlimit_waiver || strcmp(child_state.rlimit_waiver, "AS not set: sanitizer build"))
				bad("sanitizer build: RLIMIT_AS was set, or the waiver is not recorded");
			continue;
		}
#else
		if (child_state.rlimit_waiver)
			bad("shipped build recorded an rlimit waiver: %s", child_state.rlimit_waiver);
#endif
		if (getrlimit(tki_sandbox_rlimits[i].resource, &rl) != 0 ||
		    rl.rlim_cur != tki_sandbox_rlimits[i].value || rl.rlim_max != tki_sandbox_rlimits[i].value)
			bad("RLIMIT_%s is not %llu", tki_sandbox_rlimits[i].name, tki_sandbox_rlimits[i].value);
	}
	if (!child_state.nnp_set || !child_state.caps_cleared || !child_state.rlimits_set ||
	    !child_state.landlock_enforced || child_state.landlock_abi < 1 || !child_state.seccomp_loaded)
		bad("state not filled: nnp %d caps %d rlimits %d landlock %d/%d seccomp %d", child_state.nnp_set,
		    child_state.caps_cleared, child_state.rlimits_set, child_state.landlock_enforced,
		    child_state.landlock_abi, child_state.seccomp_loaded);

	/* The reader: jansson on the manifest. */
	json_error_t je;
	json_t *j = json_load_file(path_in(in_dir, "packet.json"), JSON_REJECT_DUPLICATES, &je);
	if (!j || strcmp(json_string_value(json_object_get(j, "packet_id")), "p-1") != 0)
		bad("jansson: %s", j ? "wrong content" : je.text);
	json_decref(j);

	/* Listing the packet (getdents64) and sorting (qsort). */
	DIR *d = opendir(in_dir);
	char *names[16];
	size_t nn = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && nn < 16)
		names[nn++] = strdup(e->d_name);
	if (!d)
		bad("opendir in: %s", strerror(errno));
	else
		closedir(d);
	qsort(names, nn, sizeof(*names), cmp_str);
	if (nn != 3)
		bad("listing: %zu entries, want 3", nn);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);

	/* Hashing in parallel threads, each through openat2. */
	int dirfd = open(in_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	pthread_t t[NTHREADS];
	struct hash_job jobs[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = (struct hash_job){.dirfd = dirfd};
		int rc = pthread_create(&t[i], NULL, hash_packet, &jobs[i]);
		if (rc != 0) {
			bad("pthread_create %d: %s", i, strerror(rc));
			return failures;
		}
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		if (jobs[i].err || memcmp(jobs[i].digest, jobs[0].digest, sizeof(jobs[0].digest)) != 0)
			bad("thread %d: %s", i, jobs[i].err ? strerror(jobs[i].err) : "digest differs");
	}
	close(dirfd);

	/* The report: temp file, fsync, rename, in the output dir only. */
	int od = open(out_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = openat(od, ".report.json.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		bad("report temp: %s", strerror(errno));
		return failures;
	}
	json_t *rep = json_pack("{s:s, s:i}", "verdict", "ADEQUATE", "claims", 3);
	if (json_dumpf(rep, f, JSON_SORT_KEYS) != 0 || fflush(f) != 0 || fsync(fileno(f)) != 0)
		bad("report write: %s", strerror(errno));
	json_decref(rep);
	fclose(f);
	WORKS(renameat(od, ".report.json.tmp", od, "report.json"));
	close(od);
	printf("wall: pipeline done at %ld\n", (long)time(NULL));
	return failures;
}

static void test_pipeline_still_works(void **state)
{
	(void)state;
	assert_child_ok(run_walled(do_pipeline, true, NULL));
	assert_int_equal(access(path_in(out_dir, "report.json"), F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_refused),
		cmocka_unit_test(test_network_refused),
		cmocka_unit_test(test_ptrace_refused),
		cmocka_unit_test(test_namespaces_refused),
		cmocka_unit_test(test_kernel_surface_refused),
		cmocka_unit_test(test_gravest_killed),
		cmocka_unit_test(test_x32_killed),
		cmocka_unit_test(test_i386_int80_killed),
		cmocka_unit_test(test_landlock_fs),
		cmocka_unit_test(test_no_data_dirs),
		cmocka_unit_test(test_signals_scoped),
		cmocka_unit_test(test_bounding_set_without_setpcap),
		cmocka_unit_test(test_drop_bounds),
		cmocka_unit_test(test_pipeline_still_works),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
