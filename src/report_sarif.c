// SPDX-License-Identifier: Apache-2.0
/* report.sarif: SARIF 2.1.0 for code-scanning UIs. One rule per class
 * (plus REJECTED and BLOCKED), one result per inadequate claim and per
 * evidence item that is not verified; locations are packet-relative URIs
 * under the uriBaseId PACKETROOT. Pure and deterministic. */
#include <stdio.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "report_out.h"
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

json_t *tki_sarif_text(const char *s)
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
	return tki_sarif_text(e);
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

struct rule {
	const char *name, *summary, *fix, *level;
};

static struct rule rule_of(int id)
{
	if (id < TKI_CLASS__COUNT) {
		const struct tki_class_rule *r = tki_class_rule((enum tki_class)id);
		return (struct rule){tki_class_name((enum tki_class)id), r->summary, r->fix, r->level};
	}
	if (id == RULE_REJECTED)
		return (struct rule){"REJECTED", "the packet manifest is not a valid tki-packet/v1 manifest",
				     "Fix the manifest at the line, column or JSON path named; see docs/packet-format.md.",
				     "error"};
	return (struct rule){"BLOCKED", "the I/O guard or a sandbox invariant stopped the run (fail closed)",
			     "Remove the symlink, special file or escaping path named, or run inside the hardened "
			     "container or with --self-sandbox.",
			     "error"};
}

/* The tool object is the same in every report.sarif: written straight
 * through the one escaper (its texts are ours, valid UTF-8), not built as
 * a jansson tree and dumped: the bytes are the same, in a fifth of the
 * time (the tree was half of a small report's rendering). */
static void put_str(struct tki_jout *o, const char *key, const char *v, bool *first, int depth)
{
	tki_jout_member(o, key, first, depth);
	tki_jout_string(o, v);
}

/* "key": {"text": v}, a member of the object at depth. */
static void put_text(struct tki_jout *o, const char *key, const char *v, bool *first, int depth)
{
	bool f = true;
	tki_jout_member(o, key, first, depth);
	tki_jout_put(o, "{", 1);
	put_str(o, "text", v, &f, depth + 1);
	tki_jout_done(o, f, depth + 1, '}');
}

/* The driver's own members, in order (summary.sarif's tool too). */
static const char *const driver[][2] = {
	{"name", "tki-inspector"},
	{"fullName", "tki-inspector " TKI_VERSION " (evidence packet inspector)"},
	{"version", TKI_VERSION},
	{"semanticVersion", TKI_VERSION},
	{"informationUri", TKI_INFORMATION_URI},
};

/* The tool object as a value at depth. */
static void put_tool(struct tki_jout *o, int depth)
{
	bool tool = true, drv = true, rules = true;
	tki_jout_put(o, "{", 1);
	tki_jout_member(o, "driver", &tool, depth);
	tki_jout_put(o, "{", 1);
	for (size_t i = 0; i < TKI_ARRAY_LEN(driver); i++)
		put_str(o, driver[i][0], driver[i][1], &drv, depth + 1);
	tki_jout_member(o, "rules", &drv, depth + 1);
	tki_jout_put(o, "[", 1);
	for (int id = 0; id < RULE__COUNT; id++) {
		struct rule r = rule_of(id);
		int d = depth + 3; /* the rule object's */
		bool m = true, cfg = true;
		tki_jout_elem(o, &rules, d - 1);
		tki_jout_put(o, "{", 1);
		put_str(o, "id", r.name, &m, d);
		put_str(o, "name", friendly[id], &m, d);
		put_text(o, "shortDescription", r.summary, &m, d);
		put_text(o, "fullDescription", r.summary, &m, d);
		put_str(o, "helpUri", TKI_RULES_HELP_URI, &m, d);
		put_text(o, "help", r.fix, &m, d);
		tki_jout_member(o, "defaultConfiguration", &m, d);
		tki_jout_put(o, "{", 1);
		put_str(o, "level", r.level, &cfg, d + 1);
		tki_jout_done(o, cfg, d + 1, '}');
		tki_jout_done(o, m, d, '}');
	}
	tki_jout_done(o, rules, depth + 2, ']');
	tki_jout_done(o, drv, depth + 1, '}');
	tki_jout_done(o, tool, depth, '}');
}

static json_t *location(const char *path, long line, long col)
{
	tki_autofree char *uri = tki_uri_encode(path);
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

/* Result i of an inspected packet: claims first, then evidence items;
 * NULL for an ADEQUATE claim or a verified item (no finding). */
static json_t *inspected_result(const void *ctx, size_t i)
{
	const struct tki_packet *p = ((const struct tki_report_in *)ctx)->p;
	if (i < p->n_claims) {
		const struct tki_claim *c = &p->claims[i];
		if (c->cls == TKI_CLASS_ADEQUATE)
			return NULL;
		tki_autofree char *head = tki_xasprintf("Claim %s (claimed %s, category %s) is %s:", c->id,
						       tki_status_name(c->status), c->category,
						       tki_class_name(c->cls));
		tki_autofree char *msg = joined(&c->reasons, head);
		json_t *props = json_object();
		json_object_set_new(props, "claim", json_string(c->id));
		json_object_set_new(props, "claimed_status", json_string(tki_status_name(c->status)));
		return result((int)c->cls, tki_class_rule(c->cls)->level, msg, location(claim_path(p, c), 0, 0), props);
	}
	const struct tki_evidence *ev = &p->evidence[i - p->n_claims];
	if (ev->state == TKI_EV_VERIFIED)
		return NULL;
	tki_autofree char *head = tki_xasprintf("Evidence %s is not verified:", ev->id);
	tki_autofree char *msg = joined(&ev->reasons, head);
	json_t *props = json_object();
	json_object_set_new(props, "evidence", json_string(ev->id));
	return result(TKI_CLASS_UNVERIFIED, "error", msg, location(ev->path, 0, 0), props);
}

static json_t *failure_result(const void *ctx, size_t i)
{
	const struct tki_report_in *in = ctx;
	int rule = in->verdict == TKI_VERDICT_REJECTED ? RULE_REJECTED : RULE_BLOCKED;
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
	return result(rule, "error", e, location("packet.json", line, col), NULL);
}

/* ADEQUATE claims are no finding (no result), but what carried each is
 * said in the run's properties, as report.json's supported_by. */
static json_t *adequate_claim(const void *ctx, size_t i)
{
	const struct tki_claim *c = &((const struct tki_packet *)ctx)->claims[i];
	if (c->cls != TKI_CLASS_ADEQUATE)
		return NULL;
	json_t *o = json_object();
	json_object_set_new(o, "claim", json_string(c->id));
	json_object_set_new(o, "supported_by", tki_support_json(c));
	return o;
}

json_t *tki_sarif_tool(json_t *rules)
{
	json_t *d = json_object();
	for (size_t i = 0; i < TKI_ARRAY_LEN(driver); i++)
		json_object_set_new(d, driver[i][0], json_string(driver[i][1]));
	json_object_set_new(d, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", d);
	return tool;
}

/* A member of the run's properties (depth 4); jansson's set_new drops a
 * NULL value (a string that is not UTF-8), and so does this. */
static void prop(struct tki_jout *o, const char *key, json_t *v, bool *first)
{
	if (!v)
		return;
	tki_jout_key(o, key, *first, 4);
	tki_jout_value(o, v, 4);
	*first = false;
}

/* Written a value at a time (report_out.h): the results of a 250,000-claim
 * packet never exist as one tree nor, with a sink, as one text. The bytes
 * are those of the whole object dumped by tki_report_dump. */
static char *render(const struct tki_report_in *in, const struct tki_sink *sink, size_t *len)
{
	struct tki_jout o = {.sink = sink, .what = "report.sarif"};
	tki_jout_put(&o, "{", 1);
	tki_jout_key(&o, "$schema", true, 1);
	tki_jout_value(&o, json_string(SARIF_SCHEMA), 1);
	tki_jout_key(&o, "version", false, 1);
	tki_jout_value(&o, json_string("2.1.0"), 1);
	tki_jout_key(&o, "runs", false, 1);
	tki_jout_put(&o, "[\n    {", 7);

	tki_jout_key(&o, "tool", true, 3);
	put_tool(&o, 3);
	/* One stable category: a new report replaces the last one in a
	 * code-scanning UI instead of piling up (no run id: no clock). */
	json_t *auto_d = json_object();
	json_object_set_new(auto_d, "id", json_string("tki-inspector/"));
	json_object_set_new(auto_d, "description", tki_sarif_text("tki-inspector verdict on one evidence packet"));
	tki_jout_key(&o, "automationDetails", false, 3);
	tki_jout_value(&o, auto_d, 3);
	json_t *base = json_object();
	json_object_set_new(base, "description", tki_sarif_text("the root of the inspected packet directory"));
	json_t *bases = json_object();
	json_object_set_new(bases, "PACKETROOT", base);
	tki_jout_key(&o, "originalUriBaseIds", false, 3);
	tki_jout_value(&o, bases, 3);

	tki_jout_key(&o, "results", false, 3);
	if (in->p)
		tki_jout_array(&o, in, in->p->n_claims + in->p->n_evidence, inspected_result, 3);
	else
		tki_jout_array(&o, in, in->errors ? in->errors->n : 0, failure_result, 3);

	tki_autofree char *scope = tki_report_scope(in);
	bool first = true;
	tki_jout_key(&o, "properties", false, 3);
	tki_jout_put(&o, "{", 1);
	prop(&o, "packet_id", in->packet_id && *in->packet_id ? json_string(in->packet_id) : json_null(), &first);
	prop(&o, "manifest_sha256",
	     in->manifest_sha256 && *in->manifest_sha256 ? json_string(in->manifest_sha256) : json_null(), &first);
	prop(&o, "run_date", json_string(in->run_date), &first);
	prop(&o, "verdict", json_string(tki_verdict_name(in->verdict)), &first);
	prop(&o, "exit_code", json_integer(in->exit_code), &first);
	json_t *sj = json_string(scope);
	prop(&o, "scope", sj ? sj : json_null(), &first);
	tki_jout_key(&o, "adequate", first, 4);
	tki_jout_array(&o, in->p, in->p ? in->p->n_claims : 0, adequate_claim, 4);
	tki_jout_close(&o, 3, '}');

	tki_jout_close(&o, 2, '}');
	tki_jout_close(&o, 1, ']');
	tki_jout_close(&o, 0, '}');
	return tki_jout_end(&o, len);
}

void tki_report_stream_sarif(const struct tki_report_in *in, const struct tki_sink *sink)
{
	size_t len;
	render(in, sink, &len);
}

char *tki_report_render_sarif(const struct tki_report_in *in, size_t *len)
{
	return render(in, NULL, len);
}
