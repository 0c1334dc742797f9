// SPDX-License-Identifier: Apache-2.0
/* L4: the reports (report.json, report.md, report.sarif), written through
 * the guard atomically. Deterministic: same packet and run date, same bytes. */
#ifndef TKI_REPORT_H
#define TKI_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "tki/guard.h"
#include "tki/packet.h"

enum tki_verdict { TKI_VERDICT_ADEQUATE, TKI_VERDICT_INADEQUATE, TKI_VERDICT_REJECTED, TKI_VERDICT_BLOCKED };

/* Write the reports for an inspected packet. Returns the exit code to use:
 * exit_code unchanged on success, 3 if the guard refused a write. */
int tki_report_write(struct tki_guard *g, const struct tki_packet *p, const char *run_date,
		     unsigned formats, int exit_code);

/* Write REJECTED (exit 2) or BLOCKED (exit 3) reports that say why. */
int tki_report_write_failure(struct tki_guard *g, enum tki_verdict v, const struct tki_reject *r,
			     const char *run_date, unsigned formats);

/* true once this process committed a report set (a batch worker's exit
 * status carries it to the parent, src/batch.c). */
bool tki_report_committed(void);

/* What every renderer sees: an inspected packet (p set) or a failure
 * (p NULL, errors set). Pure renderers below return malloc'd text. */
struct tki_report_in {
	enum tki_verdict verdict;
	int exit_code;
	const char *run_date;
	const char *packet_id;       /* NULL when unknown */
	const char *manifest_sha256; /* NULL when unknown */
	const struct tki_packet *p;
	const struct tki_strlist *errors;
	const unsigned *err_line, *err_col; /* per error, 0 when unknown (NULL: none) */
};

/* Where a streamed report goes (the guard's temp file, in report.c). */
struct tki_sink {
	void (*fn)(void *ctx, const char *buf, size_t len);
	void *ctx;
};
/* The same bytes as the render_* functions below, handed to the sink in
 * pieces as they are made: memory does not follow the report's size. */
void tki_report_stream_json(const struct tki_report_in *in, const struct tki_sink *sink);
void tki_report_stream_md(const struct tki_report_in *in, const struct tki_sink *sink);
void tki_report_stream_sarif(const struct tki_report_in *in, const struct tki_sink *sink);
/* false, with nothing handed to the sink, when no VSA can be written (no
 * manifest digest to name: tki_report_render_vsa's NULL). */
bool tki_report_stream_vsa(const struct tki_report_in *in, const struct tki_sink *sink);
bool tki_report_vsa_possible(const struct tki_report_in *in);

const char *tki_verdict_name(enum tki_verdict v);
/* The scoped verdict sentence (never about anything but this packet). */
char *tki_report_scope(const struct tki_report_in *in);
/* json_dumps (indent 2, keys in insertion order) plus a final newline;
 * consumes root. what names the report in the out-of-memory message. */
char *tki_report_dump(json_t *root, const char *what, size_t *len);
char *tki_report_render_json(const struct tki_report_in *in, size_t *len);
char *tki_report_render_md(const struct tki_report_in *in, size_t *len);
char *tki_report_render_sarif(const struct tki_report_in *in, size_t *len);
/* --format vsa (src/report_vsa.c): in-toto Statement v1, SLSA VSA v1
 * predicate, subject packet.json. NULL when the manifest digest is
 * unknown (nothing to name as the subject): then no VSA is written. */
char *tki_report_render_vsa(const struct tki_report_in *in, size_t *len);

/* Per class: SARIF level and the help text the reports give (report_rules.c). */
struct tki_class_rule {
	const char *level;   /* "error" | "warning" | "none" */
	const char *summary; /* one line: what the class means */
	const char *fix;     /* how to make the claim adequate */
};
const struct tki_class_rule *tki_class_rule(enum tki_class c);
/* What carried an ADEQUATE claim, in words ("E1: assert[0], assert[2]";
 * "E2: PR-NET-1, PR-NET-2, P1 network"), records joined by "; "; "" for
 * any other class. Unescaped (new string). */
char *tki_support_text(const struct tki_claim *c);

#endif
