// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: merge's gate, the shard summary parser, on arbitrary bytes (a
 * shard summary comes from a process merge may not fully trust). What it
 * accepts must render back to a summary it accepts again, the same bytes,
 * and merge as the single shard it claims to be when it is shard 0/1. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tki/batch.h"
#include "tki/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tki_summary s;
	char err[512];
	if (!tki_summary_parse((const char *)data, len, TKI_VERSION, &s, err, sizeof(err)))
		return 0;
	size_t l1, l2;
	char *j1 = tki_summary_render_json(&s, &l1);
	struct tki_summary t;
	if (!tki_summary_parse(j1, l1, TKI_VERSION, &t, err, sizeof(err)))
		abort(); /* our own rendering refused */
	char *j2 = tki_summary_render_json(&t, &l2);
	if (l1 != l2 || memcmp(j1, j2, l1))
		abort(); /* not a fixed point */
	free(tki_summary_render_md(&t, &l2));
	free(tki_summary_render_sarif(&t, &l2));
	if (s.shard_count == 1) {
		struct tki_summary m;
		if (tki_summary_merge(&t, 1, &m, err, sizeof(err))) {
			char *j3 = tki_summary_render_json(&m, &l2);
			if (l1 != l2 || memcmp(j1, j3, l1))
				abort(); /* a one-shard merge changed the summary */
			free(j3);
		}
		tki_summary_free(&m);
	}
	tki_summary_free(&t);
	free(j1);
	free(j2);
	tki_summary_free(&s);
	return 0;
}
