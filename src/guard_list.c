// SPDX-License-Identifier: Apache-2.0
/* L2 guard, READ_PACKET_ITEM in directory form: list the packet for the
 * uncited-files warning (#19). Every directory is opened with the same
 * openat2 resolve flags as a file read, depth and entry count are bounded,
 * and nothing is ever followed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tki/common.h"
#include "tki/guard.h"
#include "guard_int.h"


struct walk {
	struct tki_guard *g;
	tki_guard_list_fn fn;
	void *ctx;
	struct tki_guard_err *e;
	size_t entries;
};

static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

static int walk_dir(struct walk *w, char *rel, size_t rel_len, unsigned depth)
{
	char q[160];
	tki_quote(q, sizeof(q), rel_len ? rel : ".", rel_len ? rel_len : 1);
	if (depth > TKI_GUARD_LIST_MAX_DEPTH) {
		w->e->status = TKI_GUARD_BLOCKED;
		snprintf(w->e->msg, sizeof(w->e->msg), "listing the packet: %s is nested deeper than %d directories",
			 q, TKI_GUARD_LIST_MAX_DEPTH);
		return -1;
	}
	int fd = tki_guard_openat2(w->g->in_fd, rel_len ? rel : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		w->e->status = errno == ELOOP || errno == EXDEV || errno == EACCES ? TKI_GUARD_BLOCKED : TKI_GUARD_IOERR;
		w->e->err = errno;
		snprintf(w->e->msg, sizeof(w->e->msg), "listing the packet: %s: %s", q, strerror(errno));
		return -1;
	}
	__attribute__((cleanup(closedirp))) DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		w->e->status = TKI_GUARD_IOERR;
		w->e->err = errno;
		snprintf(w->e->msg, sizeof(w->e->msg), "listing the packet: %s: %s", q, strerror(errno));
		return -1;
	}
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++w->entries > TKI_GUARD_LIST_MAX_ENTRIES) {
			w->e->status = TKI_GUARD_BLOCKED;
			snprintf(w->e->msg, sizeof(w->e->msg), "listing the packet: more than %d entries",
				 TKI_GUARD_LIST_MAX_ENTRIES);
			return -1;
		}
		size_t nl = strlen(de->d_name);
		if (rel_len + 1 + nl >= PATH_MAX)
			continue; /* cannot be cited either: the guard refuses such paths */
		size_t at = rel_len;
		if (rel_len)
			rel[at++] = '/';
		memcpy(rel + at, de->d_name, nl + 1);
		unsigned char t = de->d_type;
		if (t == DT_UNKNOWN) { /* some filesystems do not fill d_type */
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (t == DT_DIR) {
			int r = walk_dir(w, rel, at + nl, depth + 1);
			/* A mount inside the packet is not descended into (NO_XDEV)
			 * and shows up as an entry that is not a regular file. */
			if (r < 0 && w->e->err == EXDEV) {
				w->e->status = TKI_GUARD_OK;
				w->e->err = 0;
				w->e->msg[0] = '\0';
				w->fn(rel, false, w->ctx);
			} else if (r < 0) {
				return -1;
			}
		} else {
			w->fn(rel, t == DT_REG, w->ctx);
		}
		rel[rel_len] = '\0';
		errno = 0;
	}
	if (errno) {
		w->e->status = TKI_GUARD_IOERR;
		w->e->err = errno;
		snprintf(w->e->msg, sizeof(w->e->msg), "listing the packet: %s: %s", q, strerror(errno));
		return -1;
	}
	return 0;
}

int tki_guard_list_items(struct tki_guard *g, tki_guard_list_fn fn, void *ctx, struct tki_guard_err *e)
{
	char rel[PATH_MAX];
	struct walk w = {.g = g, .fn = fn, .ctx = ctx, .e = e};
	e->status = TKI_GUARD_OK;
	e->err = 0;
	e->msg[0] = '\0';
	if (!g || g->in_fd < 0) {
		e->status = TKI_GUARD_BLOCKED;
		snprintf(e->msg, sizeof(e->msg), "READ_PACKET_ITEM (listing) refused: the guard has no input root");
		return -1;
	}
	rel[0] = '\0';
	return walk_dir(&w, rel, 0, 0);
}
