#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #38: verified, machine-checked evidence makes a claim ADEQUATE: a PASS by
# exit code 0 + contains, a FAIL by a non-zero exit code + contains, a PASS by
# json_equals with RFC 6901 escapes (~0, ~1, the empty key), a BLOCKED by
# exit code 3 + contains. The packet exits 0.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/adequate" adequate
	class_is "#38 [$v] PASS, exit 0 and contains: ADEQUATE" C1 ADEQUATE
	class_is "#38 [$v] FAIL shown by exit 2 and contains: ADEQUATE (status kept FAIL)" C2 ADEQUATE
	jq_check "#38 [$v] FAIL claim is still reported as FAIL" '.claims[1].status == "FAIL"'
	class_is "#38 [$v] PASS by json_equals with ~0/~1 pointers: ADEQUATE" C3 ADEQUATE
	jq_check "#38 [$v] every json_equals assert HOLDS" '[.evidence[2].asserts[].result] == ["HOLDS","HOLDS","HOLDS"]'
	class_is "#38 [$v] BLOCKED shown by exit 3: ADEQUATE" C4 ADEQUATE
	if [ "$RC" -eq 0 ]; then tap_ok "#38 [$v] exit 0"; else tap_fail "#38 [$v] exit 0" "exit $RC" "$ERR"; fi
done
skip_venues "#38" "adequate"
