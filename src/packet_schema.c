// SPDX-License-Identifier: Apache-2.0
/* Manifest reader, the schema half (pure): jansson tree -> packet model.
 * Every error names the JSON path of the offending value (#10); duplicate
 * ids and dangling references name both places (#11); each cap is named
 * (#12). Errors are collected, not stopped at, up to TKI_MAX_ERRORS. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "packet_int.h"
#include "tki/guard.h"

struct ctx {
	struct tki_reject *r;
};

/* A JSON path as a chain of stack frames, spelled out only for an error
 * message: the walk visits millions of values and reports a handful, and
 * formatting every path eagerly was a tenth of a 200k-claim read. NULL is
 * the root. */
struct jpath {
	const struct jpath *up;
	const char *key; /* NULL: an array index */
	size_t klen, idx;
};
#define JP_KEY(parent, k) (&(const struct jpath){.up = (parent), .key = (k), .klen = strlen(k)})
#define JP_IDX(parent, i) (&(const struct jpath){.up = (parent), .idx = (i)})

/* parent + "." + key, or parent + "[\"key\"]" when key is not a plain
 * word, or parent + "[i]"; "(root)" for the root itself. */
static void path_fmt(const struct jpath *p, char *out, size_t n, bool top)
{
	if (!p) {
		snprintf(out, n, "%s", top ? "(root)" : "");
		return;
	}
	path_fmt(p->up, out, n, false);
	size_t len = strlen(out);
	if (!p->key) {
		snprintf(out + len, n - len, "[%zu]", p->idx);
		return;
	}
	bool plain = p->klen > 0 && p->klen < 64;
	for (size_t i = 0; plain && i < p->klen; i++) {
		char ch = p->key[i];
		plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
			ch == '-';
	}
	if (plain) {
		snprintf(out + len, n - len, "%s%.*s", len ? "." : "", (int)p->klen, p->key);
	} else {
		char q[96];
		tki_quote(q, sizeof(q), p->key, p->klen);
		snprintf(out + len, n - len, "[%s]", q);
	}
}

/* "packet.json: PATH: error: MSG" */
__attribute__((format(printf, 3, 4)))
static void err(struct ctx *c, const struct jpath *path, const char *fmt, ...)
{
	char msg[512], where[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	path_fmt(path, where, sizeof(where), true);
	tki_reject_add(c->r, "packet.json: %s: error: %s", where, msg);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* Unknown fields are errors unless they start with "x-". */
static void check_fields(struct ctx *c, json_t *obj, const struct jpath *path, const char *const *allowed, const char *list)
{
	const char *key;
	size_t klen;
	json_t *v;
	void *tmp;
	json_object_keylen_foreach_safe(obj, tmp, key, klen, v)
	{
		(void)v;
		if (klen >= 2 && key[0] == 'x' && key[1] == '-')
			continue;
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strlen(*a) == klen && !memcmp(*a, key, klen);
		if (!known) {
			const struct jpath p = {.up = path, .key = key, .klen = klen};
			err(c, &p, "unknown field (allowed: %s, or a name starting with \"x-\")", list);
		}
	}
}

enum str_flags { OPTIONAL = 1, ALLOW_NUL = 2, ALLOW_EMPTY = 4 };

/* A string member: type, length cap, no NUL unless allowed. NULL (with an
 * error unless optional and absent) otherwise. */
static const char *get_str(struct ctx *c, json_t *obj, const char *key, const struct jpath *path, unsigned flags,
			   size_t *lenp)
{
	const struct jpath *p = JP_KEY(path, key);
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (!(flags & OPTIONAL))
			err(c, p, "missing (required string)");
		return NULL;
	}
	if (!json_is_string(v)) {
		err(c, p, "expected a string, got %s", type_name(v));
		return NULL;
	}
	size_t len = json_string_length(v);
	const char *s = json_string_value(v);
	if (len > TKI_MAX_STRING) {
		err(c, p, "string of %zu bytes, over the limit of %d bytes (TKI_MAX_STRING)", len, TKI_MAX_STRING);
		return NULL;
	}
	if (!(flags & ALLOW_NUL) && memchr(s, '\0', len)) {
		err(c, p, "contains a NUL character (\\u0000)");
		return NULL;
	}
	if (!(flags & ALLOW_EMPTY) && len == 0) {
		err(c, p, "empty string");
		return NULL;
	}
	if (lenp)
		*lenp = len;
	return s;
}

static char *dup_bytes(const char *s, size_t len)
{
	char *d = tki_xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static char *dup_str(const char *s)
{
	return s ? tki_xstrdup(s) : NULL;
}

/* An id: a string in the id charset (TKI_ID_RULE), else an error. */
static const char *get_id(struct ctx *c, json_t *obj, const char *key, const struct jpath *path)
{
	const char *s = get_str(c, obj, key, path, 0, NULL);
	if (s && !tki_id_valid(s)) {
		char q[96];
		tki_quote(q, sizeof(q), s, strlen(s));
		err(c, JP_KEY(path, key), "%s is not an id: an id is %s", q, TKI_ID_RULE);
		return NULL;
	}
	return s;
}

static const char *get_time(struct ctx *c, json_t *obj, const char *key, const struct jpath *path)
{
	const char *s = get_str(c, obj, key, path, 0, NULL);
	if (s && !tki_rfc3339_utc(s, NULL)) {
		char q[96];
		tki_quote(q, sizeof(q), s, strlen(s));
		err(c, JP_KEY(path, key), "%s is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SSZ or +00:00)", q);
		return NULL;
	}
	return s;
}

static int get_enum(struct ctx *c, json_t *obj, const char *key, const struct jpath *path, const char *const *names,
		    size_t n, const char *list)
{
	const char *s = get_str(c, obj, key, path, 0, NULL);
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	char q[96];
	tki_quote(q, sizeof(q), s, strlen(s));
	err(c, JP_KEY(path, key), "%s is not one of %s", q, list);
	return -1;
}

/* An array member with at most max items. NULL when absent (error unless
 * optional) or wrong. */
static json_t *get_array_n(struct ctx *c, json_t *obj, const char *key, const struct jpath *path, bool optional,
			   size_t max, const char *cap, const char *what, size_t n);
static json_t *get_array(struct ctx *c, json_t *obj, const char *key, const struct jpath *path, bool optional,
			 size_t max, const char *cap, const char *what)
{
	return get_array_n(c, obj, key, path, optional, max, cap, what, SIZE_MAX);
}

/* The same, for an array whose n items are not in the tree (SIZE_MAX: they
 * are). */
static json_t *get_array_n(struct ctx *c, json_t *obj, const char *key, const struct jpath *path, bool optional,
			   size_t max, const char *cap, const char *what, size_t n)
{
	const struct jpath *p = JP_KEY(path, key);
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (!optional)
			err(c, p, "missing (required array)");
		return NULL;
	}
	if (!json_is_array(v)) {
		err(c, p, "expected an array, got %s", type_name(v));
		return NULL;
	}
	if (n == SIZE_MAX)
		n = json_array_size(v);
	if (n > max) {
		err(c, p, "%zu %s, over the limit of %zu (%s)", n, what, max, cap);
		return NULL;
	}
	return v;
}

/* Ids: an open-addressing table, so 100,000 ids cost linear time. */
struct idtab {
	size_t *slot; /* index + 1, 0 = empty */
	size_t mask;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void idtab_init(struct idtab *t, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap <<= 1;
	t->slot = tki_xcalloc(cap, sizeof(*t->slot));
	t->mask = cap - 1;
}

/* Insert id with value idx; if present, return the existing index + 1. */
static size_t idtab_put(struct idtab *t, const char *id, size_t idx, const char *(*name)(void *, size_t), void *ctx)
{
	for (size_t h = hash(id) & t->mask;; h = (h + 1) & t->mask) {
		if (!t->slot[h]) {
			t->slot[h] = idx + 1;
			return 0;
		}
		if (!strcmp(name(ctx, t->slot[h] - 1), id))
			return t->slot[h];
	}
}

static const char *claim_id(void *ctx, size_t i)
{
	return ((struct tki_packet *)ctx)->claims[i].id;
}

static const char *evidence_id(void *ctx, size_t i)
{
	return ((struct tki_packet *)ctx)->evidence[i].id;
}

static const char *const STATUS[] = {"PASS", "FAIL", "PARTIAL", "BLOCKED"};
static const char *const KIND[] = {"command_output", "artifact", "attestation", "prose"};
static const char *const OPS[] = {"contains", "not_contains", "json_equals"};

static bool parse_asserts(struct ctx *c, json_t *arr, const struct jpath *path, struct tki_evidence *ev)
{
	static const char *const fields[] = {"op", "value", "pointer", NULL};
	bool good = true;
	ev->asserts = tki_xcalloc(json_array_size(arr), sizeof(*ev->asserts));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const struct jpath *p = JP_IDX(path, i);
		const struct jpath *pp = JP_KEY(p, "value"), *pptr = JP_KEY(p, "pointer");
		json_t *a = json_array_get(arr, i);
		struct tki_assert *as = &ev->asserts[ev->n_asserts];
		if (!json_is_object(a)) {
			err(c, p, "expected an object, got %s", type_name(a));
			good = false;
			continue;
		}
		size_t before = c->r->errors.n;
		check_fields(c, a, p, fields, "op, value, pointer");
		int op = get_enum(c, a, "op", p, OPS, 3, "contains, not_contains, json_equals");
		json_t *value = json_object_get(a, "value");
		if (op == TKI_OP_CONTAINS || op == TKI_OP_NOT_CONTAINS) {
			size_t nl = 0;
			const char *needle = get_str(c, a, "value", p, ALLOW_NUL, &nl);
			if (json_object_get(a, "pointer")) {
				err(c, pptr, "only json_equals takes a pointer");
			}
			if (needle && c->r->errors.n == before) {
				as->op = (enum tki_assert_op)op;
				as->needle = dup_bytes(needle, nl);
				as->needle_len = nl;
			}
		} else if (op == TKI_OP_JSON_EQUALS) {
			const char *ptr = get_str(c, a, "pointer", p, ALLOW_EMPTY, NULL);
			if (!value)
				err(c, pp, "missing (json_equals needs the expected value)");
			if (ptr && *ptr && *ptr != '/') {
				err(c, pptr, "not an RFC 6901 JSON pointer (must be empty or start with \"/\")");
			}
			for (const char *t = ptr ? strchr(ptr, '~') : NULL; t; t = strchr(t + 1, '~'))
				if (t[1] != '0' && t[1] != '1') {
					err(c, pptr, "\"~\" must be followed by 0 or 1 (RFC 6901)");
					break;
				}
			if (ptr && value && c->r->errors.n == before) {
				as->op = TKI_OP_JSON_EQUALS;
				as->pointer = tki_xstrdup(ptr);
				as->value = json_incref(value);
			}
		}
		if (c->r->errors.n == before)
			ev->n_asserts++;
		else
			good = false;
	}
	return good;
}

static bool parse_provenance(struct ctx *c, json_t *obj, const struct jpath *path, struct tki_provenance *pv)
{
	static const char *const fields[] = {"producer", "venue", "captured_at", "command", "exit_code", NULL};
	const struct jpath *p = JP_KEY(path, "provenance");
	json_t *o = json_object_get(obj, "provenance");
	if (!o) {
		err(c, p, "missing (required object with producer, venue, captured_at)");
		return false;
	}
	if (!json_is_object(o)) {
		err(c, p, "expected an object, got %s", type_name(o));
		return false;
	}
	size_t before = c->r->errors.n;
	check_fields(c, o, p, fields, "producer, venue, captured_at, command, exit_code");
	pv->producer = dup_str(get_str(c, o, "producer", p, 0, NULL));
	pv->venue = dup_str(get_str(c, o, "venue", p, 0, NULL));
	pv->captured_at = dup_str(get_time(c, o, "captured_at", p));
	pv->command = dup_str(get_str(c, o, "command", p, OPTIONAL, NULL));
	json_t *x = json_object_get(o, "exit_code");
	if (x && !json_is_integer(x)) {
		err(c, JP_KEY(p, "exit_code"), "expected an integer, got %s", type_name(x));
	} else if (x) {
		pv->has_exit_code = true;
		pv->exit_code = json_integer_value(x);
	}
	return c->r->errors.n == before;
}

static bool sha256_hex(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (const char *t = s; *t; t++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
			return false;
	return true;
}

/* One evidence item's fields and its place in the id table. */
static void model_evidence(struct ctx *c, json_t *o, size_t i, struct tki_packet *p, struct idtab *ids)
{
	static const char *const fields[] = {"id", "kind", "path", "sha256", "provenance", "assert", NULL};
	const struct jpath *path = JP_IDX(JP_KEY(NULL, "evidence"), i);
	struct tki_evidence *ev = &p->evidence[i];
	p->n_evidence = i + 1;
	ev->index = i;
	if (!json_is_object(o)) {
		err(c, path, "expected an object, got %s", type_name(o));
		return;
	}
	check_fields(c, o, path, fields, "id, kind, path, sha256, provenance, assert");
	ev->id = dup_str(get_id(c, o, "id", path));
	int kind = get_enum(c, o, "kind", path, KIND, 4, "command_output, artifact, attestation, prose");
	ev->kind = kind < 0 ? TKI_KIND_PROSE : (enum tki_kind)kind;
	size_t plen = 0;
	const char *ps = get_str(c, o, "path", path, ALLOW_NUL, &plen);
	if (ps) {
		ev->path = dup_bytes(ps, plen);
		ev->path_len = plen;
	}
	const char *sha = get_str(c, o, "sha256", path, 0, NULL);
	if (sha && !sha256_hex(sha)) {
		char q[96];
		tki_quote(q, sizeof(q), sha, strlen(sha));
		err(c, JP_KEY(path, "sha256"), "%s is not 64 lowercase hex digits", q);
	} else if (sha) {
		memcpy(ev->sha256, sha, 65);
	}
	parse_provenance(c, o, path, &ev->prov);
	json_t *asserts = get_array(c, o, "assert", path, true, TKI_MAX_ASSERTS, "TKI_MAX_ASSERTS", "asserts");
	if (asserts)
		parse_asserts(c, asserts, JP_KEY(path, "assert"), ev);
	if (ev->id) {
		size_t prev = idtab_put(ids, ev->id, i, evidence_id, p);
		if (prev) {
			char q[96];
			tki_quote(q, sizeof(q), ev->id, strlen(ev->id));
			err(c, JP_KEY(path, "id"), "duplicate id %s (first at evidence[%zu].id)", q, prev - 1);
		}
	}
}

static void parse_evidence(struct ctx *c, json_t *arr, struct tki_packet *p, struct idtab *ids)
{
	p->evidence = tki_xcalloc(json_array_size(arr), sizeof(*p->evidence));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		model_evidence(c, json_array_get(arr, i), i, p, ids);
		/* Everything needed is copied into the model: let jansson free
		 * this item now, so the tree and the model never both peak. */
		json_array_set_new(arr, i, json_null());
	}
}

/* One claim's own fields: everything but the id table, which needs every
 * earlier id and so stays in index order. */
static void model_claim(struct ctx *c, json_t *o, size_t i, struct tki_claim *cl)
{
	static const char *const fields[] = {"id", "category", "statement", "status", "evidence", NULL};
	const struct jpath *path = JP_IDX(JP_KEY(NULL, "claims"), i);
	cl->index = i;
	if (!json_is_object(o)) {
		err(c, path, "expected an object, got %s", type_name(o));
		return;
	}
	check_fields(c, o, path, fields, "id, category, statement, status, evidence");
	cl->id = dup_str(get_id(c, o, "id", path));
	cl->category = dup_str(get_str(c, o, "category", path, 0, NULL));
	cl->statement = dup_str(get_str(c, o, "statement", path, ALLOW_EMPTY, NULL));
	int st = get_enum(c, o, "status", path, STATUS, 4, "PASS, FAIL, PARTIAL, BLOCKED");
	cl->status = st < 0 ? TKI_ST_FAIL : (enum tki_status)st;
	/* A claim may cite nothing: that is MISSING_EVIDENCE, not an
	 * invalid manifest (#41). */
	get_array(c, o, "evidence", path, true, TKI_MAX_CITES, "TKI_MAX_CITES", "citations");
}

static void claim_id_put(struct ctx *c, struct tki_packet *p, struct idtab *ids, size_t i)
{
	const char *id = p->claims[i].id;
	if (!id)
		return;
	size_t prev = idtab_put(ids, id, i, claim_id, p);
	if (prev) {
		char q[96];
		tki_quote(q, sizeof(q), id, strlen(id));
		err(c, JP_KEY(JP_IDX(JP_KEY(NULL, "claims"), i), "id"), "duplicate id %s (first at claims[%zu].id)", q,
		    prev - 1);
	}
}

static void parse_claims_seq(struct ctx *c, json_t *arr, struct tki_packet *p, struct idtab *ids)
{
	p->claims = tki_xcalloc(json_array_size(arr), sizeof(*p->claims));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		p->n_claims = i + 1;
		model_claim(c, json_array_get(arr, i), i, &p->claims[i]);
		claim_id_put(c, p, ids, i);
	}
}

/* Half of the claims, with errors of its own: it only has to tell whether
 * there were any, so it stops at the first. */
struct half {
	json_t *arr;
	struct tki_claim *claims;
	size_t lo, hi;
	struct tki_reject r;
};

static void *model_half(void *arg)
{
	struct half *h = arg;
	struct ctx c = {.r = &h->r};
	for (size_t i = h->lo; i < h->hi && h->r.errors.n == 0; i++)
		model_claim(&c, json_array_get(h->arr, i), i, &h->claims[i]);
	return NULL;
}

/* Below this many claims a second thread costs more than it saves. */
#define PAR_MIN 4096

/* Model a large manifest's claims in two halves at once, the second by a
 * thread created now, long after the sandbox is complete (jansson reads
 * distinct values safely from two threads; nothing here writes the tree).
 * Errors are a matter of order and of the TKI_MAX_ERRORS cap, which two
 * halves cannot keep: on any error, false with nothing modelled, and the
 * sequential walk says it all exactly as it always did. */
static bool parse_claims_par(json_t *arr, struct tki_packet *p)
{
	size_t n = json_array_size(arr);
	p->claims = tki_xcalloc(n, sizeof(*p->claims));
	p->n_claims = n;
	struct half head = {.arr = arr, .claims = p->claims, .lo = 0, .hi = n / 2};
	struct half tail = {.arr = arr, .claims = p->claims, .lo = n / 2, .hi = n};
	pthread_t t;
	bool split = pthread_create(&t, NULL, model_half, &tail) == 0;
	if (!split) /* no thread to be had: all of it here */
		head.hi = n;
	model_half(&head);
	if (split && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "packet.json: cannot join the schema thread");
	bool clean = head.r.errors.n == 0 && tail.r.errors.n == 0;
	tki_reject_free(&head.r);
	tki_reject_free(&tail.r);
	if (clean)
		return true;
	for (size_t i = 0; i < n; i++) {
		free(p->claims[i].id);
		free(p->claims[i].category);
		free(p->claims[i].statement);
	}
	free(p->claims);
	p->claims = NULL;
	p->n_claims = 0;
	return false;
}

static void parse_claims(struct ctx *c, json_t *arr, struct tki_packet *p, struct idtab *ids)
{
	if (json_array_size(arr) >= PAR_MIN && tki_cpus() > 1 && parse_claims_par(arr, p)) {
		/* No claim had an error, so the duplicate ids are the only
		 * ones, reported in index order as the sequential walk would. */
		for (size_t i = 0; i < p->n_claims; i++)
			claim_id_put(c, p, ids, i);
		return;
	}
	parse_claims_seq(c, arr, p, ids);
}

/* Claim i's citations (its "evidence" member), resolved to indexes.
 * by[e] == i + 1 when claim i already cited evidence e, at position at[e]:
 * a repeated citation is found in O(1), not by comparing every pair of a
 * claim's up to 256 citations. */
static void resolve_claim(struct ctx *c, json_t *cites, size_t i, struct tki_packet *p, const struct idtab *evids,
			  size_t *by, size_t *at)
{
	struct tki_claim *cl = &p->claims[i];
	if (!json_is_array(cites) || json_array_size(cites) > TKI_MAX_CITES)
		return; /* already reported */
	cl->cites = tki_xcalloc(json_array_size(cites), sizeof(*cl->cites));
	for (size_t k = 0; k < json_array_size(cites); k++) {
		char q[96];
		const struct jpath *path = JP_IDX(JP_KEY(JP_IDX(JP_KEY(NULL, "claims"), i), "evidence"), k);
		json_t *v = json_array_get(cites, k);
		if (!json_is_string(v)) {
			err(c, path, "expected an evidence id (a string), got %s", type_name(v));
			continue;
		}
		const char *id = json_string_value(v);
		size_t found = 0;
		if (strlen(id) == json_string_length(v)) {
			for (size_t h = hash(id) & evids->mask; evids->slot[h]; h = (h + 1) & evids->mask)
				if (!strcmp(p->evidence[evids->slot[h] - 1].id, id)) {
					found = evids->slot[h];
					break;
				}
		}
		if (found == 0 || by[found - 1] == i + 1)
			tki_quote(q, sizeof(q), id, json_string_length(v));
		if (!found) {
			err(c, path, "%s is not an evidence id", q);
			continue;
		}
		if (by[found - 1] == i + 1) {
			err(c, path, "%s is cited twice (first at claims[%zu].evidence[%zu])", q, i, at[found - 1]);
			continue;
		}
		by[found - 1] = i + 1;
		at[found - 1] = k;
		cl->cites[cl->n_cites++] = found - 1;
	}
}

/* Set apart from resolve_claim: two threads resolve claims at once. */
static void mark_cited(struct tki_packet *p, const struct tki_claim *cl)
{
	for (size_t k = 0; k < cl->n_cites; k++)
		p->evidence[cl->cites[k]].cited = true;
}

/* Second pass over claims[].evidence once every evidence id is known. */
static void resolve_cites(struct ctx *c, json_t *arr, struct tki_packet *p, struct idtab *evids)
{
	size_t *by = tki_xcalloc(p->n_evidence, sizeof(*by));
	size_t *at = tki_xcalloc(p->n_evidence, sizeof(*at));
	for (size_t i = 0; i < p->n_claims; i++) {
		resolve_claim(c, json_object_get(json_array_get(arr, i), "evidence"), i, p, evids, by, at);
		mark_cited(p, &p->claims[i]);
		json_array_set_new(arr, i, json_null()); /* done with it: free it now */
	}
	free(by);
	free(at);
}

/* The root's own members; claims and evidence set to the arrays (NULL when
 * missing or wrong, with the error). NULL when the root is no object. */
static struct tki_packet *model_root(struct ctx *c, json_t *root, char *packet_id, size_t idlen, json_t **claims,
				     json_t **evidence, size_t n_claims, size_t n_evidence)
{
	static const char *const fields[] = {"schema", "packet_id", "created_at", "claims", "evidence", NULL};
	if (!json_is_object(root)) {
		err(c, NULL, "expected an object, got %s", type_name(root));
		return NULL;
	}
	struct tki_packet *p = tki_xcalloc(1, sizeof(*p));
	check_fields(c, root, NULL, fields, "schema, packet_id, created_at, claims, evidence");
	const char *schema = get_str(c, root, "schema", NULL, 0, NULL);
	if (schema && strcmp(schema, "tki-packet/v1")) {
		char q[96];
		tki_quote(q, sizeof(q), schema, strlen(schema));
		err(c, JP_KEY(NULL, "schema"), "%s is not \"tki-packet/v1\"", q);
	}
	const char *id = get_id(c, root, "packet_id", NULL);
	p->packet_id = dup_str(id);
	if (id)
		snprintf(packet_id, idlen, "%s", id);
	p->created_at = dup_str(get_time(c, root, "created_at", NULL));
	*claims = get_array_n(c, root, "claims", NULL, false, TKI_MAX_CLAIMS, "TKI_MAX_CLAIMS", "claims", n_claims);
	*evidence = get_array_n(c, root, "evidence", NULL, false, TKI_MAX_EVIDENCE, "TKI_MAX_EVIDENCE", "evidence items",
				n_evidence);
	return p;
}

/* After a walk without errors: the warnings. */
static struct tki_packet *finish(struct tki_packet *p, bool failed)
{
	if (failed) {
		tki_packet_free(p);
		return NULL;
	}
	for (size_t i = 0; i < p->n_evidence; i++)
		if (!p->evidence[i].cited) {
			char q[96];
			tki_quote(q, sizeof(q), p->evidence[i].id, strlen(p->evidence[i].id));
			tki_strlist_addf(&p->warnings, "evidence %s is cited by no claim", q);
		}
	return p;
}

struct tki_packet *tki_packet_from_json(json_t *root, struct tki_reject *r)
{
	struct ctx c = {.r = r};
	size_t before = r->errors.n;
	json_t *claims, *evidence;
	struct tki_packet *p =
		model_root(&c, root, r->packet_id, sizeof(r->packet_id), &claims, &evidence, SIZE_MAX, SIZE_MAX);
	if (!p)
		return NULL;
	struct idtab cids = {0}, evids = {0};
	idtab_init(&cids, claims ? json_array_size(claims) : 0);
	idtab_init(&evids, evidence ? json_array_size(evidence) : 0);
	if (claims)
		parse_claims(&c, claims, p, &cids);
	if (evidence)
		parse_evidence(&c, evidence, p, &evids);
	if (claims && evidence)
		resolve_cites(&c, claims, p, &evids);
	free(cids.slot);
	free(evids.slot);
	return finish(p, r->errors.n != before);
}

/* ---- One item at a time (tki_packet_from_items) ----------------------
 * The same walk with the items parsed from their bytes as they are
 * needed and freed once modelled, so the manifest never exists as one
 * tree. Evidence is modelled first, so that each claim's citations are
 * resolved while its item is parsed; the errors go to one list per phase
 * and are joined in the whole walk's order (root, claims, evidence,
 * citations), so the text, order and TKI_MAX_ERRORS cap are the same. */

/* Item i of a span list, parsed; NULL if jansson refuses it (then the
 * whole manifest is parsed for its error, which only it can place). */
static json_t *load_item(const char *buf, const struct tki_item_spans *a, size_t i)
{
	json_error_t je;
	return json_loadb(buf + a->v[i].off, a->v[i].len, TKI_LOAD_FLAGS, &je);
}

/* Claims [lo, hi): modelled, citations resolved. Stops at the first
 * error when stop_early (a parallel half only has to tell whether there
 * was one). claim_ids: put each id in the table in turn (one thread). */
struct claims_run {
	const char *buf;
	const struct tki_manifest_items *m;
	struct tki_packet *p;
	const struct idtab *evids;
	struct idtab *cids; /* NULL: the ids are put afterwards, in order */
	size_t lo, hi;
	bool model; /* false: only parsed (claims over TKI_MAX_CLAIMS: the whole walk models none) */
	bool resolve; /* evidence[] is an array within its cap: cites are resolved */
	bool stop_early, syntax;
	struct tki_reject rc, rx; /* the claims' own errors, the citations' */
};

static void *claims_run(void *arg)
{
	struct claims_run *w = arg;
	struct ctx cc = {.r = &w->rc}, cx = {.r = &w->rx};
	size_t *by = tki_xcalloc(w->p->n_evidence + 1, sizeof(*by));
	size_t *at = tki_xcalloc(w->p->n_evidence + 1, sizeof(*at));
	for (size_t i = w->lo; i < w->hi; i++) {
		if (w->stop_early && (w->rc.errors.n || w->rx.errors.n))
			break;
		json_t *o = load_item(w->buf, &w->m->claims, i);
		if (!o) {
			w->syntax = true;
			break;
		}
		if (w->model) {
			model_claim(&cc, o, i, &w->p->claims[i]);
			if (w->cids)
				claim_id_put(&cc, w->p, w->cids, i);
		}
		if (w->model && w->resolve)
			resolve_claim(&cx, json_object_get(o, "evidence"), i, w->p, w->evids, by, at);
		json_decref(o);
	}
	free(by);
	free(at);
	return NULL;
}

static void claims_clear(struct tki_packet *p)
{
	for (size_t i = 0; i < p->n_claims; i++) {
		struct tki_claim *cl = &p->claims[i];
		free(cl->id);
		free(cl->category);
		free(cl->statement);
		free(cl->cites);
		*cl = (struct tki_claim){0};
	}
}

/* Both halves at once (a thread created now, long after the sandbox is
 * complete); true when neither had an error. */
static bool claims_par(struct claims_run *w, bool *syntax)
{
	struct claims_run head = *w, tail = *w;
	head.cids = tail.cids = NULL;
	head.stop_early = tail.stop_early = true;
	head.hi = tail.lo = w->hi / 2;
	pthread_t t;
	bool split = pthread_create(&t, NULL, claims_run, &tail) == 0;
	if (!split)
		head.hi = w->hi;
	claims_run(&head);
	if (split && pthread_join(t, NULL) != 0)
		tki_die(TKI_EXIT_BLOCKED, "packet.json: cannot join the schema thread");
	bool clean = !head.rc.errors.n && !head.rx.errors.n && !tail.rc.errors.n && !tail.rx.errors.n;
	*syntax = head.syntax || tail.syntax;
	tki_reject_free(&head.rc);
	tki_reject_free(&head.rx);
	tki_reject_free(&tail.rc);
	tki_reject_free(&tail.rx);
	return clean && !*syntax;
}

static void join_errors(struct tki_reject *r, const struct tki_reject *part)
{
	for (size_t i = 0; i < part->errors.n; i++)
		tki_reject_add(r, "%s", part->errors.v[i]);
}

enum tki_stream_rc tki_packet_from_items(json_t *skel, const char *buf, const struct tki_manifest_items *m,
					 struct tki_reject *r, struct tki_packet **out)
{
	*out = NULL;
	json_t *cj = json_object_get(skel, "claims"), *ej = json_object_get(skel, "evidence");
	/* The scan's arrays must be the ones jansson sees, emptied. */
	if (!json_is_object(skel) || (m->has_claims ? !json_is_array(cj) || json_array_size(cj) : json_is_array(cj)) ||
	    (m->has_evidence ? !json_is_array(ej) || json_array_size(ej) : json_is_array(ej)))
		return TKI_STREAM_FALLBACK;
	struct tki_reject top = {0}, re = {0};
	struct ctx c = {.r = &top}, ce = {.r = &re};
	char packet_id[sizeof(r->packet_id)] = "";
	json_t *claims, *evidence;
	struct tki_packet *p =
		model_root(&c, skel, packet_id, sizeof(packet_id), &claims, &evidence,
			   m->has_claims ? m->claims.n : SIZE_MAX, m->has_evidence ? m->evidence.n : SIZE_MAX);
	/* An array over its cap is not walked (its error is the root's), but
	 * every item is still parsed: the whole parse would find a syntax
	 * error in it first. */
	struct idtab cids = {0}, evids = {0};
	idtab_init(&cids, claims ? m->claims.n : 0);
	idtab_init(&evids, evidence ? m->evidence.n : 0);
	bool syntax = false;
	p->evidence = tki_xcalloc(evidence ? m->evidence.n : 1, sizeof(*p->evidence));
	for (size_t i = 0; i < m->evidence.n && !syntax; i++) {
		json_t *o = load_item(buf, &m->evidence, i);
		syntax = !o;
		if (o && evidence)
			model_evidence(&ce, o, i, p, &evids);
		json_decref(o);
	}
	p->claims = tki_xcalloc(claims ? m->claims.n : 1, sizeof(*p->claims));
	p->n_claims = claims ? m->claims.n : 0;
	struct claims_run w = {.buf = buf, .m = m, .p = p, .evids = &evids, .cids = &cids, .hi = m->claims.n,
			       .model = claims != NULL, .resolve = evidence != NULL};
	if (!syntax && claims && m->claims.n >= PAR_MIN && tki_cpus() > 1 && claims_par(&w, &syntax)) {
		for (size_t i = 0; i < p->n_claims; i++)
			claim_id_put(&(struct ctx){.r = &w.rc}, p, &cids, i);
	} else if (!syntax) {
		claims_clear(p);
		claims_run(&w);
		syntax = w.syntax;
	}
	for (size_t i = 0; i < p->n_claims; i++)
		mark_cited(p, &p->claims[i]);
	free(cids.slot);
	free(evids.slot);
	size_t before = r->errors.n;
	if (!syntax) {
		join_errors(r, &top);
		join_errors(r, &w.rc);
		join_errors(r, &re);
		join_errors(r, &w.rx);
		memcpy(r->packet_id, packet_id, sizeof(packet_id));
	}
	tki_reject_free(&top);
	tki_reject_free(&re);
	tki_reject_free(&w.rc);
	tki_reject_free(&w.rx);
	if (syntax) {
		tki_packet_free(p);
		return TKI_STREAM_FALLBACK;
	}
	*out = finish(p, r->errors.n != before);
	return TKI_STREAM_OK;
}

/* Beside the constructor: whatever tki_packet_from_json allocates. */
void tki_packet_free(struct tki_packet *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_claims; i++) {
		struct tki_claim *c = &p->claims[i];
		free(c->id);
		free(c->category);
		free(c->statement);
		free(c->cites);
		tki_strlist_free(&c->reasons);
		free(c->support);
	}
	for (size_t i = 0; i < p->n_evidence; i++) {
		struct tki_evidence *ev = &p->evidence[i];
		free(ev->id);
		free(ev->path);
		free(ev->prov.producer);
		free(ev->prov.venue);
		free(ev->prov.captured_at);
		free(ev->prov.command);
		for (size_t k = 0; k < ev->n_asserts; k++) {
			free(ev->asserts[k].needle);
			free(ev->asserts[k].pointer);
			json_decref(ev->asserts[k].value);
		}
		free(ev->asserts);
		tki_strlist_free(&ev->reasons);
		free(ev->content);
		json_decref(ev->attestation);
	}
	free(p->claims);
	free(p->evidence);
	free(p->packet_id);
	free(p->created_at);
	tki_strlist_free(&p->warnings);
	free(p);
}
