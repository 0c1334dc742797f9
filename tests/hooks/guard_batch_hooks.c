// SPDX-License-Identifier: Apache-2.0
/* TEST-ONLY hook of src/guard_batch.c, compiled in by -DTKI_TEST_HOOKS into
 * build/tests/tki-inspector-hooks only (mk/batch.mk). A regular file
 * tki-test-casefold in the batch dir makes the report dir path of every
 * name ASCII-lowercase, as a case-insensitive --out would resolve it:
 * packets/Pkt and packets/pkt are then one directory, which no
 * case-sensitive filesystem here can give without crossing a mount. */
#include <ctype.h>

static void test_hook_fold(const struct tki_guard *g, char *path)
{
	struct stat st;
	if (!g || g->in_fd < 0 || fstatat(g->in_fd, "tki-test-casefold", &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode))
		return;
	for (char *p = path; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}
