#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #12: oversized manifest, nesting too deep, too many items: exit 2, limit named, memory bounded.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
p=$WORK/big; mkpacket "$p"
# 64 MiB + 1 of valid JSON: a long x- string
python3 -c "
import sys; n = 64 * 1024 * 1024 + 1
head = b'{\"x-pad\": \"'; tail = b'\"}'
sys.stdout.buffer.write(head + b'a' * (n - len(head) - len(tail)) + tail)" >"$p/packet.json"
d=$WORK/deep; mkpacket "$d"
python3 -c "print('{\"x-deep\": ' + '[' * 100000 + ']' * 100000 + '}')" >"$d/packet.json"
m=$WORK/many; mkpacket "$m"
python3 -c "
print('{\"schema\": \"tki-packet/v1\", \"packet_id\": \"M\", \"created_at\": \"2026-06-10T12:00:00Z\", \"evidence\": [], \"claims\": [' + ','.join(['{}'] * 250001) + ']}')" >"$m/packet.json"
s=$WORK/str; mkpacket "$s"
python3 -c "print('{\"schema\": \"tki-packet/v1\", \"packet_id\": \"' + 'P' * 70000 + '\"}')" >"$s/packet.json"
chmod -R a+rX "$WORK"
for v in "${VS[@]}"; do
	run_in "$v" "$p" "$WORK/$v-o1"
	expect "oversized manifest: exit 2, TKI_MAX_MANIFEST_BYTES named [$v] #12" 2 \
		'packet\.json: error: manifest is 67108865 bytes, over the limit of 67108864 bytes \(TKI_MAX_MANIFEST_BYTES\)'
	t0=$(date +%s%N)
	run_in "$v" "$d" "$WORK/$v-o2"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	expect "100,000-deep nesting: exit 2, TKI_MAX_DEPTH named, ${ms} ms [$v] #12" 2 \
		'^packet\.json:1:[0-9]+: error: nesting deeper than 32 levels \(limit TKI_MAX_DEPTH\)'
	run_in "$v" "$m" "$WORK/$v-o3"
	expect "250,001 claims: exit 2, TKI_MAX_CLAIMS named [$v] #12" 2 \
		'^packet\.json: claims: error: 250001 claims, over the limit of 250000 \(TKI_MAX_CLAIMS\)'
	run_in "$v" "$s" "$WORK/$v-o4"
	expect "70,000-byte string: exit 2, TKI_MAX_STRING named [$v] #12" 2 \
		'^packet\.json: packet_id: error: string of 70000 bytes, over the limit of 65536 bytes \(TKI_MAX_STRING\)'
done
skip_venues "caps #12"
# Memory stays bounded: peak RSS of the whole run on the 250,001-item manifest
# (self venue; /usr/bin/time reports the largest of the process tree).
if [ -x /usr/bin/time ]; then
	mkdir -p "$WORK/o5"; chmod 777 "$WORK/o5"
	/usr/bin/time -f '%M' -o "$WORK/rss" "$TKI" inspect --self-sandbox --in "$m" --out "$WORK/o5" --run-date "$RUN_DATE" >/dev/null 2>&1
	rss=$(tail -1 "$WORK/rss")
	size=$(( $(stat -c %s "$m/packet.json") / 1024 ))
	if [ "$rss" -lt $(( 100 * size + 65536 )) ]; then tap_ok "memory bounded: ${rss} KiB peak for a ${size} KiB manifest #12"
	else tap_fail "memory bounded: ${rss} KiB peak for a ${size} KiB manifest #12"; fi
else
	tap_skip "memory bounded #12" "/usr/bin/time not installed"
fi
