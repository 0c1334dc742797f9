// SPDX-License-Identifier: Apache-2.0
/* Private to src/guard*.c: the guard's state. */
#ifndef TKI_GUARD_INT_H
#define TKI_GUARD_INT_H

#include <linux/openat2.h>
#include <stdbool.h>

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

#endif
