// SPDX-License-Identifier: Apache-2.0
/* The manifest read one item at a time (src/packet_split.c's
 * tki_manifest_items, src/packet_schema.c's tki_packet_from_items): on
 * crafted documents, the pieces (the skeleton and every item) all parse
 * exactly when the whole does, and when they do, the reader's errors,
 * their order, the TKI_MAX_ERRORS cap and the model are those of the walk
 * over the whole tree (tki_packet_from_json), the reader before issue 16. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "packet_int.h"
#include "tki/packet.h"
#include "tki_test_manifest.h"

#define EV "{\"id\":\"E1\",\"kind\":\"prose\",\"path\":\"p\",\"sha256\":" \
	"\"0000000000000000000000000000000000000000000000000000000000000000\"," \
	"\"provenance\":{\"producer\":\"p\",\"venue\":\"CI\",\"captured_at\":\"2026-06-10T12:00:00Z\"}}"
#define CL "{\"id\":\"C1\",\"category\":\"test\",\"statement\":\"s\",\"status\":\"PASS\",\"evidence\":[\"E1\"]}"

static char *errors_of(const struct tki_reject *r)
{
	size_t n = 1;
	for (size_t i = 0; i < r->errors.n; i++)
		n += strlen(r->errors.v[i]) + 1;
	char *s = calloc(1, n);
	for (size_t i = 0; i < r->errors.n; i++) {
		strcat(s, r->errors.v[i]);
		strcat(s, "\n");
	}
	return s;
}

/* The reader on doc against the whole-tree walk. */
static void same_as_whole(const char *what, const char *doc, size_t len)
{
	char *buf = malloc(len ? len : 1); /* no NUL after it: the scan stays within len */
	memcpy(buf, doc, len);
	struct tki_reject r1 = {0}, r2 = {0};
	struct tki_packet *p1 = tki_packet_parse(buf, len, &r1);
	json_error_t je;
	json_t *whole = tki_manifest_prescan(buf, len, &r2) ? json_loadb(buf, len, TKI_LOAD_FLAGS, &je) : NULL;
	bool pieces = r2.errors.n == 0 && tm_pieces_parse(buf, len);
	print_message("  %s: whole %s, pieces %s, %zu errors\n", what, whole ? "parses" : "does not",
		      pieces ? "parse" : "do not", r1.errors.n);
	/* never a piecewise yes where the whole says no, nor the reverse
	 * when the scan found the arrays (then only a fallback would save it) */
	assert_true(!pieces || whole);
	if (whole) {
		struct tki_packet *p2 = tki_packet_from_json(whole, &r2);
		if (!p2)
			tki_reject_locate(buf, len, &r2);
		char *e1 = errors_of(&r1), *e2 = errors_of(&r2);
		assert_string_equal(e1, e2);
		assert_memory_equal(r1.line, r2.line, sizeof(r1.line));
		assert_memory_equal(r1.col, r2.col, sizeof(r1.col));
		assert_string_equal(r1.packet_id, r2.packet_id);
		assert_int_equal(!p1, !p2);
		if (p1) {
			assert_int_equal(p1->n_claims, p2->n_claims);
			assert_int_equal(p1->n_evidence, p2->n_evidence);
			for (size_t i = 0; i < p1->n_claims; i++) {
				assert_string_equal(p1->claims[i].id, p2->claims[i].id);
				assert_string_equal(p1->claims[i].statement, p2->claims[i].statement);
				assert_int_equal(p1->claims[i].n_cites, p2->claims[i].n_cites);
				if (p1->claims[i].n_cites)
					assert_memory_equal(p1->claims[i].cites, p2->claims[i].cites,
							    p1->claims[i].n_cites * sizeof(size_t));
			}
			for (size_t i = 0; i < p1->n_evidence; i++) {
				assert_string_equal(p1->evidence[i].id, p2->evidence[i].id);
				assert_int_equal(p1->evidence[i].cited, p2->evidence[i].cited);
				assert_int_equal(p1->evidence[i].path_len, p2->evidence[i].path_len);
			}
			assert_int_equal(p1->warnings.n, p2->warnings.n);
		}
		free(e1);
		free(e2);
		tki_packet_free(p2);
		json_decref(whole);
	} else {
		assert_null(p1);
		assert_true(r1.errors.n > 0);
	}
	tki_packet_free(p1);
	tki_reject_free(&r1);
	tki_reject_free(&r2);
	free(buf);
}

/* {HEAD "claims":[CLAIMS],MID "evidence":[EVIDENCE]TAIL} */
static void doc(const char *what, const char *head, const char *claims, const char *mid, const char *evidence,
		const char *tail)
{
	char *s;
	int n = asprintf(&s, "{\"schema\":\"tki-packet/v1\",\"packet_id\":\"P\",\"created_at\":\"2026-06-10T12:00:00Z\",%s"
			     "\"claims\":[%s],%s\"evidence\":[%s]%s}",
			 head, claims, mid, evidence, tail);
	assert_true(n > 0);
	same_as_whole(what, s, (size_t)n);
	free(s);
}

static void crafted(void **state)
{
	doc("plain", "", CL, "", EV, "");
	doc("empty arrays", "", "", "", "", "");
	doc("whitespace everywhere", "", " \n\t" CL " \r\n", "", "\n " EV "\n", " \n");
	doc("evidence before claims", "\"evidence\":[" EV "],", CL, "\"x-\":0,", "", "");
	doc("brackets, quotes and backslashes in strings",
	    "\"x-a\":\"],[\\\"{\\\\\",", "{\"id\":\"C1\",\"category\":\"t\",\"statement\":\"],\\\"[{}\\\\\",\"status\":\"PASS\",\"evidence\":[\"E1\"]}", "\"x-b\":\"\\\"claims\\\":[\",", EV, "");
	doc("\"claims\" as a nested key and in a string", "\"x-a\":{\"claims\":[1,2],\"evidence\":[3]},\"x-b\":\"\\\"claims\\\":[\",", CL, "", EV, "");
	doc("escaped key: a second claims (duplicate)", "\"clai\\u006ds\":[],", CL, "", EV, "");
	doc("escaped key: a second claims after it (duplicate)", "", CL, "", EV, ",\"\\u0063laims\":[]");
	doc("duplicate top-level claims after evidence", "", CL, "", EV, ",\"claims\":[]");
	doc("duplicate key inside a claim", "", "{\"id\":\"C1\",\"id\":\"C1\",\"category\":\"t\",\"statement\":\"s\",\"status\":\"PASS\"}", "", EV, "");
	doc("duplicate key in a nested object of an item", "", CL, "",
	    "{\"id\":\"E1\",\"kind\":\"prose\",\"path\":\"p\",\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"provenance\":{\"producer\":\"p\",\"producer\":\"q\",\"venue\":\"CI\",\"captured_at\":\"2026-06-10T12:00:00Z\"}}", "");
	doc("\\u0000 in a key of an item", "", "{\"id\":\"C1\",\"a\\u0000\":1}", "", EV, "");
	doc("\\u0000 in a value", "", "{\"id\":\"C\\u00001\",\"category\":\"t\",\"statement\":\"s\",\"status\":\"PASS\"}", "", EV, "");
	doc("missing comma between items", "", CL " " CL, "", EV, "");
	doc("double comma", "", CL ",," CL, "", EV, "");
	doc("trailing comma", "", CL ",", "", EV, "");
	doc("leading comma", "", "," CL, "", EV, "");
	doc("garbage after an item", "", CL " x", "", EV, "");
	doc("garbage after the array", "", CL "] x [", "", EV, "");
	doc("bare values as items", "", "1,\"x\",null,[],{},true", "", EV, "");
	doc("claims is an object", "", "", "", EV, ",\"x-c\":{}");
	doc("deep nesting inside an item", "", "{\"id\":\"C1\",\"category\":\"t\",\"statement\":\"s\",\"status\":\"PASS\",\"x-d\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "", EV, "");
	doc("too deep inside an item", "", "{\"id\":\"C1\",\"x-d\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "", EV, "");
	doc("dangling and repeated citations", "", "{\"id\":\"C1\",\"category\":\"t\",\"statement\":\"s\",\"status\":\"PASS\",\"evidence\":[\"E1\",\"E9\",\"E1\",3]}", "", EV, "");
	doc("unterminated string in an item", "", "{\"id\":\"C1]}", "", EV, "");
	doc("unknown top-level field, schema and id errors", "\"x-\":1,\"bogus\":2,", "{\"id\":\"C 1\"}", "", "{\"id\":\"E1\"}", "");

	/* whole-document variants the template cannot make */
	static const char *const raw[] = {
		"\xef\xbb\xbf{\"claims\":[],\"evidence\":[]}", /* a BOM */
		"{\"claims\":[],\"evidence\":[]} x",           /* garbage after the root */
		"{\"claims\":[],\"evidence\":[]}{}",           /* a second root */
		"{\"claims\":[1],\"evidence\":[2]",           /* no closing brace */
		"{\"claims\":[1,\"evidence\":[2]}",           /* an array left open */
		"{\"claims\":[{]},\"evidence\":[]}",           /* mismatched brackets */
		"{\"evidence\":[],\"claims\":[]",              /* evidence first, root open */
		"[{\"claims\":[],\"evidence\":[]}]",           /* not an object */
		"{\"claims\":[],\"evidence\":[],\"claims\":[1]}",
		"{\"claims\"  :  [ ] , \"evidence\" : [ ] }",
		"{\"claims\":[\"\\\"],\\\"\"],\"evidence\":[\"]\"]}",
		"{\"clai\\u006ds\":[1,{\"id\":\"C1\"}],\"evid\\u0065nce\":[{}]}", /* escaped keys only */
		"{\"\\u0063laims\":[1],\"evidence\":[],\"claims\":[]}",
		"{\"claims\":[1,{\"id\":\"C1\"}]}",                    /* no evidence member */
		"{\"evidence\":[{}],\"x-\":[1,2]}",                      /* no claims member */
		"{\"claims\":[{}],\"evidence\":{\"a\":[1]}}",             /* evidence an object */
		"{\"claims\":\"x\",\"evidence\":[{},{}]}",                /* claims a string */
		"{\"claims\":[{}],\"evidence\":{\"a\":[1]},\"evidence\":[]}", /* and a duplicate */
		"{\"claims\":[{}] , \"evidence\":null}x",                  /* garbage after the root */
	};
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
		same_as_whole(raw[i], raw[i], strlen(raw[i]));
	(void)state;
}

/* Errors in claims, evidence and citations at once, past TKI_MAX_ERRORS,
 * and on the two-thread path (4,096 claims or more, an error late in the
 * second half): the whole walk's order and cap. */
static void error_order_and_cap(void **state)
{
	for (size_t big = 0; big < 2; big++) {
		size_t n = big ? 6000 : 40;
		size_t cap = n * 160 + 16384;
		char *c = malloc(cap), *e = malloc(16384);
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			bool bad = big ? i == n - 3 || i == n - 2 : i % 2 == 0;
			o += (size_t)snprintf(c + o, cap - o, "%s{\"id\":\"C%zu\",\"category\":\"t\",\"statement\":\"s\",\"status\":\"%s\",\"evidence\":[\"E%zu\"]}",
					      i ? "," : "", big ? i : i % 30, bad ? "GREEN" : "PASS", i % 45);
		}
		size_t k = 0;
		for (size_t i = 0; i < 30; i++)
			k += (size_t)sprintf(e + k, "%s{\"id\":\"E%zu\",\"kind\":\"%s\"}", i ? "," : "", i, i % 2 ? "prose" : "x");
		doc(big ? "6,000 claims, errors late in the second half" : "40 claims, every kind of error, capped", "", c, "", e, "");
		free(c);
		free(e);
	}
	(void)state;
}

/* A huge item (20 MB of one string) and a large valid one (60 KiB): the
 * prescan's cap, or read like any other. */
static void huge_items(void **state)
{
	size_t n = 20u << 20;
	char *big = malloc(n + 256);
	int h = sprintf(big, "{\"id\":\"C1\",\"category\":\"t\",\"status\":\"PASS\",\"statement\":\"");
	memset(big + h, 'a', n);
	strcpy(big + h + n, "\"}");
	doc("one 20 MB string in an item", "", big, "", EV, "");
	big[h + 60000] = '\0';
	strcat(big, "\"}");
	doc("one 60 KB string in an item", "", big, "", EV, "");
	free(big);
	(void)state;
}

int main(void)
{
	tki_packet_seed_hash();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crafted),
		cmocka_unit_test(error_order_and_cap),
		cmocka_unit_test(huge_items),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
