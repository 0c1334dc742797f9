// SPDX-License-Identifier: Apache-2.0
/* Shared idioms: see include/tki/common.h. */
#include "tki/common.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

/* A message may carry untrusted text (a path, an id): every line goes
 * through the one escaper. Only a line break the format itself puts before
 * "Hint: " survives; any other one is escaped, so nothing the input says
 * can start a line of its own. */
static void vmsg(const char *fmt, va_list ap, int errnum)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	fputs("tki-inspector: ", stderr);
	const char *s = msg ? msg : fmt;
	for (;;) {
		const char *nl = strstr(s, "\nHint: ");
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *e = tki_escape(s, n, TKI_ESC_TEXT);
		fputs(e, stderr);
		free(e);
		if (!nl)
			break;
		fputs("\nHint: ", stderr);
		s = nl + 7;
	}
	free(msg);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void tki_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
	exit(code);
}

void tki_die_errno(int code, const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
	exit(code);
}

void tki_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

static void *oom(void)
{
	/* Out of memory is a resource limit doing its job: fail closed. */
	fputs("tki-inspector: out of memory (RLIMIT_AS or the container memory limit)\n", stderr);
	_exit(TKI_EXIT_BLOCKED);
}

void *tki_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *tki_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom();
}

void *tki_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	return q ? q : oom();
}

char *tki_xstrdup(const char *s)
{
	char *p = strdup(s);
	return p ? p : oom();
}

char *tki_xasprintf(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? oom() : s;
}

/* Append a string the list now owns. */
static void strlist_push(struct tki_strlist *l, char *owned)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = tki_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = owned;
}

void tki_strlist_add(struct tki_strlist *l, const char *s)
{
	strlist_push(l, tki_xstrdup(s));
}

void tki_strlist_vaddf(struct tki_strlist *l, const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	strlist_push(l, s);
}

void tki_strlist_addf(struct tki_strlist *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tki_strlist_vaddf(l, fmt, ap);
	va_end(ap);
}

void tki_strlist_free(struct tki_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

unsigned tki_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	return 1;
}
