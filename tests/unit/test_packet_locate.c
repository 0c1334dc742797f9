// SPDX-License-Identifier: Apache-2.0
/* Schema errors located in packet.json by their JSON path (the SARIF
 * regions of a REJECTED report): src/packet_locate.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "packet_int.h"

static const char doc[] = "{\n"
			  "  \"schema\": \"tki-packet/v1\",\n"
			  "  \"claims\": [\n"
			  "    {\"id\": \"C1\", \"evidence\": [\"E1\", \"E9\"], \"s\": \"a\\\"]}\"},\n"
			  "    {\"id\": \"C2\", \"x\": {\"deep\": [1, {\"k\": null}]}}\n"
			  "  ],\n"
			  "  \"odd key\": {\"signed by\": \"me\", \"a\\u0062\": true}\n"
			  "}\n";

static void at(const char *path, unsigned want_line, unsigned want_col)
{
	unsigned l, c;
	tki_json_linecol(doc, strlen(doc), tki_json_locate(doc, strlen(doc), path), &l, &c);
	if (l != want_line || c != want_col)
		fail_msg("%s: at %u:%u, want %u:%u", path, l, c, want_line, want_col);
}

static void test_paths(void **s)
{
	at("(root)", 1, 1);
	at("schema", 2, 13);
	at("claims", 3, 13);
	at("claims[0]", 4, 5);
	at("claims[0].id", 4, 12);
	at("claims[0].evidence[1]", 4, 37);
	at("claims[1].id", 5, 12);      /* past a string holding "]}" and a quote */
	at("claims[1].x.deep[1].k", 5, 42);
	at("[\"odd key\"][\"signed by\"]", 7, 28);
	at("[\"odd key\"].ab", 7, 45); /* an escaped key matches its value */
}

/* A missing field or element: where its object or array is. */
static void test_missing(void **s)
{
	at("claims[0].category", 4, 5);
	at("claims[7]", 3, 13);
	at("nope.deeper", 1, 1);
	at("[\"with \\x01 escape\"]", 1, 1);
}

static void test_reject_locate(void **s)
{
	struct tki_reject r = {0};
	tki_reject_add(&r, "packet.json: claims[0].evidence[1]: error: \"E9\" is not an evidence id");
	tki_reject_add(&r, "packet.json:3:7: error: already located");
	tki_reject_add(&r, "packet.json: error: no path");
	tki_reject_locate(doc, strlen(doc), &r);
	assert_int_equal(r.line[0], 4);
	assert_int_equal(r.col[0], 37);
	assert_int_equal(r.line[1], 0);
	assert_int_equal(r.line[2], 0);
	tki_reject_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_reject_locate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
