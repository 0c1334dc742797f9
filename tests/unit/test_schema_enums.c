// SPDX-License-Identifier: Apache-2.0
/* schemas/report.schema.json repeats names the C code writes (P1
 * invariants, classes, verdicts, signature states). A name added on one
 * side only would make a valid report fail its own schema, or let the
 * schema accept a name no run can write: both sides must hold the same
 * set. TKI_FIXTURES is <repo>/fixtures, so the schema is one level up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "tki/attest.h"
#include "tki/dsse.h"
#include "tki/packet.h"
#include "tki/report.h"

static json_t *schema;

static int load(void **s)
{
	char path[4096];
	json_error_t e;
	snprintf(path, sizeof(path), "%s/../schemas/report.schema.json", TKI_FIXTURES);
	schema = json_load_file(path, 0, &e);
	if (!schema)
		fprintf(stderr, "%s:%d:%d: %s\n", path, e.line, e.column, e.text);
	return schema ? 0 : -1;
}

static int unload(void **s)
{
	json_decref(schema);
	return 0;
}

/* The enum array at a JSON pointer such as /$defs/p1_name/enum. */
static const json_t *enum_at(const char *ptr)
{
	const json_t *v = schema;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", ptr);
	for (char *save = NULL, *k = strtok_r(buf, "/", &save); k && v; k = strtok_r(NULL, "/", &save))
		v = json_object_get(v, k);
	assert_non_null(v);
	assert_true(json_is_array(v));
	return v;
}

static bool in_enum(const json_t *e, const char *name)
{
	size_t i;
	const json_t *x;
	json_array_foreach(e, i, x)
		if (json_is_string(x) && !strcmp(json_string_value(x), name))
			return true;
	return false;
}

static bool in_names(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return true;
	return false;
}

/* Both directions: every C name in the schema, every schema string a C name. */
static void same_set(const char *ptr, const char *const *names, size_t n)
{
	const json_t *e = enum_at(ptr);
	for (size_t i = 0; i < n; i++)
		if (!in_enum(e, names[i]))
			fail_msg("%s lacks \"%s\", which the C code writes", ptr, names[i]);
	size_t i;
	const json_t *x;
	json_array_foreach(e, i, x)
		if (json_is_string(x) && !in_names(names, n, json_string_value(x)))
			fail_msg("%s has \"%s\", which no C name writes", ptr, json_string_value(x));
}

static void test_p1_names(void **s)
{
	same_set("/$defs/p1_name/enum", tki_raw_inv_names, TKI_RI__COUNT);
}

static void test_classes(void **s)
{
	const char *names[TKI_CLASS__COUNT];
	for (int c = 0; c < TKI_CLASS__COUNT; c++)
		names[c] = tki_class_name((enum tki_class)c);
	same_set("/$defs/class/enum", names, TKI_CLASS__COUNT);
}

static void test_verdicts(void **s)
{
	const char *names[] = {tki_verdict_name(TKI_VERDICT_ADEQUATE), tki_verdict_name(TKI_VERDICT_INADEQUATE),
			       tki_verdict_name(TKI_VERDICT_REJECTED), tki_verdict_name(TKI_VERDICT_BLOCKED)};
	same_set("/properties/verdict/enum", names, 4);
}

static void test_signature_states(void **s)
{
	const char *names[TKI_SIG_TRUSTED + 1];
	for (int st = 0; st <= TKI_SIG_TRUSTED; st++)
		names[st] = tki_sig_state_name((enum tki_sig_state)st);
	same_set("/$defs/evidence/properties/signature/enum", names, TKI_SIG_TRUSTED + 1);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_p1_names),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_signature_states),
	};
	return cmocka_run_group_tests(t, load, unload);
}
