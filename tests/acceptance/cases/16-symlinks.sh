#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #16: a symlink anywhere on a cited path, pointing outside or inside the
# packet, is an openat2 refusal: BLOCKED, exit 3, named. Same for packet.json.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
echo SENTINEL >"$WORK/outside.txt"; chmod 644 "$WORK/outside.txt"
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	p=$WORK/$v-out; mkpacket "$p"; ln -s "$WORK/outside.txt" "$p/link"; set_path "$p" '"link"'
	run_in "$v" "$p" "$WORK/$v-o1"
	expect "symlink to a file outside the packet: BLOCKED exit 3 [$v] #16" 3 'E1' '"link" refused: a symlink'
	p=$WORK/$v-in; mkpacket "$p"; ln -s net-probe.txt "$p/artifacts/alias"; set_path "$p" '"artifacts/alias"'
	run_in "$v" "$p" "$WORK/$v-o2"
	expect "symlink to a file inside the packet: BLOCKED exit 3 [$v] #16" 3 'E1' 'refused: a symlink'
	p=$WORK/$v-dir; mkpacket "$p"; ln -s artifacts "$p/adir"; set_path "$p" '"adir/net-probe.txt"'
	run_in "$v" "$p" "$WORK/$v-o3"
	expect "symlinked directory mid-path: BLOCKED exit 3 [$v] #16" 3 'E1' 'refused: a symlink'
	p=$WORK/$v-man; mkpacket "$p"; mv "$p/packet.json" "$WORK/$v-real.json"; ln -s "$WORK/$v-real.json" "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o4"
	expect "packet.json itself a symlink: BLOCKED exit 3 [$v] #16" 3 '"packet.json" refused: a symlink'
done
skip_venues "symlinks #16"
