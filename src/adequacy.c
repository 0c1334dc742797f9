// SPDX-License-Identifier: Apache-2.0
/* The Article-14 adequacy classifier: pure, claim by claim, over the state
 * the provenance stage left on the evidence. Adequacy is about evidence, not
 * about the claimed status: evidence that shows exactly what the claim says
 * (a FAIL shown by a failing command) is adequate; a status is never
 * upgraded. Rules and precedence: docs/packet-format.md. */
#include <pthread.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/attest.h"
#include "tki/common.h"
#include "tki/dsse.h"

/* Re-judge result per evidence item (attestation only). */
struct att {
	bool judged, is_bundle, attested, contradicted;
	bool signed_ok; /* a trusted key signed it (tki_attest_judge_signed) */
	bool probe_pass[TKI_PROBE_COUNT], probe_fail[TKI_PROBE_COUNT];
	bool raw_pass[TKI_RI__COUNT];
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
	a->contradicted = v.contradicted;
	memcpy(a->probe_pass, v.probe_pass, sizeof(a->probe_pass));
	memcpy(a->probe_fail, v.probe_fail, sizeof(a->probe_fail));
	memcpy(a->raw_pass, v.raw_pass, sizeof(a->raw_pass));
	for (size_t i = 0; i < v.reasons.n; i++) {
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
	json_object_set_new(ev->attestation, "p1_invariants", v.invariants ? json_incref(v.invariants) : json_array());
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

/* Asserts: all evaluated and holding means the bytes say what the packet
 * says; one that fails says the opposite, whatever the status. */
static enum tki_support judge_asserts(const struct tki_evidence *ev, struct tki_strlist *why,
				      struct tki_support_rec *rec)
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
	/* Absence is not evidence: not_contains (and contains "") hold on an
	 * empty file. They may contradict; support needs something found. */
	bool positive = false;
	for (size_t i = 0; i < ev->n_asserts; i++)
		positive = positive || ev->asserts[i].op == TKI_OP_JSON_EQUALS ||
			   (ev->asserts[i].op == TKI_OP_CONTAINS && ev->asserts[i].needle_len > 0);
	if (!positive) {
		tki_strlist_addf(why,
				 "evidence %s: only not_contains or empty contains asserts, which hold on an empty file "
				 "(add a contains or json_equals assert)",
				 ev->id);
		return TKI_SUPPORT_NONE;
	}
	rec->asserts = ev->n_asserts >= 64 ? ~0ull : (1ull << ev->n_asserts) - 1;
	return TKI_SUPPORT_YES;
}

/* The exit code is a field the author typed: it may contradict the claim,
 * never support it. Only asserts on the output's bytes can. */
static enum tki_support judge_command(const struct tki_evidence *ev, enum tki_status st, struct tki_strlist *why,
				      struct tki_support_rec *rec)
{
	long long code = ev->prov.exit_code;
	if (st == TKI_ST_PASS && code != 0) {
		tki_strlist_addf(why, "evidence %s: exit code %lld: the command failed, the claim says PASS", ev->id, code);
		return TKI_SUPPORT_CONTRADICTS;
	}
	if (failure_status(st) && code == 0) {
		tki_strlist_addf(why, "evidence %s: exit code 0: the command succeeded, the claim says %s", ev->id,
				 tki_status_name(st));
		return TKI_SUPPORT_CONTRADICTS;
	}
	enum tki_support as = judge_asserts(ev, why, rec);
	if (as == TKI_SUPPORT_NONE && ev->n_asserts == 0)
		tki_strlist_addf(why,
				 "evidence %s is a command_output without asserts: its exit code is the packet's word, "
				 "not evidence (add asserts on its output)",
				 ev->id);
	return as;
}

/* The probes and P1 invariants of the claim's wall (b), as re-judged. */
struct wall {
	uint32_t probes, invs;       /* bound */
	uint32_t fail_p, fail_i;     /* bound and re-judged FAIL */
	bool all_pass, some_pass;
};

static void wall_of(const struct att *a, const struct tki_binding *b, struct wall *w)
{
	memset(w, 0, sizeof(*w));
	w->probes = tki_binding_probe_mask(b);
	w->invs = b->invariants;
	w->all_pass = true;
	for (size_t k = 0; k < TKI_PROBE_COUNT; k++) {
		if (!(w->probes & (1u << k)))
			continue;
		if (a->probe_fail[k])
			w->fail_p |= 1u << k;
		w->all_pass = w->all_pass && a->probe_pass[k];
		w->some_pass = w->some_pass || a->probe_pass[k];
	}
	for (int i = 0; i < TKI_RI__COUNT; i++) {
		if (!(w->invs & (1u << i)))
			continue;
		if (!a->raw_pass[i])
			w->fail_i |= 1u << i;
		w->all_pass = w->all_pass && a->raw_pass[i];
		w->some_pass = w->some_pass || a->raw_pass[i];
	}
}

/* The first failing probe or invariant of the wall, for a reason. */
static const char *first_fail(const struct wall *w)
{
	for (size_t k = 0; k < TKI_PROBE_COUNT; k++)
		if (w->fail_p & (1u << k))
			return tki_probe_table[k].id;
	for (int i = 0; i < TKI_RI__COUNT; i++)
		if (w->fail_i & (1u << i))
			return tki_raw_inv_names[i];
	return "?";
}

static enum tki_support judge_attestation(const struct tki_evidence *ev, const struct att *a,
					  const struct tki_claim *c, const struct tki_binding *b,
					  struct tki_strlist *why, struct tki_support_rec *rec)
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
	struct wall w;
	wall_of(a, b, &w);
	bool fails = w.fail_p || w.fail_i;
	enum tki_status st = c->status;
	/* The bundle's data may contradict unsigned; it supports only when a
	 * trusted key signed it (a->attested includes the signature). */
	if (st == TKI_ST_PASS && fails) {
		tki_strlist_addf(why, "evidence %s: %s re-judges FAIL from the bundle, the claim says PASS", ev->id,
				 first_fail(&w));
		return TKI_SUPPORT_CONTRADICTS;
	}
	if (st != TKI_ST_PASS && w.all_pass) {
		tki_strlist_addf(why, "evidence %s: every probe and P1 invariant of %s re-judges PASS, the claim says %s",
				 ev->id, c->category, tki_status_name(st));
		return TKI_SUPPORT_CONTRADICTS;
	}
	if (st == TKI_ST_PASS && a->attested) {
		rec->probes = w.probes;
		rec->invariants = w.invs;
		return TKI_SUPPORT_YES;
	}
	if (failure_status(st) && fails && a->signed_ok) {
		rec->probes = w.fail_p;
		rec->invariants = w.fail_i;
		return TKI_SUPPORT_YES;
	}
	if (st == TKI_ST_PARTIAL && fails && w.some_pass && a->signed_ok) {
		rec->probes = w.probes;
		rec->invariants = w.invs;
		return TKI_SUPPORT_YES;
	}
	tki_strlist_addf(why, "evidence %s: NOT_ATTESTED%s%s", ev->id, a->reasons.n ? ": " : "",
			 a->reasons.n ? a->reasons.v[0] : "");
	return TKI_SUPPORT_NONE;
}

static bool kind_bound(const struct tki_binding *b, enum tki_kind k)
{
	if (!b)
		return false;
	if (k == TKI_KIND_ATTESTATION)
		return b->probes[0] != NULL;
	return b->by_asserts && (k == TKI_KIND_COMMAND_OUTPUT || k == TKI_KIND_ARTIFACT);
}

/* What one verified item says about the claim; rec is filled on YES. Any
 * item may contradict; only an item the binding table names may support. */
static enum tki_support judge(const struct tki_evidence *ev, const struct att *a, const struct tki_claim *c,
			      struct tki_strlist *why, struct tki_support_rec *rec)
{
	const struct tki_binding *b = tki_binding_for(c->category);
	enum tki_support s = TKI_SUPPORT_NONE;
	switch (ev->kind) {
	case TKI_KIND_PROSE:
		tki_strlist_addf(why, "evidence %s is prose: nothing machine-checkable", ev->id);
		return TKI_SUPPORT_NONE;
	case TKI_KIND_COMMAND_OUTPUT:
		s = judge_command(ev, c->status, why, rec);
		break;
	case TKI_KIND_ARTIFACT:
		if (ev->n_asserts == 0) {
			tki_strlist_addf(why, "evidence %s is an artifact without asserts: nothing checks what it says", ev->id);
			return TKI_SUPPORT_NONE;
		}
		s = judge_asserts(ev, why, rec);
		break;
	case TKI_KIND_ATTESTATION:
		if (!kind_bound(b, ev->kind))
			break; /* a bundle observes walls, not builds: reason below */
		s = judge_attestation(ev, a, c, b, why, rec);
		break;
	}
	if (s == TKI_SUPPORT_CONTRADICTS || kind_bound(b, ev->kind) || !b)
		return s;
	tki_autofree char *counts = tki_binding_counts(b);
	tki_strlist_addf(why, "evidence %s (%s) cannot support a %s claim: what counts is %s (docs/packet-format.md, "
			 "\"Evidence binding\")",
			 ev->id, tki_kind_name(ev->kind), c->category, counts);
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
	struct tki_support_rec *sup = tki_xcalloc(c->n_cites ? c->n_cites : 1, sizeof(*sup));
	size_t n_sup = 0;
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
		struct tki_support_rec rec = { .ev = c->cites[k], .ev_id = ev->id, .kind = ev->kind };
		switch (judge(ev, &atts[c->cites[k]], c, &neutral, &rec)) {
		case TKI_SUPPORT_YES:
			any_support = true;
			sup[n_sup++] = rec;
			break;
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
	free(c->support);
	c->support = NULL;
	c->n_support = 0;
	if (c->cls == TKI_CLASS_ADEQUATE) {
		tki_strlist_addf(&c->reasons, "verified, machine-checked evidence supports %s", tki_status_name(c->status));
		c->support = tki_steal(&sup);
		c->n_support = n_sup;
	}
	free(sup);
	tki_strlist_free(&unverified);
	tki_strlist_free(&contra);
	tki_strlist_free(&neutral);
}

/* Claims [lo, hi): each judged on its own (only the claim is written; the
 * evidence and the re-judged bundles are read). */
struct classify_run {
	struct tki_packet *p;
	const struct att *atts;
	size_t lo, hi;
};

static void *classify_run(void *arg)
{
	struct classify_run *w = arg;
	for (size_t i = w->lo; i < w->hi; i++) {
		tki_strlist_free(&w->p->claims[i].reasons);
		classify_claim(w->p, &w->p->claims[i], w->atts);
	}
	return NULL;
}

/* Below this many claims a second thread costs more than it saves. */
#define CLASSIFY_PAR_MIN 4096

int tki_adequacy_classify(struct tki_packet *p)
{
	struct att *atts = tki_xcalloc(p->n_evidence, sizeof(*atts));
	for (size_t i = 0; i < p->n_evidence; i++)
		if (p->evidence[i].kind == TKI_KIND_ATTESTATION)
			rejudge(&p->evidence[i], p->trust, &atts[i]);
	/* Two halves at once when large (a thread created now, long after the
	 * sandbox is complete): the same result, claim by claim. */
	struct classify_run head = {p, atts, 0, p->n_claims}, tail = head;
	pthread_t t;
	bool split = p->n_claims >= CLASSIFY_PAR_MIN && tki_cpus() > 1;
	if (split) {
		head.hi = tail.lo = p->n_claims / 2;
		split = pthread_create(&t, NULL, classify_run, &tail) == 0;
		if (!split)
			head.hi = p->n_claims;
	}
	classify_run(&head);
	if (split && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "cannot join the classifying thread");
	bool all = p->n_claims > 0; /* no claim: nothing is evidenced, never 0 */
	for (size_t i = 0; i < p->n_claims; i++)
		if (p->claims[i].cls != TKI_CLASS_ADEQUATE)
			all = false;
	for (size_t i = 0; i < p->n_evidence; i++)
		tki_strlist_free(&atts[i].reasons);
	free(atts);
	return all ? TKI_EXIT_ADEQUATE : TKI_EXIT_INADEQUATE;
}
