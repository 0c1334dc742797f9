// SPDX-License-Identifier: Apache-2.0
/* L2 guard: the one I/O gateway of the pipeline (see include/tki/guard.h).
 * Reads resolve beneath the input root with openat2 and never follow a
 * symlink, a magic link or a mount crossing; writes go to a temp file in the
 * output dir and are renamed over the report name (src/guard_write.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tki/common.h"
#include "tki/guard.h"
#include "guard_int.h"

int tki_guard_openat2(int dirfd, const char *path, unsigned long long flags)
{
	struct open_how how = {.flags = flags, .resolve = TKI_GUARD_RESOLVE};
	int fd;
	do
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	return fd;
}

/* A root that cannot be opened; a symlink anywhere on its path is named. */
static void dir_fail(struct tki_guard_err *e, const char *role, const char *dir, int err, const char *link,
		     const char *hint)
{
	if (err == ELOOP)
		tki_guard_fail(e, TKI_GUARD_BLOCKED, err,
		     "%s %s refused: %s is a symlink (no component of --in/--out may be one)\nHint: %s, "
		     "given by its real path",
		     role, dir, link ? link : "a component of it", hint);
	else
		tki_guard_fail(e, err == ENOENT ? TKI_GUARD_MISSING : TKI_GUARD_BLOCKED, err, "%s %s: %s\nHint: %s", role, dir,
		     strerror(err), hint);
}

struct tki_guard *tki_guard_open(const char *in_dir, const char *out_dir, struct tki_guard_err *e)
{
	struct tki_guard *g = tki_xcalloc(1, sizeof(*g));
	g->in_fd = g->out_fd = -1;
	tki_guard_ok(e);
	if (in_dir) {
		tki_autofree char *link = NULL;
		g->in_fd = tki_guard_open_dir(in_dir, O_PATH, &link);
		if (g->in_fd < 0) {
			dir_fail(e, "input dir", in_dir, errno, link, "--in must name the packet directory");
			tki_guard_close(g);
			return NULL;
		}
	}
	if (out_dir) {
		/* A readable fd lets us fsync the directory after a rename; if
		 * the sandbox grants write but not read there, O_PATH still
		 * anchors every write and only the dir fsync is skipped. */
		tki_autofree char *link = NULL;
		g->out_fd = tki_guard_open_dir(out_dir, O_RDONLY, &link);
		g->out_fsync = g->out_fd >= 0;
		if (g->out_fd < 0 && errno == EACCES)
			g->out_fd = tki_guard_open_dir(out_dir, O_PATH, &link);
		if (g->out_fd < 0) {
			dir_fail(e, "output dir", out_dir, errno, link, "--out must name an existing writable directory");
			tki_guard_close(g);
			return NULL;
		}
		/* Under RLIMIT_FSIZE a write past the limit must fail with EFBIG
		 * so that the temp file is removed, not kill the process and
		 * leave it behind. */
		signal(SIGXFSZ, SIG_IGN);
	}
	return g;
}

void tki_guard_close(struct tki_guard *g)
{
	if (!g)
		return;
	if (g->in_fd >= 0)
		close(g->in_fd);
	if (g->out_fd >= 0)
		close(g->out_fd);
	free(g);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static const char *ftype(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symlink";
	default: return "not a regular file";
	}
}

static int open_error(struct tki_guard_err *e, const char *q, int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return tki_guard_fail(e, TKI_GUARD_MISSING, err, "%s: no such file in the packet", q);
	case ELOOP:
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, err,
			    "%s refused: a symlink on the path (openat2 RESOLVE_NO_SYMLINKS: %s). "
			    "Hint: packets must hold the files themselves, not links",
			    q, strerror(err));
	case EXDEV:
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, err,
			    "%s refused: the path leaves the packet root or crosses a mount (openat2: %s)", q,
			    strerror(err));
	case EACCES:
	case EPERM:
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, err, "%s refused by the sandbox: %s", q, strerror(err));
	default:
		return tki_guard_fail(e, TKI_GUARD_IOERR, err, "%s: %s", q, strerror(err));
	}
}

static int do_read(struct tki_guard *g, const char *path, size_t pathlen, struct stat *st_out,
		   struct tki_guard_err *e)
{
	char q[160];
	struct stat st1, st2;
	tki_guard_ok(e);
	if (!g || g->in_fd < 0)
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, 0, "READ_PACKET_ITEM refused: the guard has no input root");
	if (!tki_guard_path_ok(path, pathlen, e))
		return -1;
	tki_quote(q, sizeof(q), path, pathlen);

	/* Look before opening for real: an O_PATH open has no side effect on
	 * a device node and cannot block on a FIFO. */
	tki_autoclose int pfd = tki_guard_openat2(g->in_fd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return open_error(e, q, errno);
	if (fstat(pfd, &st1) < 0)
		return tki_guard_fail(e, TKI_GUARD_IOERR, errno, "%s: fstat: %s", q, strerror(errno));
	/* O_PATH|O_NOFOLLOW hands back a trailing symlink itself instead of
	 * ELOOP: refuse it the same way as one met mid-path. */
	if (S_ISLNK(st1.st_mode))
		return open_error(e, q, ELOOP);
	if (!S_ISREG(st1.st_mode))
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, 0, "%s refused: %s, not a regular file", q, ftype(st1.st_mode));

	tki_autoclose int fd = tki_guard_openat2(g->in_fd, path,
					       O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return open_error(e, q, errno);
	if (fstat(fd, &st2) < 0)
		return tki_guard_fail(e, TKI_GUARD_IOERR, errno, "%s: fstat: %s", q, strerror(errno));
	if (!S_ISREG(st2.st_mode))
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, 0, "%s refused: %s, not a regular file", q, ftype(st2.st_mode));
	if (!same_file(&st1, &st2))
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, 0, "%s refused: the file was replaced while it was opened", q);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return tki_guard_fail(e, TKI_GUARD_IOERR, errno, "%s: fcntl: %s", q, strerror(errno));
	if (st_out)
		*st_out = st2;
	return tki_steal_fd(&fd);
}

int tki_guard_read_item(struct tki_guard *g, const char *path, size_t pathlen, struct stat *st,
			struct tki_guard_err *e)
{
	return do_read(g, path, pathlen, st, e);
}

int tki_guard_request(struct tki_guard *g, int op, const char *path, size_t pathlen, const void *buf, size_t len,
		      struct tki_guard_err *e)
{
	switch (op) {
	case TKI_IO_READ_PACKET_ITEM:
		return do_read(g, path, pathlen, NULL, e);
	case TKI_IO_WRITE_LOCAL_REPORT:
		return tki_guard_write_n(g, path, pathlen, buf, len, e) < 0 ? -1 : 0;
	default:
		return tki_guard_fail(e, TKI_GUARD_BLOCKED, 0,
			    "I/O operation %d refused: the guard knows only READ_PACKET_ITEM and WRITE_LOCAL_REPORT", op);
	}
}
