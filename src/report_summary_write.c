// SPDX-License-Identifier: Apache-2.0
/* The batch summary's files, written through the guard as report sets
 * (all or none, docs/guard.md), for both the batch parent (src/batch.c)
 * and merge (src/merge.c), so that the two write the very same files:
 * summary.json, summary.md and summary.sarif as one set, then the 20-run
 * parts of a larger batch in sets of PART_SET (each open temp is an fd,
 * under RLIMIT_NOFILE 64). */
#include <stdio.h>
#include <stdlib.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/guard.h"

#define PART_SET 16

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

int tki_summary_write(struct tki_guard *g, const struct tki_summary *s, const char *who)
{
	struct tki_guard_err e = {0};
	struct tki_guard_report *set[PART_SET] = {0};
	size_t len = 0;
	char *t = tki_summary_render_json(s, &len);
	set[0] = put(g, "summary.json", t, len, &e);
	t = tki_summary_render_md(s, &len);
	set[1] = set[0] ? put(g, "summary.md", t, len, &e) : (free(t), NULL);
	t = tki_summary_render_sarif(s, &len);
	set[2] = set[1] ? put(g, "summary.sarif", t, len, &e) : (free(t), NULL);
	if (commit(set, 3, set[2] != NULL, &e, who) != 0)
		return -1;
	if (s->n <= TKI_SARIF_RUNS_PER_FILE)
		return 0;
	size_t k = 0, n = 0;
	bool opened = true;
	for (size_t from = 0; from < s->n; from += TKI_SARIF_RUNS_PER_FILE) {
		char name[32];
		snprintf(name, sizeof(name), "summary.%04zu.sarif", ++k);
		t = tki_summary_render_sarif_part(s, from, from + TKI_SARIF_RUNS_PER_FILE, &len);
		set[n] = opened ? put(g, name, t, len, &e) : (free(t), NULL);
		opened = opened && set[n++];
		if (n == PART_SET || from + TKI_SARIF_RUNS_PER_FILE >= s->n) {
			if (commit(set, n, opened, &e, who) != 0)
				return -1;
			n = 0;
		}
	}
	return 0;
}
