#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #22: a report is written to a temp file and renamed: a run that cannot
# replace the report leaves the previous one byte for byte and no temp file.
# The failure is real: report.json is immutable (chattr +i), so the final
# rename fails with EPERM in every venue.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
# Two runs whose report cannot be written: an inspected packet (exit 3: the
# verdict is not recorded, docs/exit-codes.md) and a REJECTED one (exit 2
# stands, issue 5: "exit 2 and, where the output dir is usable, a report").
failed_write() { # VENUE NAME WANT_RC PACKET_JSON_OR_EMPTY
	local v=$1 name=$2 want=$3 pj=$4
	local p=$WORK/$v-$name-pk o=$WORK/$v-$name-out
	mkpacket "$p"; [ -n "$pj" ] && cp "$pj" "$p/packet.json"
	mkdir -p "$o"; chmod 777 "$o"
	printf 'OLD REPORT %s %s\n' "$v" "$name" >"$o/report.json"; cp "$o/report.json" "$WORK/$v-$name-old"
	if ! chattr +i "$o/report.json" 2>/dev/null; then
		tap_skip "failed $name run keeps the previous report [$v] #22" "chattr +i not supported on $(df --output=fstype "$o" | tail -1)"
		return
	fi
	run_in "$v" "$p" "$o"
	chattr -i "$o/report.json"
	local left
	left=$(find "$o" -name '.*tmp*')
	if [ "$RC" -eq "$want" ] && cmp -s "$o/report.json" "$WORK/$v-$name-old" && [ -z "$left" ] && grep -q 'report.json' <<<"$ERR"; then
		tap_ok "failed report write ($name): exit $want, previous report.json byte for byte, no temp left [$v] #22"
	else
		tap_fail "failed report write ($name): exit $want, previous report.json byte for byte, no temp left [$v] #22" "rc=$RC left=$left" "$(cat "$o/report.json")" "$ERR"
	fi
	# the positive control: once writable, the same run replaces it whole
	local ok_rc=$want; [ "$want" -eq 3 ] && ok_rc=0
	run_in "$v" "$p" "$o"
	if [ "$RC" -eq "$ok_rc" ] && ! cmp -s "$o/report.json" "$WORK/$v-$name-old" && [ -z "$(find "$o" -name '.*tmp*')" ]; then
		tap_ok "same $name run on a writable report: replaced whole, no temp left [$v] #22"
	else
		tap_fail "same $name run on a writable report: replaced whole, no temp left [$v] #22" "rc=$RC" "$ERR"
	fi
}
for v in "${VS[@]}"; do
	failed_write "$v" inspected 3 ""
	failed_write "$v" rejected 2 "$FIX/hostile/bad-status.json"
done
skip_venues "atomic report #22"
