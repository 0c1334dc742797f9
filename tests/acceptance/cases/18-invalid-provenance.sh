#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #18: invalid provenance makes the claim UNVERIFIED with the reason named:
# captured_at after --run-date, a venue that is not on the allowlist (exact
# names), a command_output without exit_code or without command; evidence
# older than the freshness window (--max-age, default 90 days) is stale.
. "$(dirname "$0")/_l4.bash"
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/packets/provenance" prov
	class_is "#18 [$v] future captured_at: UNVERIFIED" C1 UNVERIFIED
	jq_check "#18 [$v] future captured_at: reason names the run date" \
		'.claims[0].reasons | any(test("captured_at 2026-06-11T00:00:01Z is after the run date 2026-06-10"))'
	class_is "#18 [$v] venue Docker-Desktop: UNVERIFIED" C2 UNVERIFIED
	jq_check "#18 [$v] venue not accepted: reason names it and the allowlist" \
		'.claims[1].reasons | any(test("venue \"Docker-Desktop\" is not an accepted venue \\(accepted: CI, VPS, local;"))'
	class_is "#18 [$v] command_output without exit_code: UNVERIFIED" C3 UNVERIFIED
	jq_check "#18 [$v] missing exit_code named" '.claims[2].reasons | any(test("without provenance.exit_code"))'
	class_is "#18 [$v] command_output without command: UNVERIFIED" C4 UNVERIFIED
	jq_check "#18 [$v] missing command named" '.claims[3].reasons | any(test("without provenance.command"))'
	# The same packet with a later run date: the capture is no longer in the future.
	RUN_DATE_OVERRIDE=2026-06-11 inspect "$v" "$FIX/packets/provenance" prov-later
	class_is "#18 [$v] same capture with --run-date 2026-06-11: ADEQUATE (the rule is the date)" C1 ADEQUATE
	# 92 days later the same capture is stale (default window 90 days)...
	RUN_DATE_OVERRIDE=2026-09-11 inspect "$v" "$FIX/packets/provenance" prov-stale
	class_is "#18 [$v] captured 92 days before the run date: UNVERIFIED (stale)" C1 UNVERIFIED
	jq_check "#18 [$v] stale: reason names the age and the window" \
		'.claims[0].reasons | any(test("stale: captured_at 2026-06-11T00:00:01Z is 92 days before the run date 2026-09-11, older than the freshness window of 90 days"))'
	# ...and --max-age widens the window.
	RUN_DATE_OVERRIDE=2026-09-11 inspect "$v" "$FIX/packets/provenance" prov-window --max-age 92
	class_is "#18 [$v] --max-age 92: the same capture is fresh again, ADEQUATE" C1 ADEQUATE
done
skip_venues "#18" "invalid provenance"
