#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #41: a claim that cites no evidence is MISSING_EVIDENCE.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/no-evidence" noev
	class_is "#41 [$v] claim without evidence: MISSING_EVIDENCE" C1 MISSING_EVIDENCE
	jq_check "#41 [$v] reason says so" '.claims[0].reasons[0] == "no evidence cited"'
	if [ "$RC" -eq 1 ]; then tap_ok "#41 [$v] exit 1"; else tap_fail "#41 [$v] exit 1" "exit $RC" "$ERR"; fi
done
skip_venues "#41" "missing evidence"
