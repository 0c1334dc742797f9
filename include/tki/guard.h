// SPDX-License-Identifier: Apache-2.0
/* L2: the one I/O gateway. The pipeline can ask for exactly two things:
 * READ_PACKET_ITEM (a regular file, or the listing of the packet, beneath
 * the input root) and WRITE_LOCAL_REPORT (an atomic write of a file directly
 * in the output dir). Every other request is refused and is BLOCKED. */
#ifndef TKI_GUARD_H
#define TKI_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

enum tki_io_op {
	TKI_IO_READ_PACKET_ITEM = 1,
	TKI_IO_WRITE_LOCAL_REPORT = 2,
};

enum tki_guard_status {
	TKI_GUARD_OK = 0,
	TKI_GUARD_MISSING, /* ENOENT beneath the root: the item does not exist */
	TKI_GUARD_BLOCKED, /* policy refusal: bad path, symlink, not a regular file, unknown op */
	TKI_GUARD_IOERR,   /* anything else (EIO, ENOSPC, ...) */
};

struct tki_guard_err {
	enum tki_guard_status status;
	int err;          /* errno where one was observed, else 0 */
	char msg[256];    /* names the path and what was wrong */
};

struct tki_guard;

/* Opens the two roots (O_PATH|O_DIRECTORY). Either may be NULL when the
 * caller needs only one side. NULL on failure with e filled. */
struct tki_guard *tki_guard_open(const char *in_dir, const char *out_dir, struct tki_guard_err *e);
void tki_guard_close(struct tki_guard *g);

/* Open a directory named on the command line (--in, --out) without
 * following a symlink in ANY component: one openat2(RESOLVE_NO_SYMLINKS)
 * from "/" (the cwd for a relative path); O_DIRECTORY|O_CLOEXEC are added
 * to flags. -1 with errno on failure (ELOOP: a symlink on the path, and
 * *link, if link is non-NULL, the first symlinked prefix found afterwards,
 * malloc'ed, or NULL). Everything later uses the fd, never the path. */
int tki_guard_open_dir(const char *path, unsigned long long flags, char **link);

/* Pure: would this relative path be accepted (no "..", not absolute, no
 * NUL within len bytes, valid UTF-8, not empty)? Refusal reason in e. */
bool tki_guard_path_ok(const char *path, size_t len, struct tki_guard_err *e);

/* READ_PACKET_ITEM: an fd (O_RDONLY|O_CLOEXEC) on a regular file beneath
 * the input root, resolved with openat2(RESOLVE_BENEATH|NO_SYMLINKS|
 * NO_MAGICLINKS|NO_XDEV), opened O_NONBLOCK|O_NOFOLLOW. st is the fstat of
 * the file if non-NULL. -1 with e filled otherwise. */
int tki_guard_read_item(struct tki_guard *g, const char *path, size_t pathlen, struct stat *st,
			struct tki_guard_err *e);

/* READ_PACKET_ITEM, directory form: call fn for each regular file beneath
 * the input root (relative path, "a/b.txt"), never following symlinks.
 * Entries that are not regular files are reported with is_regular=false. */
typedef void (*tki_guard_list_fn)(const char *relpath, bool is_regular, void *ctx);
int tki_guard_list_items(struct tki_guard *g, tki_guard_list_fn fn, void *ctx, struct tki_guard_err *e);

/* WRITE_LOCAL_REPORT, streamed and committed as a set (docs/guard.md):
 *   r = tki_guard_report_open(g, "report.json", &e);   temp made, O_EXCL
 *   tki_guard_report_write(r, chunk, len); ...          any number, any size
 *   tki_guard_report_commit(set, n, &e);                all or none
 * open: a temp ".NAME.tmp-PID-N" in the output dir (O_CREAT|O_EXCL|
 * O_NOFOLLOW); name is a single path component (tki_guard_name_ok). NULL
 * with e filled on failure.
 * write: buffered (64 KiB); -1 once any write of this report failed. The
 * failure is kept and reported by commit, so a renderer may stream without
 * checking each piece.
 * commit: every temp flushed and fsync'ed, then every rename, then one
 * fsync of the output dir. If any report of the set failed (a write, an
 * fsync, a rename), none is replaced: the renames already done are put
 * back and every temp is unlinked; e names the report and the step. The
 * handles are consumed either way; NULL entries are skipped.
 * finish (optional): this report is complete; its bytes go to the file and
 * its writeback starts now (sync_file_range, only a head start: the fsync
 * at commit decides), so that the disk works while the caller renders the
 * next report. A write after finish fails the report.
 * abort: unlink the temps, consume the handles (NULL entries skipped). */
struct tki_guard_report;
struct tki_guard_report *tki_guard_report_open(struct tki_guard *g, const char *name, struct tki_guard_err *e);
int tki_guard_report_write(struct tki_guard_report *r, const void *buf, size_t len);
void tki_guard_report_finish(struct tki_guard_report *r);
int tki_guard_report_commit(struct tki_guard_report **set, size_t n, struct tki_guard_err *e);
void tki_guard_report_abort(struct tki_guard_report **set, size_t n);

/* WRITE_LOCAL_REPORT of one whole buffer: a set of one (open, write,
 * commit). An existing file of that name is never truncated on failure. */
int tki_guard_write_report(struct tki_guard *g, const char *name, const void *buf, size_t len,
			   struct tki_guard_err *e);

/* The generic entry point the two above go through. Any op that is not one
 * of enum tki_io_op is refused with TKI_GUARD_BLOCKED (acceptance #20). For
 * READ_PACKET_ITEM returns the fd; for WRITE_LOCAL_REPORT returns 0. */
int tki_guard_request(struct tki_guard *g, int op, const char *path, size_t pathlen,
		      const void *buf, size_t len, struct tki_guard_err *e);

/* Pure: is name a report name (one component, not starting with ".", no
 * NUL, no control character, valid UTF-8, short enough for the temp name)? */
bool tki_guard_name_ok(const char *name, size_t len, struct tki_guard_err *e);
/* Bytes a temp name adds to a report name (".NAME.tmp-PID-N"). */
#define TKI_GUARD_TMP_EXTRA 32

/* Limits of tki_guard_list_items (directory depth, entries in total). */
#define TKI_GUARD_LIST_MAX_DEPTH 32
#define TKI_GUARD_LIST_MAX_ENTRIES 200000

/* Pure UTF-8 helpers (RFC 3629: no overlongs, no surrogates, <= U+10FFFF),
 * shared with the manifest reader and the escaper (src/common_escape.c,
 * where they are defined, below all three). */
size_t tki_utf8_seq(const unsigned char *s, size_t n); /* length of the valid sequence at s, 0 if invalid */
size_t tki_utf8_invalid_at(const char *s, size_t n);  /* offset of the first invalid byte, n if none */
/* Quote untrusted bytes for a message: "..." with \xNN for anything not
 * printable, truncated with "..." to fit outsz. */
void tki_quote(char *out, size_t outsz, const char *s, size_t n);

#endif
