// SPDX-License-Identifier: Apache-2.0
/* The batch summary's files, written through the guard as report sets
 * (all or none, docs/guard.md), for both the batch parent (src/batch.c)
 * and merge (src/merge.c), so that the two write the very same files:
 * the 20-run parts of a larger batch in sets of PART_SET (each open temp
 * is an fd, under RLIMIT_NOFILE 64), an earlier run's parts past this
 * run's made empty, then summary.json, summary.md and summary.sarif as one
 * set. */
#include <stdio.h>
#include <stdlib.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/guard.h"
#include "guard_batch.h"

#define PART_SET 16
/* The parts of the largest batch (TKI_BATCH_MAX_ENTRIES). */
#define MAX_PARTS ((TKI_BATCH_MAX_ENTRIES + TKI_SARIF_RUNS_PER_FILE - 1) / TKI_SARIF_RUNS_PER_FILE)

/* Open name's temp and stream text into it; the set slot, NULL on failure. */
static struct tki_guard_report *put(struct tki_guard *g, const char *name, char *text, size_t len,
				    struct tki_guard_err *e)
{
	struct tki_guard_report *r = tki_guard_report_open(g, name, e);
	if (r) {
		tki_guard_report_write(r, text, len); /* a failure is kept for commit */
		tki_guard_report_finish(r);
	}
	free(text);
	return r;
}

static int commit(struct tki_guard_report **set, size_t n, bool opened, struct tki_guard_err *e, const char *who)
{
	if (!opened) {
		tki_guard_report_abort(set, n);
		fprintf(stderr, "tki-inspector: BLOCKED: %s: the summary not written: %s\n", who, e->msg);
		return -1;
	}
	if (tki_guard_report_commit(set, n, e) != 0) {
		fprintf(stderr, "tki-inspector: BLOCKED: %s: the summary not written: %s\n", who, e->msg);
		return -1;
	}
	return 0;
}

/* The 20-run parts first, summary.json, .md and .sarif last: a run that
 * cannot write its parts (up to PART_SET of them are one set) leaves the
 * earlier summary whole, never a new summary.json beside old parts. */
int tki_summary_write(struct tki_guard *g, const struct tki_summary *s, const char *who)
{
	struct tki_guard_err e = {0};
	struct tki_guard_report *set[PART_SET] = {0};
	size_t len = 0;
	char *t;
	size_t parts = s->n > TKI_SARIF_RUNS_PER_FILE ? (s->n + TKI_SARIF_RUNS_PER_FILE - 1) / TKI_SARIF_RUNS_PER_FILE : 0;
	size_t n = 0;
	bool opened = true;
	/* Past this run's parts, an earlier, larger run's summary.NNNN.sarif
	 * would be uploaded with them, stale verdicts and all: each is
	 * superseded by an empty log (zero runs). */
	for (size_t k = 0;; k++) {
		char name[32];
		snprintf(name, sizeof(name), "summary.%04zu.sarif", k + 1);
		if (k >= parts && (k >= MAX_PARTS || !tki_guard_batch_out_has(g, name)))
			break;
		size_t from = k * TKI_SARIF_RUNS_PER_FILE;
		t = tki_summary_render_sarif_part(s, from, k < parts ? from + TKI_SARIF_RUNS_PER_FILE : from, &len);
		set[n] = opened ? put(g, name, t, len, &e) : (free(t), NULL);
		opened = opened && set[n++];
		if (n == PART_SET) {
			if (commit(set, n, opened, &e, who) != 0)
				return -1;
			n = 0;
		}
	}
	if (n && commit(set, n, opened, &e, who) != 0)
		return -1;
	t = tki_summary_render_json(s, &len);
	set[0] = put(g, "summary.json", t, len, &e);
	t = tki_summary_render_md(s, &len);
	set[1] = set[0] ? put(g, "summary.md", t, len, &e) : (free(t), NULL);
	t = tki_summary_render_sarif(s, &len);
	set[2] = set[1] ? put(g, "summary.sarif", t, len, &e) : (free(t), NULL);
	return commit(set, 3, set[2] != NULL, &e, who);
}
