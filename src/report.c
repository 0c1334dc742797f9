// SPDX-License-Identifier: Apache-2.0
/* Writing the reports: render each selected format, hand the bytes to the
 * guard's WRITE_LOCAL_REPORT as one set (all or none, one durable commit).
 * Nothing here touches a path itself. */
#include <errno.h>
#include <string.h>

#include "tki/common.h"
#include "tki/cli.h"
#include "tki/report.h"

typedef void (*stream_fn)(const struct tki_report_in *in, const struct tki_sink *sink);

/* A batch worker tells its parent whether this run's reports exist: a
 * report dir may hold an earlier run's, which the summary must not name. */
static bool committed;

bool tki_report_committed(void)
{
	return committed;
}

static void stream_vsa(const struct tki_report_in *in, const struct tki_sink *sink)
{
	(void)tki_report_stream_vsa(in, sink);
}

/* Each streamed straight into the guard's temp file: memory does not
 * follow the report's size. */
static const struct {
	unsigned fmt;
	const char *name;
	stream_fn stream;
} outputs[] = {
	{TKI_FMT_JSON, "report.json", tki_report_stream_json},
	{TKI_FMT_MD, "report.md", tki_report_stream_md},
	{TKI_FMT_SARIF, "report.sarif", tki_report_stream_sarif},
	{TKI_FMT_VSA, "report.vsa.json", stream_vsa},
};

/* A failed write is kept in the handle and reported by the commit. */
static void to_report(void *ctx, const char *buf, size_t len)
{
	(void)tki_guard_report_write(ctx, buf, len);
}

/* false when the reports could not be written. They are one set: either
 * every selected report is replaced or none is (the guard's commit). */
static bool write_all(struct tki_guard *g, const struct tki_report_in *in, unsigned formats)
{
	struct tki_guard_report *set[TKI_ARRAY_LEN(outputs)] = {0};
	struct tki_guard_err ge = {0};
	size_t n = 0;
	bool ok = true;
	for (size_t i = 0; i < TKI_ARRAY_LEN(outputs); i++) {
		if (!(formats & outputs[i].fmt))
			continue;
		if (outputs[i].fmt == TKI_FMT_VSA && !tki_report_vsa_possible(in)) {
			tki_warn("%s not written: the manifest was not read, so there is no digest to name", outputs[i].name);
			continue;
		}
		if (!g) {
			tki_warn("cannot write %s: no output directory", outputs[i].name);
			ok = false;
			continue;
		}
		if (!ok)
			continue;
		set[n] = tki_guard_report_open(g, outputs[i].name, &ge);
		if (!set[n]) {
			ok = false;
			continue;
		}
		outputs[i].stream(in, &(const struct tki_sink){to_report, set[n]});
		tki_guard_report_finish(set[n++]); /* the disk starts while the next one renders */
	}
	if (!ok)
		tki_guard_report_abort(set, n);
	else if (tki_guard_report_commit(set, n, &ge) < 0)
		ok = false;
	if (ok)
		return committed = true;
	if (g)
		tki_warn("cannot write the reports: %s", ge.msg);
	/* the idmapped --out of a root --self-sandbox cannot represent a
	 * file owned by another uid (EOVERFLOW) */
	if (g && ge.err == EOVERFLOW)
		fputs("Hint: a report in --out is owned by a user the sandbox cannot map (e.g. written "
		      "earlier by the container as uid 65532); remove it or use a fresh --out.\n",
		      stderr);
	else
		fputs("Hint: --out must be an existing, writable directory that holds no symlink in place of "
		      "a report.\n",
		      stderr);
	return false;
}

int tki_report_write(struct tki_guard *g, const struct tki_packet *p, const char *run_date, unsigned formats,
		     int exit_code)
{
	struct tki_report_in in = {
		.verdict = exit_code == TKI_EXIT_ADEQUATE ? TKI_VERDICT_ADEQUATE : TKI_VERDICT_INADEQUATE,
		.exit_code = exit_code,
		.run_date = run_date,
		.packet_id = p->packet_id,
		.manifest_sha256 = p->manifest_sha256,
		.p = p,
	};
	tki_autofree char *scope = tki_report_scope(&in);
	tki_fput_text(stdout, scope);
	putchar('\n');
	fflush(stdout);
	if (!write_all(g, &in, formats)) {
		fputs("tki-inspector: BLOCKED: the reports could not be written; the verdict above is not recorded\n",
		      stderr);
		return TKI_EXIT_BLOCKED;
	}
	return exit_code;
}

int tki_report_write_failure(struct tki_guard *g, enum tki_verdict v, const struct tki_reject *r,
			     const char *run_date, unsigned formats)
{
	int code = v == TKI_VERDICT_REJECTED ? TKI_EXIT_USAGE : TKI_EXIT_BLOCKED;
	struct tki_report_in in = {
		.verdict = v,
		.exit_code = code,
		.run_date = run_date,
		.packet_id = r->packet_id,
		.manifest_sha256 = r->manifest_sha256,
		.errors = &r->errors,
		.err_line = r->line,
		.err_col = r->col,
	};
	/* The errors themselves were printed where they were found (reader,
	 * guard, provenance), so they show even when no report can be
	 * written; the reports repeat them word for word. */
	tki_autofree char *scope = tki_report_scope(&in);
	fprintf(stderr, "tki-inspector: %s: ", tki_verdict_name(v));
	tki_fput_text(stderr, scope);
	fputc('\n', stderr);
	/* An unusable output dir is reported by write_all; the exit code stands. */
	(void)write_all(g, &in, formats);
	return code;
}
