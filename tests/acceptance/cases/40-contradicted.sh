#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #40: PASS contradicted by its own verified evidence: a non-zero exit code,
# a failing contains, a failing not_contains, an attestation probe that
# re-judges FAIL, json_equals on a value of the right type but not the
# expected one (a json_equals that compared types only would call it
# ADEQUATE: issue 13, point 7).
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/contradicted" contra
	class_is "#40 [$v] PASS with exit code 1: CONTRADICTED" C1 CONTRADICTED
	jq_check "#40 [$v] reason names the exit code" '.claims[0].reasons | any(test("exit code 1"))'
	class_is "#40 [$v] PASS with a failing contains: CONTRADICTED" C2 CONTRADICTED
	class_is "#40 [$v] PASS with a failing not_contains: CONTRADICTED" C3 CONTRADICTED
	class_is "#40 [$v] PASS with an attestation probe re-judged FAIL: CONTRADICTED" C4 CONTRADICTED
	class_is "#40 [$v] PASS with json_equals \"0.2.0\" on \"0.1.0\" (same type, other value): CONTRADICTED" C5 CONTRADICTED
	jq_check "#40 [$v] both json_equals asserts FAIL, the reason shows the value found" \
		'([.evidence[] | select(.id == "E5") | .asserts[].result] == ["FAILS", "FAILS"]) and (.claims[4].reasons | any(test("value at \"/version\" is \"0.1.0\"")))'
	jq_check "#40 [$v] no CONTRADICTED claim carries support" '[.claims[].supported_by | length] | add == 0'
	if [ "$RC" -eq 1 ]; then tap_ok "#40 [$v] exit 1"; else tap_fail "#40 [$v] exit 1" "exit $RC" "$ERR"; fi
done
skip_venues "#40" "contradicted"
