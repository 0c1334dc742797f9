// SPDX-License-Identifier: Apache-2.0
/* merge --out DIR SUMMARY.json...: read the shard summaries (before the
 * own layer, as --trust-key files are), then, under the own layer with
 * only --out writable, check and combine them (src/report_summary.c) and
 * write summary.json, summary.md and summary.sarif through the guard. It
 * reads no packet, so P1 does not gate it; it is no verdict on packets:
 * it only says what the shards said, once checked for shape, membership,
 * duplicates, overlaps and missing shards. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tki/batch.h"
#include "tki/common.h"
#include "tki/guard.h"
#include "tki/sandbox.h"

#define MAX_SUMMARY_BYTES (256u << 20)

static char *slurp(const char *path, size_t *len)
{
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, .resolve = RESOLVE_NO_SYMLINKS};
	tki_autoclose int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd < 0)
		tki_fatal(TKI_EXIT_USAGE, errno, "merge", "name the summary.json each shard wrote in its --out (no symlink)",
			  "%s", path);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_SUMMARY_BYTES)
		tki_die(TKI_EXIT_USAGE, "merge: %s: not a regular file of at most %u bytes\n"
			"Hint: name the summary.json each shard wrote in its --out", path, MAX_SUMMARY_BYTES);
	char *buf = tki_xmalloc((size_t)st.st_size + 1);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			tki_fatal(TKI_EXIT_USAGE, errno, "merge", "check the file", "cannot read %s", path);
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > (size_t)st.st_size)
			tki_die(TKI_EXIT_USAGE, "merge: %s grew while it was read\nHint: merge once the shards are done", path);
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int tki_merge_run(const struct tki_opts *o)
{
	size_t n = o->n_merge_files;
	char **text = tki_xcalloc(n, sizeof(char *));
	size_t *len = tki_xcalloc(n, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		text[i] = slurp(o->merge_files[i], &len[i]);
	struct tki_guard_err ge;
	struct tki_guard *g = tki_guard_open(NULL, o->out_dir, &ge);
	if (!g)
		tki_die(TKI_EXIT_USAGE, "merge: %s", ge.msg);
	struct tki_sandbox_state sb;
	tki_sandbox_restrict(o, true, &sb);

	struct tki_summary *sh = tki_xcalloc(n, sizeof(*sh));
	char err[512];
	for (size_t i = 0; i < n; i++) {
		if (!tki_summary_parse(text[i], len[i], TKI_VERSION, &sh[i], err, sizeof(err))) {
			tki_autofree char *q = tki_escape_str(o->merge_files[i], TKI_ESC_QUOTED);
			fprintf(stderr, "tki-inspector: merge: \"%s\": %s\n"
				"Hint: merge takes the summary.json files the shards wrote, unedited; nothing was written.\n",
				q, err);
			return TKI_EXIT_USAGE;
		}
		free(text[i]);
	}
	free(text);
	free(len);
	struct tki_summary m;
	if (!tki_summary_merge(sh, n, &m, err, sizeof(err))) {
		tki_autofree char *q = tki_escape_str(err, TKI_ESC_TEXT);
		fprintf(stderr, "tki-inspector: merge: %s\n"
			"Hint: give the summary.json of every shard 0..N-1 of one batch, each once; nothing was written.\n",
			q);
		return TKI_EXIT_USAGE;
	}
	if (tki_summary_write(g, &m, "merge") != 0)
		return TKI_EXIT_BLOCKED;
	printf("merge: %zu shard summaries, %zu entries; the batch's worst exit code is %d (summary.json "
	       "exit_code); merge itself judges no packet\n", n, m.n, m.exit_code);
	tki_summary_free(&m);
	free(sh);
	tki_guard_close(g);
	return TKI_EXIT_ADEQUATE;
}
