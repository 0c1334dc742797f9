#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #43: the verdict is scoped: report.md opens with the packet id, the
# manifest sha256, the run date and the claim counts with their claimed
# statuses (as rendered: the heading is escaped Markdown); no report
# contains global wording.
. "$(dirname "$0")/_l4.bash"
digest=$(sha256sum <"$FIX/example/packet.json" | cut -d' ' -f1)
global='all systems|everything (passes|passed|is fine|works)|production[- ]ready|fully (secure|compliant)|all green|100% (safe|secure)|no issues anywhere'
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/example" example
	first=$(head -n1 "$OUT/report.md" 2>/dev/null | md_text /dev/stdin)
	want="1 of 7 claims adequately evidenced in packet FIX7 (manifest sha256 $digest) at run date $RUN_DATE: 1 PASS"
	if [ "$first" = "$want" ]; then tap_ok "#43 [$v] report.md opens with the scoped verdict (id, digest, run date, counts, statuses)"
	else tap_fail "#43 [$v] report.md opens with the scoped verdict" "got:  $first" "want: $want" "$ERR"; fi
	jq_check "#43 [$v] report.json carries packet_id, manifest_sha256, run_date, counts" \
		".packet_id == \"FIX7\" and .manifest_sha256 == \"$digest\" and .run_date == \"$RUN_DATE\" and (.counts | add) == 7 and (.counts | length) == 7"
	hits=$(grep -HiE "$global" "$OUT"/report.* 2>/dev/null)
	if [ -f "$OUT/report.md" ] && [ -z "$hits" ]; then tap_ok "#43 [$v] no global wording in report.md/json/sarif"
	else tap_fail "#43 [$v] no global wording in report.md/json/sarif" "$hits"; fi
	inspect "$v" "$FIX/packets/adequate" adequate
	first=$(head -n1 "$OUT/report.md" 2>/dev/null | md_text /dev/stdin)
	case $first in
	"4 of 4 claims adequately evidenced in packet ADEQ4 "*"at run date $RUN_DATE: 2 PASS, 1 FAIL, 1 BLOCKED")
		tap_ok "#43 [$v] an all-adequate verdict keeps the claimed statuses (2 PASS, 1 FAIL, 1 BLOCKED)" ;;
	*) tap_fail "#43 [$v] an all-adequate verdict keeps the claimed statuses" "got: $first" ;;
	esac
done
skip_venues "#43" "verdict scope"
