// SPDX-License-Identifier: Apache-2.0
/* Wording shared by the three reports: verdict names, the scoped verdict
 * sentence, and per class its SARIF level and its fix. Pure. */
#include <stdio.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/report.h"

static const struct tki_class_rule rules[TKI_CLASS__COUNT] = {
	[TKI_CLASS_ADEQUATE] = {"none",
		"verified, machine-checked evidence supports the claimed status and nothing cited contradicts it",
		"Nothing to fix."},
	[TKI_CLASS_CONTRADICTED] = {"error",
		"a verified evidence item says the opposite of the claimed status",
		"Change the claimed status to what the evidence shows, or fix the cause and capture fresh "
		"evidence; do not weaken the assert to make it hold."},
	[TKI_CLASS_PROSE_ONLY] = {"warning",
		"PASS is claimed on prose alone",
		"Cite machine-checkable evidence: a command_output with its exit code, an artifact with "
		"asserts, or an attestation bundle."},
	[TKI_CLASS_UNCHECKED] = {"warning",
		"the evidence is verified but nothing machine-checkable in it supports the claimed status",
		"Add asserts (contains, not_contains, json_equals) stating what the artifact must show, or "
		"cite a command_output whose exit code shows the status."},
	[TKI_CLASS_UNVERIFIED] = {"error",
		"a cited evidence item is missing, altered, or of invalid provenance",
		"Put the exact artifact in the packet and regenerate its sha256; capture it on an accepted "
		"venue with a captured_at not after the run date; a command_output needs provenance.command "
		"and provenance.exit_code."},
	[TKI_CLASS_MISSING_EVIDENCE] = {"error",
		"the claim cites no evidence",
		"Cite at least one evidence item that shows the claimed status, or drop the claim."},
	[TKI_CLASS_TRIAGE_ONLY] = {"warning",
		"the category is outside the governed taxonomy: triage only, never green",
		"Use a governed category (sandbox.network, sandbox.filesystem, sandbox.env, sandbox.syscall, "
		"sandbox.capability, sandbox.attestation, build, test, provenance); otherwise the claim stays "
		"triage and the packet cannot exit 0."},
};

const struct tki_class_rule *tki_class_rule(enum tki_class c)
{
	return (unsigned)c < TKI_CLASS__COUNT ? &rules[c] : &rules[TKI_CLASS_UNVERIFIED];
}

char *tki_support_text(const struct tki_claim *c)
{
	json_t *recs = tki_support_json(c);
	char *out = NULL;
	size_t n = 0, i, k;
	FILE *f = open_memstream(&out, &n);
	if (!f)
		tki_die(TKI_EXIT_BLOCKED, "report: out of memory");
	json_t *r, *v;
	json_array_foreach(recs, i, r) {
		fprintf(f, "%s%s:", i ? "; " : "", json_string_value(json_object_get(r, "evidence")));
		bool first = true;
		json_array_foreach(json_object_get(r, "asserts"), k, v) {
			fprintf(f, "%s assert[%lld]", first ? "" : ",", (long long)json_integer_value(v));
			first = false;
		}
		json_array_foreach(json_object_get(r, "probes"), k, v) {
			fprintf(f, "%s %s", first ? "" : ",", json_string_value(v));
			first = false;
		}
		json_array_foreach(json_object_get(r, "p1_invariants"), k, v) {
			fprintf(f, "%s P1 %s", first ? "" : ",", json_string_value(v));
			first = false;
		}
	}
	json_decref(recs);
	if (fclose(f) != 0 || !out)
		tki_die(TKI_EXIT_BLOCKED, "report: out of memory");
	return out;
}

const char *tki_verdict_name(enum tki_verdict v)
{
	switch (v) {
	case TKI_VERDICT_ADEQUATE: return "ADEQUATE";
	case TKI_VERDICT_INADEQUATE: return "INADEQUATE";
	case TKI_VERDICT_REJECTED: return "REJECTED";
	case TKI_VERDICT_BLOCKED: return "BLOCKED";
	}
	return "BLOCKED";
}

static const enum tki_status status_order[] = {TKI_ST_PASS, TKI_ST_FAIL, TKI_ST_PARTIAL, TKI_ST_BLOCKED};

char *tki_report_scope(const struct tki_report_in *in)
{
	const char *id = in->packet_id && *in->packet_id ? in->packet_id : "(id unknown)";
	tki_autofree char *digest = in->manifest_sha256 && *in->manifest_sha256
					   ? tki_xasprintf("manifest sha256 %s", in->manifest_sha256)
					   : tki_xstrdup("manifest sha256 not computed: its bytes were not read whole");
	if (!in->p) {
		size_t n = in->errors ? in->errors->n : 0;
		return tki_xasprintf("packet %s (%s) was %s at run date %s: no claim was inspected (%zu error%s)", id,
				     digest, tki_verdict_name(in->verdict), in->run_date, n, n == 1 ? "" : "s");
	}
	const struct tki_packet *p = in->p;
	size_t adequate = 0, by_status[4] = {0};
	for (size_t i = 0; i < p->n_claims; i++)
		if (p->claims[i].cls == TKI_CLASS_ADEQUATE) {
			adequate++;
			by_status[p->claims[i].status]++;
		}
	char statuses[160] = "";
	size_t off = 0;
	for (size_t i = 0; i < TKI_ARRAY_LEN(status_order); i++) {
		size_t n = by_status[status_order[i]];
		if (!n)
			continue;
		off += (size_t)snprintf(statuses + off, sizeof(statuses) - off, "%s%zu %s", off ? ", " : ": ", n,
					tki_status_name(status_order[i]));
	}
	return tki_xasprintf("%zu of %zu claim%s adequately evidenced in packet %s (%s) at run date %s%s", adequate,
			     p->n_claims, p->n_claims == 1 ? "" : "s", id, digest, in->run_date, statuses);
}

/* Here, below the renderers and report.c, so that no renderer calls back
 * into the module that calls it. */
char *tki_report_dump(json_t *root, const char *what, size_t *len)
{
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		tki_die(TKI_EXIT_BLOCKED, "%s: cannot render (out of memory)", what);
	/* jansson escapes C0; the one escaper does DEL, C1 and the invisible
	 * characters (the values are unchanged, a terminal showing the file
	 * cannot be steered). */
	char *e = tki_escape(s, strlen(s), TKI_ESC_JSON);
	free(s);
	size_t n = strlen(e);
	e = tki_xrealloc(e, n + 2);
	e[n++] = '\n';
	e[n] = '\0';
	*len = n;
	return e;
}
