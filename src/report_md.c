// SPDX-License-Identifier: Apache-2.0
/* report.md: the same facts for a person. The scoped verdict comes first,
 * then the claims table, then for each inadequate claim what is wrong and
 * how to fix it. It never upgrades a status and never speaks about anything
 * beyond this packet. Pure. */
#include <stdio.h>
#include <string.h>

#include "tki/common.h"
#include "tki/report.h"

/* Any text the packet, a file name or a reason carries: through the one
 * escaper (no line break, no control, no live Markdown, no cell-splitting
 * pipe). Empty shows as "-". */
static void cell(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputs("-", f);
		return;
	}
	tki_autofree char *e = tki_escape_str(s, TKI_ESC_MD);
	fputs(e, f);
}

static void bullet(FILE *f, const char *s)
{
	fputs("- ", f);
	cell(f, s);
	fputc('\n', f);
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void attestation_md(FILE *f, const struct tki_evidence *ev)
{
	json_t *att = ev->attestation;
	fputs("\n### Attestation ", f);
	cell(f, ev->id);
	fputs(" (", f);
	cell(f, ev->path);
	fputs(")\n\nB4': ", f);
	cell(f, ev->b4_prime ? ev->b4_prime : "NOT_ATTESTED");
	fputs(" for venue \"", f);
	cell(f, *jstr(att, "venue") ? jstr(att, "venue") : "unknown");
	fputs("\" and image digest \"", f);
	cell(f, *jstr(att, "image_digest") ? jstr(att, "image_digest") : "unknown");
	fputs("\" only.\n", f);
	/* The signature layer (src/attest_statement.c). */
	fputs("\nSignature: ", f);
	cell(f, *jstr(att, "signature") ? jstr(att, "signature") : "not checked");
	if (*jstr(att, "signed_by")) {
		fputs(", signed by `", f);
		cell(f, jstr(att, "signed_by"));
		fputc('`', f);
	}
	if (*jstr(att, "signature_why")) {
		fputs(": ", f);
		cell(f, jstr(att, "signature_why"));
	}
	fputs(".\n", f);
	json_t *probes = json_object_get(att, "probes");
	if (!json_array_size(probes)) {
		fputs("\nNo probe was re-judged.\n", f);
		return;
	}
	fputs("\n| probe | L1 test | bundle says | re-judged | errno or exit | why |\n|---|---|---|---|---|---|\n", f);
	size_t i;
	json_t *pr;
	json_array_foreach(probes, i, pr) {
		const char *cols[] = {"probe_id", "l1_test", "claimed", "rejudged", "errno_or_exit", "why"};
		for (size_t k = 0; k < TKI_ARRAY_LEN(cols); k++) {
			fputs("| ", f);
			cell(f, jstr(pr, cols[k]));
			fputc(' ', f);
		}
		fputs("|\n", f);
	}
}

static void inspected_md(FILE *f, const struct tki_report_in *in)
{
	const struct tki_packet *p = in->p;
	size_t counts[TKI_CLASS__COUNT] = {0};
	for (size_t i = 0; i < p->n_claims; i++)
		counts[p->claims[i].cls]++;
	fputs("| class | claims |\n|---|---|\n", f);
	for (int c = 0; c < TKI_CLASS__COUNT; c++)
		fprintf(f, "| %s | %zu |\n", tki_class_name((enum tki_class)c), counts[c]);

	fputs("\n## Claims\n\n| claim | category | claimed status | class | supported by | statement (as the packet "
	      "words it) |\n|---|---|---|---|---|---|\n",
	      f);
	for (size_t i = 0; i < p->n_claims; i++) {
		const struct tki_claim *c = &p->claims[i];
		fputs("| ", f);
		cell(f, c->id);
		fputs(" | ", f);
		cell(f, c->category);
		fprintf(f, " | %s | %s | ", tki_status_name(c->status), tki_class_name(c->cls));
		/* what the green rests on, so a reviewer can check exactly that */
		tki_autofree char *sup = tki_support_text(c);
		cell(f, sup);
		fputs(" | ", f);
		cell(f, c->statement);
		fputs(" |\n", f);
	}

	bool header = false;
	for (size_t i = 0; i < p->n_claims; i++) {
		const struct tki_claim *c = &p->claims[i];
		if (c->cls == TKI_CLASS_ADEQUATE)
			continue;
		if (!header) {
			fputs("\n## What is wrong and how to fix it\n", f);
			header = true;
		}
		const struct tki_class_rule *r = tki_class_rule(c->cls);
		fputs("\n### ", f);
		cell(f, c->id);
		fprintf(f, ": %s (claimed %s)\n\n", tki_class_name(c->cls), tki_status_name(c->status));
		/* our own wording, escaped all the same: the rendered text is
		 * then exactly the SARIF rule's text (tests/tools/report-check) */
		fputs("The class means: ", f);
		cell(f, r->summary);
		fputs(".\n\n", f);
		for (size_t k = 0; k < c->reasons.n; k++)
			bullet(f, c->reasons.v[k]);
		fputs("\nHow to fix: ", f);
		cell(f, r->fix);
		fputc('\n', f);
	}

	fputs("\n## Evidence\n\n| evidence | kind | path | state | sha256 (actual) |\n|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < p->n_evidence; i++) {
		const struct tki_evidence *ev = &p->evidence[i];
		fputs("| ", f);
		cell(f, ev->id);
		fprintf(f, " | %s | ", tki_kind_name(ev->kind));
		cell(f, ev->path);
		fprintf(f, " | %s | %s |\n",
			ev->state == TKI_EV_VERIFIED	    ? "verified"
			: ev->state == TKI_EV_MISSING	    ? "missing"
			: ev->state == TKI_EV_MISMATCH	    ? "digest differs"
			: ev->state == TKI_EV_BAD_PROVENANCE ? "invalid provenance"
			: ev->state == TKI_EV_BLOCKED	    ? "refused by the guard"
							    : "not checked",
			ev->actual_sha256[0] ? ev->actual_sha256 : "-");
	}
	for (size_t i = 0; i < p->n_evidence; i++)
		if (p->evidence[i].kind == TKI_KIND_ATTESTATION)
			attestation_md(f, &p->evidence[i]);

	if (p->warnings.n) {
		fputs("\n## Warnings\n\n", f);
		for (size_t i = 0; i < p->warnings.n; i++)
			bullet(f, p->warnings.v[i]);
	}
}

/* A code fence longer than any backtick run in the text: no error line
 * can close it early. */
static size_t fence_len(const struct tki_strlist *l)
{
	size_t best = 3;
	for (size_t i = 0; l && i < l->n; i++)
		for (const char *s = l->v[i]; *s;) {
			size_t run = strspn(s, "`");
			if (run >= best)
				best = run + 1;
			s += run ? run : 1;
		}
	return best;
}

static void fence(FILE *f, size_t n)
{
	while (n--)
		fputc('`', f);
	fputc('\n', f);
}

static void failure_md(FILE *f, const struct tki_report_in *in)
{
	/* Verbatim as on stderr (the TEXT escape), inside a fence: nothing in
	 * a code block is Markdown. */
	size_t fl = fence_len(in->errors);
	fputs("## Errors\n\n", f);
	fence(f, fl);
	for (size_t i = 0; in->errors && i < in->errors->n; i++) {
		tki_fput_text(f, in->errors->v[i]);
		fputc('\n', f);
	}
	fence(f, fl);
	fputs("\n## How to fix\n\n", f);
	if (in->verdict == TKI_VERDICT_REJECTED)
		fputs("The manifest packet.json is not a valid tki-packet/v1 manifest. Fix each error above at the "
		      "line, column or JSON path it names (docs/packet-format.md has the format), then run the "
		      "inspection again.\n",
		      f);
	else
		fputs("The run was stopped fail-closed: the I/O guard or a sandbox invariant refused it. Remove "
		      "the symlink, special file or escaping path named above from the packet (or run inside the "
		      "hardened container), then run the inspection again.\n",
		      f);
}

static void render(FILE *f, const struct tki_report_in *in)
{
	tki_autofree char *scope = tki_report_scope(in);
	fputs("# ", f);
	cell(f, scope);
	fputs("\n\n", f);
	fprintf(f, "Verdict: %s (exit %d). It covers packet ", tki_verdict_name(in->verdict), in->exit_code);
	cell(f, in->packet_id && *in->packet_id ? in->packet_id : "(id unknown)");
	fputs(" as inspected at run date ", f);
	cell(f, in->run_date);
	fputs(", and nothing beyond it.", f);
	if (in->p)
		fputs(" A claim is adequate when its evidence shows the status it claims; adequate does not "
		      "mean passed.",
		      f);
	fputs("\n\n", f);
	if (in->p)
		inspected_md(f, in);
	else
		failure_md(f, in);
}

char *tki_report_render_md(const struct tki_report_in *in, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
	render(f, in);
	if (fclose(f) != 0 || !buf)
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
	*len = n;
	return buf;
}

static ssize_t to_sink(void *cookie, const char *buf, size_t size)
{
	const struct tki_sink *s = cookie;
	s->fn(s->ctx, buf, size);
	return (ssize_t)size;
}

void tki_report_stream_md(const struct tki_report_in *in, const struct tki_sink *sink)
{
	FILE *f = fopencookie((void *)sink, "w", (cookie_io_functions_t){.write = to_sink});
	if (!f)
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
	render(f, in);
	if (fclose(f) != 0)
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
}
