/* report.json (tki-report/v1). Objects are built in the documented key
 * order and dumped with JSON_PRESERVE_ORDER: no clock, no addresses, no
 * hash-table order: same packet and run date, same bytes. Pure. */
#include <string.h>

#include "tki/common.h"
#include "tki/report.h"

/* Never drop a reason: bytes that are not UTF-8 (a truncated message)
 * become '?' rather than a null. */
static json_t *str_or_null(const char *s)
{
	if (!s || !*s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	tki_autofree char *c = tki_xstrdup(s);
	for (char *q = c; *q; q++)
		if ((unsigned char)*q >= 0x80)
			*q = '?';
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
		json_t *probes = json_object_get(att, "probes");
		json_object_set_new(o, "probes", probes ? json_deep_copy(probes) : json_array());
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
	return o;
}

char *tki_report_render_json(const struct tki_report_in *in, size_t *len)
{
	const struct tki_packet *p = in->p;
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string("tki-report/v1"));
	json_object_set_new(root, "packet_id", str_or_null(in->packet_id));
	json_object_set_new(root, "manifest_sha256", str_or_null(in->manifest_sha256));
	json_object_set_new(root, "run_date", str_or_null(in->run_date));
	json_object_set_new(root, "verdict", json_string(tki_verdict_name(in->verdict)));
	json_object_set_new(root, "exit_code", json_integer(in->exit_code));
	tki_autofree char *scope = tki_report_scope(in);
	json_object_set_new(root, "scope", str_or_null(scope));

	size_t counts[TKI_CLASS__COUNT] = {0};
	for (size_t i = 0; p && i < p->n_claims; i++)
		counts[p->claims[i].cls < TKI_CLASS__COUNT ? p->claims[i].cls : TKI_CLASS_UNVERIFIED]++;
	json_t *cj = json_object();
	for (int c = 0; c < TKI_CLASS__COUNT; c++)
		json_object_set_new(cj, tki_class_name((enum tki_class)c), json_integer((json_int_t)counts[c]));
	json_object_set_new(root, "counts", cj);

	json_t *claims = json_array(), *evidence = json_array();
	for (size_t i = 0; p && i < p->n_claims; i++)
		json_array_append_new(claims, claim_json(&p->claims[i]));
	for (size_t i = 0; p && i < p->n_evidence; i++)
		json_array_append_new(evidence, evidence_json(&p->evidence[i]));
	json_object_set_new(root, "claims", claims);
	json_object_set_new(root, "evidence", evidence);
	json_object_set_new(root, "errors", strlist(in->errors));
	json_object_set_new(root, "warnings", strlist(p ? &p->warnings : NULL));

	return tki_report_dump(root, "report.json", len);
}
