// SPDX-License-Identifier: Apache-2.0
/* inspect --batch: the parent lists the batch dir, makes each packet's
 * report dir, and runs one worker per packet, at most as many at once as
 * there are CPUs in its affinity mask, within the cgroup's limits and
 * --jobs (src/batch_jobs.c). A worker anchors its own guard at
 * its packet dir and its report dir (openat2 beneath the batch guard, no
 * symlink), closes every other fd, loads the whole own layer with its own
 * Landlock domain (those two dirs only, stacked on the parent's) and
 * seccomp, finishes P1 on its copy of the snapshot, and runs main's
 * inspect(). A packet that took over its worker can neither read nor write
 * another packet's files. The parent reads no packet byte; it maps each
 * worker's end to an exit code (a signal is BLOCKED) and writes the
 * summary through the guard (docs/tki-inspector.1, "Batch"). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/progress.h"
#include "tki/provenance.h"
#include "tki/report.h"
#include "tki/sandbox.h"
#include "batch_out.h"
#include "guard_batch.h"

struct listed {
	char *name;
	enum tki_batch_kind kind;
	struct tki_batch_dirid id; /* its report dir's */
	size_t idx;
};

struct listing {
	struct listed *v;
	size_t n, total;
	uint8_t (*all)[32]; /* every entry's name digest, for the listing digest */
	unsigned index, count;
	bool manifest; /* a packet.json that is not a directory: --in is one packet */
};

static void on_entry(const char *name, enum tki_batch_kind kind, void *ctx)
{
	struct listing *l = ctx;
	uint8_t d[32];
	l->manifest = l->manifest || (kind != TKI_BATCH_DIR && !strcmp(name, "packet.json"));
	tki_shard_digest(name, strlen(name), d);
	l->all = tki_xrealloc(l->all, (l->total + 1) * sizeof(*l->all));
	memcpy(l->all[l->total++], d, sizeof(d));
	if (tki_shard_of_digest(d, l->count) != l->index)
		return;
	l->v = tki_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].name = tki_xstrdup(name);
	l->v[l->n++].kind = kind;
}

static int cmp_listed(const void *a, const void *b)
{
	return strcmp(((const struct listed *)a)->name, ((const struct listed *)b)->name);
}

static unsigned jobs_max(const struct tki_opts *o)
{
	cpu_set_t set;
	unsigned n = sched_getaffinity(0, sizeof(set), &set) == 0 ? (unsigned)CPU_COUNT(&set) : 1;
	return tki_batch_jobs(n, o->cgroup_jobs, o->jobs);
}

/* Every fd but 0-2 and the worker's two roots: nothing of the parent or of
 * a sibling's worker stays open in a worker (P1's fds invariant). */
static void close_others(int a, int b)
{
	if (a > b) {
		int t = a;
		a = b;
		b = t;
	}
	struct rlimit rl;
	unsigned hi = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (unsigned)rl.rlim_cur : 4096;
	unsigned ranges[3][2] = {{3, (unsigned)a - 1}, {(unsigned)a + 1, (unsigned)b - 1}, {(unsigned)b + 1, hi}};
	for (int r = 0; r < 3; r++) {
		if (ranges[r][0] > ranges[r][1])
			continue;
		if (syscall(SYS_close_range, ranges[r][0], ranges[r][1], 0U) == 0)
			continue;
		for (unsigned fd = ranges[r][0]; fd <= ranges[r][1]; fd++)
			close((int)fd); /* a venue's profile may refuse close_range */
	}
}

#ifdef TKI_TEST_HOOKS
#include "batch_hooks.c" /* tests/hooks/: the test build only (mk/batch.mk) */
#endif

struct worker_ctx {
	const struct tki_opts *o;
	struct tki_guard *g;
	struct tki_p1 *p1;
	tki_inspect_fn inspect;
};

__attribute__((noreturn))
static void worker(const struct worker_ctx *c, const struct listed *l)
{
	const char *name = l->name;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		_exit(TKI_EXIT_BLOCKED);
	struct tki_guard_err ge;
	struct tki_guard *sub = tki_guard_batch_sub(c->g, name, &l->id, &ge);
	if (!sub) {
		tki_autofree char *q = tki_escape_str(name, TKI_ESC_QUOTED);
		fprintf(stderr, "tki-inspector: BLOCKED: packet \"%s\": %s\n", q, ge.msg);
		fflush(stderr);
		_exit(TKI_EXIT_BLOCKED);
	}
	tki_batch_name_lines(name);
	struct tki_opts wo = *c->o;
	wo.batch = false;
	wo.ll_fds = true;
	tki_guard_batch_fds(sub, &wo.ll_in_fd, &wo.ll_out_fd);
	close_others(wo.ll_in_fd, wo.ll_out_fd);
	tki_work_limits_arm(wo.max_cpu_seconds);
	struct tki_sandbox_state sb;
	tki_sandbox_restrict(&wo, true, &sb);
	if (!tki_p1_finish(c->p1, &sb)) {
		tki_p1_print_blocked(c->p1, stderr);
		tki_batch_lines_end();
		_exit(TKI_EXIT_BLOCKED);
	}
#ifdef TKI_TEST_HOOKS
	test_hook_worker(&wo, sub);
#endif
	int rc = c->inspect(&wo, sub);
	tki_batch_lines_end();
	_exit(rc | (tki_report_committed() ? TKI_BATCH_WROTE : 0));
}

struct running {
	pid_t pid;
	size_t idx;
};

/* A worker that wrote no report set this run (killed, refused before
 * inspecting, or its reports could not be written) is BLOCKED with no
 * report dir named: packets/NAME/ may hold an earlier run's reports. */
static void settle(struct tki_summary_entry *e, int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	e->has_reports = code >= 0 && (code & TKI_BATCH_WROTE);
	if (code >= 0)
		code &= ~TKI_BATCH_WROTE;
	if (e->has_reports && code <= TKI_EXIT_BLOCKED) {
		e->exit_code = code;
		return;
	}
	e->has_reports = false;
	e->exit_code = TKI_EXIT_BLOCKED;
	if (WIFSIGNALED(status))
		e->reason = tki_xasprintf("its worker was killed by signal %d (%s): BLOCKED", WTERMSIG(status),
					  sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	else if (code <= TKI_EXIT_BLOCKED)
		e->reason = tki_xasprintf("its worker ended with exit %d but wrote no reports (its message is on "
					  "the batch's standard error): BLOCKED", code);
	else
		e->reason = tki_xasprintf("its worker ended with status %d: BLOCKED", WEXITSTATUS(status));
}

struct progress {
	bool on;
	size_t done, total;
	struct timespec t0;
};

static void tick(struct progress *p)
{
	p->done++;
	if (!p->on)
		return;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	double secs = (double)(t.tv_sec - p->t0.tv_sec) + (double)(t.tv_nsec - p->t0.tv_nsec) / 1e9;
	char line[128];
	tki_progress_batch_format(line, sizeof(line), p->done, p->total, secs);
	fprintf(stderr, "\r%s\033[K%s", line, p->done == p->total ? "\n" : "");
}

static void reap_one(struct running *run, size_t *nrun, struct tki_summary *s, struct progress *pr)
{
	int status;
	pid_t pid;
	do
		pid = waitpid(-1, &status, 0);
	while (pid < 0 && errno == EINTR);
	if (pid < 0)
		tki_die_errno(TKI_EXIT_BLOCKED, "batch: waitpid");
	for (size_t k = 0; k < *nrun; k++) {
		if (run[k].pid != pid)
			continue;
		settle(&s->e[run[k].idx], status);
		run[k] = run[--*nrun];
		tick(pr);
		return;
	}
}

static int cmp_dirid(const void *a, const void *b)
{
	const struct listed *x = *(const struct listed *const *)a, *y = *(const struct listed *const *)b;
	if (x->id.dev != y->id.dev)
		return x->id.dev < y->id.dev ? -1 : 1;
	if (x->id.ino != y->id.ino)
		return x->id.ino < y->id.ino ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Two names whose report dirs are one directory (a case-insensitive
 * --out: "A" and "a"): the later one in name order is not inspected, or
 * its reports would land on the other's. */
static void refuse_shared_dirs(struct listing *l, struct tki_summary *s)
{
	tki_autofree struct listed **p = tki_xcalloc(l->n + 1, sizeof(*p));
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == TKI_BATCH_DIR) {
			l->v[i].idx = i;
			p[k++] = &l->v[i];
		}
	if (k)
		qsort(p, k, sizeof(*p), cmp_dirid);
	for (size_t j = 1; j < k; j++) {
		if (p[j]->id.dev != p[j - 1]->id.dev || p[j]->id.ino != p[j - 1]->id.ino)
			continue;
		struct tki_summary_entry *e = &s->e[p[j]->idx];
		e->exit_code = TKI_EXIT_BLOCKED;
		e->reason = tki_xstrdup("its report dir packets/NAME/ is the same directory as another entry's (a "
					"case-insensitive --out?): not inspected");
		p[j]->kind = TKI_BATCH_OTHER;
	}
}

/* Not inspected: listed BLOCKED with our own reason (no name in it). */
static const char *refusal(const struct listed *l, const struct tki_summary_entry *e)
{
	if (!e->name_ok)
		return "the directory name is refused (not UTF-8, a control character such as a newline, or "
		       "longer than 255 bytes): not inspected";
	if (l->kind == TKI_BATCH_SYMLINK)
		return "a symlink: refused, never followed (a packet must be a directory of its own)";
	if (l->kind == TKI_BATCH_OTHER)
		return "not a directory: not inspected";
	return NULL;
}

int tki_batch_run(const struct tki_opts *o, struct tki_guard *g, struct tki_p1 *p1, tki_inspect_fn inspect)
{
	struct listing l = {.index = o->shard_index, .count = o->shard_count};
	struct tki_guard_err ge;
	if (tki_guard_batch_list(g, on_entry, &l, &ge) != 0)
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: batch: %s", ge.msg);
	if (l.manifest)
		tki_die(TKI_EXIT_USAGE, "batch: --in holds packet.json: it is one packet, not a batch of packet "
			"directories; nothing inspected\nHint: drop --batch to inspect that packet, or give --batch the "
			"directory holding the packet directories");
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_listed);

	struct tki_summary s = {.shard_index = o->shard_index, .shard_count = o->shard_count,
				.batch_entries = l.total};
	snprintf(s.run_date, sizeof(s.run_date), "%s", o->run_date);
	tki_batch_listing_digest(l.all, l.total, s.listing_sha256);
	free(l.all);
	s.e = tki_xcalloc(l.n + 1, sizeof(*s.e));
	s.n = l.n;
	for (size_t i = 0; i < l.n; i++) {
		tki_summary_entry_init(&s.e[i], l.v[i].name, strlen(l.v[i].name));
		const char *why = refusal(&l.v[i], &s.e[i]);
		if (!why && tki_guard_batch_mkdir(g, l.v[i].name, &l.v[i].id, &ge) != 0)
			why = "its report dir packets/NAME/ is refused (a symlink or not a directory, or it cannot "
			      "be made): not inspected";
		if (why) {
			s.e[i].exit_code = TKI_EXIT_BLOCKED;
			s.e[i].reason = tki_xstrdup(why);
			l.v[i].kind = TKI_BATCH_OTHER; /* no worker */
		}
	}
	refuse_shared_dirs(&l, &s);
#ifdef TKI_TEST_HOOKS
	test_hook_parent(&l);
#endif

	struct worker_ctx c = {o, g, p1, inspect};
	unsigned jobs = jobs_max(o);
	struct running *run = tki_xcalloc(jobs, sizeof(*run));
	size_t nrun = 0;
	struct progress pr = {.on = isatty(STDERR_FILENO) == 1};
	for (size_t i = 0; i < l.n; i++)
		pr.total += l.v[i].kind == TKI_BATCH_DIR;
	clock_gettime(CLOCK_MONOTONIC, &pr.t0);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != TKI_BATCH_DIR)
			continue;
		while (nrun >= jobs)
			reap_one(run, &nrun, &s, &pr);
		fflush(NULL); /* a worker must not repeat the parent's buffered output */
		pid_t pid;
		/* RLIMIT_NPROC or the pids limit reached: run fewer at once
		 * rather than give up the batch while a worker can still end. */
		while ((pid = fork()) < 0 && errno == EAGAIN && nrun > 0)
			reap_one(run, &nrun, &s, &pr);
		if (pid < 0)
			tki_die_errno(TKI_EXIT_BLOCKED, "batch: fork of a worker");
		if (pid == 0)
			worker(&c, &l.v[i]);
		run[nrun++] = (struct running){pid, i};
	}
	while (nrun)
		reap_one(run, &nrun, &s, &pr);
	free(run);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].name);
	free(l.v);

	tki_summary_finish(&s);
	int rc = tki_summary_write(g, &s, "batch") == 0 ? s.exit_code : TKI_EXIT_BLOCKED;
	size_t cnt[4] = {0};
	for (size_t i = 0; i < s.n; i++)
		cnt[s.e[i].exit_code]++;
	printf("batch: %zu of %zu entries (%zu ADEQUATE, %zu INADEQUATE, %zu REJECTED, %zu BLOCKED), exit %d; "
	       "summary.md in --out; at most %u worker%s at once\n",
	       s.n, s.batch_entries, cnt[0], cnt[1], cnt[2], cnt[3], s.exit_code, jobs, jobs == 1 ? "" : "s");
	tki_summary_free(&s);
	return rc;
}
