// SPDX-License-Identifier: Apache-2.0
/* The workers of a batch share the batch's stdout and stderr. So that a
 * reader can tell whose line is whose, a worker's stdout and stderr become
 * streams that put `packet "NAME": ` before each line and hand the whole
 * line to write(2) at once: two workers' lines never mix within a line.
 * A pipe keeps only a write of up to PIPE_BUF bytes whole, and a packet
 * can make a line longer (a deep path of escaped characters in a BLOCKED
 * line): such a line is cut into lines of at most PIPE_BUF bytes, each
 * naming the packet, so no other worker's line can land inside one and
 * leave the rest, text the packet chose, at the start of a line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tki/common.h"
#include "batch_out.h"

/* Bytes of one write, its newline included. A name is at most NAME_MAX
 * bytes and its escape at most four bytes a byte: the prefix leaves most
 * of it to the line. */
#define LINE_MAX_BYTES PIPE_BUF
_Static_assert(LINE_MAX_BYTES > 32 + 4 * NAME_MAX, "the prefix must leave room for the line");

struct named {
	int fd;
	size_t plen;
	size_t n; /* line[0, n): the prefix and the line so far, n < LINE_MAX_BYTES */
	char line[LINE_MAX_BYTES];
};

static void put_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a closed reader (EPIPE): the line is lost, not the run */
		p += w;
		n -= (size_t)w;
	}
}

/* The line so far and its newline, in one write. */
static void emit(struct named *s)
{
	s->line[s->n] = '\n';
	put_all(s->fd, s->line, s->n + 1);
	s->n = s->plen;
}

/* Where a full line is cut: before its last character when that one is
 * not whole yet (its next bytes are still to come), so no UTF-8 character
 * is split across two lines. */
static size_t cut_at(const struct named *s)
{
	size_t j = s->n;
	while (j > s->plen && s->n - j < 3 && ((unsigned char)s->line[j - 1] & 0xc0) == 0x80)
		j--;
	unsigned char lead = j > s->plen ? (unsigned char)s->line[j - 1] : 0;
	if (lead < 0xc0)
		return s->n; /* ASCII, or not UTF-8: nothing to keep together */
	size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	return s->n - (j - 1) >= want ? s->n : j - 1;
}

/* A line too long for one write: its first part out as a line of its own,
 * the rest (at most three bytes) kept after the prefix. */
static void cut(struct named *s)
{
	size_t c = cut_at(s), k = s->n - c;
	char tail[4];
	memcpy(tail, s->line + c, k);
	s->n = c;
	emit(s);
	memcpy(s->line + s->plen, tail, k);
	s->n += k;
}

static ssize_t named_write(void *cookie, const char *buf, size_t len)
{
	struct named *s = cookie;
	for (size_t i = 0; i < len;) {
		if (buf[i] == '\n') {
			emit(s);
			i++;
			continue;
		}
		size_t room = LINE_MAX_BYTES - 1 - s->n; /* one byte for the newline */
		if (room == 0) {
			cut(s);
			continue;
		}
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t k = nl ? (size_t)(nl - (buf + i)) : len - i;
		if (k > room)
			k = room;
		memcpy(s->line + s->n, buf + i, k);
		s->n += k;
		i += k;
	}
	return (ssize_t)len;
}

/* A last line without its newline gets one: the next worker's line must
 * not be glued to it. */
static int named_close(void *cookie)
{
	struct named *s = cookie;
	if (s->n > s->plen)
		emit(s);
	return 0;
}

/* The two streams' states, for an exit() that is not tki_batch_lines_end
 * (tki_die): the last line without a newline is not lost. */
static struct named *streams[2];

static FILE *named(int fd, const char *prefix, struct named **keep)
{
	struct named *s = tki_xcalloc(1, sizeof(*s));
	*keep = s;
	s->fd = fd;
	s->plen = strlen(prefix);
	if (s->plen > LINE_MAX_BYTES / 2) /* see LINE_MAX_BYTES: not for a name of a batch */
		tki_die(TKI_EXIT_BLOCKED, "batch: a worker's line prefix of %zu bytes", s->plen);
	memcpy(s->line, prefix, s->plen);
	s->n = s->plen;
	FILE *f = fopencookie(s, "w", (cookie_io_functions_t){.write = named_write, .close = named_close});
	if (!f)
		tki_die_errno(TKI_EXIT_BLOCKED, "batch: a worker's output stream");
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

/* exit() flushes the streams after the atexit handlers: flush them here
 * first, then give a last partial line its newline. */
static void lines_at_exit(void)
{
	fflush(stdout);
	fflush(stderr);
	for (size_t i = 0; i < TKI_ARRAY_LEN(streams); i++)
		if (streams[i] && streams[i]->n > streams[i]->plen)
			emit(streams[i]);
}

void tki_batch_name_lines(const char *name)
{
	tki_autofree char *q = tki_escape_str(name, TKI_ESC_QUOTED);
	tki_autofree char *prefix = tki_xasprintf("packet \"%s\": ", q);
	fflush(stdout);
	fflush(stderr);
	stdout = named(STDOUT_FILENO, prefix, &streams[0]);
	stderr = named(STDERR_FILENO, prefix, &streams[1]);
	atexit(lines_at_exit);
}

void tki_batch_lines_end(void)
{
	fclose(stdout);
	fclose(stderr);
}
