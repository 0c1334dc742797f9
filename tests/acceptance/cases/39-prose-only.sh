#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #39: PASS backed by prose only is PROSE_ONLY and the packet is not green.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/prose" prose
	class_is "#39 [$v] PASS with two prose items: PROSE_ONLY" C1 PROSE_ONLY
	jq_check "#39 [$v] both prose items are verified (the class is about kind, not digest)" '[.evidence[].verified] == [true, true]'
	if [ "$RC" -eq 1 ]; then tap_ok "#39 [$v] not green: exit 1"; else tap_fail "#39 [$v] not green: exit 1" "exit $RC" "$ERR"; fi
	inspect "$v" "$FIX/example" example
	class_is "#39 [$v] example C3 (prose): PROSE_ONLY" C3 PROSE_ONLY
done
skip_venues "#39" "prose only"
