#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #9: malformed JSON is REJECTED, exit 2, GCC-style line:column on stderr and in the report.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	p=$WORK/$v-bad; mkpacket "$p"
	cp "$FIX/hostile/syntax-bad-token.json" "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-out1"
	expect "malformed JSON: exit 2, packet.json:3:16 on stderr [$v] #9" 2 '^packet\.json:3:16: error: invalid token'
	if report_says "$WORK/$v-out1" 'packet\.json:3:16: error'; then
		tap_ok "malformed JSON: REJECTED report names line and column [$v] #9"
	else
		tap_fail "malformed JSON: REJECTED report names line and column [$v] #9" "$(ls -la "$WORK/$v-out1")"
	fi
	p=$WORK/$v-trunc; mkpacket "$p"
	head -c 200 "$p/packet.json" >"$p/p" && mv "$p/p" "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-out2"
	expect "truncated manifest: exit 2 with line:column [$v] #9" 2 '^packet\.json:[0-9]+:[0-9]+: error: '
	p=$WORK/$v-utf8; mkpacket "$p"
	cp "$FIX/hostile/invalid-utf8.json" "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-out3"
	expect "invalid UTF-8: exit 2 with line:column [$v] #9" 2 '^packet\.json:2:19: error: invalid UTF-8 \(byte 0xe9\)'
	p=$WORK/$v-nul; mkpacket "$p"
	cp "$FIX/hostile/nul-after-number.json" "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-out4"
	expect "raw NUL byte: exit 2 with line:column [$v] #9" 2 '^packet\.json:2:40: error: NUL byte'
done
skip_venues "malformed JSON #9"
