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

/* Every fatal message is formatted here and nowhere else, through the one
 * escaper as vmsg does: only a line break the format puts before "Hint: "
 * survives, and the strerror ends the first line, never glued after a hint. */
__attribute__((noreturn, format(printf, 5, 0)))
static void vfatal(int code, int err, const char *stage, const char *hint, const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	const char *s = msg ? msg : fmt;
	const char *nl = strstr(s, "\nHint: ");
	const char *blocked = code == TKI_EXIT_BLOCKED && strncmp(s, "BLOCKED: ", 9) != 0 ? "BLOCKED: " : "";
	char *first = tki_escape(s, nl ? (size_t)(nl - s) : strlen(s), TKI_ESC_TEXT);
	char *st = tki_escape_str(stage, TKI_ESC_TEXT);
	fprintf(stderr, "tki-inspector: %s%s%s%s", blocked, st, stage ? ": " : "", first);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	while (nl) {
		s = nl + 7;
		nl = strstr(s, "\nHint: ");
		char *h = tki_escape(s, nl ? (size_t)(nl - s) : strlen(s), TKI_ESC_TEXT);
		fprintf(stderr, "Hint: %s\n", h);
		free(h);
	}
	if (hint) {
		char *h = tki_escape_str(hint, TKI_ESC_TEXT);
		fprintf(stderr, "Hint: %s\n", h);
		free(h);
	}
	free(first);
	free(st);
	free(msg);
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
		tki_oom();
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
