// SPDX-License-Identifier: Apache-2.0
/* Landlock, best effort by ABI (the approach of the kernel's sample
 * sandboxer): handle every access right the running kernel knows, then
 * grant read-only beneath the input dir and read-write beneath the output
 * dir, nothing else. With data_dirs false (P1 already failed) the ruleset
 * has no rule at all: no file access, and the input dir is never opened.
 * A kernel without Landlock is recorded (abi 0, not enforced) for P1 to
 * report as degraded; it is not a failure of this step. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tki/common.h"
#include "tki/guard.h"
#include "sandbox_impl.h"

/* Own copies of the uapi constants: Debian 12's headers stop at ABI 2. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1

#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)    /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)    /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)               /* ABI 6 */

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

/* The highest ABI whose rights this file knows; a newer kernel is used at
 * this level (its new rights stay unhandled until added here). */
#define LL_ABI_KNOWN 7

void tki_landlock_masks(int abi, struct tki_landlock_masks *m)
{
	memset(m, 0, sizeof(*m));
	if (abi < 1)
		return;
	if (abi > LL_ABI_KNOWN)
		abi = LL_ABI_KNOWN;
	m->handled_fs = LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_REMOVE_DIR |
			LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK |
			LL_FS_MAKE_FIFO | LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM;
	if (abi >= 2)
		m->handled_fs |= LL_FS_REFER;
	if (abi >= 3)
		m->handled_fs |= LL_FS_TRUNCATE;
	if (abi >= 4)
		m->handled_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
	if (abi >= 5)
		m->handled_fs |= LL_FS_IOCTL_DEV;
	if (abi >= 6)
		m->scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	/* ABI 7 adds audit logging flags only, no access right. */

	/* Input: list and read. No execute, no ioctl on devices. */
	m->ro = LL_FS_READ_FILE | LL_FS_READ_DIR;
	/* Output: create, write, truncate and rename regular files (the
	 * atomic report). No directories, links to other kinds, devices,
	 * fifos, sockets or symlinks; no execute. */
	m->rw = m->ro | LL_FS_WRITE_FILE | LL_FS_REMOVE_FILE | LL_FS_MAKE_REG | LL_FS_REFER | LL_FS_TRUNCATE;
	m->rw &= m->handled_fs;
}

static void add_fd(int ruleset, int fd, uint64_t access, const char *role, const char *dir)
{
	struct ll_path_beneath_attr pb = {.allowed_access = access, .parent_fd = fd};
	if (syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0) != 0) {
		char what[300];
		snprintf(what, sizeof(what), "landlock_add_rule(%s dir %s)", role, dir);
		tki_sandbox_fail(errno, what, "report this as a bug, with uname -r.");
	}
}

static void add_dir(int ruleset, const char *dir, uint64_t access, const char *role)
{
	/* No symlink in any component, as the guard opens it (issue 14). */
	tki_autofree char *link = NULL;
	tki_autoclose int fd = tki_guard_open_dir(dir, O_PATH, &link);
	if (fd < 0) {
		char what[300];
		if (errno == ELOOP)
			snprintf(what, sizeof(what), "the %s dir %s: %s is a symlink, refused", role, dir,
				 link ? link : "a component of the path");
		else
			snprintf(what, sizeof(what), "cannot open the %s dir %s for Landlock", role, dir);
		tki_sandbox_fail(errno, what,
				 "check that the directory exists and that this user (uid 65532 in the container) "
				 "may traverse it; scripts/run-container grants that with an ACL.");
	}
	add_fd(ruleset, fd, access, role, dir);
}

/* The data dirs a command needs; selfcheck and attest run without an
 * input dir, selfcheck without an output dir. Leaving one out only ever
 * grants less. */
static bool needs_in(const struct tki_opts *o) { return o->cmd == TKI_CMD_INSPECT; }
static bool needs_out(const struct tki_opts *o) { return o->cmd != TKI_CMD_SELFCHECK; }

static bool usable(const char *dir, bool needed)
{
	if (needed)
		return true; /* add_dir fails closed with a hint if it is not */
	struct stat sb;
	return dir && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

void tki_landlock_apply(const struct tki_opts *o, bool data_dirs, struct tki_sandbox_state *st)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 0) {
		if (errno != ENOSYS && errno != EOPNOTSUPP)
			tki_sandbox_fail(errno, "landlock_create_ruleset(VERSION)", "report this as a bug, with uname -r.");
		st->landlock_abi = 0;
		st->landlock_enforced = false;
		snprintf(st->landlock_detail, sizeof(st->landlock_detail), "%s: no file access restriction (degraded)",
			 errno == ENOSYS ? "kernel without Landlock" : "Landlock disabled at boot (lsm=)");
		return;
	}
	struct tki_landlock_masks m;
	tki_landlock_masks((int)abi, &m);
	struct ll_ruleset_attr attr = {
		.handled_access_fs = m.handled_fs, .handled_access_net = m.handled_net, .scoped = m.scoped};
	/* The struct grew with the ABI: pass only what this kernel knows. */
	size_t size = abi >= 6 ? sizeof(attr) : abi >= 4 ? offsetof(struct ll_ruleset_attr, scoped)
							  : offsetof(struct ll_ruleset_attr, handled_access_net);
	tki_autoclose int rs = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0)
		tki_sandbox_fail(errno, "landlock_create_ruleset", "report this as a bug, with uname -r.");

	bool in = data_dirs && usable(o->in_dir, needs_in(o));
	bool out = data_dirs && usable(o->out_dir, needs_out(o));
	/* A batch worker: its packet dir and report dir, as its guard holds
	 * them (src/batch.c); stacked on the batch parent's domain. */
	if (data_dirs && o->ll_fds) {
		add_fd(rs, o->ll_in_fd, m.ro, "packet", "(batch worker)");
		add_fd(rs, o->ll_out_fd, m.rw, "report", "(batch worker)");
	} else {
		if (in)
			add_dir(rs, o->in_dir, m.ro, "input");
		/* The batch parent makes packets/NAME/ (src/guard_batch.c). */
		if (out)
			add_dir(rs, o->out_dir, m.rw | (o->batch ? LL_FS_MAKE_DIR : 0), "output");
	}
	if (syscall(__NR_landlock_restrict_self, rs, 0) != 0)
		tki_sandbox_fail(errno, "landlock_restrict_self", "no_new_privs must be set first; report this as a bug.");

	st->landlock_abi = (int)abi;
	st->landlock_enforced = true;
	if (!data_dirs)
		snprintf(st->landlock_detail, sizeof(st->landlock_detail), "no file access at all (P1 failed)");
	else if (o->ll_fds)
		snprintf(st->landlock_detail, sizeof(st->landlock_detail),
			 "ro beneath its packet dir, rw beneath its report dir (batch worker)%s%s",
			 m.handled_net ? "; no TCP" : "", m.scoped ? "; signals, abstract unix scoped" : "");
	else
		snprintf(st->landlock_detail, sizeof(st->landlock_detail), "ro beneath %s, rw beneath %s%s%s",
			 in ? o->in_dir : "(none)", out ? o->out_dir : "(none)", m.handled_net ? "; no TCP" : "",
			 m.scoped ? "; signals, abstract unix scoped" : "");
}
