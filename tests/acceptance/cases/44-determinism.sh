#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #44: the same packet and run date give byte-identical report.json,
# report.md and report.sarif: run after run, and venue after venue.
. "$(dirname "$0")/_l4.bash"
ref=
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/example" a; a=$OUT
	sleep 1 # a clock in a report would now differ
	inspect "$v" "$FIX/example" b; b=$OUT
	for f in report.json report.md report.sarif; do
		if [ -s "$a/$f" ] && cmp -s "$a/$f" "$b/$f"; then tap_ok "#44 [$v] $f byte-identical across two runs"
		else tap_fail "#44 [$v] $f byte-identical across two runs" "$(diff "$a/$f" "$b/$f" 2>&1 | head -5)"; fi
	done
	RUN_DATE_OVERRIDE=2026-06-11 inspect "$v" "$FIX/example" c
	if ! cmp -s "$a/report.json" "$OUT/report.json" && grep -q '"run_date": "2026-06-11"' "$OUT/report.json"; then
		tap_ok "#44 [$v] another run date gives another report (the date is the only time in it)"
	else tap_fail "#44 [$v] another run date gives another report"; fi
	if [ -z "$ref" ]; then ref=$a; ref_v=$v; continue; fi
	if cmp -s "$ref/report.json" "$a/report.json" && cmp -s "$ref/report.md" "$a/report.md"; then
		tap_ok "#44 [$v] reports identical to the $ref_v venue's"
	else tap_fail "#44 [$v] reports identical to the $ref_v venue's" "$(diff "$ref/report.json" "$a/report.json" | head -5)"; fi
done
skip_venues "#44" "determinism"
