#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #13: an artifact whose bytes differ from its declared sha256 leaves its
# claim UNVERIFIED, with both digests in the reason.
. "$(dirname "$0")/_l4.bash"
actual=$(sha256sum <"$FIX/packets/mismatch/artifacts/net.txt" | cut -d' ' -f1)
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/mismatch" mismatch
	class_is "#13 [$v] digest mismatch: claim C1 UNVERIFIED" C1 UNVERIFIED
	jq_check "#13 [$v] evidence E1 not verified, actual digest $actual reported" \
		".evidence[0].verified == false and .evidence[0].sha256_actual == \"$actual\" and (.claims[0].reasons | any(test(\"digest differs\")))"
	if [ "$RC" -eq 1 ]; then tap_ok "#13 [$v] exit 1"; else tap_fail "#13 [$v] exit 1" "exit $RC" "$ERR"; fi
done
skip_venues "#13" "digest mismatch"
