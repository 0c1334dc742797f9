#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #42: a category outside the governed taxonomy is TRIAGE_ONLY and the packet
# never exits 0, even when its evidence is perfect.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/triage" triage
	class_is "#42 [$v] category ops.availability: TRIAGE_ONLY" C1 TRIAGE_ONLY
	jq_check "#42 [$v] the evidence itself is verified and its assert holds" \
		'.evidence[0].verified and .evidence[0].asserts[0].result == "HOLDS"'
	if [ "$RC" -eq 1 ]; then tap_ok "#42 [$v] exit never 0: exit 1"; else tap_fail "#42 [$v] exit never 0: exit 1" "exit $RC" "$ERR"; fi
	jq_check "#42 [$v] verdict INADEQUATE" '.verdict == "INADEQUATE" and .counts.TRIAGE_ONLY == 1'
done
skip_venues "#42" "triage only"
