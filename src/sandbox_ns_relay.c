// SPDX-License-Identifier: Apache-2.0
/* --self-sandbox: the outer process and the namespace's PID 1 wait for the
 * worker, forward the signals a user or a supervisor sends, and relay the
 * exit status (128+signal when the worker was killed). */
#include "tki/common.h"
#include "sandbox_ns.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

static sigset_t relay_set, old_set;

void tki_ns_block_relay(void)
{
	sigemptyset(&relay_set);
	sigaddset(&relay_set, SIGTERM);
	sigaddset(&relay_set, SIGINT);
	sigaddset(&relay_set, SIGHUP);
	sigaddset(&relay_set, SIGCHLD);
	/* Blocked signals are queued even for a pid namespace's init, which
	 * would otherwise drop every signal it has no handler for. */
	if (sigprocmask(SIG_BLOCK, &relay_set, &old_set) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: sigprocmask");
}

void tki_ns_unblock_relay(void)
{
	if (sigprocmask(SIG_SETMASK, &old_set, NULL) < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: sigprocmask");
}

/* Reap what has ended; returns the exit code once child is among them. */
static bool reap(pid_t child, bool reap_all, int *code)
{
	for (;;) {
		int st;
		pid_t p = waitpid(reap_all ? -1 : child, &st, WNOHANG);
		if (p == 0 || (p < 0 && errno == ECHILD))
			return false;
		if (p < 0) {
			if (errno == EINTR)
				continue;
			tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: waitpid");
		}
		if (p == child) {
			*code = tki_ns_exit_code(st);
			return true;
		}
	}
}

int tki_ns_relay(pid_t child, bool reap_all)
{
	int code;
	for (;;) {
		if (reap(child, reap_all, &code))
			return code;
		siginfo_t si;
		int sig = sigwaitinfo(&relay_set, &si);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			tki_die_errno(TKI_EXIT_BLOCKED, "--self-sandbox: sigwaitinfo");
		}
		if (sig != SIGCHLD)
			kill(child, sig); /* ESRCH: it ended meanwhile, reaped next */
	}
}
