#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #38: verified, machine-checked evidence makes a claim ADEQUATE, and
# report.json names what carried it (supported_by): a test PASS by a
# contains on the output (its exit code 0 only could have contradicted), a
# test FAIL by a contains on a failing run, a provenance PASS by json_equals
# with RFC 6901 escapes (~0, ~1, the empty key), a build BLOCKED by a
# contains. (A sandbox wall carried by a signed bundle's probes: #45.) The
# packet exits 0.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/adequate" adequate
	class_is "#38 [$v] PASS, exit 0 and contains: ADEQUATE" C1 ADEQUATE
	jq_check "#38 [$v] C1 supported_by names E1 and its assert[0]" \
		'.claims[0].supported_by == [{"evidence": "E1", "kind": "command_output", "asserts": [0]}]'
	class_is "#38 [$v] FAIL shown by exit 2 and contains: ADEQUATE (status kept FAIL)" C2 ADEQUATE
	jq_check "#38 [$v] FAIL claim is still reported as FAIL" '.claims[1].status == "FAIL"'
	class_is "#38 [$v] PASS by json_equals with ~0/~1 pointers: ADEQUATE" C3 ADEQUATE
	jq_check "#38 [$v] every json_equals assert HOLDS" '[.evidence[2].asserts[].result] == ["HOLDS","HOLDS","HOLDS"]'
	class_is "#38 [$v] BLOCKED shown by exit 3 and contains: ADEQUATE" C4 ADEQUATE
	if [ "$RC" -eq 0 ]; then tap_ok "#38 [$v] exit 0"; else tap_fail "#38 [$v] exit 0" "exit $RC" "$ERR"; fi
done
skip_venues "#38" "adequate"
