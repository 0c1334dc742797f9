// SPDX-License-Identifier: Apache-2.0
/* The manifest reader on the hostile fixtures (#9-#12) and on generated
 * manifests for the caps. Pure: no sandbox, no guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tki/packet.h"
#include "tki_test_manifest.h"

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/hostile/%s", TKI_FIXTURES, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0'; /* callers use it as a string too (strstr, %s) */
	*len = (size_t)n;
	return buf;
}

/* Parse a fixture; it must be rejected with exactly these errors, in order. */
static void expect_errors(const char *name, const char *const *want, size_t n_want)
{
	size_t len;
	char *buf = slurp(name, &len);
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(buf, len, &r);
	assert_null(p);
	for (size_t i = 0; i < r.errors.n; i++)
		print_message("  %s: %s\n", name, r.errors.v[i]);
	assert_int_equal(r.errors.n, n_want);
	for (size_t i = 0; i < n_want; i++)
		assert_string_equal(r.errors.v[i], want[i]);
	assert_int_equal(strlen(r.manifest_sha256), 64);
	tki_reject_free(&r);
	free(buf);
}
#define EXPECT(name, ...)                                                                                              \
	do {                                                                                                           \
		static const char *const w_[] = {__VA_ARGS__};                                                         \
		expect_errors(name, w_, sizeof(w_) / sizeof(w_[0]));                                                   \
	} while (0)

static void valid_manifest(void **state)
{
	size_t len;
	char *buf = slurp("valid.json", &len);
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(buf, len, &r);
	assert_non_null(p);
	assert_int_equal(r.errors.n, 0);
	assert_string_equal(p->packet_id, "HOSTILE-BASE");
	assert_int_equal(p->n_claims, 2);
	assert_int_equal(p->n_evidence, 3);
	assert_int_equal(p->claims[0].status, TKI_ST_PASS);
	assert_int_equal(p->claims[1].status, TKI_ST_BLOCKED);
	assert_int_equal(p->claims[0].n_cites, 2);
	assert_int_equal(p->claims[0].cites[1], 1);
	assert_int_equal(p->claims[1].n_cites, 0);
	struct tki_evidence *e1 = &p->evidence[0];
	assert_int_equal(e1->kind, TKI_KIND_COMMAND_OUTPUT);
	assert_true(e1->prov.has_exit_code);
	assert_int_equal(e1->prov.exit_code, 0);
	assert_string_equal(e1->prov.command, "tki-inspector attest");
	assert_int_equal(e1->n_asserts, 3);
	assert_int_equal(e1->asserts[1].op, TKI_OP_NOT_CONTAINS);
	assert_int_equal(e1->asserts[1].needle_len, 5); /* "FAIL\u0000": the NUL is kept */
	assert_memory_equal(e1->asserts[1].needle, "FAIL\0", 5);
	assert_int_equal(e1->asserts[2].op, TKI_OP_JSON_EQUALS);
	assert_string_equal(e1->asserts[2].pointer, "/a~1b/~0c");
	assert_true(json_is_object(e1->asserts[2].value));
	/* a path with \u0000 parses; its length carries the NUL to the guard */
	assert_int_equal(p->evidence[2].path_len, 11);
	assert_int_not_equal(strlen(p->evidence[2].path), p->evidence[2].path_len);
	assert_true(p->evidence[0].cited && p->evidence[1].cited);
	assert_false(p->evidence[2].cited);
	assert_int_equal(p->warnings.n, 1);
	assert_string_equal(p->warnings.v[0], "evidence \"E3\" is cited by no claim");
	assert_string_equal(p->manifest_sha256, r.manifest_sha256);
	tki_packet_free(p);
	tki_reject_free(&r);
	free(buf);
}

/* docs/packet-format.md: UTC is written "Z" or "+00:00". */
static void utc_offset_accepted(void **state)
{
	size_t len;
	char *buf = slurp("valid.json", &len);
	char *z = strstr(buf, "Z\"");
	assert_non_null(z);
	size_t at = (size_t)(z - buf);
	char *alt = tki_xasprintf("%.*s+00:00%s", (int)at, buf, buf + at + 1);
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(alt, strlen(alt), &r);
	assert_non_null(p);
	tki_packet_free(p);
	tki_reject_free(&r);
	free(alt);
	free(buf);
}

/* {"x-pad":[<n copies of item>]}: 3 values (object, key, array) + n items. */
static char *padded(const char *item, size_t n)
{
	size_t il = strlen(item), len = 11 + n * (il + 1) + 3;
	char *b = tki_xmalloc(len), *q = b;
	q += sprintf(q, "{\"x-pad\":[");
	for (size_t i = 0; i < n; i++) {
		memcpy(q, item, il);
		q += il;
		*q++ = i + 1 < n ? ',' : ']';
	}
	*q++ = '}';
	*q = '\0';
	return b;
}

static void first_error_contains(const char *buf, const char *want)
{
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(buf, strlen(buf), &r);
	assert_null(p);
	assert_true(r.errors.n >= 1);
	if (!strstr(r.errors.v[0], want))
		fail_msg("first error \"%s\" does not name %s", r.errors.v[0], want);
	tki_reject_free(&r);
}

/* #12: memory is bounded by counting what jansson would allocate; one over
 * a cap, the pre-scan names it before jansson runs. (At the caps, through
 * the real binary: tests/hostile/run.) */
static void value_and_object_caps(void **state)
{
	char *over = padded("0", TKI_MAX_JSON_VALUES - 2);
	first_error_contains(over, "TKI_MAX_JSON_VALUES");
	free(over);
	over = padded("{}", TKI_MAX_JSON_OBJECTS);
	first_error_contains(over, "TKI_MAX_JSON_OBJECTS");
	free(over);
	/* keys count too: 7 values in each {"a":1,"b":2,"c":3} */
	over = padded("{\"a\":1,\"b\":2,\"c\":3}", TKI_MAX_JSON_VALUES / 7 + 1);
	first_error_contains(over, "TKI_MAX_JSON_VALUES");
	free(over);
	/* one under: the pre-scan lets it through (the schema rejects it) */
	over = padded("{\"a\":1,\"b\":2,\"c\":3}", 1000);
	first_error_contains(over, "schema: error: missing");
	free(over);
}

static void digest_is_of_the_exact_bytes(void **state)
{
	struct tki_reject r = {0};
	/* sha256 of "{}" */
	assert_null(tki_packet_parse("{}", 2, &r));
	assert_string_equal(r.manifest_sha256, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
	tki_reject_free(&r);
}

static void syntax_errors_are_gcc_style(void **state)
{
	EXPECT("syntax-bad-token.json", "packet.json:3:16: error: invalid token near 'tru'");
	EXPECT("syntax-trailing-comma.json", "packet.json:4:19: error: unexpected token near ']'");
	EXPECT("syntax-truncated.json", "packet.json:5:1: error: ']' expected near end of file");
	EXPECT("root-array.json", "packet.json: (root): error: expected an object, got an array");
}

static void bytes_checked_before_jansson(void **state)
{
	EXPECT("nul-after-number.json", "packet.json:2:40: error: NUL byte (0x00) in the manifest");
	EXPECT("invalid-utf8.json",
	       "packet.json:2:19: error: invalid UTF-8 (byte 0xe9). Hint: the manifest must be UTF-8");
	EXPECT("overlong-utf8.json",
	       "packet.json:2:16: error: invalid UTF-8 (byte 0xc0). Hint: the manifest must be UTF-8");
	struct tki_reject r = {0};
	assert_null(tki_packet_parse("", 0, &r));
	assert_string_equal(r.errors.v[0], "packet.json:1:1: error: empty manifest");
	tki_reject_free(&r);
}

static void schema_errors_name_the_path(void **state)
{
	EXPECT("bad-status.json",
	       "packet.json: claims[0].status: error: \"GREEN\" is not one of PASS, FAIL, PARTIAL, BLOCKED");
	EXPECT("bad-kind.json", "packet.json: evidence[0].kind: error: \"screenshot\" is not one of command_output, "
				"artifact, attestation, prose");
	EXPECT("missing-field.json", "packet.json: claims[0].category: error: missing (required string)");
	EXPECT("wrong-type.json", "packet.json: claims[0].statement: error: expected a string, got an integer");
	EXPECT("bad-schema.json", "packet.json: schema: error: \"tki-packet/v2\" is not \"tki-packet/v1\"");
	EXPECT("bad-sha.json", "packet.json: evidence[0].sha256: error: \"ABC\" is not 64 lowercase hex digits");
	EXPECT("nul-in-id.json", "packet.json: claims[0].id: error: contains a NUL character (\\u0000)");
	EXPECT("bad-time.json",
	       "packet.json: created_at: error: \"2026-02-30T12:00:00Z\" is not an RFC 3339 UTC timestamp "
	       "(YYYY-MM-DDTHH:MM:SSZ or +00:00)",
	       "packet.json: evidence[1].provenance.captured_at: error: \"2026-06-10 12:00\" is not an RFC 3339 UTC "
	       "timestamp (YYYY-MM-DDTHH:MM:SSZ or +00:00)");
	EXPECT("bad-provenance.json",
	       "packet.json: evidence[0].provenance.exit_code: error: expected an integer, got a string",
	       "packet.json: evidence[1].provenance: error: missing (required object with producer, venue, "
	       "captured_at)");
	EXPECT("bad-asserts.json",
	       "packet.json: evidence[0].assert[0].op: error: \"regex\" is not one of contains, not_contains, "
	       "json_equals",
	       "packet.json: evidence[0].assert[1].value: error: expected a string, got an integer",
	       "packet.json: evidence[0].assert[2].value: error: missing (json_equals needs the expected value)",
	       "packet.json: evidence[0].assert[2].pointer: error: not an RFC 6901 JSON pointer (must be empty or "
	       "start with \"/\")",
	       "packet.json: evidence[0].assert[3].pointer: error: only json_equals takes a pointer");
}

static void unknown_fields_unless_x_prefixed(void **state)
{
	EXPECT("unknown-field.json",
	       "packet.json: colour: error: unknown field (allowed: schema, packet_id, created_at, claims, evidence, "
	       "or a name starting with \"x-\")",
	       "packet.json: claims[0].colour: error: unknown field (allowed: id, category, statement, status, "
	       "evidence, or a name starting with \"x-\")",
	       "packet.json: evidence[0].provenance[\"signed by\"]: error: unknown field (allowed: producer, venue, "
	       "captured_at, command, exit_code, or a name starting with \"x-\")");
}

static void both_occurrences_named(void **state)
{
	EXPECT("dup-key.json", "packet.json: claims[0].status: error: duplicate key \"status\" at packet.json:8:7 (first at packet.json:7:7)");
	/* same key after unescaping, and a same-named key in a nested object
	 * that must not be mistaken for the first occurrence */
	EXPECT("dup-key-escaped.json", "packet.json: packet_id: error: duplicate key \"packet_id\" at packet.json:8:3 (first at packet.json:3:3)");
	EXPECT("dup-claim-id.json", "packet.json: claims[2].id: error: duplicate id \"C2\" (first at claims[1].id)",
	       "packet.json: claims[3].id: error: duplicate id \"C1\" (first at claims[0].id)");
	EXPECT("dup-evidence-id.json",
	       "packet.json: evidence[3].id: error: duplicate id \"E2\" (first at evidence[1].id)");
	EXPECT("dangling-ref.json", "packet.json: claims[0].evidence[1]: error: \"E9\" is not an evidence id");
	EXPECT("cited-twice.json",
	       "packet.json: claims[0].evidence[1]: error: \"E1\" is cited twice (first at claims[0].evidence[0])");
}

static void item_caps_named(void **state)
{
	EXPECT("too-many-asserts.json",
	       "packet.json: evidence[0].assert: error: 65 asserts, over the limit of 64 (TKI_MAX_ASSERTS)");
	EXPECT("too-many-cites.json",
	       "packet.json: claims[0].evidence: error: 257 citations, over the limit of 256 (TKI_MAX_CITES)");
	EXPECT("long-string.json", "packet.json: claims[0].statement: error: string of 65537 bytes, over the limit of "
				   "65536 bytes (TKI_MAX_STRING)");
}

static void errors_collected_up_to_a_cap(void **state)
{
	size_t len;
	char *buf = slurp("many-errors.json", &len);
	struct tki_reject r = {0};
	assert_null(tki_packet_parse(buf, len, &r));
	assert_int_equal(r.errors.n, TKI_MAX_ERRORS + 1);
	assert_string_equal(r.errors.v[TKI_MAX_ERRORS],
			    "packet.json: error: more than 50 errors (TKI_MAX_ERRORS), stopped here");
	tki_reject_free(&r);
	free(buf);
}

static void deep_nesting_rejected_fast(void **state)
{
	size_t n = 100000;
	char *buf = malloc(2 * n + 1);
	memset(buf, '[', n);
	memset(buf + n, ']', n);
	struct tki_reject r = {0};
	assert_null(tki_packet_parse(buf, 2 * n, &r));
	assert_int_equal(r.errors.n, 1);
	assert_string_equal(r.errors.v[0],
			    "packet.json:1:33: error: nesting deeper than 32 levels (limit TKI_MAX_DEPTH)");
	tki_reject_free(&r);
	/* brackets inside strings do not count */
	const char *s = "{\"x-a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}";
	assert_null(tki_packet_parse(s, strlen(s), &r));
	assert_string_equal(r.errors.v[0], "packet.json: schema: error: missing (required string)");
	tki_reject_free(&r);
	free(buf);
}

static void oversized_manifest_named(void **state)
{
	size_t n = TKI_MAX_MANIFEST_BYTES + 1;
	char *buf = malloc(n);
	memset(buf, ' ', n);
	struct tki_reject r = {0};
	assert_null(tki_packet_parse(buf, n, &r));
	assert_string_equal(r.errors.v[0], "packet.json: error: manifest is 67108865 bytes, over the limit of 67108864 "
					   "bytes (TKI_MAX_MANIFEST_BYTES)");
	tki_reject_free(&r);
	free(buf);
}

/* A manifest of n claims citing one evidence item each; claim `bad` (if
 * < n) has status "GREEN", claim `dup` (if < n) reuses claim dup_of's id. */
static char *claims_doc(size_t n, size_t bad, size_t dup, size_t dup_of, size_t *len)
{
	size_t cap = 256 + n * 400, o = 0;
	char *b = malloc(cap);
	o += (size_t)sprintf(b + o, "{\"schema\":\"tki-packet/v1\",\"packet_id\":\"BIG\",\"created_at\":"
				    "\"2026-06-10T12:00:00Z\",\"claims\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(b + o, "%s{\"id\":\"C%zu\",\"category\":\"build\",\"statement\":\"s\",\"status\":"
					    "\"%s\",\"evidence\":[\"E%zu\"]}",
				     i ? "," : "", i == dup ? dup_of : i, i == bad ? "GREEN" : "PASS", i);
	o += (size_t)sprintf(b + o, "],\"evidence\":[");
	o += tm_prose_evidence(b + o, n);
	o += (size_t)sprintf(b + o, "]}");
	*len = o;
	return b;
}

static char *many_claims(size_t n, size_t *len)
{
	return claims_doc(n, SIZE_MAX, SIZE_MAX, 0, len);
}

/* Speed is for make bench (docs/performance.md); this checks that a large
 * manifest, modelled in two halves at once, comes out whole and in order. */
static void hundred_thousand_claims(void **state)
{
	size_t len;
	char *buf = many_claims(100000, &len);
	struct tki_reject r = {0};
	struct tki_packet *p = tki_packet_parse(buf, len, &r);
	assert_non_null(p);
	assert_int_equal(p->n_claims, 100000);
	for (size_t i = 0; i < p->n_claims; i += 9999) {
		char id[32];
		snprintf(id, sizeof(id), "C%zu", i);
		assert_string_equal(p->claims[i].id, id);
		assert_int_equal(p->claims[i].index, i);
		assert_int_equal(p->claims[i].cites[0], i);
	}
	tki_packet_free(p);
	free(buf);
}

/* Errors in a manifest large enough to be walked in two halves: the same
 * messages in the same order as one walk in index order would give, a
 * duplicate id before a later claim's error included. */
static void large_manifest_errors_in_index_order(void **state)
{
	size_t n = 5000, len;
	struct tki_reject r = {0};
	char *buf = claims_doc(n, SIZE_MAX, 4000, 10, &len); /* clean halves, one duplicate */
	assert_null(tki_packet_parse(buf, len, &r));
	assert_int_equal(r.errors.n, 1);
	assert_string_equal(r.errors.v[0], "packet.json: claims[4000].id: error: duplicate id \"C10\" (first at claims[10].id)");
	tki_reject_free(&r);
	free(buf);

	buf = claims_doc(n, 4500, 100, 50, &len); /* duplicate in the first half, bad status in the second */
	assert_null(tki_packet_parse(buf, len, &r));
	assert_int_equal(r.errors.n, 2);
	assert_string_equal(r.errors.v[0], "packet.json: claims[100].id: error: duplicate id \"C50\" (first at claims[50].id)");
	assert_string_equal(r.errors.v[1], "packet.json: claims[4500].status: error: \"GREEN\" is not one of PASS, FAIL, "
					   "PARTIAL, BLOCKED");
	tki_reject_free(&r);
	free(buf);

	buf = claims_doc(n, 1000, 4000, 3999, &len); /* bad status first, duplicate across the halves */
	assert_null(tki_packet_parse(buf, len, &r));
	assert_int_equal(r.errors.n, 2);
	assert_string_equal(r.errors.v[0], "packet.json: claims[1000].status: error: \"GREEN\" is not one of PASS, FAIL, "
					   "PARTIAL, BLOCKED");
	assert_string_equal(r.errors.v[1], "packet.json: claims[4000].id: error: duplicate id \"C3999\" (first at claims[3999].id)");
	tki_reject_free(&r);
	free(buf);
}

static void too_many_claims_named(void **state)
{
	size_t n = TKI_MAX_CLAIMS + 1, cap = 128 + n * 4, o = 0;
	char *b = malloc(cap);
	o += (size_t)sprintf(b, "{\"claims\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(b + o, "%s{}", i ? "," : "");
	o += (size_t)sprintf(b + o, "],\"evidence\":[]}");
	struct tki_reject r = {0};
	assert_null(tki_packet_parse(b, o, &r));
	bool seen = false;
	for (size_t i = 0; i < r.errors.n; i++)
		seen |= !strcmp(r.errors.v[i],
				"packet.json: claims: error: 250001 claims, over the limit of 250000 (TKI_MAX_CLAIMS)");
	assert_true(seen);
	tki_reject_free(&r);
	free(b);
}

static void names(void **state)
{
	assert_string_equal(tki_status_name(TKI_ST_PARTIAL), "PARTIAL");
	assert_string_equal(tki_kind_name(TKI_KIND_COMMAND_OUTPUT), "command_output");
	assert_string_equal(tki_class_name(TKI_CLASS_MISSING_EVIDENCE), "MISSING_EVIDENCE");
	assert_string_equal(tki_class_name(TKI_CLASS__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_manifest),
		cmocka_unit_test(utc_offset_accepted),
		cmocka_unit_test(value_and_object_caps),
		cmocka_unit_test(digest_is_of_the_exact_bytes),
		cmocka_unit_test(syntax_errors_are_gcc_style),
		cmocka_unit_test(bytes_checked_before_jansson),
		cmocka_unit_test(schema_errors_name_the_path),
		cmocka_unit_test(unknown_fields_unless_x_prefixed),
		cmocka_unit_test(both_occurrences_named),
		cmocka_unit_test(item_caps_named),
		cmocka_unit_test(errors_collected_up_to_a_cap),
		cmocka_unit_test(deep_nesting_rejected_fast),
		cmocka_unit_test(oversized_manifest_named),
		cmocka_unit_test(hundred_thousand_claims),
		cmocka_unit_test(large_manifest_errors_in_index_order),
		cmocka_unit_test(too_many_claims_named),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
