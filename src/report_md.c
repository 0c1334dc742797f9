// SPDX-License-Identifier: Apache-2.0
/* report.md: the same facts for a person. The scoped verdict comes first,
 * then the claims table, then for each inadequate claim what is wrong and
 * how to fix it. It never upgrades a status and never speaks about anything
 * beyond this packet. Pure. */
#include <stdio.h>
#include <string.h>

#include "tki/common.h"
#include "tki/report.h"

/* One table cell: no pipe, no newline, no raw HTML, no control byte (a
 * terminal showing the file would obey an ESC sequence): \xNN. */
static void cell(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputs("-", f);
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '|': fputs("\\|", f); break;
		case '\n': case '\r': case '\t': fputc(' ', f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				fprintf(f, "\\x%02x", (unsigned char)*s);
			else
				fputc(*s, f);
		}
	}
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
	fprintf(f, "\n### Attestation %s (`", ev->id);
	cell(f, ev->path);
	fputs("`)\n\n", f);
	fprintf(f, "B4': %s for venue \"", ev->b4_prime ? ev->b4_prime : "NOT_ATTESTED");
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

	fputs("\n## Claims\n\n| claim | category | claimed status | class | statement (as the packet words it) |\n"
	      "|---|---|---|---|---|\n",
	      f);
	for (size_t i = 0; i < p->n_claims; i++) {
		const struct tki_claim *c = &p->claims[i];
		fputs("| ", f);
		cell(f, c->id);
		fputs(" | ", f);
		cell(f, c->category);
		fprintf(f, " | %s | %s | ", tki_status_name(c->status), tki_class_name(c->cls));
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
		fprintf(f, "%s%s.\n\n", "The class means: ", r->summary);
		for (size_t k = 0; k < c->reasons.n; k++)
			bullet(f, c->reasons.v[k]);
		fprintf(f, "\nHow to fix: %s\n", r->fix);
	}

	fputs("\n## Evidence\n\n| evidence | kind | path | state | sha256 (actual) |\n|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < p->n_evidence; i++) {
		const struct tki_evidence *ev = &p->evidence[i];
		fputs("| ", f);
		cell(f, ev->id);
		fprintf(f, " | %s | `", tki_kind_name(ev->kind));
		cell(f, ev->path);
		fprintf(f, "` | %s | %s |\n",
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

static void failure_md(FILE *f, const struct tki_report_in *in)
{
	fputs("## Errors\n\n```\n", f);
	for (size_t i = 0; in->errors && i < in->errors->n; i++)
		fprintf(f, "%s\n", in->errors->v[i]);
	fputs("```\n\n## How to fix\n\n", f);
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

char *tki_report_render_md(const struct tki_report_in *in, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
	tki_autofree char *scope = tki_report_scope(in);
	fputs("# ", f);
	cell(f, scope);
	fputs("\n\n", f);
	fprintf(f, "Verdict: %s (exit %d). It covers packet ", tki_verdict_name(in->verdict), in->exit_code);
	cell(f, in->packet_id && *in->packet_id ? in->packet_id : "(id unknown)");
	fprintf(f, " as inspected at run date %s, and nothing beyond it.", in->run_date);
	if (in->p)
		fputs(" A claim is adequate when its evidence shows the status it claims; adequate does not "
		      "mean passed.",
		      f);
	fputs("\n\n", f);
	if (in->p)
		inspected_md(f, in);
	else
		failure_md(f, in);
	if (fclose(f) != 0 || !buf)
		tki_die(TKI_EXIT_BLOCKED, "report.md: cannot render (out of memory)");
	*len = n;
	return buf;
}
