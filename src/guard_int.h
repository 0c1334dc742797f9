// SPDX-License-Identifier: Apache-2.0
/* Private to src/guard*.c: the guard's state. */
#ifndef TKI_GUARD_INT_H
#define TKI_GUARD_INT_H

#include <linux/openat2.h>
#include <stdbool.h>
#include <stddef.h>

#include "tki/guard.h"

struct tki_guard {
	int in_fd;      /* O_PATH|O_DIRECTORY, -1 when no input side */
	int out_fd;     /* O_RDONLY|O_DIRECTORY (O_PATH if unreadable), -1 when none */
	bool out_fsync; /* out_fd can be fsync'ed */
	unsigned tmp_seq;
};

/* Every read beneath the input root resolves with these (#15, #16). */
#define TKI_GUARD_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)

/* openat2(dirfd, path, {flags, TKI_GUARD_RESOLVE}), retried on EINTR/EAGAIN. */
int tki_guard_openat2(int dirfd, const char *path, unsigned long long flags);

/* Fill e (status, errno, message); returns -1. tki_guard_ok clears it. */
int tki_guard_fail(struct tki_guard_err *e, enum tki_guard_status st, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void tki_guard_ok(struct tki_guard_err *e);

/* WRITE_LOCAL_REPORT of one whole buffer: a set of one (src/guard_write.c). */
int tki_guard_write_n(struct tki_guard *g, const char *name, size_t namelen, const void *buf, size_t len,
		      struct tki_guard_err *e);

#endif
