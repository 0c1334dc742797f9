// SPDX-License-Identifier: Apache-2.0
/* Captured P1 text (fixtures/p1/<venue>/<file>) for the unit tests that
 * judge it: test_selfcheck (live judges) and test_attest_p1 (re-judge). */
#ifndef TKI_TEST_P1_H
#define TKI_TEST_P1_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tki/common.h"
#include "tki/selfcheck.h"

static inline char *slurp(const char *venue, const char *file)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/p1/%s/%s", TKI_FIXTURES, venue, file);
	FILE *f = fopen(path, "re");
	if (!f)
		fail_msg("fixture missing: %s (run tests/tools/p1-capture.sh)", path);
	size_t cap = 1 << 16, n = 0, r;
	char *b = tki_xmalloc(cap);
	while ((r = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 >= cap)
			b = tki_xrealloc(b, cap *= 2);
	}
	fclose(f);
	b[n] = '\0';
	return b;
}

/* Lines of a fixture file as a list (env_keys, sockets). */
static inline void lines(const char *venue, const char *file, struct tki_strlist *l)
{
	char *t = slurp(venue, file);
	for (char *s = strtok(t, "\n"); s; s = strtok(NULL, "\n"))
		tki_strlist_add(l, s);
	free(t);
}

/* fixtures/p1/<venue>/proc_self (the /proc/self link) and proc_present,
 * or a NULL link for a venue captured before they were recorded (judged
 * as a fresh procfs). Static buffers: valid until the next call. */
static inline const char *fixture_opt(const char *venue, const char *file, char *buf, size_t cap)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/p1/%s/%s", TKI_FIXTURES, venue, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static inline const struct tki_p1_procfs *procfs_of(const char *venue, const char *mountinfo)
{
	static char self[64], present[1024], reach[1024], chain[256];
	static struct tki_p1_procfs p;
	p.self = fixture_opt(venue, "proc_self", self, sizeof(self));
	if (p.self)
		self[strcspn(self, "\n")] = '\0';
	p.present = fixture_opt(venue, "proc_present", present, sizeof(present));
	p.mountinfo = mountinfo;
	p.reach = fixture_opt(venue, "proc_reach", reach, sizeof(reach));
	p.chain = fixture_opt(venue, "proc_chain", chain, sizeof(chain));
	return &p;
}

#endif
