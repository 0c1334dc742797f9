// SPDX-License-Identifier: Apache-2.0
/* make sanitize: does an ASan or UBSan report still get out once the own
 * layer (no_new_privs, caps, rlimits, Landlock with no file access, the
 * shipped seccomp filter) is in force? argv[1] picks the bug:
 *   heap  a heap-buffer-overflow (ASan)
 *   ubsan a signed overflow (UBSan, -fno-sanitize-recover=all)
 *   clean no bug: exit 0
 * tests/sanitize/run checks the report text and that the exit is the
 * sanitizer's (1), not SIGSYS or a silent EPERM death. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tki/cli.h"
#include "tki/sandbox.h"

/* UBSan's object-size check would see this first: ASan's report is wanted. */
__attribute__((noinline, no_sanitize("undefined"))) static void overflow(volatile char *p, size_t at)
{
	p[at] = 'x';
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	struct tki_opts o = {.cmd = TKI_CMD_SELFCHECK, .in_dir = "/nonexistent", .out_dir = "/nonexistent"};
	struct tki_sandbox_state st;
	tki_sandbox_restrict(&o, false, &st);
	fprintf(stderr, "layer in force: seccomp %d, landlock %d, %s\n", st.seccomp_loaded, st.landlock_enforced,
		st.rlimit_waiver ? st.rlimit_waiver : "AS set");
	if (!strcmp(argv[1], "heap")) {
		volatile char *p = malloc(8);
		overflow(p, 8); /* one past the end */
		free((void *)p);
	} else if (!strcmp(argv[1], "ubsan")) {
		volatile int big = 0x7fffffff;
		int r = big + argc; /* signed overflow */
		fprintf(stderr, "%d\n", r);
	}
	return 0;
}
