#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #38, its other side: a packet whose every claim is UNCHECKED is not green.
# C1: a command_output that says "PR-NET-1 FAIL: connect succeeded", with
# exit_code 0 and no asserts (the exit code is the author's word: it may
# contradict, never support; issue 13, point 1). C2: an artifact whose only
# assert is a not_contains (absence holds on an empty file). Exit 1, verdict
# INADEQUATE, nothing in supported_by: UNCHECKED counted as green fails here.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/unchecked" unchecked
	class_is "#38 [$v] exit_code 0 without asserts supports nothing: UNCHECKED" C1 UNCHECKED
	jq_check "#38 [$v] C1's reason says the exit code is the packet's word" \
		'.claims[0].reasons | any(test("command_output without asserts: its exit code is the packet.s word"))'
	class_is "#38 [$v] only a not_contains assert supports nothing: UNCHECKED" C2 UNCHECKED
	jq_check "#38 [$v] UNCHECKED-only packet: verdict INADEQUATE, exit_code 1, no support, counts UNCHECKED 2" \
		'.verdict == "INADEQUATE" and .exit_code == 1 and ([.claims[].supported_by | length] | add) == 0 and .counts.UNCHECKED == 2 and .counts.ADEQUATE == 0'
	if [ "$RC" -eq 1 ]; then tap_ok "#38 [$v] UNCHECKED-only packet exits 1"
	else tap_fail "#38 [$v] UNCHECKED-only packet exits 1" "exit $RC" "$ERR"; fi
	if ! grep -q 'Verdict: ADEQUATE\|^# 2 of 2 claims adequately' "$OUT/report.md" 2>/dev/null && grep -q '^# 0 of 2 claims adequately evidenced' "$OUT/report.md"; then
		tap_ok "#38 [$v] report.md says 0 of 2 claims adequately evidenced"
	else tap_fail "#38 [$v] report.md says 0 of 2 claims adequately evidenced" "$(head -n3 "$OUT/report.md" 2>/dev/null)"; fi
done
skip_venues "#38" "UNCHECKED-only packet"
