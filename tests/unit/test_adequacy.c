// SPDX-License-Identifier: Apache-2.0
/* The Article-14 classifier on hand-built packets: every class, the
 * precedence, FAIL/PARTIAL/BLOCKED judging, the exit code; RFC 6901. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tki/adequacy.h"
#include "tki_test_packet.h"

static enum tki_class classify1(struct tki_packet *p, int *rc)
{
	int r = tki_adequacy_classify(p);
	if (rc)
		*rc = r;
	return p->claims[0].cls;
}

static void test_adequate_pass_by_exit_and_assert(void **s)
{
	struct tki_packet *p = tp_new(1, 1);
	tp_command(&p->evidence[0], 0);
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
	tp_cite(p, 0, 0);
	int rc;
	assert_int_equal(classify1(p, &rc), TKI_CLASS_ADEQUATE);
	assert_int_equal(rc, 0);
	assert_true(p->claims[0].reasons.n >= 1);
	tp_free(p);
}

static void test_contradicted(void **s)
{
	/* PASS with a non-zero exit code */
	struct tki_packet *p = tp_new(1, 1);
	tp_command(&p->evidence[0], 1);
	tp_cite(p, 0, 0);
	int rc;
	assert_int_equal(classify1(p, &rc), TKI_CLASS_CONTRADICTED);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(p->claims[0].reasons.v[0], "exit code 1"));
	tp_free(p);
	/* PASS with a failing assert (artifact) */
	p = tp_new(1, 1);
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
	tp_assert(&p->evidence[0], TKI_OP_NOT_CONTAINS, true, false);
	tp_cite(p, 0, 0);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_CONTRADICTED);
	assert_non_null(strstr(p->claims[0].reasons.v[0], "not_contains \"needle\" fails"));
	tp_free(p);
	/* a contradicting item beats a supporting one */
	p = tp_new(1, 2);
	tp_command(&p->evidence[0], 0);
	tp_assert(&p->evidence[1], TKI_OP_CONTAINS, true, false);
	tp_cite(p, 0, 0);
	tp_cite(p, 0, 1);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_CONTRADICTED);
	tp_free(p);
}

static void test_prose_only(void **s)
{
	struct tki_packet *p = tp_new(1, 2);
	p->evidence[0].kind = p->evidence[1].kind = TKI_KIND_PROSE;
	tp_cite(p, 0, 0);
	tp_cite(p, 0, 1);
	int rc;
	assert_int_equal(classify1(p, &rc), TKI_CLASS_PROSE_ONLY);
	assert_int_equal(rc, 1);
	/* not PASS: prose is simply not machine-checked: UNCHECKED */
	tki_strlist_free(&p->claims[0].reasons);
	p->claims[0].status = TKI_ST_FAIL;
	assert_int_equal(classify1(p, NULL), TKI_CLASS_UNCHECKED);
	tp_free(p);
}

static void test_unchecked(void **s)
{
	/* an artifact without asserts */
	struct tki_packet *p = tp_new(1, 2);
	p->evidence[1].kind = TKI_KIND_PROSE;
	tp_cite(p, 0, 0);
	tp_cite(p, 0, 1);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_UNCHECKED);
	tp_free(p);
	/* an assert that could not be evaluated (not JSON, over the cap) */
	p = tp_new(1, 1);
	tp_assert(&p->evidence[0], TKI_OP_JSON_EQUALS, false, false);
	tp_cite(p, 0, 0);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_UNCHECKED);
	tp_free(p);
}

static void test_unverified(void **s)
{
	enum tki_ev_state states[] = {TKI_EV_MISSING, TKI_EV_MISMATCH, TKI_EV_BAD_PROVENANCE};
	for (size_t i = 0; i < TKI_ARRAY_LEN(states); i++) {
		struct tki_packet *p = tp_new(1, 2);
		tp_command(&p->evidence[0], 0); /* a good item does not rescue it */
		p->evidence[1].state = states[i];
		tki_strlist_add(&p->evidence[1].reasons, "why it is bad");
		tp_cite(p, 0, 0);
		tp_cite(p, 0, 1);
		assert_int_equal(classify1(p, NULL), TKI_CLASS_UNVERIFIED);
		assert_string_equal(p->claims[0].reasons.v[0], "evidence E2 (artifacts/e2.txt): why it is bad");
		tp_free(p);
	}
}

static void test_missing_evidence_and_triage(void **s)
{
	struct tki_packet *p = tp_new(1, 0);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_MISSING_EVIDENCE);
	assert_string_equal(p->claims[0].reasons.v[0], "no evidence cited");
	tp_free(p);

	p = tp_new(1, 1);
	free(p->claims[0].category);
	p->claims[0].category = tki_xstrdup("ops.vibes");
	tp_command(&p->evidence[0], 0);
	tp_cite(p, 0, 0);
	int rc;
	assert_int_equal(classify1(p, &rc), TKI_CLASS_TRIAGE_ONLY);
	assert_int_equal(rc, 1); /* perfect evidence, still never 0 */
	tp_free(p);
}

/* TRIAGE_ONLY > MISSING_EVIDENCE > UNVERIFIED > CONTRADICTED > PROSE_ONLY > UNCHECKED > ADEQUATE */
static void test_precedence(void **s)
{
	struct tki_packet *p = tp_new(1, 0);
	free(p->claims[0].category);
	p->claims[0].category = tki_xstrdup("Build"); /* case matters: not governed */
	assert_int_equal(classify1(p, NULL), TKI_CLASS_TRIAGE_ONLY);
	assert_int_equal(p->claims[0].reasons.n, 2); /* both reasons kept */
	tp_free(p);

	p = tp_new(1, 2); /* unverified + contradicted */
	tp_command(&p->evidence[0], 7);
	p->evidence[1].state = TKI_EV_MISMATCH;
	tp_cite(p, 0, 0);
	tp_cite(p, 0, 1);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_UNVERIFIED);
	tp_free(p);

	p = tp_new(1, 2); /* contradicted + prose */
	p->evidence[0].kind = TKI_KIND_PROSE;
	tp_assert(&p->evidence[1], TKI_OP_CONTAINS, true, false);
	tp_cite(p, 0, 0);
	tp_cite(p, 0, 1);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_CONTRADICTED);
	tp_free(p);

	p = tp_new(1, 2); /* prose + supporting command: ADEQUATE */
	p->evidence[0].kind = TKI_KIND_PROSE;
	tp_command(&p->evidence[1], 0);
	tp_assert(&p->evidence[1], TKI_OP_CONTAINS, true, true);
	tp_cite(p, 0, 0);
	tp_cite(p, 0, 1);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_ADEQUATE);
	tp_free(p);
}

static void test_other_statuses(void **s)
{
	struct {
		enum tki_status st;
		long long code;
		int asserts; /* -1 none, 0 fails, 1 holds */
		enum tki_class want;
	} t[] = {
		/* an exit code may contradict, never support (issue 13, point 1) */
		{TKI_ST_FAIL, 1, -1, TKI_CLASS_UNCHECKED},
		{TKI_ST_FAIL, 0, -1, TKI_CLASS_CONTRADICTED},
		{TKI_ST_FAIL, 2, 1, TKI_CLASS_ADEQUATE},
		{TKI_ST_FAIL, 2, 0, TKI_CLASS_CONTRADICTED},
		{TKI_ST_FAIL, 0, 1, TKI_CLASS_CONTRADICTED},
		{TKI_ST_BLOCKED, 3, -1, TKI_CLASS_UNCHECKED},
		{TKI_ST_BLOCKED, 3, 1, TKI_CLASS_ADEQUATE},
		{TKI_ST_BLOCKED, 0, -1, TKI_CLASS_CONTRADICTED},
		{TKI_ST_PARTIAL, 0, -1, TKI_CLASS_UNCHECKED},
		{TKI_ST_PARTIAL, 1, -1, TKI_CLASS_UNCHECKED},
		{TKI_ST_PARTIAL, 1, 1, TKI_CLASS_ADEQUATE},
		{TKI_ST_PARTIAL, 0, 0, TKI_CLASS_CONTRADICTED},
		{TKI_ST_PASS, 0, -1, TKI_CLASS_UNCHECKED},
		{TKI_ST_PASS, 0, 1, TKI_CLASS_ADEQUATE},
		{TKI_ST_PASS, 1, 1, TKI_CLASS_CONTRADICTED},
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(t); i++) {
		struct tki_packet *p = tp_new(1, 1);
		p->claims[0].status = t[i].st;
		tp_command(&p->evidence[0], t[i].code);
		if (t[i].asserts >= 0)
			tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, t[i].asserts == 1);
		tp_cite(p, 0, 0);
		enum tki_class got = classify1(p, NULL);
		if (got != t[i].want)
			fail_msg("case %zu: %s exit %lld: got %s, want %s", i, tki_status_name(t[i].st), t[i].code,
				 tki_class_name(got), tki_class_name(t[i].want));
		assert_int_equal(p->claims[0].status, t[i].st); /* never upgraded */
		tp_free(p);
	}
	/* artifact asserts that hold support a FAIL too */
	struct tki_packet *p = tp_new(1, 1);
	p->claims[0].status = TKI_ST_FAIL;
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
	tp_cite(p, 0, 0);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_ADEQUATE);
	tp_free(p);
}

static void test_exit_code(void **s)
{
	struct tki_packet *p = tp_new(2, 1);
	tp_command(&p->evidence[0], 0);
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
	tp_cite(p, 0, 0);
	tp_cite(p, 1, 0);
	assert_int_equal(tki_adequacy_classify(p), 0);
	for (size_t i = 0; i < 2; i++)
		tki_strlist_free(&p->claims[i].reasons);
	p->claims[1].n_cites = 0; /* one claim loses its evidence */
	assert_int_equal(tki_adequacy_classify(p), 1);
	tp_free(p);
	p = tp_new(0, 0); /* no claim at all: nothing is evidenced */
	assert_int_equal(tki_adequacy_classify(p), 1);
	tp_free(p);
}

static void test_attestation_without_rejudge_is_unchecked(void **s)
{
	struct tki_packet *p = tp_new(1, 1);
	p->evidence[0].kind = TKI_KIND_ATTESTATION;
	p->evidence[0].content = tki_xstrdup("{}");
	p->evidence[0].content_len = 2;
	tp_cite(p, 0, 0);
	enum tki_class c = classify1(p, NULL);
	/* "{}" is no bundle: whatever the re-judge says, it supports nothing */
	assert_int_equal(c, TKI_CLASS_UNCHECKED);
	assert_string_equal(p->evidence[0].b4_prime, "NOT_ATTESTED");
	tp_free(p);
}

/* Issue 13, point 1: "PR-NET-1 FAIL: connect succeeded" with exit_code 0
 * and no asserts supports nothing, whatever the exit code says. */
static void test_exit_code_alone_supports_nothing(void **s)
{
	struct tki_packet *p = tp_new(1, 1);
	tp_command(&p->evidence[0], 0);
	tp_cite(p, 0, 0);
	int rc;
	assert_int_equal(classify1(p, &rc), TKI_CLASS_UNCHECKED);
	assert_int_equal(rc, 1);
	bool named = false;
	for (size_t i = 0; i < p->claims[0].reasons.n; i++)
		named = named || strstr(p->claims[0].reasons.v[i], "without asserts: its exit code is the packet's word");
	assert_true(named);
	assert_int_equal(p->claims[0].n_support, 0);
	tp_free(p);
}

/* Issue 13, point 2: an SBOM whose assert holds says nothing about the
 * network wall. Support outside the binding table leaves the claim
 * UNCHECKED, naming what would count; it may still contradict. */
static void test_binding(void **s)
{
	const char *sandbox[] = {"sandbox.network", "sandbox.filesystem", "sandbox.env", "sandbox.syscall",
				 "sandbox.capability", "sandbox.attestation"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(sandbox); i++) {
		for (int kind = 0; kind < 2; kind++) {
			struct tki_packet *p = tp_new(1, 1);
			free(p->claims[0].category);
			p->claims[0].category = tki_xstrdup(sandbox[i]);
			if (kind)
				tp_command(&p->evidence[0], 0);
			tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
			tp_cite(p, 0, 0);
			if (classify1(p, NULL) != TKI_CLASS_UNCHECKED)
				fail_msg("%s: an assert that holds supported it", sandbox[i]);
			bool named = false;
			for (size_t r = 0; r < p->claims[0].reasons.n; r++)
				named = named || (strstr(p->claims[0].reasons.v[r], "cannot support a") &&
						  strstr(p->claims[0].reasons.v[r], "an attestation bundle whose probe"));
			if (!named)
				fail_msg("%s: the reason does not say what would count", sandbox[i]);
			tp_free(p);
		}
	}
	/* sandbox.network names its probes */
	struct tki_packet *p = tp_new(1, 1);
	free(p->claims[0].category);
	p->claims[0].category = tki_xstrdup("sandbox.network");
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, true);
	tp_cite(p, 0, 0);
	classify1(p, NULL);
	bool named = false;
	for (size_t r = 0; r < p->claims[0].reasons.n; r++)
		named = named || strstr(p->claims[0].reasons.v[r], "PR-NET-1, PR-NET-2 and PR-SOCK-1 and P1 invariant network");
	assert_true(named);
	tp_free(p);
	/* ...but it may contradict */
	p = tp_new(1, 1);
	free(p->claims[0].category);
	p->claims[0].category = tki_xstrdup("sandbox.network");
	tp_assert(&p->evidence[0], TKI_OP_CONTAINS, true, false);
	tp_cite(p, 0, 0);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_CONTRADICTED);
	tp_free(p);
	/* build, test, provenance: asserts on verified bytes, recorded */
	const char *byassert[] = {"build", "test", "provenance"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(byassert); i++) {
		p = tp_new(1, 2);
		free(p->claims[0].category);
		p->claims[0].category = tki_xstrdup(byassert[i]);
		p->evidence[0].kind = TKI_KIND_PROSE;
		tp_assert(&p->evidence[1], TKI_OP_CONTAINS, true, true);
		tp_assert(&p->evidence[1], TKI_OP_NOT_CONTAINS, true, true);
		tp_cite(p, 0, 0);
		tp_cite(p, 0, 1);
		assert_int_equal(classify1(p, NULL), TKI_CLASS_ADEQUATE);
		assert_int_equal(p->claims[0].n_support, 1);
		assert_int_equal(p->claims[0].support[0].ev, 1);
		assert_string_equal(p->claims[0].support[0].ev_id, "E2");
		assert_int_equal(p->claims[0].support[0].asserts, 3);
		json_t *j = tki_support_json(&p->claims[0]);
		tki_autofree char *d = json_dumps(j, JSON_COMPACT);
		assert_string_equal(d, "[{\"evidence\":\"E2\",\"kind\":\"artifact\",\"asserts\":[0,1]}]");
		json_decref(j);
		tp_free(p);
	}
	/* an attestation bundle does not observe a build */
	p = tp_new(1, 1);
	p->evidence[0].kind = TKI_KIND_ATTESTATION;
	tp_cite(p, 0, 0);
	assert_int_equal(classify1(p, NULL), TKI_CLASS_UNCHECKED);
	tp_free(p);
}

static void test_taxonomy(void **s)
{
	const char *good[] = {"sandbox.network", "sandbox.filesystem", "sandbox.env", "sandbox.syscall",
			      "sandbox.capability", "sandbox.attestation", "build", "test", "provenance"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(good); i++)
		assert_true(tki_category_governed(good[i]));
	const char *bad[] = {"", "sandbox", "sandbox.", "build ", "TEST", "sandbox.network.x", "performance"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++)
		assert_false(tki_category_governed(bad[i]));
	assert_false(tki_category_governed(NULL));
}

/* RFC 6901 §5, the example document and its pointers. */
static void test_pointer_rfc6901(void **s)
{
	const char *doc_text = "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2, \"e^f\": 3, "
			       "\"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7, \"m~n\": 8}";
	json_error_t e;
	json_t *doc = json_loads(doc_text, JSON_REJECT_DUPLICATES, &e);
	assert_non_null(doc);
	assert_ptr_equal(tki_json_pointer(doc, ""), doc);
	assert_true(json_equal(tki_json_pointer(doc, "/foo"), json_object_get(doc, "foo")));
	assert_string_equal(json_string_value(tki_json_pointer(doc, "/foo/0")), "bar");
	struct { const char *ptr; int want; } t[] = {
		{"/", 0}, {"/a~1b", 1}, {"/c%d", 2}, {"/e^f", 3}, {"/g|h", 4},
		{"/i\\j", 5}, {"/k\"l", 6}, {"/ ", 7}, {"/m~0n", 8},
	};
	for (size_t i = 0; i < TKI_ARRAY_LEN(t); i++) {
		json_t *v = tki_json_pointer(doc, t[i].ptr);
		assert_non_null(v);
		assert_int_equal(json_integer_value(v), t[i].want);
	}
	/* never resolve */
	const char *bad[] = {"foo", "/foo/2", "/foo/-", "/foo/01", "/foo/+1", "/foo/ 1", "/m~2n", "/m~",
			     "/a/b", "/foo/0/x", "/nope", "/foo/18446744073709551616"};
	for (size_t i = 0; i < TKI_ARRAY_LEN(bad); i++)
		if (tki_json_pointer(doc, bad[i]))
			fail_msg("pointer %s resolved", bad[i]);
	/* ~01 is "~1" literally, not "/" (unescape ~1 after ~0 would be wrong) */
	json_t *d2 = json_loads("{\"~1\": 9, \"/\": 10}", 0, &e);
	assert_int_equal(json_integer_value(tki_json_pointer(d2, "/~01")), 9);
	assert_int_equal(json_integer_value(tki_json_pointer(d2, "/~1")), 10);
	json_decref(d2);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adequate_pass_by_exit_and_assert),
		cmocka_unit_test(test_contradicted),
		cmocka_unit_test(test_prose_only),
		cmocka_unit_test(test_unchecked),
		cmocka_unit_test(test_unverified),
		cmocka_unit_test(test_missing_evidence_and_triage),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_other_statuses),
		cmocka_unit_test(test_exit_code),
		cmocka_unit_test(test_attestation_without_rejudge_is_unchecked),
		cmocka_unit_test(test_exit_code_alone_supports_nothing),
		cmocka_unit_test(test_binding),
		cmocka_unit_test(test_taxonomy),
		cmocka_unit_test(test_pointer_rfc6901),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
