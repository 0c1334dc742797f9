// SPDX-License-Identifier: Apache-2.0
/* Shared idioms: see include/tki/common.h. */
#include "tki/common.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static void vmsg(const char *fmt, va_list ap, int errnum)
{
	fputs("tki-inspector: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

/* Every fatal message is formatted here and nowhere else. */
__attribute__((noreturn, format(printf, 5, 0)))
static void vfatal(int code, int err, const char *stage, const char *hint, const char *fmt, va_list ap)
{
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A message of tki_die may carry its own "\nHint: ...": the strerror
	 * belongs to the first line, not glued after the hint. */
	char *rest = strchr(msg, '\n');
	if (rest)
		*rest++ = '\0';
	const char *blocked = code == TKI_EXIT_BLOCKED && strncmp(msg, "BLOCKED: ", 9) != 0 ? "BLOCKED: " : "";
	fprintf(stderr, "tki-inspector: %s%s%s%s", blocked, stage ? stage : "", stage ? ": " : "", msg);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	if (rest)
		fprintf(stderr, "%s\n", rest);
	if (hint)
		fprintf(stderr, "Hint: %s\n", hint);
	exit(code);
}

void tki_fatal(int code, int err, const char *stage, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfatal(code, err, stage, hint, fmt, ap);
}

void tki_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfatal(code, 0, NULL, NULL, fmt, ap);
}

void tki_die_errno(int code, const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vfatal(code, e, NULL, NULL, fmt, ap);
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
