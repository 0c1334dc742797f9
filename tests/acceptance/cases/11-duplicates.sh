#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #11: duplicate keys, duplicate ids and dangling references: exit 2, both occurrences named.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	p=$WORK/$v-key; mkpacket "$p"
	sed -i 's/"status": "PASS",/"status": "PASS",\n     "status": "FAIL",/' "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o1"
	expect "duplicate key: both line:columns named [$v] #11" 2 \
		'^packet\.json: claims\[0\]\.status: error: duplicate key "status" at packet\.json:7:6 \(first at packet\.json:6:64\)$'
	p=$WORK/$v-ids; mkpacket "$p"
	sed -i 's/^    {"id": "C1".*$/&,\n&/; s/"evidence": \["E1"\]}$/"evidence": ["E1", "E9"]}/' "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o2"
	expect "duplicate claim id and dangling reference: both places named [$v] #11" 2 \
		'^packet\.json: claims\[1\]\.id: error: duplicate id "C1" \(first at claims\[0\]\.id\)$' \
		'^packet\.json: claims\[1\]\.evidence\[1\]: error: "E9" is not an evidence id$'
	p=$WORK/$v-evids; mkpacket "$p"
	python3 - "$p/packet.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d['evidence'].append(dict(d['evidence'][0]))
json.dump(d, open(sys.argv[1], 'w'), indent=1)
PY
	run_in "$v" "$p" "$WORK/$v-o3"
	expect "duplicate evidence id: both named [$v] #11" 2 \
		'^packet\.json: evidence\[1\]\.id: error: duplicate id "E1" \(first at evidence\[0\]\.id\)$'
done
skip_venues "duplicates #11"
