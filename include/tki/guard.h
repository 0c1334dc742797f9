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

/* WRITE_LOCAL_REPORT: write buf to a temp file in the output dir (O_EXCL,
 * O_NOFOLLOW), fsync, renameat over name. name is a single path component.
 * An existing file of that name is never truncated on failure. */
int tki_guard_write_report(struct tki_guard *g, const char *name, const void *buf, size_t len,
			   struct tki_guard_err *e);

/* The generic entry point the two above go through. Any op that is not one
 * of enum tki_io_op is refused with TKI_GUARD_BLOCKED (acceptance #20). For
 * READ_PACKET_ITEM returns the fd; for WRITE_LOCAL_REPORT returns 0. */
int tki_guard_request(struct tki_guard *g, int op, const char *path, size_t pathlen,
		      const void *buf, size_t len, struct tki_guard_err *e);

#endif
