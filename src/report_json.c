// SPDX-License-Identifier: Apache-2.0
/* report.json (tki-report/v1). Objects are built in the documented key
 * order and dumped with JSON_PRESERVE_ORDER: no clock, no addresses, no
 * hash-table order: same packet and run date, same bytes. Pure. */
#include <string.h>

#include "tki/adequacy.h"
#include "tki/attest.h"
#include "tki/common.h"
#include "tki/guard.h"
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

/* The claims and evidence arrays are written directly, element by
 * element, without a jansson value each (that build and dump was ~40% of
 * a 200,000-claim run): exactly the bytes tki_jout_value writes for
 * claim_json() and evidence_json() (tests/unit/test_report.c compares
 * them). */

/* str_or_null(s), written. */
static void put_str_or_null(struct tki_jout *o, const char *s)
{
	if (!s || !*s) {
		tki_jout_raw(o, "null");
		return;
	}
	size_t n = strlen(s);
	if (tki_utf8_invalid_at(s, n) == n) {
		tki_jout_string(o, s);
		return;
	}
	tki_autofree char *c = tki_escape_str(s, TKI_ESC_TEXT);
	tki_jout_string(o, c);
}

static void put_strlist(struct tki_jout *o, const struct tki_strlist *l, int d)
{
	bool first = true;
	tki_jout_put(o, "[", 1);
	for (size_t i = 0; l && i < l->n; i++) {
		tki_jout_elem(o, &first, d);
		put_str_or_null(o, l->v[i]);
	}
	tki_jout_done(o, first, d, ']');
}

/* tki_support_json(c), written. */
static void put_support(struct tki_jout *o, const struct tki_claim *c, int d)
{
	bool first = true;
	tki_jout_put(o, "[", 1);
	for (size_t i = 0; i < c->n_support; i++) {
		const struct tki_support_rec *s = &c->support[i];
		tki_jout_elem(o, &first, d);
		bool f = true;
		tki_jout_put(o, "{", 1);
		/* json_string() of an id that is not UTF-8 is no value: no member */
		if (s->ev_id && tki_utf8_invalid_at(s->ev_id, strlen(s->ev_id)) == strlen(s->ev_id)) {
			tki_jout_member(o, "evidence", &f, d + 1);
			tki_jout_string(o, s->ev_id);
		}
		tki_jout_member(o, "kind", &f, d + 1);
		tki_jout_string(o, tki_kind_name(s->kind));
		bool ff = true;
		if (s->kind == TKI_KIND_ATTESTATION) {
			tki_jout_member(o, "probes", &f, d + 1);
			tki_jout_put(o, "[", 1);
			for (size_t k = 0; k < TKI_PROBE_COUNT; k++)
				if (s->probes & (1u << k)) {
					tki_jout_elem(o, &ff, d + 2);
					tki_jout_string(o, tki_probe_table[k].id);
				}
			tki_jout_done(o, ff, d + 2, ']');
			ff = true;
			tki_jout_member(o, "p1_invariants", &f, d + 1);
			tki_jout_put(o, "[", 1);
			for (int k = 0; k < TKI_RI__COUNT; k++)
				if (s->invariants & (1u << k)) {
					tki_jout_elem(o, &ff, d + 2);
					tki_jout_string(o, tki_raw_inv_names[k]);
				}
		} else {
			tki_jout_member(o, "asserts", &f, d + 1);
			tki_jout_put(o, "[", 1);
			for (size_t k = 0; k < 64; k++)
				if (s->asserts & (1ull << k)) {
					tki_jout_elem(o, &ff, d + 2);
					tki_jout_int(o, (long long)k);
				}
		}
		tki_jout_done(o, ff, d + 2, ']');
		tki_jout_done(o, f, d + 1, '}');
	}
	tki_jout_done(o, first, d, ']');
}

static bool put_claim(const void *items, size_t i, struct tki_jout *o, int d)
{
	const struct tki_claim *c = &((const struct tki_claim *)items)[i];
	bool f = true;
	tki_jout_put(o, "{", 1);
	tki_jout_member(o, "id", &f, d);
	put_str_or_null(o, c->id);
	tki_jout_member(o, "category", &f, d);
	put_str_or_null(o, c->category);
	tki_jout_member(o, "status", &f, d);
	tki_jout_string(o, tki_status_name(c->status));
	tki_jout_member(o, "class", &f, d);
	tki_jout_string(o, tki_class_name(c->cls));
	tki_jout_member(o, "reasons", &f, d);
	put_strlist(o, &c->reasons, d + 1);
	tki_jout_member(o, "supported_by", &f, d);
	put_support(o, c, d + 1);
	tki_jout_done(o, f, d, '}');
	return true;
}

static void put_asserts(struct tki_jout *o, const struct tki_evidence *ev, int d)
{
	bool first = true;
	tki_jout_put(o, "[", 1);
	for (size_t i = 0; i < ev->n_asserts; i++) {
		const struct tki_assert *as = &ev->asserts[i];
		tki_jout_elem(o, &first, d);
		bool f = true;
		tki_jout_put(o, "{", 1);
		tki_jout_member(o, "op", &f, d + 1);
		tki_jout_string(o, op_name(as->op));
		if (as->op == TKI_OP_JSON_EQUALS) {
			tki_jout_member(o, "pointer", &f, d + 1);
			put_str_or_null(o, as->pointer);
		}
		tki_jout_member(o, "result", &f, d + 1);
		tki_jout_string(o, !as->evaluated ? "NOT_EVALUATED" : as->holds ? "HOLDS" : "FAILS");
		tki_jout_member(o, "detail", &f, d + 1);
		put_str_or_null(o, as->detail);
		tki_jout_done(o, f, d + 1, '}');
	}
	tki_jout_done(o, first, d, ']');
}

/* An attestation's members from its bundle's own values (arbitrary JSON:
 * dumped by jansson, as before). */
static bool put_attestation(struct tki_jout *o, const struct tki_evidence *ev, bool *f, int d)
{
	json_t *att = ev->attestation;
	tki_jout_member(o, "b4_prime", f, d);
	tki_jout_string(o, ev->b4_prime ? ev->b4_prime : "NOT_ATTESTED");
	tki_jout_member(o, "attested_venue", f, d);
	put_str_or_null(o, json_string_value(json_object_get(att, "venue")));
	tki_jout_member(o, "attested_image_digest", f, d);
	put_str_or_null(o, json_string_value(json_object_get(att, "image_digest")));
	static const char *const sig_keys[] = {"signature", "signed_by", "in_toto_statement", "signature_why",
					       "probes", "p1_invariants"};
	for (size_t k = 0; k < TKI_ARRAY_LEN(sig_keys); k++) {
		json_t *sv = json_object_get(att, sig_keys[k]);
		tki_jout_member(o, sig_keys[k], f, d);
		if (!tki_jout_try_value(o, sv ? json_incref(sv) : k < 4 ? json_null() : json_array(), d + 1))
			return false;
	}
	return true;
}

static bool put_evidence(const void *items, size_t i, struct tki_jout *o, int d)
{
	const struct tki_evidence *ev = &((const struct tki_evidence *)items)[i];
	bool f = true;
	tki_jout_put(o, "{", 1);
	tki_jout_member(o, "id", &f, d);
	put_str_or_null(o, ev->id);
	tki_jout_member(o, "kind", &f, d);
	tki_jout_string(o, tki_kind_name(ev->kind));
	tki_jout_member(o, "path", &f, d);
	put_str_or_null(o, ev->path);
	tki_jout_member(o, "verified", &f, d);
	tki_jout_raw(o, ev->state == TKI_EV_VERIFIED ? "true" : "false");
	tki_jout_member(o, "state", &f, d);
	tki_jout_string(o, state_name(ev->state));
	tki_jout_member(o, "sha256_expected", &f, d);
	put_str_or_null(o, ev->sha256);
	tki_jout_member(o, "sha256_actual", &f, d);
	put_str_or_null(o, ev->actual_sha256);
	tki_jout_member(o, "size", &f, d);
	if (ev->actual_sha256[0])
		tki_jout_int(o, (long long)ev->size);
	else
		tki_jout_raw(o, "null");
	tki_jout_member(o, "asserts", &f, d);
	put_asserts(o, ev, d + 1);
	tki_jout_member(o, "reasons", &f, d);
	put_strlist(o, &ev->reasons, d + 1);
	if (ev->kind == TKI_KIND_ATTESTATION && !put_attestation(o, ev, &f, d))
		return false;
	tki_jout_done(o, f, d, '}');
	return true;
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
	tki_jout_array_put(&o, p ? p->claims : NULL, p ? p->n_claims : 0, put_claim, 1);
	tki_jout_key(&o, "evidence", false, 1);
	tki_jout_array_put(&o, p ? p->evidence : NULL, p ? p->n_evidence : 0, put_evidence, 1);
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
