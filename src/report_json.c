// SPDX-License-Identifier: Apache-2.0
/* report.json (tki-report/v1). Objects are built in the documented key
 * order and dumped with JSON_PRESERVE_ORDER: no clock, no addresses, no
 * hash-table order: same packet and run date, same bytes. Pure. */
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
#include "report_out.h"
#include "tki/report.h"

/* Never drop a reason: bytes that are not UTF-8 (a truncated message)
 * are written as the one escaper shows them (\xNN) rather than a null. */
static json_t *str_or_null(const char *s)
{
	if (!s || !*s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	tki_autofree char *c = tki_escape_str(s, TKI_ESC_TEXT);
	j = json_string(c);
	return j ? j : json_null();
}

static json_t *strlist(const struct tki_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; l && i < l->n; i++)
		json_array_append_new(a, str_or_null(l->v[i]));
	return a;
}

static const char *state_name(enum tki_ev_state s)
{
	switch (s) {
	case TKI_EV_VERIFIED: return "VERIFIED";
	case TKI_EV_MISSING: return "MISSING";
	case TKI_EV_MISMATCH: return "MISMATCH";
	case TKI_EV_BAD_PROVENANCE: return "BAD_PROVENANCE";
	case TKI_EV_BLOCKED: return "BLOCKED";
	case TKI_EV_UNCHECKED: break;
	}
	return "UNCHECKED";
}

static const char *op_name(enum tki_assert_op op)
{
	return op == TKI_OP_CONTAINS ? "contains" : op == TKI_OP_NOT_CONTAINS ? "not_contains" : "json_equals";
}

static json_t *asserts_json(const struct tki_evidence *ev)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ev->n_asserts; i++) {
		const struct tki_assert *as = &ev->asserts[i];
		json_t *o = json_object();
		json_object_set_new(o, "op", json_string(op_name(as->op)));
		if (as->op == TKI_OP_JSON_EQUALS)
			json_object_set_new(o, "pointer", str_or_null(as->pointer));
		json_object_set_new(o, "result",
				    json_string(!as->evaluated ? "NOT_EVALUATED" : as->holds ? "HOLDS" : "FAILS"));
		json_object_set_new(o, "detail", str_or_null(as->detail));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *evidence_json(const struct tki_evidence *ev)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", str_or_null(ev->id));
	json_object_set_new(o, "kind", json_string(tki_kind_name(ev->kind)));
	json_object_set_new(o, "path", str_or_null(ev->path));
	json_object_set_new(o, "verified", json_boolean(ev->state == TKI_EV_VERIFIED));
	json_object_set_new(o, "state", json_string(state_name(ev->state)));
	json_object_set_new(o, "sha256_expected", str_or_null(ev->sha256));
	json_object_set_new(o, "sha256_actual", str_or_null(ev->actual_sha256));
	json_object_set_new(o, "size", ev->actual_sha256[0] ? json_integer((json_int_t)ev->size) : json_null());
	json_object_set_new(o, "asserts", asserts_json(ev));
	json_object_set_new(o, "reasons", strlist(&ev->reasons));
	if (ev->kind == TKI_KIND_ATTESTATION) {
		json_t *att = ev->attestation;
		json_object_set_new(o, "b4_prime", json_string(ev->b4_prime ? ev->b4_prime : "NOT_ATTESTED"));
		json_object_set_new(o, "attested_venue", str_or_null(json_string_value(json_object_get(att, "venue"))));
		json_object_set_new(o, "attested_image_digest",
				    str_or_null(json_string_value(json_object_get(att, "image_digest"))));
		/* The signature layer (src/attest_statement.c): who signed, and why it does not count. */
		static const char *const sig_keys[] = {"signature", "signed_by", "in_toto_statement", "signature_why"};
		for (size_t k = 0; k < TKI_ARRAY_LEN(sig_keys); k++) {
			json_t *sv = json_object_get(att, sig_keys[k]);
			json_object_set_new(o, sig_keys[k], sv ? json_deep_copy(sv) : json_null());
		}
		json_t *probes = json_object_get(att, "probes");
		json_object_set_new(o, "probes", probes ? json_deep_copy(probes) : json_array());
		json_t *inv = json_object_get(att, "p1_invariants");
		json_object_set_new(o, "p1_invariants", inv ? json_deep_copy(inv) : json_array());
	}
	return o;
}

static json_t *claim_json(const struct tki_claim *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", str_or_null(c->id));
	json_object_set_new(o, "category", str_or_null(c->category));
	json_object_set_new(o, "status", json_string(tki_status_name(c->status)));
	json_object_set_new(o, "class", json_string(tki_class_name(c->cls)));
	json_object_set_new(o, "reasons", strlist(&c->reasons));
	json_object_set_new(o, "supported_by", tki_support_json(c));
	return o;
}

static json_t *claim_at(const void *items, size_t i)
{
	return claim_json(&((const struct tki_claim *)items)[i]);
}
static json_t *evidence_at(const void *items, size_t i)
{
	return evidence_json(&((const struct tki_evidence *)items)[i]);
}

/* Written a value at a time (report_out.h): a 200,000-claim report never
 * exists as one jansson tree (that tree alone cost ~1 s and 270 MB at the
 * caps), nor, with a sink, as one text. */
static char *render(const struct tki_report_in *in, const struct tki_sink *sink, size_t *len)
{
	const struct tki_packet *p = in->p;
	struct tki_jout o = {.sink = sink, .what = "report.json"};
	tki_jout_put(&o, "{", 1);
	tki_jout_key(&o, "schema", true, 1);
	tki_jout_value(&o, json_string("tki-report/v1"), 1);
	tki_jout_key(&o, "packet_id", false, 1);
	tki_jout_value(&o, str_or_null(in->packet_id), 1);
	tki_jout_key(&o, "manifest_sha256", false, 1);
	tki_jout_value(&o, str_or_null(in->manifest_sha256), 1);
	tki_jout_key(&o, "run_date", false, 1);
	tki_jout_value(&o, str_or_null(in->run_date), 1);
	tki_jout_key(&o, "verdict", false, 1);
	tki_jout_value(&o, json_string(tki_verdict_name(in->verdict)), 1);
	tki_jout_key(&o, "exit_code", false, 1);
	tki_jout_value(&o, json_integer(in->exit_code), 1);
	tki_autofree char *scope = tki_report_scope(in);
	tki_jout_key(&o, "scope", false, 1);
	tki_jout_value(&o, str_or_null(scope), 1);

	size_t counts[TKI_CLASS__COUNT] = {0};
	for (size_t i = 0; p && i < p->n_claims; i++)
		counts[p->claims[i].cls < TKI_CLASS__COUNT ? p->claims[i].cls : TKI_CLASS_UNVERIFIED]++;
	json_t *cj = json_object();
	for (int c = 0; c < TKI_CLASS__COUNT; c++)
		json_object_set_new(cj, tki_class_name((enum tki_class)c), json_integer((json_int_t)counts[c]));
	tki_jout_key(&o, "counts", false, 1);
	tki_jout_value(&o, cj, 1);

	tki_jout_key(&o, "claims", false, 1);
	tki_jout_array(&o, p ? p->claims : NULL, p ? p->n_claims : 0, claim_at, 1);
	tki_jout_key(&o, "evidence", false, 1);
	tki_jout_array(&o, p ? p->evidence : NULL, p ? p->n_evidence : 0, evidence_at, 1);
	tki_jout_key(&o, "errors", false, 1);
	tki_jout_value(&o, strlist(in->errors), 1);
	tki_jout_key(&o, "warnings", false, 1);
	tki_jout_value(&o, strlist(p ? &p->warnings : NULL), 1);
	tki_jout_close(&o, 0, '}');
	return tki_jout_end(&o, len);
}

void tki_report_stream_json(const struct tki_report_in *in, const struct tki_sink *sink)
{
	size_t len;
	render(in, sink, &len);
}

char *tki_report_render_json(const struct tki_report_in *in, size_t *len)
{
	return render(in, NULL, len);
}
