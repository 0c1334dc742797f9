// SPDX-License-Identifier: Apache-2.0
/* A large manifest's claims parsed as two halves at once (src/packet_split.c,
 * tki_manifest_load_split): where the cut falls on crafted documents, the
 * joined tree against one json_loadb, and every error exactly as the whole
 * parse gives it (the messages below are those of the code before the split). */
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

/* On a copy without the terminating NUL: the scan must stay within len
 * (a sanitizer build would catch a byte read past it). */
static bool split(const char *doc, size_t min, struct tki_claims_split *s)
{
	size_t len = strlen(doc);
	char *copy = malloc(len ? len : 1);
	memcpy(copy, doc, len);
	memset(s, 0xff, sizeof(*s));
	bool ok = tki_claims_split(copy, len, min, s);
	free(copy);
	return ok;
}

/* The two documents the reader builds from a cut: A and B. */
static void halves(const char *doc, const struct tki_claims_split *s, char **a, char **b)
{
	size_t len = strlen(doc);
	*a = calloc(1, len + 1);
	*b = calloc(1, len + 2);
	memcpy(*a, doc, s->comma);
	strcpy(*a + s->comma, doc + s->close);
	(*b)[0] = '[';
	memcpy(*b + 1, doc + s->comma + 1, s->close - s->comma);
}

static void expect_cut(const char *doc, size_t min, size_t n_head, size_t n_tail, const char *want_a, const char *want_b)
{
	struct tki_claims_split s;
	assert_true(split(doc, min, &s));
	assert_int_equal(s.n_head, n_head);
	assert_int_equal(s.n_tail, n_tail);
	assert_int_equal(doc[s.open], '[');
	assert_int_equal(doc[s.comma], ',');
	assert_int_equal(doc[s.close], ']');
	char *a, *b;
	halves(doc, &s, &a, &b);
	assert_string_equal(a, want_a);
	assert_string_equal(b, want_b);
	free(a);
	free(b);
}

static void cuts_at_the_middle_separator(void **state)
{
	expect_cut("{\"claims\":[1,2,3,4]}", 2, 2, 2, "{\"claims\":[1,2]}", "[3,4]");
	expect_cut("{\"claims\":[1,2,3]}", 2, 1, 2, "{\"claims\":[1]}", "[2,3]");
	expect_cut("{\"claims\":[1,2]}", 0, 1, 1, "{\"claims\":[1]}", "[2]");
	/* whitespace everywhere JSON allows it */
	expect_cut(" \n{ \"claims\"\t:\r\n[ 1 ,\n 2 , 3 ,4\n] } ", 4, 2, 2, " \n{ \"claims\"\t:\r\n[ 1 ,\n 2 ] } ",
		   "[ 3 ,4\n]");
}

static void strings_and_nesting_are_skipped(void **state)
{
	/* brackets, commas, quotes and backslashes inside strings */
	expect_cut("{\"claims\":[\"a,]\",\"b\\\"],[\",\"c\\\\\",\"d\\\\\\\"]\"]}", 2, 2, 2, "{\"claims\":[\"a,]\",\"b\\\"],[\"]}",
		   "[\"c\\\\\",\"d\\\\\\\"]\"]");
	/* arrays and objects inside elements: only depth-2 commas count */
	expect_cut("{\"claims\":[{\"x\":[1,2],\"y\":{\"z\":\"]\"}},[3,[4,5]],{},[]]}", 2, 2, 2,
		   "{\"claims\":[{\"x\":[1,2],\"y\":{\"z\":\"]\"}},[3,[4,5]]]}", "[{},[]]");
	/* "claims" as a nested key, an element and a value before the member */
	expect_cut("{\"a\":{\"claims\":[1,2,3]},\"b\":[\"claims\",[1]],\"c\":\"claims\",\"claims\":[{\"claims\":[7,8]},2],\"d\":0}",
		   2, 1, 1, "{\"a\":{\"claims\":[1,2,3]},\"b\":[\"claims\",[1]],\"c\":\"claims\",\"claims\":[{\"claims\":[7,8]}],\"d\":0}",
		   "[2]");
	/* a duplicate top-level "claims": the first is cut, A keeps both and
	 * jansson refuses A, so the whole parse reports the duplicate */
	expect_cut("{\"claims\":[1,2],\"claims\":[3,4,5]}", 2, 1, 1, "{\"claims\":[1],\"claims\":[3,4,5]}", "[2]");
}

/* Arrays long enough that the marks of separators thin out (every
 * stride-th kept): the cut is still after element n / 2 - 1. */
static void cut_found_again_from_a_mark(void **state)
{
	static const size_t sizes[] = {2, 3, 511, 512, 513, 1024, 1025, 2047, 5000, 5001, 70001};
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		size_t n = sizes[z], o = 0;
		char *doc = malloc(32 + n * 12);
		o += (size_t)sprintf(doc, "{\"claims\":[");
		for (size_t i = 0; i < n; i++)
			o += (size_t)sprintf(doc + o, "%s%zu", i ? (i % 3 ? ", " : ",") : "", i);
		sprintf(doc + o, "]}");
		struct tki_claims_split s;
		assert_true(split(doc, 0, &s));
		assert_int_equal(s.n_head, n / 2);
		assert_int_equal(s.n_tail, n - n / 2);
		assert_int_equal(doc[s.comma], ',');
		assert_int_equal(strtoul(doc + s.comma + 1, NULL, 10), n / 2);
		assert_int_equal(s.close, strlen(doc) - 2);
		free(doc);
	}
}

static void refused(void **state)
{
	static const char *const docs[] = {
		"[1,2,3,4]",                        /* not an object */
		"\"claims\"",                       /* not an object */
		"{\"claims\":{\"a\":1,\"b\":2}}",   /* not an array */
		"{\"claims\":\"[1,2,3]\"}",         /* not an array */
		"{\"claims\":5,\"claims\":[1,2,3]}",   /* the first "claims" decides */
		"{\"clai\\u006ds\":[1,2,3,4]}",     /* escaped key: not the raw token */
		"{\"claims \":[1,2,3,4]}",          /* another key */
		"{\"x\":[1,2],\"y\":{\"claims\":[1,2,3]}}", /* no top-level "claims" */
		"{\"a\":\"claims\",\"b\":[1,2,3]}",  /* "claims" as a value */
		"{\"claims\":[1,2,3}",              /* unbalanced */
		"{\"claims\":[1,2,\"3]}",           /* unterminated string */
		"{\"claims\":[1,2,3",               /* truncated */
		"{\"claims",                        /* truncated in the key */
		"{\"claims\":[]}",                  /* empty */
		"{\"claims\":[1]}",                 /* one element */
		"{\"claims\":[1,,2,3]}",            /* empty elements */
		"{\"claims\":[ ,1,2,3]}",
		"{\"claims\":[1,2,3, ]}",
		"",
		"   ",
	};
	struct tki_claims_split s;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		print_message("  refused: %s\n", docs[i]);
		assert_false(split(docs[i], 0, &s));
	}
	/* fewer elements than the minimum */
	assert_false(split("{\"claims\":[1,2,3]}", 4, &s));
	assert_true(split("{\"claims\":[1,2,3,4]}", 4, &s));
}

/* A manifest of n claims whose statements hold what a lexical scan could
 * trip on; prefix goes after "{", tail replaces the final "}". */
static char *manifest(size_t n, const char *tail, size_t *len)
{
	size_t cap = 4096 + n * 600, o = 0;
	char *b = malloc(cap);
	o += (size_t)sprintf(b + o, "{\"schema\":\"tki-packet/v1\",\"packet_id\":\"BIG\",\"created_at\":"
				    "\"2026-06-10T12:00:00Z\",\"claims\": [\n");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(b + o, "%s {\"id\":\"C%zu\",\"category\":\"build\",\"statement\":\"s%zu ],[{\\\" \\\\\\\\\","
					    "\"status\":\"PASS\",\"evidence\":[\"E%zu\"],\"x-pad\":\"%0150d\",\"x-n\":[[%zu,{\"k\":\"]\"}]]}",
				     i ? ",\n" : "", i, i, i, 0, i);
	o += (size_t)sprintf(b + o, "\n],\"evidence\":[");
	o += tm_prose_evidence(b + o, n);
	o += (size_t)sprintf(b + o, "]%s", tail);
	*len = o;
	return b;
}

/* Replace the first occurrence of from (which must be there) by to. */
static char *edit(const char *buf, size_t *len, const char *from, const char *to)
{
	const char *at = strstr(buf, from);
	assert_non_null(at);
	size_t pre = (size_t)(at - buf), fl = strlen(from), tl = strlen(to);
	char *out = malloc(*len - fl + tl + 1);
	memcpy(out, buf, pre);
	memcpy(out + pre, to, tl);
	memcpy(out + pre + tl, at + fl, *len - pre - fl + 1);
	*len = *len - fl + tl;
	return out;
}

static bool two_cpus(void)
{
	if (tki_cpus() > 1)
		return true;
	print_message("  one CPU: the manifest is never cut here\n");
	return false;
}

static void joined_tree_equals_the_whole(void **state)
{
	size_t len;
	char *buf = manifest(6001, "}", &len);
	assert_true(len >= (1u << 20));
	struct tki_claims_split s;
	assert_true(tki_claims_split(buf, len, 4096, &s));
	assert_int_equal(s.n_head, 3000);
	assert_int_equal(s.n_tail, 3001);
	json_t *whole = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	assert_non_null(whole);
	json_t *joined = tki_manifest_load_split(buf, len);
	if (two_cpus()) {
		assert_non_null(joined);
		assert_true(json_equal(joined, whole));
		assert_int_equal(json_array_size(json_object_get(joined, "claims")), 6001);
		/* and the reader takes it to the same model */
		struct tki_reject r = {0};
		struct tki_packet *p = tki_packet_parse(buf, len, &r);
		assert_non_null(p);
		assert_int_equal(p->n_claims, 6001);
		assert_string_equal(p->claims[3000].id, "C3000");
		assert_string_equal(p->claims[6000].id, "C6000");
		tki_packet_free(p);
	}
	json_decref(joined);
	json_decref(whole);

	/* the same claims under an escaped key: valid, never cut, read whole */
	char *esc = edit(buf, &len, "\"claims\": [", "\"clai\\u006ds\": [");
	assert_false(tki_claims_split(esc, len, 4096, &s));
	assert_null(tki_manifest_load_split(esc, len));
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(esc, len, &r);
	assert_non_null(p);
	assert_int_equal(p->n_claims, 6001);
	tki_packet_free(p);
	free(esc);
	free(buf);
}

struct bad {
	const char *what, *from, *to, *tail;
	size_t cut; /* truncate at the first occurrence of `from` when nonzero */
	const char *want; /* every error, one a line */
};

/* 5,000 claims: the cut is the separator before claim C2500. */
static const struct bad bads[] = {
	{"syntax error in the first half", "{\"id\":\"C100\",", "{\"id\":\"C100\" ", "}", 0,
	 "packet.json:102:15: error: '}' expected near '\"category\"'"},
	{"syntax error in the second half", "{\"id\":\"C4000\",", "{\"id\":\"C4000\":", "}", 0,
	 "packet.json:4002:15: error: '}' expected near ':'"},
	{"double comma at the cut", ",\n {\"id\":\"C2500\",", ",,\n {\"id\":\"C2500\",", "}", 0,
	 "packet.json:2501:291: error: unexpected token near ','"},
	{"empty first element", "\"claims\": [\n", "\"claims\": [,\n", "}", 0,
	 "packet.json:1:92: error: unexpected token near ','"},
	{"trailing comma in claims", "}]]}\n]", "}]]},\n]", "}", 0,
	 "packet.json:5002:1: error: unexpected token near ']'"},
	{"duplicate key in a first-half claim", "{\"id\":\"C7\",", "{\"id\":\"C7\",\"category\":\"x\",", "}", 0,
	 "packet.json: claims[7].category: error: duplicate key \"category\" at packet.json:9:28 (first at packet.json:9:13)"},
	{"duplicate key in a second-half claim", "{\"id\":\"C4999\",", "{\"id\":\"C4999\",\"id\":\"C4999\",", "}", 0,
	 "packet.json: claims[4999].id: error: duplicate key \"id\" at packet.json:5001:16 (first at packet.json:5001:3)"},
	{"\\u0000 in a second-half key", "{\"id\":\"C3000\",", "{\"id\":\"C3000\",\"a\\u0000\":1,", "}", 0,
	 "packet.json: claims[3000]: error: object key containing \\u0000 at packet.json:3002:16 is not allowed"},
	{"duplicate top-level key after claims", "", "", ",\"packet_id\":\"X\"}", 0,
	 "packet.json: packet_id: error: duplicate key \"packet_id\" at packet.json:5002:983906 (first at packet.json:1:27)"},
	{"duplicate top-level claims", "", "", ",\"claims\":[]}", 0,
	 "packet.json: claims: error: duplicate key \"claims\" at packet.json:5002:983906 (first at packet.json:1:81)"},
	{"escaped claims before claims", "\"claims\": [", "\"clai\\u006ds\":[],\"claims\": [", "}", 0,
	 "packet.json: claims: error: duplicate key \"claims\" at packet.json:1:98 (first at packet.json:1:81)"},
	{"unterminated string in the last element", "[\"E4999\"]", "[\"E4999]", "}", 0,
	 "packet.json:5001:104: error: ']' expected near 'x'"},
	{"truncated in the last element", "s4999 ", NULL, "}", 1,
	 "packet.json:5001:47: error: premature end of input near '\"'"},
	{"trailing garbage after the root", "", "", "} x", 0,
	 "packet.json:5002:983907: error: end of file expected near 'x'"},
	{"a second root", "", "", "}{}", 0, "packet.json:5002:983906: error: end of file expected near '{'"},
};

static void errors_as_the_whole_parse_gives_them(void **state)
{
	bool ok = true;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *c = &bads[i];
		size_t len;
		char *base = manifest(5000, c->tail, &len), *buf;
		if (c->cut) {
			buf = base;
			len = (size_t)(strstr(buf, c->from) - buf);
		} else {
			buf = c->from[0] ? edit(base, &len, c->from, c->to) : base;
		}
		assert_true(len >= (1u << 20));
		json_t *joined = tki_manifest_load_split(buf, len);
		assert_null(joined); /* the whole is invalid, so a half failed */
		struct tki_reject r = {0};
		assert_null(tki_packet_parse(buf, len, &r));
		char got[4096] = "";
		for (size_t k = 0; k < r.errors.n; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", k ? "\n" : "", r.errors.v[k]);
		print_message("  %s: %s\n", c->what, got);
		if (strcmp(got, c->want) != 0) {
			print_message("    want: %s\n", c->want);
			ok = false;
		}
		tki_reject_free(&r);
		if (buf != base)
			free(buf);
		free(base);
	}
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cuts_at_the_middle_separator),
		cmocka_unit_test(strings_and_nesting_are_skipped),
		cmocka_unit_test(cut_found_again_from_a_mark),
		cmocka_unit_test(refused),
		cmocka_unit_test(joined_tree_equals_the_whole),
		cmocka_unit_test(errors_as_the_whole_parse_gives_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
