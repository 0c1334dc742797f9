// SPDX-License-Identifier: Apache-2.0
/* tki-inspector: the whole pipeline, one direction, in a screenful.
 *
 *   main -> [self-sandbox | container] -> own layer (L1) -> P1 (L3)
 *        -> packet reader -> provenance -> adequacy -> report -> exit code
 *   --batch: the same inspect() in one sandboxed worker per packet
 *        (src/batch.c), then the summary (src/report_summary.c)
 */
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "tki/adequacy.h"
#include "tki/attest.h"
#include "tki/batch.h"
#include "tki/cli.h"
#include "tki/common.h"
#include "tki/dsse.h"
#include "tki/guard.h"
#include "tki/packet.h"
#include "tki/provenance.h"
#include "tki/report.h"
#include "tki/sandbox.h"
#include "tki/selfcheck.h"

#ifdef TKI_ASAN_BUILD
/* make sanitize only: LeakSanitizer stops the world with ptrace, which the
 * own layer refuses (seccomp, no_new_privs), so it would die at exit in the
 * sandboxed worker. Leaks are checked by the unit tests (LSan on, no
 * sandbox) and by make valgrind (docs/security.md). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	/* exit 86: a sanitizer report can never pass for a verdict (0-3). */
	return "detect_leaks=0:exitcode=86";
}
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1:exitcode=86";
}
#endif

static void today_utc(char buf[11])
{
	time_t t = time(NULL);
	struct tm tm;
	if (t == (time_t)-1 || !gmtime_r(&t, &tm) || !strftime(buf, 11, "%Y-%m-%d", &tm))
		buf[0] = '\0';
}

/* Past the CPU soft limit outside the hashing loop (a huge manifest, the
 * judgement): the same BLOCKED report, before the grace runs out. */
static int cpu_blocked(struct tki_guard *g, const struct tki_opts *o, struct tki_packet *p, struct tki_reject *rej)
{
	tki_autofree char *m = tki_work_cpu_msg();
	fprintf(stderr, "tki-inspector: BLOCKED: %s\n", m);
	tki_strlist_add(&rej->errors, m);
	snprintf(rej->packet_id, sizeof(rej->packet_id), "%s", p->packet_id);
	memcpy(rej->manifest_sha256, p->manifest_sha256, sizeof(rej->manifest_sha256));
	int rc = tki_report_write_failure(g, TKI_VERDICT_BLOCKED, rej, o->run_date, o->formats);
	tki_reject_free(rej);
	tki_packet_free(p);
	return rc;
}

/* --trust-key: read once, before the sandbox; never changed afterwards. */
static struct tki_keyring trust;

static void load_trust_keys(const struct tki_opts *o)
{
	char err[512];
	for (unsigned i = 0; i < o->n_trust_files; i++)
		if (!tki_keyring_load(&trust, o->trust_files[i], o->in_dir, err, sizeof(err)))
			tki_die(TKI_EXIT_USAGE, "%s\nHint: --trust-key takes the operator's PEM public key "
				"(openssl pkey -in KEY -pubout), outside the packet directory", err);
}

static int inspect(const struct tki_opts *o, struct tki_guard *g)
{
	struct tki_reject rej = {0};
	bool blocked = false;
	struct tki_packet *p = tki_packet_read(g, &rej, &blocked);
	if (!p) {
		enum tki_verdict v = blocked ? TKI_VERDICT_BLOCKED : TKI_VERDICT_REJECTED;
		int rc = tki_report_write_failure(g, v, &rej, o->run_date, o->formats);
		tki_reject_free(&rej);
		return rc;
	}
	if (tki_work_cpu_over())
		return cpu_blocked(g, o, p, &rej);
	if (!tki_provenance_validate_limited(g, p, o->run_date, o->max_hash_bytes, &rej.errors)) {
		snprintf(rej.packet_id, sizeof(rej.packet_id), "%s", p->packet_id);
		memcpy(rej.manifest_sha256, p->manifest_sha256, sizeof(rej.manifest_sha256));
		int rc = tki_report_write_failure(g, TKI_VERDICT_BLOCKED, &rej, o->run_date, o->formats);
		tki_reject_free(&rej);
		tki_packet_free(p);
		return rc;
	}
	tki_provenance_fresh(p, o->run_date, o->max_age_days);
	p->trust = &trust;
	int rc = tki_adequacy_classify(p);
	if (tki_work_cpu_over())
		return cpu_blocked(g, o, p, &rej);
	rc = tki_report_write(g, p, o->run_date, o->formats, rc);
	tki_packet_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	/* A stdout whose reader is gone (`| head`) must not kill the run
	 * between its verdict line and its reports (exit 141, no report) nor
	 * a batch's workers: a write fails with EPIPE instead. Inherited by
	 * every process of the run. */
	signal(SIGPIPE, SIG_IGN);
	struct tki_opts o;
	char today[11];
	today_utc(today);
	switch (tki_cli_parse(argc, argv, today, &o, stdout, stderr)) {
	case TKI_CLI_DONE: return TKI_EXIT_ADEQUATE;
	case TKI_CLI_USAGE: return TKI_EXIT_USAGE;
	case TKI_CLI_RUN: break;
	}
	if (o.cmd == TKI_CMD_STAGE)
		return tki_sandbox_stage(&o);
	if (o.cmd == TKI_CMD_MERGE) /* reads summaries, no packet: no P1 */
		return tki_merge_run(&o);

	/* No fastbins: the reader frees a large manifest's nodes one by one,
	 * and the next large allocation used to merge them all (0.2 s of a
	 * 200,000-claim run, docs/performance.md). */
	mallopt(M_MXFAST, 0);
	tki_packet_seed_hash(); /* before any JSON value exists */
	/* Before any wall: the keys are the operator's, outside the packet;
	 * only their parsed bytes enter the sandbox (docs/attestation.md). */
	load_trust_keys(&o);
	if (o.batch) /* before any wall: the sandbox hides /sys/fs/cgroup */
		o.cgroup_jobs = tki_cgroup_jobs_cap();
	if (o.self_sandbox)
		tki_sandbox_enter(&o); /* returns in the sandboxed worker only */

	/* L3 facts first, then L1 own layer; the data dirs are opened for
	 * Landlock only when the snapshot already shows a sandbox. */
	struct tki_p1 *p1 = tki_p1_capture(&o);
	struct tki_sandbox_state sb;
	if (o.cmd == TKI_CMD_INSPECT)
		tki_work_limits_arm(o.max_cpu_seconds); /* setrlimit: before seccomp */
	/* A batch parent forks its workers: the own layer but seccomp; each
	 * worker loads the whole layer and finishes P1 (src/batch.c). */
	bool p1_ok;
	if (o.batch) {
		tki_sandbox_restrict_parent(&o, tki_p1_static_ok(p1), &sb);
		p1_ok = tki_p1_static_ok(p1);
	} else {
		tki_sandbox_restrict(&o, tki_p1_static_ok(p1), &sb);
		p1_ok = tki_p1_finish(p1, &sb);
	}

	if (o.cmd == TKI_CMD_SELFCHECK) {
		tki_p1_print_json(p1, stdout);
		if (!p1_ok)
			tki_p1_print_blocked(p1, stderr);
		tki_p1_free(p1);
		return p1_ok ? TKI_EXIT_ADEQUATE : TKI_EXIT_BLOCKED;
	}
	if (!p1_ok) { /* fail closed: nothing read, nothing written */
		tki_p1_print_blocked(p1, stderr);
		fputs("Hint: run inside the hardened container (scripts/run-container) or add --self-sandbox.\n", stderr);
		tki_p1_free(p1);
		return TKI_EXIT_BLOCKED;
	}

	struct tki_guard_err ge;
	struct tki_guard *g = tki_guard_open(o.cmd == TKI_CMD_INSPECT ? o.in_dir : NULL, o.out_dir, &ge);
	if (!g)
		tki_die(TKI_EXIT_BLOCKED, "BLOCKED: guard: %s", ge.msg);

	int rc = o.cmd == TKI_CMD_ATTEST ? tki_attest_run(&o, g, p1)
		 : o.batch		 ? tki_batch_run(&o, g, p1, inspect)
					 : inspect(&o, g);
	tki_guard_close(g);
	tki_p1_free(p1);
	return rc;
}
