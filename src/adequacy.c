// SPDX-License-Identifier: Apache-2.0
/* The Article-14 adequacy classifier: pure, claim by claim, over the state
 * the provenance stage left on the evidence. Adequacy is about evidence, not
 * about the claimed status: evidence that shows exactly what the claim says
 * (a FAIL shown by a failing command) is adequate; a status is never
 * upgraded. Rules and precedence: docs/packet-format.md. */
#include <string.h>

#include "tki/adequacy.h"
#include "tki/attest.h"
#include "tki/common.h"
#include "tki/dsse.h"

/* Re-judge result per evidence item (attestation only). */
struct att {
	bool judged, is_bundle, attested, any_fail, contradicted, some_pass;
	bool signed_ok; /* a trusted key signed it (tki_attest_judge_signed) */
	struct tki_strlist reasons;
};

static bool failure_status(enum tki_status s)
{
	return s == TKI_ST_FAIL || s == TKI_ST_BLOCKED;
}

static void rejudge(struct tki_evidence *ev, const struct tki_keyring *trust, struct att *a)
{
	ev->b4_prime = (char *)"NOT_ATTESTED"; /* static: never freed */
	if (ev->state != TKI_EV_VERIFIED || !ev->content)
		return;
	struct tki_attest_verdict v = {0};
	struct tki_attest_signed sig;
	tki_attest_judge_signed(ev->content, ev->content_len, trust, &v, &sig);
	a->judged = true;
	a->signed_ok = sig.ok;
	a->is_bundle = v.is_bundle;
	a->attested = v.attested && v.is_bundle;
	a->any_fail = v.any_fail;
	a->contradicted = v.contradicted;
	size_t i;
	json_t *pr;
	json_array_foreach(v.probes, i, pr) {
		const char *r = json_string_value(json_object_get(pr, "rejudged"));
		if (r && !strcmp(r, "PASS"))
			a->some_pass = true;
	}
	for (i = 0; i < v.reasons.n; i++) {
		tki_strlist_add(&a->reasons, v.reasons.v[i]);
		tki_strlist_addf(&ev->reasons, "attestation: %s", v.reasons.v[i]);
	}
	if (a->attested) {
		ev->b4_prime = (char *)"ATTESTED";
	}
	json_decref(ev->attestation);
	ev->attestation = json_object();
	json_object_set_new(ev->attestation, "venue", json_string(v.venue));
	json_object_set_new(ev->attestation, "image_digest", json_string(v.image_digest));
	json_object_set_new(ev->attestation, "probes", v.probes ? json_incref(v.probes) : json_array());
	tki_attest_signed_json(ev->attestation, &sig);
	tki_attest_verdict_free(&v);
}

/* Untrusted bytes in a reason: the one escaper's quoted form, at most 60
 * bytes of the input shown. */
static void quote(char *out, size_t outsz, const char *s, size_t n)
{
	size_t shown = n > 60 ? 60 : n;
	out[0] = '"';
	size_t o = 1 + tki_escape_to(out + 1, outsz - 6, s, shown, TKI_ESC_QUOTED);
	out[o++] = '"';
	if (shown < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static void describe_assert(const struct tki_assert *a, char *out, size_t outsz)
{
	char q[300];
	if (a->op == TKI_OP_JSON_EQUALS) {
		quote(q, sizeof(q), a->pointer ? a->pointer : "", a->pointer ? strlen(a->pointer) : 0);
		snprintf(out, outsz, "json_equals at %s", q);
	} else {
		quote(q, sizeof(q), a->needle ? a->needle : "", a->needle ? a->needle_len : 0);
		snprintf(out, outsz, "%s %s", a->op == TKI_OP_CONTAINS ? "contains" : "not_contains", q);
	}
}

/* Asserts: all evaluated and holding means the evidence says what the
 * packet says; one that fails says the opposite, whatever the status. */
static enum tki_support judge_asserts(const struct tki_evidence *ev, struct tki_strlist *why)
{
	bool all_evaluated = true;
	for (size_t i = 0; i < ev->n_asserts; i++) {
		const struct tki_assert *a = &ev->asserts[i];
		char d[400];
		describe_assert(a, d, sizeof(d));
		if (a->evaluated && !a->holds) {
			tki_strlist_addf(why, "evidence %s: assert[%zu] %s fails: %s", ev->id, i, d, a->detail);
			return TKI_SUPPORT_CONTRADICTS;
		}
		if (!a->evaluated) {
			tki_strlist_addf(why, "evidence %s: assert[%zu] %s %s", ev->id, i, d, a->detail);
			all_evaluated = false;
		}
	}
	if (ev->n_asserts == 0 || !all_evaluated)
		return TKI_SUPPORT_NONE;
	return TKI_SUPPORT_YES;
}

static enum tki_support judge_command(const struct tki_evidence *ev, enum tki_status st, struct tki_strlist *why)
{
	long long code = ev->prov.exit_code;
	enum tki_support exit_says = TKI_SUPPORT_NONE;
	if (st == TKI_ST_PASS) {
		if (code != 0) {
			tki_strlist_addf(why, "evidence %s: exit code %lld: the command failed, the claim says PASS", ev->id, code);
			return TKI_SUPPORT_CONTRADICTS;
		}
		exit_says = TKI_SUPPORT_YES;
	} else if (failure_status(st)) {
		if (code == 0) {
			tki_strlist_addf(why, "evidence %s: exit code 0: the command succeeded, the claim says %s", ev->id,
					 tki_status_name(st));
			return TKI_SUPPORT_CONTRADICTS;
		}
		exit_says = TKI_SUPPORT_YES;
	}
	enum tki_support as = judge_asserts(ev, why);
	if (as == TKI_SUPPORT_CONTRADICTS)
		return as;
	if (ev->n_asserts && as == TKI_SUPPORT_NONE)
		return TKI_SUPPORT_NONE; /* an assert could not be evaluated */
	if (st == TKI_ST_PARTIAL && as != TKI_SUPPORT_YES) {
		tki_strlist_addf(why, "evidence %s: an exit code alone cannot show a PARTIAL result (add asserts)", ev->id);
		return TKI_SUPPORT_NONE;
	}
	return exit_says == TKI_SUPPORT_YES || as == TKI_SUPPORT_YES ? TKI_SUPPORT_YES : TKI_SUPPORT_NONE;
}

static enum tki_support judge_attestation(const struct tki_evidence *ev, const struct att *a, enum tki_status st,
					  struct tki_strlist *why)
{
	if (!a->judged || !a->is_bundle) {
		tki_strlist_addf(why, "evidence %s: attestation not re-judged%s%s", ev->id, a->reasons.n ? ": " : "",
				 a->reasons.n ? a->reasons.v[0] : "");
		return TKI_SUPPORT_NONE;
	}
	if (a->contradicted) {
		tki_strlist_addf(why, "evidence %s: the bundle's own verdicts disagree with its observations", ev->id);
		return TKI_SUPPORT_CONTRADICTS;
	}
	if (st == TKI_ST_PASS) {
		if (a->any_fail) {
			tki_strlist_addf(why, "evidence %s: a probe re-judges FAIL, the claim says PASS", ev->id);
			return TKI_SUPPORT_CONTRADICTS;
		}
		if (a->attested)
			return TKI_SUPPORT_YES;
	} else if (failure_status(st)) {
		if (a->attested) {
			tki_strlist_addf(why, "evidence %s: every probe re-judges PASS, the claim says %s", ev->id,
					 tki_status_name(st));
			return TKI_SUPPORT_CONTRADICTS;
		}
		if (a->any_fail && a->signed_ok)
			return TKI_SUPPORT_YES;
	} else { /* PARTIAL: some probes pass, some fail */
		if (a->attested) {
			tki_strlist_addf(why, "evidence %s: every probe re-judges PASS, the claim says PARTIAL", ev->id);
			return TKI_SUPPORT_CONTRADICTS;
		}
		if (a->any_fail && a->some_pass && a->signed_ok)
			return TKI_SUPPORT_YES;
	}
	tki_strlist_addf(why, "evidence %s: NOT_ATTESTED%s%s", ev->id, a->reasons.n ? ": " : "",
			 a->reasons.n ? a->reasons.v[0] : "");
	return TKI_SUPPORT_NONE;
}

static enum tki_support judge(const struct tki_evidence *ev, const struct att *a, enum tki_status st,
			      struct tki_strlist *why)
{
	switch (ev->kind) {
	case TKI_KIND_PROSE:
		tki_strlist_addf(why, "evidence %s is prose: nothing machine-checkable", ev->id);
		return TKI_SUPPORT_NONE;
	case TKI_KIND_COMMAND_OUTPUT:
		return judge_command(ev, st, why);
	case TKI_KIND_ARTIFACT: {
		if (ev->n_asserts == 0) {
			tki_strlist_addf(why, "evidence %s is an artifact without asserts: nothing checks what it says", ev->id);
			return TKI_SUPPORT_NONE;
		}
		return judge_asserts(ev, why);
	}
	case TKI_KIND_ATTESTATION:
		return judge_attestation(ev, a, st, why);
	}
	return TKI_SUPPORT_NONE;
}

static const char *state_words(enum tki_ev_state s)
{
	switch (s) {
	case TKI_EV_MISSING: return "missing";
	case TKI_EV_MISMATCH: return "altered (digest differs)";
	case TKI_EV_BAD_PROVENANCE: return "of invalid provenance";
	case TKI_EV_BLOCKED: return "refused by the guard";
	case TKI_EV_UNCHECKED: return "not checked";
	case TKI_EV_VERIFIED: break;
	}
	return "verified";
}

/* Precedence, highest first: TRIAGE_ONLY > MISSING_EVIDENCE > UNVERIFIED >
 * CONTRADICTED > PROSE_ONLY > UNCHECKED > ADEQUATE. Reasons of every rule
 * that applies are kept, the deciding one first. */
static void classify_claim(struct tki_packet *p, struct tki_claim *c, const struct att *atts)
{
	struct tki_strlist unverified = {0}, contra = {0}, neutral = {0};
	bool any_support = false, all_prose = c->n_cites > 0;
	for (size_t k = 0; k < c->n_cites; k++) {
		const struct tki_evidence *ev = &p->evidence[c->cites[k]];
		if (ev->kind != TKI_KIND_PROSE)
			all_prose = false;
		if (ev->state != TKI_EV_VERIFIED) {
			if (!ev->reasons.n)
				tki_strlist_addf(&unverified, "evidence %s is %s", ev->id, state_words(ev->state));
			for (size_t r = 0; r < ev->reasons.n; r++)
				tki_strlist_addf(&unverified, "evidence %s (%s): %s", ev->id, ev->path, ev->reasons.v[r]);
			continue;
		}
		switch (judge(ev, &atts[c->cites[k]], c->status, &neutral)) {
		case TKI_SUPPORT_YES: any_support = true; break;
		case TKI_SUPPORT_CONTRADICTS:
			/* judge() appended the why to neutral; move it over */
			tki_strlist_add(&contra, neutral.v[neutral.n - 1]);
			free(neutral.v[--neutral.n]);
			break;
		case TKI_SUPPORT_NONE: break;
		}
	}

	bool triage = !tki_category_governed(c->category);
	if (triage)
		tki_strlist_addf(&c->reasons,
				 "category \"%s\" is outside the governed taxonomy: triage only, never green "
				 "(docs/packet-format.md lists the categories)",
				 c->category);
	if (c->n_cites == 0)
		tki_strlist_add(&c->reasons, "no evidence cited");
	for (size_t i = 0; i < unverified.n; i++)
		tki_strlist_add(&c->reasons, unverified.v[i]);
	for (size_t i = 0; i < contra.n; i++)
		tki_strlist_add(&c->reasons, contra.v[i]);
	bool prose_only = c->status == TKI_ST_PASS && all_prose;
	if (prose_only)
		tki_strlist_add(&c->reasons, "PASS claimed and every cited item is prose");
	if (!any_support) {
		for (size_t i = 0; i < neutral.n; i++)
			tki_strlist_add(&c->reasons, neutral.v[i]);
		if (c->n_cites && !unverified.n && !contra.n && !prose_only)
			tki_strlist_addf(&c->reasons, "no verified, machine-checked evidence supports %s",
					 tki_status_name(c->status));
	}

	if (triage)
		c->cls = TKI_CLASS_TRIAGE_ONLY;
	else if (c->n_cites == 0)
		c->cls = TKI_CLASS_MISSING_EVIDENCE;
	else if (unverified.n)
		c->cls = TKI_CLASS_UNVERIFIED;
	else if (contra.n)
		c->cls = TKI_CLASS_CONTRADICTED;
	else if (prose_only)
		c->cls = TKI_CLASS_PROSE_ONLY;
	else if (!any_support)
		c->cls = TKI_CLASS_UNCHECKED;
	else
		c->cls = TKI_CLASS_ADEQUATE;
	if (c->cls == TKI_CLASS_ADEQUATE)
		tki_strlist_addf(&c->reasons, "verified, machine-checked evidence supports %s", tki_status_name(c->status));
	tki_strlist_free(&unverified);
	tki_strlist_free(&contra);
	tki_strlist_free(&neutral);
}

int tki_adequacy_classify(struct tki_packet *p)
{
	struct att *atts = tki_xcalloc(p->n_evidence, sizeof(*atts));
	for (size_t i = 0; i < p->n_evidence; i++)
		if (p->evidence[i].kind == TKI_KIND_ATTESTATION)
			rejudge(&p->evidence[i], p->trust, &atts[i]);
	bool all = p->n_claims > 0; /* no claim: nothing is evidenced, never 0 */
	for (size_t i = 0; i < p->n_claims; i++) {
		tki_strlist_free(&p->claims[i].reasons);
		classify_claim(p, &p->claims[i], atts);
		if (p->claims[i].cls != TKI_CLASS_ADEQUATE)
			all = false;
	}
	for (size_t i = 0; i < p->n_evidence; i++)
		tki_strlist_free(&atts[i].reasons);
	free(atts);
	return all ? TKI_EXIT_ADEQUATE : TKI_EXIT_INADEQUATE;
}
