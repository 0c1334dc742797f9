// SPDX-License-Identifier: Apache-2.0
/* make valgrind: the inspector's pipeline (main.c's inspect(), plus the P1
 * capture and judges on this host's real /proc) on a packet, with no
 * sandbox: valgrind cannot follow --self-sandbox's clone into new
 * namespaces (open_tree, syscall 428, is unknown to it) nor run under the
 * seccomp filter. The sandbox layers are tested by the walls tests; this
 * is for memory errors and leaks in the code that touches the packet.
 * Usage: valgrind_pipeline IN OUT RUN_DATE; exits with the verdict code. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "tki/adequacy.h"
#include "tki/cli.h"
#include "tki/common.h"
#include "tki/guard.h"
#include "tki/packet.h"
#include "tki/provenance.h"
#include "tki/report.h"
#include "tki/sandbox.h"
#include "tki/selfcheck.h"

/* valgrind 3.19 does not know openat2 (syscall 437) and the guard has no
 * fallback, by design. Linked with -Wl,--wrap=syscall, this harness alone
 * emulates it with openat(O_NOFOLLOW): the resolve flags are not enforced
 * here (the guard's walls are tested on the real kernel in test_guard and
 * the acceptance cases); memcheck sees the same code paths around it. */
long __real_syscall(long n, ...);
long __wrap_syscall(long n, ...);
long __wrap_syscall(long n, ...)
{
	va_list ap;
	va_start(ap, n);
	long a[6];
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_openat2) {
		const struct open_how *how = (const struct open_how *)a[2];
		return openat((int)a[0], (const char *)a[1], (int)how->flags | O_NOFOLLOW, (mode_t)how->mode);
	}
	return __real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	struct tki_opts o = {.cmd = TKI_CMD_INSPECT, .in_dir = argv[1], .out_dir = argv[2],
			     .formats = TKI_FMT_JSON | TKI_FMT_MD | TKI_FMT_SARIF};
	snprintf(o.run_date, sizeof(o.run_date), "%s", argv[3]);
	tki_packet_seed_hash();

	/* P1 on the real /proc (it blocks here, no sandbox: only its parsers
	 * and report are exercised). */
	struct tki_p1 *p1 = tki_p1_capture(&o);
	struct tki_sandbox_state sb = {0};
	(void)tki_p1_finish(p1, &sb);
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		tki_p1_print_json(p1, null);
		tki_p1_print_blocked(p1, null);
		fclose(null);
	}
	tki_p1_free(p1);

	struct tki_guard_err ge;
	struct tki_guard *g = tki_guard_open(o.in_dir, o.out_dir, &ge);
	if (!g)
		tki_die(TKI_EXIT_BLOCKED, "guard: %s", ge.msg);
	struct tki_reject rej = {0};
	bool blocked = false;
	int rc;
	struct tki_packet *p = tki_packet_read(g, &rej, &blocked);
	if (!p) {
		rc = tki_report_write_failure(g, blocked ? TKI_VERDICT_BLOCKED : TKI_VERDICT_REJECTED, &rej,
					      o.run_date, o.formats);
	} else if (!tki_provenance_validate(g, p, o.run_date, &rej.errors)) {
		rc = tki_report_write_failure(g, TKI_VERDICT_BLOCKED, &rej, o.run_date, o.formats);
	} else {
		tki_provenance_fresh(p, o.run_date, o.max_age_days);
		rc = tki_adequacy_classify(p);
		rc = tki_report_write(g, p, o.run_date, o.formats, rc);
	}
	tki_packet_free(p);
	tki_reject_free(&rej);
	tki_guard_close(g);
	return rc;
}
