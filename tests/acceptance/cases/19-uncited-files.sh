#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #19: files in the packet that no evidence cites are listed as warnings
# (sorted; packet.json itself is not one); they do not change the exit code.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/uncited" uncited
	jq_check "#19 [$v] both uncited files are warnings, in order" \
		'.warnings == ["file artifacts/old.log is cited by no evidence", "file notes/stray.md is cited by no evidence"]'
	if md_text "$OUT/report.md" 2>/dev/null | grep -qF "notes/stray.md is cited by no evidence"; then tap_ok "#19 [$v] report.md lists the warning"
	else tap_fail "#19 [$v] report.md lists the warning" "exit $RC" "$ERR"; fi
	if [ "$RC" -eq 0 ]; then tap_ok "#19 [$v] warnings alone leave exit 0"; else tap_fail "#19 [$v] warnings alone leave exit 0" "exit $RC" "$ERR"; fi
	inspect "$v" "$FIX/packets/adequate" uncited-none
	jq_check "#19 [$v] a packet without stray files has no warnings" '.warnings == []'
done
skip_venues "#19" "uncited files"
