// SPDX-License-Identifier: Apache-2.0
/* Shared idioms: exit codes, err(3)-style dying, cleanup attributes. */
#ifndef TKI_COMMON_H
#define TKI_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The exit-code contract (docs/exit-codes.md). */
enum {
	TKI_EXIT_ADEQUATE = 0,   /* every claim adequately evidenced */
	TKI_EXIT_INADEQUATE = 1, /* inspected; at least one claim is not */
	TKI_EXIT_USAGE = 2,      /* usage error or REJECTED packet */
	TKI_EXIT_BLOCKED = 3,    /* P1 invariant or guard violation: fail closed */
};

#define TKI_VERSION "0.1.0"

/* The one fatal-error idiom (HACKING.md, "Errors"): on stderr
 *   tki-inspector: BLOCKED: <stage>: <message>[: strerror(err)]
 *   Hint: <hint>
 * then exit(code). "BLOCKED: " only for TKI_EXIT_BLOCKED; no strerror when
 * err is 0; no Hint line when hint is NULL. */
__attribute__((noreturn, format(printf, 5, 6)))
void tki_fatal(int code, int err, const char *stage, const char *hint, const char *fmt, ...);
/* tki_fatal without a separate stage or hint: the message names its stage
 * ("report.md: cannot render"). A "\nHint: ..." inside it stays on its own
 * line, after the strerror. */
__attribute__((noreturn, format(printf, 2, 3)))
void tki_die(int code, const char *fmt, ...);
/* Same, with ": strerror(errno)" at the end of the message's first line. */
__attribute__((noreturn, format(printf, 2, 3)))
void tki_die_errno(int code, const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void tki_warn(const char *fmt, ...);

/* Allocation failure is not a recoverable condition for this tool. */
/* "out of memory" on stderr, exit 3 (src/common_alloc.c). */
__attribute__((noreturn))
void *tki_oom(void);
void *tki_xmalloc(size_t n);
void *tki_xcalloc(size_t n, size_t size);
void *tki_xrealloc(void *p, size_t n);
char *tki_xstrdup(const char *s);
__attribute__((format(printf, 1, 2)))
char *tki_xasprintf(const char *fmt, ...);

/* Cleanup attributes instead of goto ladders (bubblewrap style). */
static inline void tki_freep(void *p) { free(*(void **)p); }
static inline void tki_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void tki_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
#define tki_autofree __attribute__((cleanup(tki_freep)))
#define tki_autoclose __attribute__((cleanup(tki_closep)))
#define tki_autofclose __attribute__((cleanup(tki_fclosep)))

/* Take ownership out of a cleanup variable. */
#define tki_steal(pp) ({ __typeof__(*(pp)) _v = *(pp); *(pp) = NULL; _v; })
#define tki_steal_fd(pfd) ({ int _fd = *(pfd); *(pfd) = -1; _fd; })

#define TKI_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* YYYY-MM-DD naming a real calendar day. */
bool tki_date_valid(const char *s);
/* RFC 3339 §5.6 date-time in UTC ("Z", "z" or "+00:00"), a real day and
 * time: seconds 00-59 (no leap second: a timestamp an author types is
 * never one), at most 9 fraction digits; the YYYY-MM-DD part is copied to
 * date_out when not NULL. */
bool tki_rfc3339_utc(const char *s, char date_out[11]);
/* Days since 1970-01-01 of a date tki_date_valid accepts (proleptic
 * Gregorian; negative before 1970). */
long tki_days_from_date(const char *yyyy_mm_dd);

/* The id charset of packet, claim, evidence and probe ids: ids reach
 * terminals, Markdown, SARIF and file names, so they carry nothing that
 * any of them interprets. TKI_ID_RULE says it in words (errors, docs). */
#define TKI_ID_MAX 64
#define TKI_ID_RULE "1-64 ASCII letters, digits, '.', '_', '-' or ':', the first a letter or digit"
bool tki_id_valid(const char *s);

/* n bytes as 2n lowercase hex digits and a NUL (digests in reports). */
void tki_hex_lower(const uint8_t *d, size_t n, char *out);

/* A growable list of owned strings (reasons, warnings). */
struct tki_strlist {
	char **v;
	size_t n, cap;
};
void tki_strlist_add(struct tki_strlist *l, const char *s);
__attribute__((format(printf, 2, 3)))
void tki_strlist_addf(struct tki_strlist *l, const char *fmt, ...);
__attribute__((format(printf, 2, 0)))
void tki_strlist_vaddf(struct tki_strlist *l, const char *fmt, va_list ap);
void tki_strlist_free(struct tki_strlist *l);

/* The one escaper for untrusted text (src/common_escape.c, docs/reports.md
 * "Escaping"). Whatever the input, the output is valid UTF-8 holding no C0
 * or C1 control, DEL, bidi or other invisible format character, no U+2028
 * or U+2029 and no byte of invalid UTF-8: those become \xNN or \uXXXX. */
enum tki_esc {
	TKI_ESC_TEXT,   /* terminal lines (stdout, stderr); also the base of the others */
	TKI_ESC_MD,     /* report.md text and cells: also no live Markdown, '|' as &#124; */
	TKI_ESC_SARIF,  /* SARIF message text: also '[' ']' escaped (no embedded links) */
	TKI_ESC_QUOTED, /* inside "..." in a message: also '"' and '\\' escaped */
	TKI_ESC_ASCII,  /* kernel values (P1): printable ASCII other than '\\' kept, every other byte \xNN */
	TKI_ESC_JSON,   /* a whole serialized JSON text: DEL, C1, invisible characters as \uXXXX */
	TKI_ESC_JSON_STR, /* a JSON string's contents (valid UTF-8): exactly jansson's dump of it
			   * (JSON_INDENT(2)) passed through TKI_ESC_JSON */
};
/* malloc'd escaped copy of n bytes at s (s may hold NULs). */
char *tki_escape(const char *s, size_t n, enum tki_esc mode);
char *tki_escape_str(const char *s, enum tki_esc mode); /* s NULL: "" */
/* A path as a URI reference (SARIF artifactLocation.uri): RFC 3986
 * unreserved characters and '/' kept, every other byte percent-encoded. */
char *tki_uri_encode(const char *path);
/* Appended to *buf (*len used of *cap, grown by realloc; room for a NUL kept). */
void tki_escape_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n, enum tki_esc mode);
/* Into dst (cap bytes, always NUL-terminated); cut at a whole unit with
 * "..." when it does not fit. Returns the length written. */
size_t tki_escape_to(char *dst, size_t cap, const char *s, size_t n, enum tki_esc mode);
/* fputs of the TEXT escape of s. */
void tki_fput_text(FILE *f, const char *s);

/* CPUs this process may run on (its affinity mask), at least 1. */
unsigned tki_cpus(void);

#endif
