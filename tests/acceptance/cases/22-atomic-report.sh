#!/usr/bin/env bash
# #22: a report is written to a temp file and renamed: a run that cannot
# replace the report leaves the previous one byte for byte and no temp file.
# The failure is real: report.json is immutable (chattr +i), so the final
# rename fails with EPERM in every venue.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	p=$WORK/$v-pk; mkpacket "$p"; cp "$FIX/hostile/bad-status.json" "$p/packet.json"
	o=$WORK/$v-out; mkdir -p "$o"; chmod 777 "$o"
	printf 'OLD REPORT %s\n' "$v" >"$o/report.json"; cp "$o/report.json" "$WORK/$v-old"
	if ! chattr +i "$o/report.json" 2>/dev/null; then
		tap_skip "failed run keeps the previous report [$v] #22" "chattr +i not supported on $(df --output=fstype "$o" | tail -1)"
		continue
	fi
	run_in "$v" "$p" "$o"
	chattr -i "$o/report.json"
	left=$(find "$o" -name '.*tmp*')
	if [ "$RC" -eq 3 ] && cmp -s "$o/report.json" "$WORK/$v-old" && [ -z "$left" ] && grep -q 'report.json' <<<"$ERR"; then
		tap_ok "failed report write: exit 3, previous report.json byte for byte, no temp left [$v] #22"
	else
		tap_fail "failed report write: exit 3, previous report.json byte for byte, no temp left [$v] #22" "rc=$RC left=$left" "$(cat "$o/report.json")" "$ERR"
	fi
	# the positive control: once writable, the same run replaces it whole
	run_in "$v" "$p" "$o"
	if [ "$RC" -eq 2 ] && ! cmp -s "$o/report.json" "$WORK/$v-old" && [ -z "$(find "$o" -name '.*tmp*')" ]; then
		tap_ok "same run on a writable report: replaced whole, no temp left [$v] #22"
	else
		tap_fail "same run on a writable report: replaced whole, no temp left [$v] #22" "rc=$RC" "$ERR"
	fi
done
skip_venues "atomic report #22"
