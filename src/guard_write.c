// SPDX-License-Identifier: Apache-2.0
/* WRITE_LOCAL_REPORT: reports are streamed into temp files in the output
 * dir and committed as a set, all or none (docs/guard.md). The one durable
 * sequence for a set: every temp written and fsync'ed, then every rename,
 * then one fsync of the directory. A temp that cannot be made, written or
 * flushed stops the set before any rename; a rename that fails puts back
 * the reports already renamed (RENAME_EXCHANGE keeps the old one at the
 * temp name until the whole set is in). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tki/common.h"
#include "tki/guard.h"
#include "guard_int.h"

/* glibc 2.36 has renameat2 but the flags only in <linux/fs.h>. */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* Small writes are gathered so that a renderer may stream in pieces of any
 * size without a system call each; the cost in memory is bounded. */
#define REPORT_BUF (64 * 1024)

/* How a report went in, so that a failed set can be put back: EXCHANGED
 * (the old report waits at the temp name), CREATED (there was none),
 * REPLACED (a non-file was there: not put back), OVERWRITTEN (an old report
 * replaced by a plain rename on a filesystem without RENAME_EXCHANGE: it is
 * gone, so the new one stays). */
enum installed { NOT_YET, EXCHANGED, CREATED, REPLACED, OVERWRITTEN };

struct tki_guard_report {
	struct tki_guard *g;
	int fd; /* the temp file, -1 once closed */
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
	bool at_tmp; /* something of ours is at the temp name (drop unlinks it) */
	char q[160];            /* the name, quoted for messages */
	char *buf;
	size_t used;
	bool finished;    /* tki_guard_report_finish: no more writes */
	const char *step; /* first failure (sticky), NULL while all is well */
	int err;
	enum installed how;
};

static int latch(struct tki_guard_report *r, const char *step, int err)
{
	if (!r->step) {
		r->step = step;
		r->err = err;
	}
	return -1;
}

static int write_fd(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush(struct tki_guard_report *r)
{
	if (r->step)
		return -1;
	if (r->used && write_fd(r->fd, r->buf, r->used) < 0)
		return latch(r, "write", errno);
	r->used = 0;
	return 0;
}

static struct tki_guard_report *open_n(struct tki_guard *g, const char *name, size_t namelen,
				       struct tki_guard_err *e)
{
	char q[160], tmp[NAME_MAX + 1];
	int fd = -1;
	tki_guard_ok(e);
	if (!g || g->out_fd < 0) {
		tki_guard_fail(e, TKI_GUARD_BLOCKED, 0, "WRITE_LOCAL_REPORT refused: the guard has no output dir");
		return NULL;
	}
	if (!tki_guard_name_ok(name, namelen, e))
		return NULL;
	tki_quote(q, sizeof(q), name, namelen);

	/* The temp name starts with "." (never a report name), and O_EXCL +
	 * O_NOFOLLOW refuse anything already there, symlinks included. */
	for (int tries = 0; fd < 0 && tries < 16; tries++) {
		snprintf(tmp, sizeof(tmp), ".%s.tmp-%ld-%u", name, (long)getpid(), g->tmp_seq++);
		fd = openat(g->out_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		tki_guard_fail(e, errno == EACCES || errno == EPERM || errno == EROFS ? TKI_GUARD_BLOCKED : TKI_GUARD_IOERR,
			       errno, "report %s: cannot create a temp file in the output dir: %s", q, strerror(errno));
		return NULL;
	}
	struct tki_guard_report *r = tki_xcalloc(1, sizeof(*r));
	r->g = g;
	r->fd = fd;
	memcpy(r->name, name, namelen); /* name_ok: shorter than NAME_MAX, no NUL */
	snprintf(r->tmp, sizeof(r->tmp), "%s", tmp);
	r->at_tmp = true;
	snprintf(r->q, sizeof(r->q), "%s", q);
	return r;
}

struct tki_guard_report *tki_guard_report_open(struct tki_guard *g, const char *name, struct tki_guard_err *e)
{
	return open_n(g, name, name ? strlen(name) : 0, e);
}

int tki_guard_report_write(struct tki_guard_report *r, const void *buf, size_t len)
{
	if (!r)
		return -1;
	if (r->finished)
		return latch(r, "write", EBADF); /* a caller's bug: fail the set */
	if (r->step)
		return -1;
	if (r->used + len > REPORT_BUF && flush(r) < 0)
		return -1;
	if (len >= REPORT_BUF) /* nothing pending: straight to the file */
		return write_fd(r->fd, buf, len) < 0 ? latch(r, "write", errno) : 0;
	if (!r->buf)
		r->buf = tki_xmalloc(REPORT_BUF);
	memcpy(r->buf + r->used, buf, len);
	r->used += len;
	return 0;
}

void tki_guard_report_finish(struct tki_guard_report *r)
{
	if (!r || r->finished)
		return;
	r->finished = true;
	if (flush(r) == 0)
		(void)sync_file_range(r->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

/* Close, unlink what is left at the temp name, free. */
static void drop(struct tki_guard_report *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->at_tmp)
		unlinkat(r->g->out_fd, r->tmp, 0);
	free(r->buf);
	free(r);
}

void tki_guard_report_abort(struct tki_guard_report **set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (set[i])
			drop(set[i]);
		set[i] = NULL;
	}
}

/* Put the new report under its name, keeping the old one at the temp name
 * until the whole set is in. A directory under the report's name is never
 * moved (rename(2) refuses it: EISDIR); anything else that is not a regular
 * file (a planted symlink, #21/#31) is replaced by a plain rename, which
 * never follows it and needs no right to make one (Landlock), and is not
 * put back. A filesystem without renameat2 flags gets a plain rename too. */
static int install(struct tki_guard_report *r)
{
	int d = r->g->out_fd;
	bool old_file = false;
	for (int tries = 0; tries < 4; tries++) {
		struct stat st;
		old_file = false;
		if (fstatat(d, r->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				return latch(r, "rename", errno);
			if (renameat2(d, r->tmp, d, r->name, RENAME_NOREPLACE) == 0) {
				r->how = CREATED;
				r->at_tmp = false;
				return 0;
			}
		} else if (S_ISDIR(st.st_mode)) {
			return latch(r, "rename", EISDIR);
		} else if (S_ISREG(st.st_mode)) {
			old_file = true;
			if (renameat2(d, r->tmp, d, r->name, RENAME_EXCHANGE) == 0) {
				r->how = EXCHANGED;
				return 0;
			}
		} else {
			break;
		}
		if (errno == EINVAL)
			break;
		if (errno != EEXIST && errno != ENOENT) /* else it changed under us: look again */
			return latch(r, "rename", errno);
	}
	if (renameat(d, r->tmp, d, r->name) < 0)
		return latch(r, "rename", errno);
	r->how = old_file ? OVERWRITTEN : REPLACED;
	r->at_tmp = false;
	return 0;
}

/* Undo install: the old report back under its name, the new one back at
 * the temp name (unlinked by drop). A report that had no predecessor (or
 * replaced a non-file) is moved back to its temp name. One that overwrote
 * its predecessor stays: a new report is better than none. */
static void uninstall(struct tki_guard_report *r)
{
	int d = r->g->out_fd;
	switch (r->how) {
	case EXCHANGED:
		renameat2(d, r->tmp, d, r->name, RENAME_EXCHANGE);
		break;
	case CREATED:
	case REPLACED:
		r->at_tmp = renameat2(d, r->name, d, r->tmp, RENAME_NOREPLACE) == 0;
		break;
	case OVERWRITTEN:
		return; /* kept, and named by set_failed */
	case NOT_YET:
		break;
	}
	r->how = NOT_YET;
}

static int set_failed(struct tki_guard_report **set, size_t n, const struct tki_guard_report *bad,
		      struct tki_guard_err *e)
{
	size_t others = 0;
	const char *kept = NULL;
	for (size_t i = 0; i < n; i++) {
		others += set[i] && set[i] != bad;
		if (set[i] && set[i]->how == OVERWRITTEN && !kept)
			kept = set[i]->q;
	}
	if (kept) /* only where the filesystem cannot exchange two names */
		tki_guard_fail(e, TKI_GUARD_IOERR, bad->err,
			       "report %s not written (%s: %s); without RENAME_EXCHANGE on this filesystem the reports "
			       "that replaced an old one before it (%s first) cannot be put back and stay new",
			       bad->q, bad->step, strerror(bad->err), kept);
	else
		tki_guard_fail(e, TKI_GUARD_IOERR, bad->err,
			       "report %s not written (%s: %s); any previous %s is untouched%s", bad->q, bad->step,
			       strerror(bad->err), bad->q,
			       others ? ", and so are the other reports of this run (all or none)" : "");
	tki_guard_report_abort(set, n);
	return -1;
}

int tki_guard_report_commit(struct tki_guard_report **set, size_t n, struct tki_guard_err *e)
{
	struct tki_guard *g = NULL;
	tki_guard_ok(e);
	for (size_t i = 0; i < n; i++) {
		if (!set[i])
			continue;
		if (g && set[i]->g != g) {
			tki_guard_report_abort(set, n);
			return tki_guard_fail(e, TKI_GUARD_BLOCKED, 0, "WRITE_LOCAL_REPORT refused: one set, two guards");
		}
		g = set[i]->g;
	}
	if (!g)
		return 0;

	/* 1. Every temp on disk before any name changes. Writeback of all of
	 * them starts first (if tki_guard_report_finish has not started it
	 * already), so that the first fsync's journal commit carries every
	 * temp's blocks and the later fsyncs find little left to wait for
	 * (docs/performance.md). */
	for (size_t i = 0; i < n; i++)
		tki_guard_report_finish(set[i]);
	for (size_t i = 0; i < n; i++)
		if (set[i] && !set[i]->step && fsync(set[i]->fd) < 0)
			latch(set[i], "fsync", errno);
	for (size_t i = 0; i < n; i++) {
		if (!set[i])
			continue;
		if (close(set[i]->fd) < 0)
			latch(set[i], "close", errno);
		set[i]->fd = -1;
	}
	for (size_t i = 0; i < n; i++)
		if (set[i] && set[i]->step)
			return set_failed(set, n, set[i], e);

	/* 2. The renames, all or none. */
	for (size_t i = 0; i < n; i++) {
		if (!set[i] || install(set[i]) == 0)
			continue;
		for (size_t j = i; j-- > 0;)
			if (set[j])
				uninstall(set[j]);
		return set_failed(set, n, set[i], e);
	}

	/* 3. The old reports go, then one fsync of the directory makes every
	 * rename (and those unlinks) durable. */
	const char *first = NULL;
	for (size_t i = 0; i < n; i++)
		if (set[i] && !first)
			first = set[i]->q;
	char q[160];
	snprintf(q, sizeof(q), "%s", first);
	tki_guard_report_abort(set, n);
	if (g->out_fsync && fsync(g->out_fd) < 0 && errno != EINVAL)
		return tki_guard_fail(e, TKI_GUARD_IOERR, errno, "report %s: fsync of the output dir: %s", q,
				      strerror(errno));
	return 0;
}

int tki_guard_write_n(struct tki_guard *g, const char *name, size_t namelen, const void *buf, size_t len,
		      struct tki_guard_err *e)
{
	struct tki_guard_report *r = open_n(g, name, namelen, e);
	if (!r)
		return -1;
	tki_guard_report_write(r, buf, len);
	return tki_guard_report_commit(&r, 1, e);
}

int tki_guard_write_report(struct tki_guard *g, const char *name, const void *buf, size_t len,
			   struct tki_guard_err *e)
{
	return tki_guard_write_n(g, name, name ? strlen(name) : 0, buf, len, e);
}
