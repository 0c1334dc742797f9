// SPDX-License-Identifier: Apache-2.0
/* The guard's batch side (inspect --batch): list the batch dir, make a
 * packet's report dir packets/NAME/ in the output dir, and anchor a
 * worker's own guard at its packet dir and its report dir. Every lookup is
 * one openat2 beneath the batch guard's roots with no symlink, no magic
 * link and no mount crossing (TKI_GUARD_RESOLVE): a packet dir swapped for
 * a symlink after the listing is refused here, never followed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/guard.h"
#include "guard_batch.h"
#include "guard_int.h"

#ifdef TKI_TEST_HOOKS
#include "guard_batch_hooks.c" /* tests/hooks/: the test build only (mk/batch.mk) */
#endif

static char *report_path(const struct tki_guard *g, const char *name)
{
	char *p = tki_xasprintf(TKI_BATCH_REPORTS "/%s", name);
#ifdef TKI_TEST_HOOKS
	test_hook_fold(g, p);
#else
	(void)g;
#endif
	return p;
}

__attribute__((format(printf, 4, 5)))
static int bfail(struct tki_guard_err *e, enum tki_guard_status st, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->status = st;
	e->err = err;
	return -1;
}

static enum tki_batch_kind kind_of(int dirfd, const char *name, unsigned char dt)
{
	if (dt == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return TKI_BATCH_OTHER;
		dt = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
	}
	return dt == DT_DIR ? TKI_BATCH_DIR : dt == DT_LNK ? TKI_BATCH_SYMLINK : TKI_BATCH_OTHER;
}

int tki_guard_batch_list(struct tki_guard *g, tki_guard_batch_fn fn, void *ctx, struct tki_guard_err *e)
{
	e->status = TKI_GUARD_OK;
	if (!g || g->in_fd < 0)
		return bfail(e, TKI_GUARD_BLOCKED, 0, "batch listing refused: the guard has no input root");
	int fd = tki_guard_openat2(g->in_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return bfail(e, TKI_GUARD_IOERR, errno, "cannot list the batch dir: %s", strerror(errno));
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return bfail(e, TKI_GUARD_IOERR, errno, "cannot list the batch dir: %s", strerror(errno));
	}
	size_t n = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++n > TKI_BATCH_MAX_ENTRIES) {
			closedir(d);
			return bfail(e, TKI_GUARD_BLOCKED, 0,
				     "the batch dir holds more than %d entries. Hint: split it, or run it in shards "
				     "(--shard I/N) over several batch dirs",
				     TKI_BATCH_MAX_ENTRIES);
		}
		fn(de->d_name, kind_of(dirfd(d), de->d_name, de->d_type), ctx);
		errno = 0;
	}
	int err = errno;
	closedir(d);
	if (err)
		return bfail(e, TKI_GUARD_IOERR, err, "cannot list the batch dir: %s", strerror(err));
	return 0;
}

/* mkdirat, then check with openat2 that what is there is a directory
 * reached without a symlink: an existing packets/NAME that is a symlink
 * (or a file) is refused, never written through. */
static int make_dir(int at, const char *path, struct tki_batch_dirid *id, struct tki_guard_err *e)
{
	if (mkdirat(at, path, 0755) != 0 && errno != EEXIST)
		return bfail(e, TKI_GUARD_IOERR, errno, "cannot create the report dir %s: %s", path, strerror(errno));
	int fd = tki_guard_openat2(at, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return bfail(e, TKI_GUARD_BLOCKED, errno,
			     "the report dir %s is refused: %s (a symlink or not a directory). Hint: remove it, or "
			     "use an empty --out",
			     path, strerror(errno));
	struct stat st;
	int r = fstat(fd, &st);
	close(fd);
	if (r != 0)
		return bfail(e, TKI_GUARD_IOERR, errno, "cannot stat the report dir %s: %s", path, strerror(errno));
	*id = (struct tki_batch_dirid){st.st_dev, st.st_ino};
	return 0;
}

int tki_guard_batch_mkdir(struct tki_guard *g, const char *name, struct tki_batch_dirid *id,
			  struct tki_guard_err *e)
{
	struct tki_batch_dirid top;
	e->status = TKI_GUARD_OK;
	if (!g || g->out_fd < 0)
		return bfail(e, TKI_GUARD_BLOCKED, 0, "report dir refused: the guard has no output root");
	if (make_dir(g->out_fd, TKI_BATCH_REPORTS, &top, e) != 0)
		return -1;
	tki_autofree char *path = report_path(g, name);
	return make_dir(g->out_fd, path, id, e);
}

struct tki_guard *tki_guard_batch_sub(const struct tki_guard *g, const char *name, const struct tki_batch_dirid *id,
				      struct tki_guard_err *e)
{
	e->status = TKI_GUARD_OK;
	struct tki_guard *s = tki_xcalloc(1, sizeof(*s));
	s->in_fd = tki_guard_openat2(g->in_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->in_fd < 0) {
		bfail(e, TKI_GUARD_BLOCKED, errno, "the packet dir is refused: %s (swapped for a symlink or removed "
			  "since the listing?)", strerror(errno));
		tki_guard_close(s);
		return NULL;
	}
	tki_autofree char *path = report_path(g, name);
	s->out_fd = tki_guard_openat2(g->out_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s->out_fsync = s->out_fd >= 0;
	if (s->out_fd < 0) {
		bfail(e, TKI_GUARD_BLOCKED, errno, "the report dir is refused: %s", strerror(errno));
		tki_guard_close(s);
		return NULL;
	}
	/* --in an alias (a bind mount) of --out's packets/: the report dir
	 * would be the packet dir itself, its reports written into the
	 * packet. The paths differ; the inode does not. */
	struct stat a, b;
	if (fstat(s->in_fd, &a) != 0 || fstat(s->out_fd, &b) != 0 || (a.st_dev == b.st_dev && a.st_ino == b.st_ino)) {
		bfail(e, TKI_GUARD_BLOCKED, 0, "the report dir packets/NAME/ is the packet dir itself (--in reached "
			  "through --out by another path, a bind mount?). Hint: use an --out apart from --in");
		tki_guard_close(s);
		return NULL;
	}
	if (b.st_dev != id->dev || b.st_ino != id->ino) {
		bfail(e, TKI_GUARD_BLOCKED, 0, "the report dir packets/NAME/ is not the directory the batch made and "
			  "checked for it (replaced since). Hint: leave --out alone while the batch runs");
		tki_guard_close(s);
		return NULL;
	}
	return s;
}

bool tki_guard_batch_out_has(const struct tki_guard *g, const char *name)
{
	struct stat st;
	return g && g->out_fd >= 0 && !strchr(name, '/') && fstatat(g->out_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

void tki_guard_batch_fds(const struct tki_guard *g, int *in_fd, int *out_fd)
{
	*in_fd = g->in_fd;
	*out_fd = g->out_fd;
}
