// SPDX-License-Identifier: Apache-2.0
/* L1 internals shared by src/sandbox*.c (not an interface for other
 * modules: they use tki/sandbox.h). */
#ifndef TKI_SANDBOX_IMPL_H
#define TKI_SANDBOX_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "tki/common.h"
#include "tki/sandbox.h"

/* Exit 3 with "BLOCKED: sandbox: <what>[: strerror(err)]" and a Hint line.
 * Inline over tki_fatal, so that the Landlock and seccomp steps do not
 * call back into src/sandbox.c, which calls them. */
__attribute__((noreturn))
static inline void tki_sandbox_fail(int err, const char *what, const char *hint)
{
	tki_fatal(TKI_EXIT_BLOCKED, err, "sandbox", hint, "%s", what);
}

/* Empty the bounding set (needs CAP_SETPCAP; 0 or -1 with errno). */
int tki_sandbox_drop_bounds(void);

/* Landlock access masks for a kernel ABI (pure; 0 = no Landlock). */
struct tki_landlock_masks {
	uint64_t handled_fs;  /* every filesystem right this ABI knows */
	uint64_t handled_net; /* ABI >= 4: TCP bind and connect */
	uint64_t scoped;      /* ABI >= 6: abstract unix sockets, signals */
	uint64_t ro;          /* granted beneath the input dir */
	uint64_t rw;          /* granted beneath the output dir */
};
void tki_landlock_masks(int abi, struct tki_landlock_masks *m);

/* Landlock step of tki_sandbox_restrict (fills the landlock_* fields). */
void tki_landlock_apply(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st);
/* Seccomp step: the allowlist generated from seccomp/syscalls.txt. */
void tki_seccomp_apply(struct tki_sandbox_state *st);

#endif
