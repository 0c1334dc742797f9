// SPDX-License-Identifier: Apache-2.0
/* report.sarif: SARIF 2.1.0 for code-scanning UIs. One rule per class
 * (plus REJECTED and BLOCKED), one result per inadequate claim and per
 * evidence item that is not verified; locations are packet-relative URIs
 * under the uriBaseId PACKETROOT. Pure and deterministic. */
#include <stdio.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "tki/report.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* The project's home: driver.informationUri, and each rule's helpUri is
 * docs/reports.md under it. A distributor may point it elsewhere. */
#ifndef TKI_INFORMATION_URI
#define TKI_INFORMATION_URI "https://github.com/tki-inspector/tki-inspector"
#endif
#define TKI_RULES_HELP_URI TKI_INFORMATION_URI "/blob/main/docs/reports.md#reportsarif-sarif-210"

/* Rule ids in driver.rules order: the seven classes, then the failures. */
enum { RULE_REJECTED = TKI_CLASS__COUNT, RULE_BLOCKED, RULE__COUNT };

static json_t *text(const char *s)
{
	json_t *o = json_object();
	json_t *j = json_string(s ? s : "");
	json_object_set_new(o, "text", j ? j : json_string("(not UTF-8)"));
	return o;
}

/* A message made of untrusted text: the one escaper's SARIF form (no
 * control, no embedded link). */
static json_t *message(const char *s)
{
	tki_autofree char *e = tki_escape_str(s, TKI_ESC_SARIF);
	return text(e);
}

/* The friendly name SARIF and GHAzDO want: PascalCase, not the id. */
static const char *const friendly[RULE__COUNT] = {
	[TKI_CLASS_ADEQUATE] = "ClaimAdequatelyEvidenced",
	[TKI_CLASS_CONTRADICTED] = "ClaimContradictedByEvidence",
	[TKI_CLASS_PROSE_ONLY] = "ClaimBackedByProseOnly",
	[TKI_CLASS_UNCHECKED] = "EvidenceNotMachineChecked",
	[TKI_CLASS_UNVERIFIED] = "EvidenceNotVerified",
	[TKI_CLASS_MISSING_EVIDENCE] = "ClaimWithoutEvidence",
	[TKI_CLASS_TRIAGE_ONLY] = "CategoryOutsideGovernance",
	[RULE_REJECTED] = "PacketRejected",
	[RULE_BLOCKED] = "RunBlocked",
};

static json_t *rule_json(int id)
{
	const char *name, *summary, *fix, *level;
	if (id < TKI_CLASS__COUNT) {
		const struct tki_class_rule *r = tki_class_rule((enum tki_class)id);
		name = tki_class_name((enum tki_class)id);
		summary = r->summary;
		fix = r->fix;
		level = r->level;
	} else if (id == RULE_REJECTED) {
		name = "REJECTED";
		summary = "the packet manifest is not a valid tki-packet/v1 manifest";
		fix = "Fix the manifest at the line, column or JSON path named; see docs/packet-format.md.";
		level = "error";
	} else {
		name = "BLOCKED";
		summary = "the I/O guard or a sandbox invariant stopped the run (fail closed)";
		fix = "Remove the symlink, special file or escaping path named, or run inside the hardened "
		      "container or with --self-sandbox.";
		level = "error";
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(name));
	json_object_set_new(o, "name", json_string(friendly[id]));
	json_object_set_new(o, "shortDescription", text(summary));
	json_object_set_new(o, "fullDescription", text(summary));
	json_object_set_new(o, "helpUri", json_string(TKI_RULES_HELP_URI));
	json_object_set_new(o, "help", text(fix));
	json_t *cfg = json_object();
	json_object_set_new(cfg, "level", json_string(level));
	json_object_set_new(o, "defaultConfiguration", cfg);
	return o;
}

/* RFC 3986: keep unreserved characters and '/', percent-encode the rest. */
static char *uri_encode(const char *path)
{
	static const char hx[] = "0123456789ABCDEF";
	char *out = tki_xmalloc(3 * strlen(path) + 1), *o = out;
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("-._~/", *s)) {
			*o++ = (char)*s;
		} else {
			*o++ = '%';
			*o++ = hx[*s >> 4];
			*o++ = hx[*s & 15];
		}
	}
	*o = '\0';
	return out;
}

static json_t *location(const char *path, long line, long col)
{
	tki_autofree char *uri = uri_encode(path);
	json_t *al = json_object();
	json_object_set_new(al, "uri", json_string(uri));
	json_object_set_new(al, "uriBaseId", json_string("PACKETROOT"));
	json_t *phys = json_object();
	json_object_set_new(phys, "artifactLocation", al);
	/* A finding about an artifact as a whole points at its start (line
	 * 1): code-scanning UIs need a line. The reader's line and column
	 * where it knows them (syntax errors). */
	json_t *region = json_object();
	json_object_set_new(region, "startLine", json_integer(line > 0 ? line : 1));
	if (line > 0 && col > 0)
		json_object_set_new(region, "startColumn", json_integer(col));
	json_object_set_new(phys, "region", region);
	json_t *loc = json_object();
	json_object_set_new(loc, "physicalLocation", phys);
	json_t *a = json_array();
	json_array_append_new(a, loc);
	return a;
}

static json_t *result(int rule, const char *level, const char *msg, json_t *locations, json_t *props)
{
	json_t *o = json_object();
	json_object_set_new(o, "ruleId", json_string(rule < TKI_CLASS__COUNT ? tki_class_name((enum tki_class)rule)
								      : rule == RULE_REJECTED ? "REJECTED"
												: "BLOCKED"));
	json_object_set_new(o, "ruleIndex", json_integer(rule));
	json_object_set_new(o, "kind", json_string("fail"));
	json_object_set_new(o, "level", json_string(level));
	json_object_set_new(o, "message", message(msg));
	json_object_set_new(o, "locations", locations);
	if (props)
		json_object_set_new(o, "properties", props);
	return o;
}

/* The artifact a claim's deciding reason names, else its first citation. */
static const char *claim_path(const struct tki_packet *p, const struct tki_claim *c)
{
	if (c->cls == TKI_CLASS_TRIAGE_ONLY || c->cls == TKI_CLASS_MISSING_EVIDENCE || !c->n_cites)
		return "packet.json";
	const char *first = c->reasons.n ? c->reasons.v[0] : "";
	for (size_t k = 0; k < c->n_cites; k++) {
		const struct tki_evidence *ev = &p->evidence[c->cites[k]];
		size_t n = strlen(ev->id);
		if (!strncmp(first, "evidence ", 9) && !strncmp(first + 9, ev->id, n) &&
		    (first[9 + n] == ' ' || first[9 + n] == ':'))
			return ev->path;
	}
	return p->evidence[c->cites[0]].path;
}

static char *joined(const struct tki_strlist *l, const char *head)
{
	size_t n = strlen(head) + 1;
	for (size_t i = 0; i < l->n; i++)
		n += strlen(l->v[i]) + 2;
	char *s = tki_xmalloc(n);
	strcpy(s, head);
	for (size_t i = 0; i < l->n; i++) {
		strcat(s, i ? "; " : " ");
		strcat(s, l->v[i]);
	}
	return s;
}

static void inspected_results(const struct tki_packet *p, json_t *results)
{
	for (size_t i = 0; i < p->n_claims; i++) {
		const struct tki_claim *c = &p->claims[i];
		if (c->cls == TKI_CLASS_ADEQUATE)
			continue;
		tki_autofree char *head = tki_xasprintf("Claim %s (claimed %s, category %s) is %s:", c->id,
						       tki_status_name(c->status), c->category,
						       tki_class_name(c->cls));
		tki_autofree char *msg = joined(&c->reasons, head);
		json_t *props = json_object();
		json_object_set_new(props, "claim", json_string(c->id));
		json_object_set_new(props, "claimed_status", json_string(tki_status_name(c->status)));
		json_array_append_new(results, result((int)c->cls, tki_class_rule(c->cls)->level, msg,
						      location(claim_path(p, c), 0, 0), props));
	}
	for (size_t i = 0; i < p->n_evidence; i++) {
		const struct tki_evidence *ev = &p->evidence[i];
		if (ev->state == TKI_EV_VERIFIED)
			continue;
		tki_autofree char *head = tki_xasprintf("Evidence %s is not verified:", ev->id);
		tki_autofree char *msg = joined(&ev->reasons, head);
		json_t *props = json_object();
		json_object_set_new(props, "evidence", json_string(ev->id));
		json_array_append_new(results, result(TKI_CLASS_UNVERIFIED, "error", msg, location(ev->path, 0, 0), props));
	}
}

static void failure_results(const struct tki_report_in *in, json_t *results)
{
	int rule = in->verdict == TKI_VERDICT_REJECTED ? RULE_REJECTED : RULE_BLOCKED;
	for (size_t i = 0; in->errors && i < in->errors->n; i++) {
		const char *e = in->errors->v[i];
		long line = 0, col = 0;
		int used = 0;
		/* GCC-style "packet.json:LINE:COLUMN: ..." becomes a region, or
		 * where the reader located the error's JSON path. */
		if (sscanf(e, "packet.json:%ld:%ld:%n", &line, &col, &used) != 2 || used == 0)
			line = col = 0;
		if (!line && in->err_line && i <= TKI_MAX_ERRORS && in->err_line[i]) {
			line = in->err_line[i];
			col = in->err_col[i];
		}
		json_array_append_new(results, result(rule, "error", e, location("packet.json", line, col), NULL));
	}
}

char *tki_report_render_sarif(const struct tki_report_in *in, size_t *len)
{
	json_t *rules = json_array();
	for (int i = 0; i < RULE__COUNT; i++)
		json_array_append_new(rules, rule_json(i));
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("tki-inspector"));
	json_object_set_new(driver, "fullName", json_string("tki-inspector " TKI_VERSION " (evidence packet inspector)"));
	json_object_set_new(driver, "version", json_string(TKI_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(TKI_VERSION));
	json_object_set_new(driver, "informationUri", json_string(TKI_INFORMATION_URI));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);

	json_t *base = json_object();
	json_object_set_new(base, "description", text("the root of the inspected packet directory"));
	json_t *bases = json_object();
	json_object_set_new(bases, "PACKETROOT", base);

	json_t *results = json_array();
	if (in->p)
		inspected_results(in->p, results);
	else
		failure_results(in, results);

	tki_autofree char *scope = tki_report_scope(in);
	json_t *props = json_object();
	json_object_set_new(props, "packet_id", in->packet_id && *in->packet_id ? json_string(in->packet_id) : json_null());
	json_object_set_new(props, "manifest_sha256",
			    in->manifest_sha256 && *in->manifest_sha256 ? json_string(in->manifest_sha256) : json_null());
	json_object_set_new(props, "run_date", json_string(in->run_date));
	json_object_set_new(props, "verdict", json_string(tki_verdict_name(in->verdict)));
	json_object_set_new(props, "exit_code", json_integer(in->exit_code));
	json_t *sj = json_string(scope);
	json_object_set_new(props, "scope", sj ? sj : json_null());
	/* ADEQUATE claims are no finding (no result), but what carried each
	 * is said here, as report.json's supported_by */
	json_t *adequate = json_array();
	for (size_t i = 0; in->p && i < in->p->n_claims; i++) {
		const struct tki_claim *c = &in->p->claims[i];
		if (c->cls != TKI_CLASS_ADEQUATE)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "claim", json_string(c->id));
		json_object_set_new(o, "supported_by", tki_support_json(c));
		json_array_append_new(adequate, o);
	}
	json_object_set_new(props, "adequate", adequate);

	/* One stable category: a new report replaces the last one in a
	 * code-scanning UI instead of piling up (no run id: no clock). */
	json_t *auto_d = json_object();
	json_object_set_new(auto_d, "id", json_string("tki-inspector/"));
	json_object_set_new(auto_d, "description", text("tki-inspector verdict on one evidence packet"));

	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "automationDetails", auto_d);
	json_object_set_new(run, "originalUriBaseIds", bases);
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "properties", props);
	json_t *runs = json_array();
	json_array_append_new(runs, run);

	json_t *root = json_object();
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(root, "runs", runs);
	return tki_report_dump(root, "report.sarif", len);
}
