#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #8: a valid packet is inspected; report.md, report.json (and report.sarif,
# valid SARIF 2.1.0) are written and the exit code is the documented one:
# 1 for the example (one claim per class), 0 for an all-adequate packet.
. "$(dirname "$0")/_l4.bash"
schema=$DATA/sarif/sarif-schema-2.1.0.json

tap_check "#8 example packet digests are generated and current (scripts/make-fixtures --check)" \
	"$ROOT/scripts/make-fixtures" --check

for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/example" example
	if [ -s "$OUT/report.md" ] && [ -s "$OUT/report.json" ] && [ -s "$OUT/report.sarif" ]; then
		tap_ok "#8 [$v] example: report.md, report.json and report.sarif written"
	else
		tap_fail "#8 [$v] example: report.md, report.json and report.sarif written" "exit $RC" "$ERR" "$(ls -l "$OUT")"
	fi
	if [ "$RC" -eq 1 ]; then tap_ok "#8 [$v] example exits 1 (inadequate claims)"
	else tap_fail "#8 [$v] example exits 1 (inadequate claims)" "exit $RC" "$ERR"; fi
	jq_check "#8 [$v] report.json says INADEQUATE with exit_code 1 and 7 claims" \
		'.schema == "tki-report/v1" and .verdict == "INADEQUATE" and .exit_code == 1 and (.claims | length) == 7'
	if [ -f "$OUT/report.sarif" ] && out=$(/usr/bin/python3 - "$schema" "$OUT/report.sarif" 2>&1 <<'PY'
import json, sys, jsonschema
jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
PY
	); then tap_ok "#8 [$v] report.sarif validates against the SARIF 2.1.0 schema"
	else tap_fail "#8 [$v] report.sarif validates against the SARIF 2.1.0 schema" "$out"; fi
	n_bad=$(jq '[.claims[] | select(.class != "ADEQUATE")] | length' "$OUT/report.json" 2>/dev/null)
	n_ev=$(jq '[.evidence[] | select(.verified | not)] | length' "$OUT/report.json" 2>/dev/null)
	n_res=$(jq '.runs[0].results | length' "$OUT/report.sarif" 2>/dev/null)
	if [ -n "$n_res" ] && [ "$n_res" = $((n_bad + n_ev)) ] && [ "$n_bad" -gt 0 ]; then
		tap_ok "#8 [$v] report.sarif: $n_res results ($n_bad claims, $n_ev evidence items)"
	else tap_fail "#8 [$v] report.sarif: one result per inadequate claim or unverified item" "results=$n_res claims=$n_bad evidence=$n_ev"; fi

	inspect "$v" "$FIX/packets/adequate" adequate
	if [ "$RC" -eq 0 ]; then tap_ok "#8 [$v] all-adequate packet exits 0"
	else tap_fail "#8 [$v] all-adequate packet exits 0" "exit $RC" "$ERR"; fi
	jq_check "#8 [$v] all-adequate packet: verdict ADEQUATE, exit_code 0" '.verdict == "ADEQUATE" and .exit_code == 0'

	inspect "$v" "$FIX/example" fmt --format md
	if [ -s "$OUT/report.md" ] && [ ! -e "$OUT/report.json" ] && [ ! -e "$OUT/report.sarif" ]; then
		tap_ok "#8 [$v] --format md writes report.md only"
	else tap_fail "#8 [$v] --format md writes report.md only" "exit $RC" "$(ls "$OUT")"; fi
done
skip_venues "#8" "valid packet"
