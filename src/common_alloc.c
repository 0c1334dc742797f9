// SPDX-License-Identifier: Apache-2.0
/* The allocators (tki/common.h), the lowest file of all: they call nothing
 * of ours, so the escaper and the message printers above them can use them
 * without a call cycle (make cycles). */
#include "tki/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *tki_oom(void)
{
	/* Out of memory is a resource limit doing its job: fail closed. */
	fputs("tki-inspector: out of memory (RLIMIT_AS or the container memory limit)\n", stderr);
	_exit(TKI_EXIT_BLOCKED);
}

void *tki_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : tki_oom();
}

void *tki_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : tki_oom();
}

void *tki_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : tki_oom();
}

char *tki_xstrdup(const char *s)
{
	char *p = strdup(s);
	return p ? p : tki_oom();
}

char *tki_xasprintf(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? tki_oom() : s;
}
