#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #10: schema violations are REJECTED, exit 2, naming the JSON path.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	p=$WORK/$v-status; mkpacket "$p"
	sed -i 's/"status": "PASS"/"status": "GREEN"/' "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o1"
	expect "unknown status: exit 2, claims[0].status named [$v] #10" 2 \
		'^packet\.json: claims\[0\]\.status: error: "GREEN" is not one of PASS, FAIL, PARTIAL, BLOCKED$'
	if report_says "$WORK/$v-o1" 'claims\[0\]\.status'; then tap_ok "schema error in the REJECTED report [$v] #10"
	else tap_fail "schema error in the REJECTED report [$v] #10" "$(ls -la "$WORK/$v-o1")"; fi
	p=$WORK/$v-kind; mkpacket "$p"
	sed -i 's/"kind": "artifact"/"kind": "screenshot"/; s/"category": "test", //' "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o2"
	expect "unknown kind and missing field: both paths named [$v] #10" 2 \
		'^packet\.json: evidence\[0\]\.kind: error: "screenshot" is not one of' \
		'^packet\.json: claims\[0\]\.category: error: missing'
	p=$WORK/$v-type; mkpacket "$p"
	sed -i 's/"statement": "no egress"/"statement": 42, "colour": "green", "x-ok": 1/' "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o3"
	expect "wrong type and unknown field named, x- field allowed [$v] #10" 2 \
		'^packet\.json: claims\[0\]\.statement: error: expected a string, got an integer' \
		'^packet\.json: claims\[0\]\.colour: error: unknown field'
	if [ "$RC" -ne 2 ] || grep -q "x-ok" <<<"$ERR"; then tap_fail "x- field is not an error [$v] #10" "$ERR"; else tap_ok "x- field is not an error [$v] #10"; fi
done
skip_venues "schema violation #10"
