// SPDX-License-Identifier: Apache-2.0
/* A large manifest read one item at a time (src/packet_split.c,
 * tki_manifest_items): the spans of a valid 5,000-claim manifest whose
 * strings hold what a lexical scan could trip on, and every error of an
 * invalid one exactly as one whole json_loadb gives it (the messages below
 * are those of the reader before the manifest was split at all). */
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

static void spans_of_a_large_manifest(void **state)
{
	(void)state;
	size_t len;
	char *buf = manifest(5000, "}", &len);
	struct tki_manifest_items m;
	assert_true(tki_manifest_items(buf, len, &m));
	assert_true(m.has_claims && m.has_evidence);
	assert_int_equal(m.claims.n, 5000);
	assert_int_equal(m.evidence.n, 5000);
	/* each claim's span is one whole object: "{" ... "}" */
	for (size_t i = 0; i < m.claims.n; i++) {
		assert_int_equal(buf[m.claims.v[i].off], '{');
		assert_int_equal(buf[m.claims.v[i].off + m.claims.v[i].len - 1], '}');
	}
	tki_manifest_items_free(&m);
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(buf, len, &r);
	assert_non_null(p);
	assert_int_equal(p->n_claims, 5000);
	tki_packet_free(p);
	tki_reject_free(&r);
	free(buf);
}

struct bad {
	const char *what, *from, *to, *tail;
	size_t cut; /* truncate at the first occurrence of `from` when nonzero */
	const char *want; /* every error, one a line */
};

/* 5,000 claims (the cases once chosen around a cut of the claims at C2500). */
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
		cmocka_unit_test(spans_of_a_large_manifest),
		cmocka_unit_test(errors_as_the_whole_parse_gives_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
