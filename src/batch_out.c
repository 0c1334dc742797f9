// SPDX-License-Identifier: Apache-2.0
/* The workers of a batch share the batch's stdout and stderr. So that a
 * reader can tell whose line is whose, a worker's stdout and stderr become
 * streams that put `packet "NAME": ` before each line and hand the whole
 * line to write(2) at once: two workers' lines never mix within a line
 * (a pipe keeps a write of up to PIPE_BUF bytes whole). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tki/common.h"
#include "batch_out.h"

struct named {
	int fd;
	char *prefix;
	size_t plen;
	char *line; /* prefix + the line so far */
	size_t n, cap;
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

static void emit(struct named *s)
{
	if (s->n > s->plen)
		put_all(s->fd, s->line, s->n);
	s->n = s->plen;
}

static ssize_t named_write(void *cookie, const char *buf, size_t len)
{
	struct named *s = cookie;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t k = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
		if (s->n + k > s->cap) {
			s->cap = 2 * (s->n + k);
			s->line = tki_xrealloc(s->line, s->cap);
		}
		memcpy(s->line + s->n, buf + i, k);
		s->n += k;
		i += k;
		if (nl)
			emit(s);
	}
	return (ssize_t)len;
}

static int named_close(void *cookie)
{
	struct named *s = cookie;
	emit(s);
	return 0;
}

static FILE *named(int fd, const char *prefix)
{
	struct named *s = tki_xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->plen = strlen(prefix);
	s->cap = s->plen + 256;
	s->line = tki_xmalloc(s->cap);
	memcpy(s->line, prefix, s->plen);
	s->n = s->plen;
	FILE *f = fopencookie(s, "w", (cookie_io_functions_t){.write = named_write, .close = named_close});
	if (!f)
		tki_die_errno(TKI_EXIT_BLOCKED, "batch: a worker's output stream");
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

void tki_batch_name_lines(const char *name)
{
	tki_autofree char *q = tki_escape_str(name, TKI_ESC_QUOTED);
	tki_autofree char *prefix = tki_xasprintf("packet \"%s\": ", q);
	fflush(stdout);
	fflush(stderr);
	stdout = named(STDOUT_FILENO, prefix);
	stderr = named(STDERR_FILENO, prefix);
}

void tki_batch_lines_end(void)
{
	fclose(stdout);
	fclose(stderr);
}
