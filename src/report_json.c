// SPDX-License-Identifier: Apache-2.0
/* report.json (tki-report/v1). Objects are built in the documented key
 * order and dumped with JSON_PRESERVE_ORDER: no clock, no addresses, no
 * hash-table order: same packet and run date, same bytes. Pure. */
#include <pthread.h>
#include <string.h>

#include "tki/adequacy.h"
#include "tki/common.h"
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

/* The output, built a value at a time: a 200,000-claim report never exists
 * as one jansson tree (that tree alone cost ~1 s and 270 MB at the caps).
 * The bytes are exactly json_dumps(JSON_INDENT(2)) of the whole object:
 * each value is dumped by jansson and shifted right by its depth (every
 * newline jansson writes is structural; strings escape theirs). */
struct out {
	char *b;
	size_t n, cap;
};

static __attribute__((noinline)) void grow(struct out *o, size_t n)
{
	o->cap = o->cap ? o->cap : 4096;
	while (o->n + n + 1 > o->cap)
		o->cap *= 2;
	o->b = tki_xrealloc(o->b, o->cap);
}

/* Called for every token jansson writes: keep it short. Room for a final
 * NUL is always kept. */
static inline void put(struct out *o, const char *s, size_t n)
{
	if (o->cap - o->n < n + 1)
		grow(o, n);
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

struct shifted {
	struct out *o;
	int depth;
};

/* Text with a byte >= 0x7f goes through the one escaper (DEL, C1 and
 * invisible characters as \uXXXX; jansson hands over whole characters). */
static void put_safe(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x7f) {
			char *e = tki_escape(s, n, TKI_ESC_JSON);
			put(o, e, strlen(e));
			free(e);
			return;
		}
	put(o, s, n);
}

/* jansson's output, straight into ours, each line shifted right. */
static int put_shifted(const char *buf, size_t size, void *data)
{
	struct shifted *d = data;
	static const char spaces[] = "        "; /* depth 4 at most */
	for (const char *nl; (nl = memchr(buf, '\n', size));) {
		size_t k = (size_t)(nl - buf) + 1;
		put_safe(d->o, buf, k);
		put(d->o, spaces, 2 * (size_t)d->depth);
		buf += k;
		size -= k;
	}
	put_safe(d->o, buf, size);
	return 0;
}

/* Dump v (consumed) indented by `depth` (at most 4) levels of two spaces;
 * false if jansson could not. No exit here: the tail thread calls it. */
static bool try_put_value(struct out *o, json_t *v, int depth)
{
	struct shifted d = {o, depth};
	if (depth < 0 || depth > 4) { /* put_shifted's spaces */
		json_decref(v);
		return false;
	}
	int rc = v ? json_dump_callback(v, put_shifted, &d, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : -1;
	json_decref(v);
	return rc == 0;
}

static void put_value(struct out *o, json_t *v, int depth)
{
	if (!try_put_value(o, v, depth))
		tki_die(TKI_EXIT_BLOCKED, "report.json: cannot render (out of memory, or nested too deep)");
}

/* `  "key": ` (a key at depth 1, preceded by the separator) */
static void put_key(struct out *o, const char *key, bool first)
{
	put(o, first ? "\n  " : ",\n  ", first ? 3 : 4);
	put_value(o, json_string(key), 1);
	put(o, ": ", 2);
}

typedef json_t *(*item_fn)(const void *items, size_t i);
static json_t *claim_at(const void *items, size_t i)
{
	return claim_json(&((const struct tki_claim *)items)[i]);
}
static json_t *evidence_at(const void *items, size_t i)
{
	return evidence_json(&((const struct tki_evidence *)items)[i]);
}

/* Elements [lo, hi) of an array at depth 1, each built and freed in turn. */
struct span {
	const void *items;
	size_t lo, hi;
	item_fn fn;
	struct out o;
	bool failed;
};

static void *put_span(void *arg)
{
	struct span *s = arg;
	for (size_t i = s->lo; i < s->hi && !s->failed; i++) {
		put(&s->o, i ? ",\n    " : "\n    ", i ? 6 : 5);
		s->failed = !try_put_value(&s->o, s->fn(s->items, i), 2);
	}
	return NULL;
}

/* Below this many elements a second thread costs more than it saves. */
#define SPLIT_MIN 4096

/* An array at depth 1. A long one is rendered in two halves at once, the
 * second by a thread created now, long after the sandbox is complete (its
 * filters and Landlock domain apply to it); the halves are joined in
 * order, so the bytes do not depend on the thread. */
static void put_array(struct out *o, const void *items, size_t n, item_fn fn)
{
	if (n == 0) {
		put(o, "[]", 2);
		return;
	}
	put(o, "[", 1);
	struct span head = {.items = items, .hi = n, .fn = fn, .o = *o};
	struct span tail = {.items = items, .lo = n / 2, .hi = n, .fn = fn};
	pthread_t t;
	bool split = n >= SPLIT_MIN && tki_cpus() > 1;
	if (split) {
		head.hi = n / 2;
		split = pthread_create(&t, NULL, put_span, &tail) == 0;
		if (!split) /* no thread to be had: all of it here */
			head.hi = n;
	}
	put_span(&head);
	*o = head.o;
	if (split && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "report.json: cannot join the rendering thread");
	if (head.failed || tail.failed)
		tki_die(TKI_EXIT_BLOCKED, "report.json: cannot render (out of memory, or nested too deep)");
	if (split) {
		put(o, tail.o.b, tail.o.n);
		free(tail.o.b);
	}
	put(o, "\n  ]", 4);
}

char *tki_report_render_json(const struct tki_report_in *in, size_t *len)
{
	const struct tki_packet *p = in->p;
	struct out o = {0};
	put(&o, "{", 1);
	put_key(&o, "schema", true);
	put_value(&o, json_string("tki-report/v1"), 1);
	put_key(&o, "packet_id", false);
	put_value(&o, str_or_null(in->packet_id), 1);
	put_key(&o, "manifest_sha256", false);
	put_value(&o, str_or_null(in->manifest_sha256), 1);
	put_key(&o, "run_date", false);
	put_value(&o, str_or_null(in->run_date), 1);
	put_key(&o, "verdict", false);
	put_value(&o, json_string(tki_verdict_name(in->verdict)), 1);
	put_key(&o, "exit_code", false);
	put_value(&o, json_integer(in->exit_code), 1);
	tki_autofree char *scope = tki_report_scope(in);
	put_key(&o, "scope", false);
	put_value(&o, str_or_null(scope), 1);

	size_t counts[TKI_CLASS__COUNT] = {0};
	for (size_t i = 0; p && i < p->n_claims; i++)
		counts[p->claims[i].cls < TKI_CLASS__COUNT ? p->claims[i].cls : TKI_CLASS_UNVERIFIED]++;
	json_t *cj = json_object();
	for (int c = 0; c < TKI_CLASS__COUNT; c++)
		json_object_set_new(cj, tki_class_name((enum tki_class)c), json_integer((json_int_t)counts[c]));
	put_key(&o, "counts", false);
	put_value(&o, cj, 1);

	put_key(&o, "claims", false);
	put_array(&o, p ? p->claims : NULL, p ? p->n_claims : 0, claim_at);
	put_key(&o, "evidence", false);
	put_array(&o, p ? p->evidence : NULL, p ? p->n_evidence : 0, evidence_at);
	put_key(&o, "errors", false);
	put_value(&o, strlist(in->errors), 1);
	put_key(&o, "warnings", false);
	put_value(&o, strlist(p ? &p->warnings : NULL), 1);
	put(&o, "\n}\n", 3);
	o.b[o.n] = '\0';
	*len = o.n;
	return o.b;
}
