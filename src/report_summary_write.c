// SPDX-License-Identifier: Apache-2.0
/* The batch summary's files, written through the guard's atomic report
 * write, for both the batch parent (src/batch.c) and merge (src/merge.c),
 * so that the two write the very same set of files. */
#include <stdio.h>
#include <stdlib.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/guard.h"

static int put(struct tki_guard *g, const char *name, char *text, size_t len, const char *who)
{
	struct tki_guard_err ge;
	int rc = tki_guard_write_report(g, name, text, len, &ge);
	free(text);
	if (rc != 0)
		fprintf(stderr, "tki-inspector: BLOCKED: %s: %s not written: %s\n", who, name, ge.msg);
	return rc;
}

int tki_summary_write(struct tki_guard *g, const struct tki_summary *s, const char *who)
{
	size_t len = 0;
	char *t = tki_summary_render_json(s, &len);
	if (put(g, "summary.json", t, len, who))
		return -1;
	t = tki_summary_render_md(s, &len);
	if (put(g, "summary.md", t, len, who))
		return -1;
	t = tki_summary_render_sarif(s, &len);
	if (put(g, "summary.sarif", t, len, who))
		return -1;
	if (s->n > TKI_SARIF_RUNS_PER_FILE)
		for (size_t from = 0, k = 1; from < s->n; from += TKI_SARIF_RUNS_PER_FILE, k++) {
			char name[32];
			snprintf(name, sizeof(name), "summary.%04zu.sarif", k);
			t = tki_summary_render_sarif_part(s, from, from + TKI_SARIF_RUNS_PER_FILE, &len);
			if (put(g, name, t, len, who))
				return -1;
		}
	return 0;
}
