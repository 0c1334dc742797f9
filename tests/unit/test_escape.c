// SPDX-License-Identifier: Apache-2.0
/* The one escaper (src/common_escape.c) on hostile strings: exact outputs
 * per mode, so a change to the rules shows here first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tki/common.h"

static void esc_is(const char *in, size_t n, enum tki_esc mode, const char *want)
{
	char *e = tki_escape(in, n, mode);
	assert_string_equal(e, want);
	free(e);
}
#define ESC(in, mode, want) esc_is(in, sizeof(in) - 1, mode, want)

/* Terminal: a CR, ESC[2K and a line break cannot rewrite or start a line. */
static void test_text_controls(void **s)
{
	ESC("P\r\x1b[2K\n::warning::x", TKI_ESC_TEXT, "P\\x0d\\x1b[2K\\x0a::warning::x");
	ESC("a\tb\x7f" "c\0d", TKI_ESC_TEXT, "a\\x09b\\x7fc\\x00d");
	ESC("C1 \xc2\x9b" "31m NEL \xc2\x85", TKI_ESC_TEXT, "C1 \\u009B31m NEL \\u0085");
	ESC("ok caf\xc3\xa9 \xe2\x9c\x93 \\ \"q\"", TKI_ESC_TEXT, "ok caf\xc3\xa9 \xe2\x9c\x93 \\ \"q\"");
}

/* Bidi overrides and isolates, zero-width, BOM, line/paragraph separators,
 * tag characters: all shown as \uXXXX. */
static void test_text_invisible(void **s)
{
	ESC("\xe2\x80\xae" "txt.exe\xe2\x80\xac", TKI_ESC_TEXT, "\\u202Etxt.exe\\u202C");
	ESC("\xe2\x81\xa6" "a\xe2\x81\xa9", TKI_ESC_TEXT, "\\u2066a\\u2069");
	ESC("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", TKI_ESC_TEXT, "a\\u2028b\\u2029c");
	ESC("E1\xe2\x80\x8b", TKI_ESC_TEXT, "E1\\u200B");
	ESC("\xef\xbb\xbf" "x\xd8\x9c", TKI_ESC_TEXT, "\\uFEFFx\\u061C");
	ESC("\xf3\xa0\x81\x81", TKI_ESC_TEXT, "\\U000E0041");
}

/* Invalid and overlong UTF-8, surrogates: each byte \xNN, never passed. */
static void test_text_invalid_utf8(void **s)
{
	ESC("\xc0\xaf", TKI_ESC_TEXT, "\\xc0\\xaf");
	ESC("\xe0\x80\xaf", TKI_ESC_TEXT, "\\xe0\\x80\\xaf");
	ESC("\xed\xa0\x80", TKI_ESC_TEXT, "\\xed\\xa0\\x80");
	ESC("\xff\xfe", TKI_ESC_TEXT, "\\xff\\xfe");
	ESC("cut\xe2\x9c", TKI_ESC_TEXT, "cut\\xe2\\x9c");
}

/* Combining marks cannot draw over our own syntax, nor stack without end. */
static void test_text_combining(void **s)
{
	ESC("\xcc\x81" "a", TKI_ESC_TEXT, "\\u0301a");
	ESC("e\xcc\x81", TKI_ESC_TEXT, "e\xcc\x81");
	ESC("|\xcc\xb8", TKI_ESC_TEXT, "|\\u0338");
	ESC("a\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86", TKI_ESC_TEXT,
	    "a\xcc\x81\xcc\x82\xcc\x83\xcc\x84\\u0305\\u0306");
}

/* Markdown: the attacks of issue 13, point 6, and their variants. */
static void test_md(void **s)
{
	ESC("**Verdict: ADEQUATE (exit 0).** <!--", TKI_ESC_MD,
	    "\\*\\*Verdict\\: ADEQUATE (exit 0)\\.\\*\\* \\<\\!--");
	ESC("[x](javascript:alert(1))", TKI_ESC_MD, "\\[x\\](javascript\\:alert(1))");
	ESC("![i](http://host/p.png)", TKI_ESC_MD, "\\!\\[i\\](http\\://host/p\\.png)");
	ESC("a \\| b", TKI_ESC_MD, "a \\\\&#124; b");
	ESC("a | b", TKI_ESC_MD, "a &#124; b");
	ESC("a\xe2\x80\xa8" "b", TKI_ESC_MD, "a\\\\u2028b");
	ESC("<http://x.y> <b>x</b> &amp; &#124;", TKI_ESC_MD,
	    "\\<http\\://x\\.y\\> \\<b\\>x\\</b\\> \\&amp; \\&\\#124;");
	ESC("www.evil.com mail@evil.com [r]: /u [^1]", TKI_ESC_MD,
	    "www\\.evil\\.com mail`@`evil\\.com \\[r\\]\\: /u \\[\\^1\\]");
	ESC("`code` _em_ ~~s~~ $x$ ==h== :smile: {x}", TKI_ESC_MD,
	    "\\`code\\` \\_em\\_ \\~\\~s\\~\\~ \\$x\\$ \\=\\=h\\=\\= \\:smile\\: \\{x\\}");
	ESC("# h", TKI_ESC_MD, "\\# h");
	ESC("- item", TKI_ESC_MD, "\\- item");
	ESC("+ item", TKI_ESC_MD, "\\+ item");
	ESC("12) item", TKI_ESC_MD, "12\\) item");
	ESC("    code", TKI_ESC_MD, "&#32;   code");
	ESC("a-b (c) 1)", TKI_ESC_MD, "a-b (c) 1)");
	ESC("\x1b[31m\\x", TKI_ESC_MD, "\\\\x1b\\[31m\\\\x");
	ESC("\xe2\x80\xae" "RLO", TKI_ESC_MD, "\\\\u202ERLO");
}

/* SARIF message text: no embedded link "[text](n)". */
static void test_sarif(void **s)
{
	ESC("see [here](1) \x1b", TKI_ESC_SARIF, "see \\[here\\](1) \\x1b");
}

/* The quoted form of messages, and its truncation at a whole unit. */
static void test_quoted_and_cut(void **s)
{
	ESC("a\"b\\c\n", TKI_ESC_QUOTED, "a\\\"b\\\\c\\x0a");
	char buf[12];
	size_t n = tki_escape_to(buf, sizeof(buf), "\x1b\x1b\x1b\x1b", 4, TKI_ESC_TEXT);
	assert_string_equal(buf, "\\x1b\\x1b..."); /* 12 bytes: two whole escapes, "...", NUL */
	assert_int_equal(n, strlen(buf));
	n = tki_escape_to(buf, sizeof(buf), "short", 5, TKI_ESC_TEXT);
	assert_string_equal(buf, "short");
	n = tki_escape_to(buf, sizeof(buf), "\xe2\x9c\x93\xe2\x9c\x93\xe2\x9c\x93", 9, TKI_ESC_TEXT);
	assert_string_equal(buf, "\xe2\x9c\x93\xe2\x9c\x93...");
}

/* Kernel values (P1): byte-exact ASCII, as before the escaper was one. */
static void test_ascii(void **s)
{
	ESC("eth0\x1b[2J\\ caf\xc3\xa9", TKI_ESC_ASCII, "eth0\\x1b[2J\\x5c caf\\xc3\\xa9");
}

/* A serialized JSON text: the value is unchanged, the bytes are safe. */
static void test_json(void **s)
{
	ESC("{\n  \"a\": \"x\x7f\xc2\x85\xe2\x80\xae\xe2\x80\xa8\\n\xf3\xa0\x81\x81\"\n}", TKI_ESC_JSON,
	    "{\n  \"a\": \"x\\u007f\\u0085\\u202E\\u2028\\n\\udb40\\udc41\"\n}");
	ESC("\"caf\xc3\xa9 e\xcc\x81\"", TKI_ESC_JSON, "\"caf\xc3\xa9 e\xcc\x81\"");
}

/* A sink escapes again: TEXT of TEXT changes nothing. */
static void test_idempotent(void **s)
{
	const char *in = "a\x1b\\x1b\xe2\x80\xae\xc0 \"q\"";
	char *once = tki_escape_str(in, TKI_ESC_TEXT);
	char *twice = tki_escape_str(once, TKI_ESC_TEXT);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	char *q = tki_escape_str(in, TKI_ESC_QUOTED);
	char *qt = tki_escape_str(q, TKI_ESC_TEXT);
	assert_string_equal(q, qt);
	free(q);
	free(qt);
}

/* JSON_STR is jansson's dump of a string (JSON_INDENT(2), as the reports
 * use it) then TKI_ESC_JSON, computed here from jansson itself: quotes,
 * backslashes, every C0 control (short forms, \u00XX upper case), DEL,
 * C1, bidi overrides, line separators, tags, astral characters, '/'. */
static void test_json_str_is_jansson(void **s)
{
	(void)s;
	static const char *const in[] = {
		"plain id-1", "", "q\"uote \\ back / slash", "\b\f\n\r\t\x01\x1b\x1f", "del\x7f",
		"c1 \xc2\x85\xc2\x9b", "bidi \xe2\x80\xae \xe2\x81\xa6 \xe2\x80\xa8 \xef\xbb\xbf",
		"tag \xf3\xa0\x81\x81 emoji \xf0\x9f\x98\x80", "caf\xc3\xa9 e\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81",
		"\xe4\xb8\xad\xe6\x96\x87 \xd8\xa7", "\\u0000 \\\" x"};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		json_t *j = json_string(in[i]);
		assert_non_null(j);
		char *d = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		char *want = tki_escape(d, strlen(d), TKI_ESC_JSON);
		char *got = tki_escape(in[i], strlen(in[i]), TKI_ESC_JSON_STR);
		size_t wl = strlen(want);
		assert_true(wl >= 2);
		assert_int_equal(strlen(got), wl - 2);
		assert_memory_equal(got, want + 1, wl - 2);
		free(got);
		free(want);
		free(d);
		json_decref(j);
	}
	/* appended: the buffer grows and keeps what was there */
	char *b = NULL;
	size_t n = 0, cap = 0;
	tki_escape_append(&b, &n, &cap, "a\"", 2, TKI_ESC_JSON_STR);
	tki_escape_append(&b, &n, &cap, "\n\xe2\x80\xae", 4, TKI_ESC_JSON_STR);
	assert_true(n < cap);
	b[n] = '\0';
	assert_string_equal(b, "a\\\"\\n\\u202E");
	free(b);
}

/* SARIF locations: a packet path or a batch entry name as a URI reference. */
static void test_uri(void **st)
{
	char *u = tki_uri_encode("a b/\xc3\xbc%#?..\n~");
	assert_string_equal(u, "a%20b/%C3%BC%25%23%3F..%0A~");
	free(u);
	u = tki_uri_encode("");
	assert_string_equal(u, "");
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_controls),   cmocka_unit_test(test_text_invisible),
		cmocka_unit_test(test_text_invalid_utf8), cmocka_unit_test(test_text_combining),
		cmocka_unit_test(test_md),              cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_quoted_and_cut),  cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_json), cmocka_unit_test(test_json_str_is_jansson),            cmocka_unit_test(test_idempotent), cmocka_unit_test(test_uri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
