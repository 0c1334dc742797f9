// SPDX-License-Identifier: Apache-2.0
/* The in-toto Statement v1 layer of a signed bundle: envelope -> Statement
 * -> predicate (today's tki-attestation/v1 bundle) -> the re-judge. The
 * re-judge itself (src/attest_rejudge.c) never sees a signature; this file
 * decides whether its result may count: only when a trusted key signed the
 * envelope and the Statement binds the bundle's image digest. */
#include <string.h>

#include "tki/dsse.h"

#define NOT_SIGNED "not signed by a trusted key: sign it in the venue and pass --trust-key"

static bool lower_hex(const char *s, size_t n)
{
	if (n == 0 || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool digest_set_ok(const json_t *d, size_t idx, char *why, size_t whylen)
{
	const char *alg;
	const json_t *v;
	if (!json_is_object(d) || json_object_size(d) == 0) {
		snprintf(why, whylen, "subject[%zu].digest must be a non-empty DigestSet object", idx);
		return false;
	}
	json_object_foreach((json_t *)d, alg, v) {
		size_t n = json_string_length(v);
		if (!json_is_string(v) || !lower_hex(json_string_value(v), n) || n % 2) {
			snprintf(why, whylen, "subject[%zu].digest.%.32s must be a lowercase hex string", idx, alg);
			return false;
		}
		if (!strcmp(alg, "sha256") && n != 64) {
			snprintf(why, whylen, "subject[%zu].digest.sha256 must have 64 hex digits", idx);
			return false;
		}
	}
	return true;
}

bool tki_statement_check(const json_t *st, const char *want_predicate_type, char *why, size_t whylen)
{
	const json_t *t = json_object_get(st, "_type"), *sub = json_object_get(st, "subject"),
		     *pt = json_object_get(st, "predicateType"), *pred = json_object_get(st, "predicate");
	if (!json_is_object(st)) {
		snprintf(why, whylen, "the Statement is not a JSON object");
		return false;
	}
	if (!json_is_string(t) || strcmp(json_string_value(t), TKI_INTOTO_STATEMENT_V1) != 0) {
		snprintf(why, whylen, "_type must be " TKI_INTOTO_STATEMENT_V1);
		return false;
	}
	if (!json_is_array(sub) || json_array_size(sub) == 0) {
		snprintf(why, whylen, "subject must be a non-empty array");
		return false;
	}
	size_t i;
	const json_t *s;
	json_array_foreach(sub, i, s) {
		const json_t *name = json_object_get(s, "name");
		if (!json_is_object(s) || (name && !json_is_string(name))) {
			snprintf(why, whylen, "subject[%zu] must be an object whose name, if any, is a string", i);
			return false;
		}
		if (!digest_set_ok(json_object_get(s, "digest"), i, why, whylen))
			return false;
	}
	if (!json_is_string(pt) || !json_string_length(pt)) {
		snprintf(why, whylen, "predicateType must be a non-empty string (a URI)");
		return false;
	}
	if (want_predicate_type && strcmp(json_string_value(pt), want_predicate_type) != 0) {
		snprintf(why, whylen, "predicateType is \"%.100s\", not %s", json_string_value(pt), want_predicate_type);
		return false;
	}
	if (pred && !json_is_object(pred)) {
		snprintf(why, whylen, "predicate must be an object");
		return false;
	}
	return true;
}

/* The predicate's image_digest ("sha256:<hex>") is one of the subjects:
 * the signature covers the subject, so the venue's signer vouches for it. */
static bool bound(const json_t *st, char *why, size_t whylen)
{
	const char *d = json_string_value(json_object_get(json_object_get(st, "predicate"), "image_digest"));
	if (!d || strncmp(d, "sha256:", 7) != 0) {
		snprintf(why, whylen, "the predicate has no image_digest sha256:<hex> to bind to a subject");
		return false;
	}
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(st, "subject"), i, s) {
		const char *h = json_string_value(json_object_get(json_object_get(s, "digest"), "sha256"));
		if (h && !strcmp(h, d + 7))
			return true;
	}
	snprintf(why, whylen, "the predicate's image_digest %.80s is not among the Statement's subjects", d);
	return false;
}

/* Which bytes are the bundle: the Statement's predicate (re-serialized for
 * the re-judge, which reads JSON values, never layout), or the body as is
 * when it is a bare bundle. */
static char *bundle_bytes(const char *body, size_t len, struct tki_attest_signed *s, size_t *outlen, char *why,
			  size_t whylen)
{
	json_error_t jerr;
	json_t *st = memchr(body, '\0', len) ? NULL : json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(st) || !json_object_get(st, "_type")) {
		if (st || memchr(body, '\0', len))
			snprintf(why, whylen, "%s", st ? "a bare bundle, not an in-toto Statement" : "contains a NUL byte");
		else /* a duplicate key too: which copy would count? */
			snprintf(why, whylen, "not JSON (line %d, column %d: %.120s)", jerr.line, jerr.column, jerr.text);
		json_decref(st);
		*outlen = len;
		return NULL; /* the caller re-judges body itself */
	}
	char *out = NULL;
	if (tki_statement_check(st, TKI_PREDICATE_SANDBOX_V1, why, whylen) && bound(st, why, whylen)) {
		s->statement = true;
		out = json_dumps(json_object_get(st, "predicate"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	} else if (json_is_object(json_object_get(st, "predicate"))) {
		/* Not ours or not bound: still re-judged, never counted. */
		out = json_dumps(json_object_get(st, "predicate"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	json_decref(st);
	*outlen = out ? strlen(out) : 0;
	return out ? out : tki_xstrdup("");
}

/* v->reasons with first put in front. */
static void reasons_prepend(struct tki_attest_verdict *v, const char *first)
{
	struct tki_strlist l = {0};
	tki_strlist_add(&l, first);
	for (size_t i = 0; i < v->reasons.n; i++)
		tki_strlist_add(&l, v->reasons.v[i]);
	tki_strlist_free(&v->reasons);
	v->reasons = l;
}

void tki_attest_judge_signed(const char *buf, size_t len, const struct tki_keyring *kr,
			     struct tki_attest_verdict *v, struct tki_attest_signed *s)
{
	struct tki_dsse d;
	memset(s, 0, sizeof(*s));
	tki_dsse_open(buf, len, kr, &d);
	s->sig = d.state;
	if (d.state == TKI_SIG_MALFORMED) {
		tki_attest_rejudge(NULL, 0, v); /* not a bundle */
		snprintf(s->why, sizeof(s->why), NOT_SIGNED ": %s", d.why);
		reasons_prepend(v, s->why);
		tki_dsse_free(&d);
		return;
	}
	const char *body = d.payload ? (const char *)d.payload : buf;
	size_t body_len = d.payload ? d.payload_len : len;
	char swhy[300] = "";
	size_t blen = 0;
	tki_autofree char *b = bundle_bytes(body, body_len, s, &blen, swhy, sizeof(swhy));
	tki_attest_rejudge(b ? b : body, b ? blen : body_len, v);
	snprintf(s->signer, sizeof(s->signer), "%s", d.signer);

	s->ok = d.state == TKI_SIG_TRUSTED && s->statement;
	if (d.state == TKI_SIG_NOT_ENVELOPE)
		snprintf(s->why, sizeof(s->why), NOT_SIGNED ": the evidence is not a DSSE envelope (%s)",
			 s->statement ? "a bare in-toto Statement, unsigned" : swhy);
	else if (d.state != TKI_SIG_TRUSTED)
		snprintf(s->why, sizeof(s->why), NOT_SIGNED ": %s", d.why);
	else if (!s->statement)
		snprintf(s->why, sizeof(s->why), "signed, but not an in-toto Statement v1 of " TKI_PREDICATE_SANDBOX_V1
						 ": %s",
			 swhy);
	if (!s->ok) {
		v->attested = false;
		reasons_prepend(v, s->why);
	}
	tki_dsse_free(&d);
}

void tki_attest_signed_json(json_t *att, const struct tki_attest_signed *s)
{
	json_object_set_new(att, "signature", json_string(tki_sig_state_name(s->sig)));
	json_object_set_new(att, "signed_by", s->signer[0] ? json_string(s->signer) : json_null());
	json_object_set_new(att, "in_toto_statement", json_boolean(s->statement));
	json_object_set_new(att, "signature_why", s->ok ? json_null() : json_string(s->why));
}
