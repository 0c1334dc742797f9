// SPDX-License-Identifier: Apache-2.0
/* The L2 guard at its API, on real files in a scratch dir: every refusal
 * (#15-#17, #20-#22), the atomic write, the packet listing. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <seccomp.h>

#include "tki/guard.h"

static char root[PATH_MAX], in[PATH_MAX + 8], out[PATH_MAX + 8], outside[PATH_MAX + 16];

static void put(const char *dir, const char *rel, const char *content)
{
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char *get(const char *dir, const char *rel)
{
	static char buf[4096];
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "r");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	char p[PATH_MAX * 2];
	snprintf(root, sizeof(root), "%s/tki-guard-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	snprintf(in, sizeof(in), "%s/in", root);
	snprintf(out, sizeof(out), "%s/out", root);
	snprintf(outside, sizeof(outside), "%s/outside", root);
	assert_int_equal(mkdir(in, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	put(root, "outside", "SENTINEL");
	snprintf(p, sizeof(p), "%s/artifacts", in);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/artifacts/deep", in);
	assert_int_equal(mkdir(p, 0755), 0);
	put(in, "packet.json", "{}");
	put(in, "artifacts/a.txt", "hello");
	put(in, "artifacts/deep/b.txt", "deep");
	put(in, "caf\xc3\xa9.txt", "utf8");
	snprintf(p, sizeof(p), "%s/link-in", in);
	assert_int_equal(symlink("artifacts/a.txt", p), 0);
	snprintf(p, sizeof(p), "%s/link-out", in);
	assert_int_equal(symlink(outside, p), 0);
	snprintf(p, sizeof(p), "%s/linkdir", in);
	assert_int_equal(symlink("artifacts", p), 0);
	snprintf(p, sizeof(p), "%s/fifo", in);
	assert_int_equal(mkfifo(p, 0644), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct tki_guard *guard(void)
{
	struct tki_guard_err e;
	struct tki_guard *g = tki_guard_open(in, out, &e);
	assert_non_null(g);
	return g;
}

static void refused(const char *path, size_t len, const char *why)
{
	struct tki_guard_err e;
	assert_false(tki_guard_path_ok(path, len, &e));
	assert_int_equal(e.status, TKI_GUARD_BLOCKED);
	print_message("  %s\n", e.msg);
	assert_non_null(strstr(e.msg, why));
	assert_non_null(strstr(e.msg, "refused"));
}

static void path_rules(void **state)
{
	char longp[PATH_MAX + 2];
	refused("", 0, "empty path");
	refused("/etc/passwd", 11, "absolute");
	refused("..", 2, "\"..\" segment");
	refused("a/../b", 6, "\"..\" segment");
	refused("a/..", 4, "\"..\" segment");
	refused("a\0b", 3, "NUL byte");
	refused("caf\xe9", 4, "not valid UTF-8");
	refused("\xc0\xaf", 2, "not valid UTF-8");      /* overlong "/" */
	refused("\xed\xa0\x80", 3, "not valid UTF-8");  /* surrogate */
	refused("a//b", 4, "empty path segment");
	refused("a/", 2, "empty path segment");
	refused("./a", 3, "\".\" segment");
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	refused(longp, strlen(longp), "longer than PATH_MAX");
	struct tki_guard_err e;
	assert_true(tki_guard_path_ok("artifacts/a.txt", 15, &e));
	assert_true(tki_guard_path_ok("caf\xc3\xa9.txt", 9, &e));
	assert_true(tki_guard_path_ok("...", 3, &e)); /* a name, not a parent */
}

static int read_status(struct tki_guard *g, const char *path, struct tki_guard_err *e)
{
	struct stat st;
	int fd = tki_guard_read_item(g, path, strlen(path), &st, e);
	if (fd >= 0) {
		int fl = fcntl(fd, F_GETFL);
		assert_true(S_ISREG(st.st_mode));
		assert_false(fl & O_NONBLOCK);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
		return TKI_GUARD_OK;
	}
	print_message("  %s: %s\n", path, e->msg);
	return (int)e->status;
}

static void reads(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	assert_int_equal(read_status(g, "artifacts/a.txt", &e), TKI_GUARD_OK);
	assert_int_equal(read_status(g, "artifacts/deep/b.txt", &e), TKI_GUARD_OK);
	assert_int_equal(read_status(g, "caf\xc3\xa9.txt", &e), TKI_GUARD_OK);
	assert_int_equal(read_status(g, "nope.txt", &e), TKI_GUARD_MISSING);
	assert_int_equal(read_status(g, "artifacts/a.txt/x", &e), TKI_GUARD_MISSING);
	/* #16: any symlink, pointing inside or outside, last or middle component */
	assert_int_equal(read_status(g, "link-in", &e), TKI_GUARD_BLOCKED);
	assert_int_equal(e.err, ELOOP);
	assert_non_null(strstr(e.msg, "\"link-in\" refused: a symlink"));
	assert_int_equal(read_status(g, "link-out", &e), TKI_GUARD_BLOCKED);
	assert_int_equal(read_status(g, "linkdir/a.txt", &e), TKI_GUARD_BLOCKED);
	assert_int_equal(e.err, ELOOP);
	/* #17: not a regular file */
	assert_int_equal(read_status(g, "artifacts", &e), TKI_GUARD_BLOCKED);
	assert_non_null(strstr(e.msg, "a directory, not a regular file"));
	/* #15 reaches here only through path_ok */
	assert_int_equal(read_status(g, "../outside", &e), TKI_GUARD_BLOCKED);
	assert_int_equal(e.err, 0);
	tki_guard_close(g);
}

static void fifo_socket_device_never_block(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	char p[PATH_MAX * 2];
	alarm(5); /* a blocking open of the FIFO would hang: SIGALRM fails the test */
	assert_int_equal(read_status(g, "fifo", &e), TKI_GUARD_BLOCKED);
	assert_non_null(strstr(e.msg, "a FIFO, not a regular file"));
	/* a FIFO with a writer waiting is still refused */
	snprintf(p, sizeof(p), "%s/fifo", in);
	int w = open(p, O_RDWR | O_NONBLOCK);
	assert_true(w >= 0);
	assert_int_equal(read_status(g, "fifo", &e), TKI_GUARD_BLOCKED);
	close(w);

	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(in) + 6 < sizeof(sa.sun_path))
		memcpy(sa.sun_path, p, strlen(in)), memcpy(sa.sun_path + strlen(in), "/sock", 6);
	if (sa.sun_path[0] && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		assert_int_equal(read_status(g, "sock", &e), TKI_GUARD_BLOCKED);
		assert_non_null(strstr(e.msg, "a socket"));
	}
	close(s);

	snprintf(p, sizeof(p), "%s/tty", in);
	if (mknod(p, S_IFCHR | 0600, makedev(5, 0)) == 0) { /* /dev/tty: opening it would be a side effect */
		assert_int_equal(read_status(g, "tty", &e), TKI_GUARD_BLOCKED);
		assert_non_null(strstr(e.msg, "a character device"));
		unlink(p);
	} else {
		print_message("  (mknod: %s: device case not exercised)\n", strerror(errno));
	}
	alarm(0);
	unlink(sa.sun_path);
	tki_guard_close(g);
}

/* The child exited 0 (not killed: a SIGXFSZ would show here). */
static void assert_child_exit0(pid_t pid)
{
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* #15: a refused path never reaches the kernel. A seccomp filter makes
 * every openat2 fail with EOWNERDEAD: a refusal must not carry that errno,
 * a good path must (so the filter was really there). */
static void refused_before_any_syscall(void **state)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tki_guard_err e;
		struct tki_guard *g = tki_guard_open(in, out, &e);
		scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
		if (!f || seccomp_rule_add(f, SCMP_ACT_ERRNO(EOWNERDEAD), SCMP_SYS(openat2), 0) ||
		    seccomp_rule_add(f, SCMP_ACT_ERRNO(EOWNERDEAD), SCMP_SYS(openat), 0) ||
		    seccomp_rule_add(f, SCMP_ACT_ERRNO(EOWNERDEAD), SCMP_SYS(open), 0) || seccomp_load(f))
			_exit(10);
		const char *bad[] = {"../outside", "/etc/passwd", "a/../../x", "caf\xe9", ""};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (tki_guard_read_item(g, bad[i], strlen(bad[i]), NULL, &e) >= 0 ||
			    e.status != TKI_GUARD_BLOCKED || e.err != 0)
				_exit(20 + (int)i);
		if (tki_guard_read_item(g, "a\0b", 3, NULL, &e) >= 0 || e.status != TKI_GUARD_BLOCKED || e.err)
			_exit(30);
		if (tki_guard_read_item(g, "artifacts/a.txt", 15, NULL, &e) >= 0 || e.err != EOWNERDEAD)
			_exit(31);
		_exit(0);
	}
	assert_child_exit0(pid);
}

/* A mount inside the packet is a crossing openat2 refuses (RESOLVE_NO_XDEV). */
static void mount_crossing_refused(void **state)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char p[PATH_MAX * 2];
		snprintf(p, sizeof(p), "%s/mnt", in);
		if (unshare(CLONE_NEWNS) && unshare(CLONE_NEWUSER | CLONE_NEWNS))
			_exit(77);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || mkdir(p, 0755) ||
		    mount("tmpfs", p, "tmpfs", 0, NULL))
			_exit(77);
		/* no cmocka asserts in a child: a failure would longjmp into the runner */
		char f[PATH_MAX * 2 + 8];
		snprintf(f, sizeof(f), "%s/x.txt", p);
		int fd = open(f, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			_exit(77);
		close(fd);
		struct tki_guard_err e;
		struct tki_guard *g = tki_guard_open(in, out, &e);
		fd = tki_guard_read_item(g, "mnt/x.txt", 9, NULL, &e);
		_exit(fd < 0 && e.status == TKI_GUARD_BLOCKED && e.err == EXDEV ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* #20: only the two ops exist. */
static void other_ops_refused(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	const int ops[] = {0, 3, 4, -1, 99, INT32_MAX, INT32_MIN};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		assert_int_equal(tki_guard_request(g, ops[i], "packet.json", 11, "x", 1, &e), -1);
		assert_int_equal(e.status, TKI_GUARD_BLOCKED);
		assert_non_null(strstr(e.msg, "knows only READ_PACKET_ITEM and WRITE_LOCAL_REPORT"));
	}
	print_message("  %s\n", e.msg);
	assert_null(get(out, "packet.json"));
	int fd = tki_guard_request(g, TKI_IO_READ_PACKET_ITEM, "packet.json", 11, NULL, 0, &e);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tki_guard_request(g, TKI_IO_WRITE_LOCAL_REPORT, "r.txt", 5, "ok", 2, &e), 0);
	assert_string_equal(get(out, "r.txt"), "ok");
	tki_guard_close(g);

	/* a guard without an input root refuses reads; without an out dir, writes */
	g = tki_guard_open(NULL, out, &e);
	assert_int_equal(tki_guard_read_item(g, "packet.json", 11, NULL, &e), -1);
	assert_int_equal(e.status, TKI_GUARD_BLOCKED);
	tki_guard_close(g);
	g = tki_guard_open(in, NULL, &e);
	assert_int_equal(tki_guard_write_report(g, "r.txt", "x", 1, &e), -1);
	assert_int_equal(e.status, TKI_GUARD_BLOCKED);
	tki_guard_close(g);
}

/* Issue 14: --in and --out are opened with no symlink in any component;
 * the refusal names the symlink, and a real path still works. */
static void roots_never_follow_symlinks(void **state)
{
	struct tki_guard_err e;
	char link[PATH_MAX + 16], via[PATH_MAX + 32];
	snprintf(link, sizeof(link), "%s/lnk", root);
	assert_int_equal(symlink(root, link), 0);
	snprintf(via, sizeof(via), "%s/out", link); /* a symlink mid-path */
	assert_null(tki_guard_open(in, via, &e));
	assert_int_equal(e.status, TKI_GUARD_BLOCKED);
	assert_int_equal(e.err, ELOOP);
	assert_non_null(strstr(e.msg, link));
	print_message("  %s\n", e.msg);
	assert_null(tki_guard_open(link, out, &e)); /* the last component */
	assert_int_equal(e.err, ELOOP);
	assert_non_null(strstr(e.msg, link));
	char *name = NULL;
	int fd = tki_guard_open_dir(via, O_PATH, &name);
	assert_int_equal(fd, -1);
	assert_string_equal(name, link);
	free(name);
	struct tki_guard *g = tki_guard_open(in, out, &e);
	assert_non_null(g);
	tki_guard_close(g);
	unlink(link);
}

static size_t count_entries(const char *dir)
{
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	FILE *f = popen(cmd, "r");
	size_t n = 0;
	assert_int_equal(fscanf(f, "%zu", &n), 1);
	pclose(f);
	return n;
}

/* #21: names that would leave the output dir, or hide in it. */
static void report_names(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	const char *bad[] = {"../escape", "a/b", "/tmp/x", ".hidden", "..", ".", "", "x\ny", "r\x7f"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(tki_guard_write_report(g, bad[i], "x", 1, &e), -1);
		assert_int_equal(e.status, TKI_GUARD_BLOCKED);
		print_message("  %s\n", e.msg);
	}
	assert_int_equal(tki_guard_request(g, TKI_IO_WRITE_LOCAL_REPORT, "r\0../x", 6, "x", 1, &e), -1);
	assert_int_equal(e.status, TKI_GUARD_BLOCKED);
	assert_int_equal(count_entries(out), 0);
	assert_string_equal(get(root, "outside"), "SENTINEL");
	assert_null(get(root, "escape"));
	tki_guard_close(g);
}

/* #21/#31: a symlink planted under the report's name is replaced, never
 * followed: the file it points at keeps its bytes. */
static void planted_symlink_replaced(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	char p[PATH_MAX * 2];
	struct stat st;
	snprintf(p, sizeof(p), "%s/report.json", out);
	assert_int_equal(symlink(outside, p), 0);
	assert_int_equal(tki_guard_write_report(g, "report.json", "NEW", 3, &e), 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(get(out, "report.json"), "NEW");
	assert_string_equal(get(root, "outside"), "SENTINEL");
	/* a dangling symlink named like the temp does not redirect it either */
	snprintf(p, sizeof(p), "%s/.report.md.tmp-%ld-0", out, (long)getpid());
	assert_int_equal(symlink(outside, p), 0);
	tki_guard_close(g);
	g = guard(); /* its first temp name is the one planted */
	assert_int_equal(tki_guard_write_report(g, "report.md", "MD", 2, &e), 0);
	assert_string_equal(get(out, "report.md"), "MD");
	assert_string_equal(get(root, "outside"), "SENTINEL");
	unlink(p);
	tki_guard_close(g);
}

/* #22: a failed write leaves the previous report byte for byte and no temp
 * file behind. RLIMIT_FSIZE makes the write fail half way. */
static void failed_write_never_clobbers(void **state)
{
	char big[8192];
	memset(big, 'B', sizeof(big));
	put(out, "report.md", "OLD REPORT");
	size_t before = count_entries(out);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = {4096, 4096};
		struct tki_guard_err e;
		struct tki_guard *g = tki_guard_open(in, out, &e);
		if (setrlimit(RLIMIT_FSIZE, &rl))
			_exit(10);
		int r = tki_guard_write_report(g, "report.md", big, sizeof(big), &e);
		fprintf(stderr, "  child: %s\n", e.msg);
		_exit(r == -1 && e.status == TKI_GUARD_IOERR && e.err == EFBIG ? 0 : 1);
	}
	assert_child_exit0(pid); /* not killed by SIGXFSZ */
	assert_string_equal(get(out, "report.md"), "OLD REPORT");
	assert_int_equal(count_entries(out), before);

	/* the report name is a directory: rename fails, nothing is left */
	char p[PATH_MAX * 2];
	struct tki_guard_err e;
	struct tki_guard *g = guard();
	snprintf(p, sizeof(p), "%s/report.sarif", out);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(tki_guard_write_report(g, "report.sarif", "S", 1, &e), -1);
	print_message("  %s\n", e.msg);
	assert_non_null(strstr(e.msg, "rename"));
	assert_int_equal(count_entries(out), before + 1);
	rmdir(p);
	/* and a good write replaces the old report whole */
	assert_int_equal(tki_guard_write_report(g, "report.md", big, 100, &e), 0);
	assert_int_equal(strlen(get(out, "report.md")), 100);
	tki_guard_close(g);
}

/* The streamed set API: pieces of any size, three reports in one commit,
 * the old report.json replaced, nothing left at a temp name. */
static void report_set_streamed(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	static char big[200000];
	put(out, "report.json", "OLD");
	const char *names[] = {"report.json", "report.md", "report.sarif"};
	struct tki_guard_report *set[3];
	for (size_t i = 0; i < 3; i++) {
		set[i] = tki_guard_report_open(g, names[i], &e);
		assert_non_null(set[i]);
	}
	for (size_t i = 0; i < sizeof(big); i += 7) { /* crosses the 64 KiB buffer */
		memset(big + i, 'a' + (int)(i / 7 % 26), sizeof(big) - i < 7 ? sizeof(big) - i : 7);
		assert_int_equal(tki_guard_report_write(set[0], big + i, sizeof(big) - i < 7 ? sizeof(big) - i : 7), 0);
	}
	assert_int_equal(tki_guard_report_write(set[1], "M", 1), 0);
	assert_int_equal(tki_guard_report_write(set[1], big, sizeof(big)), 0); /* one piece bigger than the buffer */
	assert_int_equal(tki_guard_report_write(set[2], "S", 1), 0);
	assert_int_equal(count_entries(out), 4); /* three temps and the old report */
	assert_int_equal(tki_guard_report_commit(set, 3, &e), 0);
	assert_int_equal(count_entries(out), 3);
	char p[PATH_MAX * 2];
	struct stat st;
	snprintf(p, sizeof(p), "%s/report.json", out);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, sizeof(big));
	FILE *f = fopen(p, "r");
	static char back[sizeof(big)];
	assert_int_equal(fread(back, 1, sizeof(back), f), sizeof(back));
	fclose(f);
	assert_memory_equal(back, big, sizeof(big));
	snprintf(p, sizeof(p), "%s/report.md", out);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, sizeof(big) + 1);
	assert_string_equal(get(out, "report.sarif"), "S");
	/* abort: the temps go, the reports stay */
	for (size_t i = 0; i < 2; i++) {
		set[i] = tki_guard_report_open(g, names[i], &e);
		assert_int_equal(tki_guard_report_write(set[i], "NEW", 3), 0);
	}
	set[2] = NULL;
	tki_guard_report_abort(set, 3);
	assert_int_equal(count_entries(out), 3);
	assert_string_equal(get(out, "report.sarif"), "S");
	tki_guard_close(g);
}

/* One set, all or none: a report that cannot be renamed (a directory in
 * its place; an immutable file, whose rename fails after the others were
 * done) or written (RLIMIT_FSIZE) leaves every previous report byte for
 * byte and no temp file. */
static int set_of_three(struct tki_guard *g, const char *last, struct tki_guard_err *e)
{
	const char *names[] = {"report.json", "report.md", last};
	struct tki_guard_report *set[3];
	for (size_t i = 0; i < 3; i++) {
		set[i] = tki_guard_report_open(g, names[i], e);
		assert_non_null(set[i]);
		assert_int_equal(tki_guard_report_write(set[i], "NEW", 3), 0);
	}
	return tki_guard_report_commit(set, 3, e);
}

static void report_set_all_or_none(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	char p[PATH_MAX * 2];
	put(out, "report.json", "OLD JSON");
	put(out, "report.md", "OLD MD");
	snprintf(p, sizeof(p), "%s/report.sarif", out);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(set_of_three(g, "report.sarif", &e), -1);
	print_message("  %s\n", e.msg);
	assert_non_null(strstr(e.msg, "report.sarif"));
	assert_non_null(strstr(e.msg, "rename"));
	assert_non_null(strstr(e.msg, "all or none"));
	assert_string_equal(get(out, "report.json"), "OLD JSON");
	assert_string_equal(get(out, "report.md"), "OLD MD");
	assert_int_equal(count_entries(out), 3);
	rmdir(p);

	/* the last rename fails after the first two were done: put back */
	put(out, "report.x", "OLD X");
	snprintf(p, sizeof(p), "%s/report.x", out);
	int fd = open(p, O_RDONLY), fl = FS_IMMUTABLE_FL;
	if (fd >= 0 && ioctl(fd, FS_IOC_SETFLAGS, &fl) == 0) {
		int r = set_of_three(g, "report.x", &e);
		fl = 0;
		ioctl(fd, FS_IOC_SETFLAGS, &fl);
		print_message("  %s\n", e.msg);
		assert_int_equal(r, -1);
		assert_int_equal(e.err, EPERM);
		assert_non_null(strstr(e.msg, "report.x"));
		assert_string_equal(get(out, "report.json"), "OLD JSON");
		assert_string_equal(get(out, "report.md"), "OLD MD");
		assert_string_equal(get(out, "report.x"), "OLD X");
		assert_int_equal(count_entries(out), 3);
	} else {
		print_message("  (immutable files unsupported here: the put-back path is left to #22)\n");
	}
	if (fd >= 0)
		close(fd);
	unlink(p);

	/* a write that fails (RLIMIT_FSIZE) stops the set before any rename */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = {4096, 4096};
		static char big[8192];
		struct tki_guard_report *set[2] = {tki_guard_report_open(g, "report.json", &e),
						   tki_guard_report_open(g, "report.md", &e)};
		if (!set[0] || !set[1] || setrlimit(RLIMIT_FSIZE, &rl))
			_exit(10);
		tki_guard_report_write(set[0], "NEW", 3);
		tki_guard_report_write(set[1], big, sizeof(big));
		int r = tki_guard_report_commit(set, 2, &e);
		fprintf(stderr, "  child: %s\n", e.msg);
		_exit(r == -1 && e.err == EFBIG && strstr(e.msg, "report.md") ? 0 : 1);
	}
	assert_child_exit0(pid);
	assert_string_equal(get(out, "report.json"), "OLD JSON");
	assert_string_equal(get(out, "report.md"), "OLD MD");
	assert_int_equal(count_entries(out), 2);

	/* A filesystem without RENAME_EXCHANGE (a seccomp filter makes it
	 * EINVAL, as such a filesystem answers): the old reports are replaced
	 * by plain renames and cannot be put back; when report.sarif then
	 * fails, the new report.json and report.md stay (better than none),
	 * the message says so, and no temp is left. */
	snprintf(p, sizeof(p), "%s/report.sarif", out);
	assert_int_equal(mkdir(p, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
		if (!f ||
		    seccomp_rule_add(f, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(renameat2), 1,
				     SCMP_A4(SCMP_CMP_MASKED_EQ, RENAME_EXCHANGE, RENAME_EXCHANGE)) ||
		    seccomp_load(f))
			_exit(10);
		int r = set_of_three(g, "report.sarif", &e);
		fprintf(stderr, "  child: %s\n", e.msg);
		_exit(r == -1 && strstr(e.msg, "(\"report.json\" first) cannot be put back") ? 0 : 1);
	}
	assert_child_exit0(pid);
	assert_string_equal(get(out, "report.json"), "NEW");
	assert_string_equal(get(out, "report.md"), "NEW");
	assert_int_equal(count_entries(out), 3);
	rmdir(p);
	tki_guard_close(g);
}

struct listing {
	char seen[32][128];
	bool reg[32];
	size_t n;
};

static void collect(const char *rel, bool is_regular, void *ctx)
{
	struct listing *l = ctx;
	if (l->n < 32) {
		snprintf(l->seen[l->n], sizeof(l->seen[0]), "%s", rel);
		l->reg[l->n++] = is_regular;
	}
}

static int find(struct listing *l, const char *rel)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->seen[i], rel))
			return l->reg[i] ? 1 : 0;
	return -1;
}

static void listing(void **state)
{
	struct tki_guard *g = guard();
	struct tki_guard_err e;
	struct listing l = {0};
	assert_int_equal(tki_guard_list_items(g, collect, &l, &e), 0);
	for (size_t i = 0; i < l.n; i++)
		print_message("  %s %s\n", l.reg[i] ? "file " : "other", l.seen[i]);
	assert_int_equal(find(&l, "packet.json"), 1);
	assert_int_equal(find(&l, "artifacts/a.txt"), 1);
	assert_int_equal(find(&l, "artifacts/deep/b.txt"), 1);
	assert_int_equal(find(&l, "link-in"), 0);
	assert_int_equal(find(&l, "linkdir"), 0);
	assert_int_equal(find(&l, "linkdir/a.txt"), -1); /* never followed */
	assert_int_equal(find(&l, "fifo"), 0);
	assert_int_equal(find(&l, "artifacts"), -1); /* directories are walked, not listed */
	tki_guard_close(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_rules),
		cmocka_unit_test_setup_teardown(reads, setup, teardown),
		cmocka_unit_test_setup_teardown(fifo_socket_device_never_block, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_before_any_syscall, setup, teardown),
		cmocka_unit_test_setup_teardown(mount_crossing_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(other_ops_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(report_names, setup, teardown),
		cmocka_unit_test_setup_teardown(planted_symlink_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_write_never_clobbers, setup, teardown),
		cmocka_unit_test_setup_teardown(report_set_streamed, setup, teardown),
		cmocka_unit_test_setup_teardown(report_set_all_or_none, setup, teardown),
		cmocka_unit_test_setup_teardown(listing, setup, teardown),
		cmocka_unit_test_setup_teardown(roots_never_follow_symlinks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
