#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #31 (issue 18, review): a careless root operator re-inspects an earlier
# batch's packets through an alias: --in a bind mount of OUT/packets, --out
# OUT. Every report dir OUT/packets/NAME/ is then the packet dir itself
# (other path, same inode): each packet is BLOCKED, refused before its
# worker writes anything; no report lands in a packet.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
d="#31 --in a bind mount of --out's packets/ (report dir == packet dir by inode): every packet BLOCKED, no report written into a packet"
if [ "$(id -u)" != 0 ]; then tap_skip "$d" "needs root (mount --bind)"; exit 0; fi
out=$WORK/o; alias=$WORK/alias; mkdir -p "$out/packets" "$alias"
mkpacket "$out/packets/a"; mkpacket "$out/packets/b"
trap 'umount "$alias" 2>/dev/null; rm -rf "$WORK"' EXIT
if ! mount --bind "$out/packets" "$alias"; then tap_skip "$d" "mount --bind refused here"; exit 0; fi
"$TKI" inspect --batch --self-sandbox --in "$alias" --out "$out" --run-date "$RUN_DATE" >"$WORK/stdout" 2>"$WORK/stderr"
rc=$?
umount "$alias"
written=$(find "$out/packets" -name 'report*')
codes=$(jq -c '[.packets[] | [.name, .exit_code, .reports]]' "$out/summary.json" 2>/dev/null)
if [ "$rc" = 3 ] && [ -z "$written" ] && [ "$codes" = '[["a",3,null],["b",3,null]]' ] &&
	grep -q 'is the packet dir itself' "$WORK/stderr"; then
	tap_ok "$d"
else tap_fail "$d" "exit $rc; $codes" "written: $written" "$(cat "$WORK/stderr")"; fi
