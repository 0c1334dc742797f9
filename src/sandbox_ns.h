// SPDX-License-Identifier: Apache-2.0
/* --self-sandbox internals: pure helpers (unit-tested) and the relay. */
#ifndef TKI_SANDBOX_NS_H
#define TKI_SANDBOX_NS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The uid/gid the sandbox runs as, inside and outside (same number):
 * root maps to 65532 (a uid with no account, as in the container image);
 * an unprivileged user maps to itself. */
#define TKI_NS_ROOT_MAPPED_ID 65532

/* Judge two canonical (realpath) directories: they must differ and neither
 * may lie beneath the other. Returns NULL when fine, else a static reason. */
const char *tki_ns_dirs_conflict(const char *in_real, const char *out_real);

/* True when path equals dir or lies beneath it (both canonical). */
bool tki_ns_path_within(const char *path, const char *dir);

/* Relay a wait status as an exit code: the code itself, or 128+signal. */
int tki_ns_exit_code(int wstatus);

/* Block TERM/INT/HUP/CHLD, then forward the first three to child and
 * return the exit code (tki_ns_exit_code) when child ends. As the PID 1
 * of a pid namespace, reap every other orphan on the way. */
int tki_ns_relay(pid_t child, bool reap_all);

/* Block the relayed signals now (before fork, so nothing is lost); the
 * worker restores the old mask with tki_ns_unblock_relay. */
void tki_ns_block_relay(void);
void tki_ns_unblock_relay(void);

#endif
