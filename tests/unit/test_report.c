// SPDX-License-Identifier: Apache-2.0
/* Reports: determinism (render twice, same bytes), the scoped verdict,
 * no global wording, SARIF shape, failure reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <regex.h>

#include <cmocka.h>

#include "tki/adequacy.h"
#include "tki/cli.h"
#include "tki/dsse.h"
#include "tki/report.h"
#include "tki_test_packet.h"

/* C1 ADEQUATE PASS, C2 ADEQUATE BLOCKED, C3 CONTRADICTED, C4 MISSING_EVIDENCE */
static struct tki_packet *sample(void)
{
	struct tki_packet *p = tp_new(4, 3);
	tp_command(&p->evidence[0], 0);
	tp_command(&p->evidence[1], 3);
	/* an exit code never supports on its own: asserts on the bytes do */
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
	tp_assert(&p->evidence[1], TKI_OP_CONTAINS, true, true);
	tp_assert(&p->evidence[2], TKI_OP_CONTAINS, true, false);
	p->claims[1].status = TKI_ST_BLOCKED;
	tp_cite(p, 0, 0);
	tp_cite(p, 1, 1);
	tp_cite(p, 2, 2);
	tki_strlist_add(&p->warnings, "file notes/x.md is cited by no evidence");
	tki_adequacy_classify(p);
	return p;
}

static struct tki_report_in in_for(const struct tki_packet *p)
{
	return (struct tki_report_in){.verdict = TKI_VERDICT_INADEQUATE, .exit_code = 1, .run_date = "2026-06-10",
				      .packet_id = p->packet_id, .manifest_sha256 = p->manifest_sha256, .p = p};
}

/* --format vsa: an in-toto Statement (the C rules of tki_statement_check)
 * with the SLSA VSA predicate; FAILED for an inadequate packet; none when
 * the manifest digest is unknown. */
static void test_vsa(void **s)
{
	struct tki_packet *p = sample();
	struct tki_report_in in = in_for(p);
	size_t n;
	char *r = tki_report_render_vsa(&in, &n), why[256];
	json_t *j = json_loads(r, 0, NULL);
	assert_non_null(j);
	assert_true(tki_statement_check(j, "https://slsa.dev/verification_summary/v1", why, sizeof(why)));
	json_t *pr = json_object_get(j, "predicate");
	assert_string_equal(json_string_value(json_object_get(pr, "verificationResult")), "FAILED");
	assert_string_equal(json_string_value(json_object_get(pr, "timeVerified")), "2026-06-10T00:00:00Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(pr, "verifiedLevels"), 0)), "FAILED");
	json_t *sub = json_array_get(json_object_get(j, "subject"), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(sub, "digest"), "sha256")),
			    p->manifest_sha256);
	json_decref(j);
	free(r);
	in.manifest_sha256 = "";
	assert_null(tki_report_render_vsa(&in, &n));
	tp_free(p);
}

/* TKI_SANDBOX_B4_ATTESTED only for an ATTESTED bundle an ADEQUATE claim
 * cites: a signed bundle from anywhere, dropped in beside unrelated
 * claims, says nothing about this packet. */
static bool vsa_has_b4(struct tki_packet *p)
{
	struct tki_report_in in = in_for(p);
	in.verdict = TKI_VERDICT_ADEQUATE;
	in.exit_code = 0;
	size_t n;
	char *r = tki_report_render_vsa(&in, &n);
	json_t *j = json_loads(r, 0, NULL);
	const json_t *lv = json_object_get(json_object_get(j, "predicate"), "verifiedLevels");
	bool has = false;
	size_t i;
	const json_t *v;
	json_array_foreach(lv, i, v) has |= !strcmp(json_string_value(v), "TKI_SANDBOX_B4_ATTESTED");
	json_decref(j);
	free(r);
	return has;
}

static void test_vsa_b4_needs_a_citing_claim(void **s)
{
	struct tki_packet *p = tp_new(1, 2);
	tp_command(&p->evidence[0], 0);
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true); /* an exit code alone supports nothing */
	tp_cite(p, 0, 0);
	tki_adequacy_classify(p);
	assert_int_equal(p->claims[0].cls, TKI_CLASS_ADEQUATE);
	p->evidence[1].kind = TKI_KIND_ATTESTATION;
	p->evidence[1].b4_prime = (char *)"ATTESTED"; /* static, like adequacy.c's */
	assert_false(vsa_has_b4(p));
	tp_cite(p, 0, 1);
	assert_true(vsa_has_b4(p));
	p->evidence[1].b4_prime = NULL;
	tp_free(p);
}

/* Control bytes in author text (a claim statement, a reason quoting a
 * bundle's bytes) never reach report.md raw: a terminal that shows the
 * file would obey an ESC sequence. */
static void test_md_control_bytes(void **s)
{
	struct tki_packet *p = sample();
	free(p->claims[0].statement);
	p->claims[0].statement = tki_xstrdup("\x1b]0;owned\x07\x1b[31mred\x7f");
	tki_strlist_add(&p->claims[2].reasons, "near '\x1b[2J'");
	struct tki_report_in in = in_for(p);
	size_t len;
	char *md = tki_report_render_md(&in, &len);
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)md[i] < 0x20 && md[i] != '\n') || md[i] == 0x7f)
			fail_msg("raw byte 0x%02x at %zu", (unsigned char)md[i], i);
	/* the one escaper's Markdown form: a literal backslash, brackets escaped */
	assert_non_null(strstr(md, "\\\\x1b\\]0;owned\\\\x07\\\\x1b\\[31mred\\\\x7f"));
	free(md);
	tp_free(p);
}

static void test_deterministic(void **s)
{
	char *(*renders[])(const struct tki_report_in *, size_t *) = {
		tki_report_render_json, tki_report_render_md, tki_report_render_sarif, tki_report_render_vsa};
	for (size_t i = 0; i < TKI_ARRAY_LEN(renders); i++) {
		struct tki_packet *p1 = sample(), *p2 = sample();
		struct tki_report_in a = in_for(p1), b = in_for(p2);
		size_t la, lb;
		char *ra = renders[i](&a, &la), *rb = renders[i](&b, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(ra, rb, la);
		assert_int_equal(la, strlen(ra));
		assert_int_equal(ra[la - 1], '\n');
		free(ra);
		free(rb);
		tp_free(p1);
		tp_free(p2);
	}
}

/* A report long enough that its claims and evidence arrays are rendered in
 * two halves by two threads: still exactly jansson's own layout of the
 * whole document (parse it, dump it, same bytes), separators and
 * indentation where the halves meet included. */
/* A sink that keeps what it is handed, in pieces as they come. */
struct keep {
	char *b;
	size_t n, calls;
};
static void keep_fn(void *ctx, const char *buf, size_t len)
{
	struct keep *k = ctx;
	k->b = tki_xrealloc(k->b, k->n + len + 1);
	memcpy(k->b + k->n, buf, len);
	k->n += len;
	k->calls++;
}

/* Parse it, dump it: the same bytes (ours ends with a newline). */
static void one_document(const char *js, size_t len, const char *array, size_t n)
{
	json_error_t je;
	json_t *root = json_loadb(js, len, 0, &je);
	assert_non_null(root);
	if (array)
		assert_int_equal(json_array_size(json_object_get(root, array)), n);
	char *again = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(again);
	assert_int_equal(strlen(again) + 1, len);
	assert_memory_equal(again, js, len - 1);
	free(again);
	json_decref(root);
}

static void stream_vsa(const struct tki_report_in *in, const struct tki_sink *sink)
{
	assert_true(tki_report_stream_vsa(in, sink));
}

static void test_large_report_is_one_document(void **s)
{
	/* more than two of report_out.c's blocks, each cut in halves */
	size_t n = 20000;
	struct tki_packet *p = tp_new(n, n);
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 0)
			tp_command(&p->evidence[i], (long long)(i % 2));
		if (i % 7)
			tp_cite(p, i, i);
	}
	tki_adequacy_classify(p);
	struct tki_report_in in = in_for(p);
	size_t len;
	char *js = tki_report_render_json(&in, &len);
	one_document(js, len, "claims", n);
	one_document(js, len, "evidence", n);
	/* and in order, block after block, half after half */
	json_t *root = json_loadb(js, len, 0, NULL);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof(want), "C%zu", i + 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(root, "claims"), i), "id")), want);
		want[0] = 'E';
		assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(root, "evidence"), i), "id")), want);
	}
	json_decref(root);
	char *sj = tki_report_render_sarif(&in, &len);
	one_document(sj, len, NULL, 0);
	/* streamed: the same bytes, in pieces (never one piece this large) */
	struct {
		char *whole;
		void (*stream)(const struct tki_report_in *, const struct tki_sink *);
	} f[] = {{js, tki_report_stream_json}, {sj, tki_report_stream_sarif},
		 {tki_report_render_md(&in, &len), tki_report_stream_md},
		 {tki_report_render_vsa(&in, &len), stream_vsa}};
	one_document(f[3].whole, len, NULL, 0);
	for (size_t i = 0; i < 4; i++) {
		struct keep k = {0};
		f[i].stream(&in, &(struct tki_sink){keep_fn, &k});
		assert_true(k.calls > 1);
		assert_int_equal(k.n, strlen(f[i].whole));
		assert_memory_equal(k.b, f[i].whole, k.n);
		free(k.b);
		free(f[i].whole);
	}
	tp_free(p);
	(void)s;
}

/* An array whose every element is skipped, or whose first block has none:
 * "[]", or no separator before the first element written. */
static void test_sarif_results_skip(void **s)
{
	for (size_t adequate_first = 0; adequate_first < 2; adequate_first++) {
		size_t n = 9000;
		struct tki_packet *p = tp_new(n, 1);
		p->evidence[0].cited = true;
		tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
		for (size_t i = 0; i < n; i++) {
			if (adequate_first && i < 8500)
				tp_cite(p, i, 0);
		}
		tki_adequacy_classify(p);
		struct tki_report_in in = in_for(p);
		size_t len;
		char *sj = tki_report_render_sarif(&in, &len);
		one_document(sj, len, NULL, 0);
		free(sj);
		tp_free(p);
	}
	(void)s;
}

static void test_scope_and_order(void **s)
{
	struct tki_packet *p = sample();
	struct tki_report_in in = in_for(p);
	char *scope = tki_report_scope(&in);
	char want[300];
	snprintf(want, sizeof(want),
		 "2 of 4 claims adequately evidenced in packet UNIT1 (manifest sha256 %s) at run date 2026-06-10: "
		 "1 PASS, 1 BLOCKED",
		 p->manifest_sha256);
	assert_string_equal(scope, want);
	size_t len;
	char *md = tki_report_render_md(&in, &len);
	assert_memory_equal(md, "# ", 2);
	char *want_md = tki_escape_str(want, TKI_ESC_MD);
	assert_memory_equal(md + 2, want_md, strlen(want_md)); /* the scoped verdict first */
	free(want_md);
	assert_non_null(strstr(md, "### C3: CONTRADICTED (claimed PASS)"));
	assert_non_null(strstr(md, "### C4: MISSING_EVIDENCE (claimed PASS)"));
	assert_non_null(strstr(md, "How to fix: Cite at least one evidence item"));
	assert_null(strstr(md, "### C1:")); /* adequate claims need no fix */
	assert_non_null(strstr(md, "How to fix:"));

	char *js = tki_report_render_json(&in, &len);
	json_t *j = json_loads(js, 0, NULL);
	assert_non_null(j);
	const char *keys[] = {"schema", "packet_id", "manifest_sha256", "run_date", "verdict", "exit_code",
			      "scope", "counts", "claims", "evidence", "errors", "warnings"};
	const char *prev = js;
	for (size_t i = 0; i < TKI_ARRAY_LEN(keys); i++) { /* fixed key order */
		char k[40];
		snprintf(k, sizeof(k), "\n  \"%s\":", keys[i]);
		const char *at = strstr(js, k);
		assert_non_null(at);
		assert_true(at >= prev);
		prev = at;
	}
	assert_int_equal(json_object_size(json_object_get(j, "counts")), TKI_CLASS__COUNT);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "counts"), "ADEQUATE")), 2);
	json_decref(j);
	free(js);
	free(md);
	free(scope);
	tp_free(p);
}

static void test_no_global_wording(void **s)
{
	regex_t re;
	assert_int_equal(regcomp(&re, "all systems|everything pass|production[- ]ready|all green|fully secure",
				 REG_EXTENDED | REG_ICASE | REG_NOSUB),
			 0);
	struct tki_packet *p = sample();
	struct tki_report_in in = in_for(p);
	char *(*renders[])(const struct tki_report_in *, size_t *) = {
		tki_report_render_json, tki_report_render_md, tki_report_render_sarif};
	for (size_t i = 0; i < TKI_ARRAY_LEN(renders); i++) {
		size_t len;
		char *r = renders[i](&in, &len);
		assert_int_not_equal(regexec(&re, r, 0, NULL, 0), 0);
		free(r);
	}
	regfree(&re);
	tp_free(p);
}

static void test_sarif_results(void **s)
{
	struct tki_packet *p = sample();
	p->evidence[1].state = TKI_EV_MISMATCH; /* re-classify: C2 now UNVERIFIED */
	tki_adequacy_classify(p);
	struct tki_report_in in = in_for(p);
	size_t len;
	char *sj = tki_report_render_sarif(&in, &len);
	json_t *j = json_loads(sj, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), TKI_CLASS__COUNT + 2);
	json_t *results = json_object_get(run, "results");
	/* C2 UNVERIFIED, C3 CONTRADICTED, C4 MISSING_EVIDENCE, E2 unverified */
	assert_int_equal(json_array_size(results), 4);
	json_t *r0 = json_array_get(results, 0);
	assert_string_equal(json_string_value(json_object_get(r0, "ruleId")), "UNVERIFIED");
	assert_string_equal(json_string_value(json_object_get(r0, "kind")), "fail");
	assert_string_equal(json_string_value(json_object_get(r0, "level")), "error");
	json_t *al = json_object_get(
		json_object_get(json_array_get(json_object_get(r0, "locations"), 0), "physicalLocation"),
		"artifactLocation");
	assert_string_equal(json_string_value(json_object_get(al, "uri")), "artifacts/e2.txt");
	json_t *r2 = json_array_get(results, 2);
	al = json_object_get(json_object_get(json_array_get(json_object_get(r2, "locations"), 0), "physicalLocation"),
			     "artifactLocation");
	assert_string_equal(json_string_value(json_object_get(al, "uri")), "packet.json");
	json_decref(j);
	free(sj);
	tp_free(p);
}

static void test_failure_report(void **s)
{
	struct tki_reject r = {0};
	tki_strlist_add(&r.errors, "packet.json:3:7: error: expected ',' or '}'");
	struct tki_report_in in = {.verdict = TKI_VERDICT_REJECTED, .exit_code = 2, .run_date = "2026-06-10",
				   .packet_id = "", .manifest_sha256 = "", .errors = &r.errors};
	size_t len;
	char *md = tki_report_render_md(&in, &len);
	assert_non_null(strstr(md, "was REJECTED at run date 2026-06-10"));
	assert_non_null(strstr(md, "packet.json:3:7: error: expected ',' or '}'"));
	char *sj = tki_report_render_sarif(&in, &len);
	json_t *j = json_loads(sj, 0, NULL);
	json_t *res = json_array_get(json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results"), 0);
	assert_string_equal(json_string_value(json_object_get(res, "ruleId")), "REJECTED");
	json_t *region = json_object_get(
		json_object_get(json_array_get(json_object_get(res, "locations"), 0), "physicalLocation"), "region");
	assert_int_equal(json_integer_value(json_object_get(region, "startLine")), 3);
	assert_int_equal(json_integer_value(json_object_get(region, "startColumn")), 7);
	char *js = tki_report_render_json(&in, &len);
	json_t *jj = json_loads(js, 0, NULL);
	assert_true(json_is_null(json_object_get(jj, "packet_id")));
	assert_int_equal(json_integer_value(json_object_get(jj, "exit_code")), 2);
	/* an unusable output dir: no crash, the exit code stands */
	assert_int_equal(tki_report_write_failure(NULL, TKI_VERDICT_REJECTED, &r, "2026-06-10", TKI_FMT_ALL), 2);
	assert_int_equal(tki_report_write_failure(NULL, TKI_VERDICT_BLOCKED, &r, "2026-06-10", TKI_FMT_ALL), 3);
	json_decref(jj);
	json_decref(j);
	free(js);
	free(sj);
	free(md);
	tki_reject_free(&r);
}

/* The claims and evidence arrays are written directly (report_json.c),
 * not built as jansson objects: the same bytes as the objects the code
 * built before, dumped and passed through the one escaper, for hostile
 * text in every field (quotes, controls, DEL, C1, bidi, astral
 * characters, combining marks, bytes that are not UTF-8, empty fields). */
static json_t *ref_str(const char *s)
{
	if (!s || !*s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char *c = tki_escape_str(s, TKI_ESC_TEXT);
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

static json_t *ref_list(const struct tki_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, ref_str(l->v[i]));
	return a;
}

static json_t *ref_claims(const struct tki_packet *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->n_claims; i++) {
		const struct tki_claim *c = &p->claims[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", ref_str(c->id));
		json_object_set_new(o, "category", ref_str(c->category));
		json_object_set_new(o, "status", json_string(tki_status_name(c->status)));
		json_object_set_new(o, "class", json_string(tki_class_name(c->cls)));
		json_object_set_new(o, "reasons", ref_list(&c->reasons));
		json_object_set_new(o, "supported_by", tki_support_json(c));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *ref_evidence(const struct tki_packet *p)
{
	static const char *const states[] = {[TKI_EV_VERIFIED] = "VERIFIED", [TKI_EV_MISSING] = "MISSING"};
	json_t *a = json_array();
	for (size_t i = 0; i < p->n_evidence; i++) {
		const struct tki_evidence *ev = &p->evidence[i];
		json_t *o = json_object(), *as = json_array();
		json_object_set_new(o, "id", ref_str(ev->id));
		json_object_set_new(o, "kind", json_string(tki_kind_name(ev->kind)));
		json_object_set_new(o, "path", ref_str(ev->path));
		json_object_set_new(o, "verified", json_boolean(ev->state == TKI_EV_VERIFIED));
		json_object_set_new(o, "state", json_string(states[ev->state]));
		json_object_set_new(o, "sha256_expected", ref_str(ev->sha256));
		json_object_set_new(o, "sha256_actual", ref_str(ev->actual_sha256));
		json_object_set_new(o, "size", ev->actual_sha256[0] ? json_integer((json_int_t)ev->size) : json_null());
		for (size_t k = 0; k < ev->n_asserts; k++) {
			const struct tki_assert *t = &ev->asserts[k];
			json_t *x = json_object();
			json_object_set_new(x, "op", json_string(t->op == TKI_OP_CONTAINS ? "contains" : "json_equals"));
			if (t->op == TKI_OP_JSON_EQUALS)
				json_object_set_new(x, "pointer", ref_str(t->pointer));
			json_object_set_new(x, "result", json_string(!t->evaluated ? "NOT_EVALUATED" : t->holds ? "HOLDS" : "FAILS"));
			json_object_set_new(x, "detail", ref_str(t->detail));
			json_array_append_new(as, x);
		}
		json_object_set_new(o, "asserts", as);
		json_object_set_new(o, "reasons", ref_list(&ev->reasons));
		json_array_append_new(a, o);
	}
	return a;
}

/* `"key": ` + the dump of v at depth 1, as the report has it. */
static void has_member(const char *js, const char *key, json_t *v)
{
	char *d = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *e = tki_escape(d, strlen(d), TKI_ESC_JSON);
	size_t n = 0;
	for (const char *q = e; *q; q++)
		n += *q == '\n';
	char *want = tki_xmalloc(strlen(key) + strlen(e) + 2 * n + 8), *w = want;
	w += sprintf(w, "\"%s\": ", key);
	for (const char *q = e; *q; q++) {
		*w++ = *q;
		if (*q == '\n')
			*w++ = ' ', *w++ = ' ';
	}
	*w = '\0';
	assert_non_null(strstr(js, want));
	free(want);
	free(e);
	free(d);
	json_decref(v);
}

static void set(char **f, const char *v)
{
	free(*f);
	*f = v ? tki_xstrdup(v) : NULL;
}

static void test_direct_elements_are_janssons(void **s)
{
	(void)s;
	struct tki_packet *p = sample();
	set(&p->claims[0].id, "C\"1\\ /\b\f\n\r\t\x01\x1b\x7f \xc2\x85 \xe2\x80\xae \xf3\xa0\x81\x81 \xf0\x9f\x98\x80");
	set(&p->claims[1].category, "bad \xe9\xff utf8");
	set(&p->claims[2].category, "");
	set(&p->claims[3].category, "e\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81 \xe2\x80\xa8 \xef\xbb\xbf");
	tki_strlist_add(&p->claims[3].reasons, "why \"\x1f\" \xe2\x81\xa6");
	tki_strlist_add(&p->claims[3].reasons, "\xc0\xaf overlong");
	set(&p->evidence[0].path, "a/\xc2\x9b" "31m/\\x");
	set(&p->evidence[1].id, NULL);
	p->evidence[1].size = 1234567890123ll;
	p->evidence[2].state = TKI_EV_MISSING;
	p->evidence[2].actual_sha256[0] = '\0';
	tp_assert(&p->evidence[2], TKI_OP_JSON_EQUALS, true, false);
	p->evidence[2].asserts[1].pointer = tki_xstrdup("/a~1b/\xe2\x80\x8b\"");
	snprintf(p->evidence[2].asserts[1].detail, sizeof(p->evidence[2].asserts[1].detail), "%s", "x\xe2\x28\xa1\n");
	tki_strlist_add(&p->evidence[2].reasons, "tab\there");
	struct tki_report_in in = in_for(p);
	size_t len;
	char *js = tki_report_render_json(&in, &len);
	has_member(js, "claims", ref_claims(p));
	has_member(js, "evidence", ref_evidence(p));
	free(js);
	free(p->evidence[2].asserts[1].pointer);
	p->evidence[2].asserts[1].pointer = NULL;
	tp_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_vsa),
		cmocka_unit_test(test_vsa_b4_needs_a_citing_claim),
		cmocka_unit_test(test_md_control_bytes),
		cmocka_unit_test(test_large_report_is_one_document),
		cmocka_unit_test(test_direct_elements_are_janssons),
		cmocka_unit_test(test_sarif_results_skip),
		cmocka_unit_test(test_scope_and_order),
		cmocka_unit_test(test_no_global_wording),
		cmocka_unit_test(test_sarif_results),
		cmocka_unit_test(test_failure_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
