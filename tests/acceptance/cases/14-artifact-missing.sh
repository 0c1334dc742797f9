#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #14: a cited artifact that is not in the packet leaves its claim UNVERIFIED
# (even though another cited item is fine).
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/missing" missing
	class_is "#14 [$v] missing artifact: claim C1 UNVERIFIED" C1 UNVERIFIED
	jq_check "#14 [$v] reason names the item and \"artifact not found\"" \
		'.claims[0].reasons | any(test("E1 \\(artifacts/gone.txt\\): artifact not found"))'
	if [ "$RC" -eq 1 ]; then tap_ok "#14 [$v] exit 1"; else tap_fail "#14 [$v] exit 1" "exit $RC" "$ERR"; fi
done
skip_venues "#14" "artifact missing"
