#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #45: inspect an attestation bundle. The bundle is re-judged from its raw
# observations, not taken at its word: all-PASS -> b4_prime ATTESTED for that
# venue and image digest; a probe that says PASS while its errno says the
# operation succeeded -> claim CONTRADICTED; a rejected venue (Mac-local,
# docker-desktop) or a missing probe -> NOT_ATTESTED.
. "$(dirname "$0")/../lib.sh"
new_work

RUN_DATE=2026-06-10

# inspect_case VENUE CASE: inspect fixtures/attest/CASE; sets RC and REP.
inspect_case() {
	local v=$1 c=$2
	REP=$WORK/$v-$c
	mkdir -p "$REP"
	RC=0
	LOG=$(tki_in "$v" inspect "$FIX/attest/$c" "$REP" --run-date "$RUN_DATE" 2>&1) || RC=$?
	REP=$REP/report.json
}
b4() { jq -r '[.evidence[] | select(.id == "E1") | .b4_prime][0] // "none"' "$REP" 2>/dev/null; }
class() { jq -r '[.claims[] | select(.id == "C1") | .class][0] // "none"' "$REP" 2>/dev/null; }

vs=(self)
if have_docker; then vs+=(docker); else tap_skip "attestation bundles in docker #45" "$DOCKER_SKIP"; fi

for v in "${vs[@]}"; do
	digest=$(jq -r .image_digest "$FIX/attest/all-pass/bundle.json")
	inspect_case "$v" all-pass
	if [ $RC -eq 0 ] && [ "$(b4)" = ATTESTED ] && [ "$(class)" = ADEQUATE ] &&
	   grep -qF "$digest" "$REP" && grep -q '"CI"' "$REP"; then
		tap_ok "$v: all-PASS bundle: b4_prime ATTESTED for venue CI and $digest, claim ADEQUATE #45"
	else
		tap_fail "$v: all-PASS bundle: ATTESTED with venue and image digest in report.json #45" \
			"exit $RC, b4_prime $(b4), class $(class)" "$LOG"
	fi

	inspect_case "$v" contradicting-errno
	if [ $RC -eq 1 ] && [ "$(class)" = CONTRADICTED ] && [ "$(b4)" = NOT_ATTESTED ] &&
	   grep -q 'PR-SOCK-1' "$REP"; then
		tap_ok "$v: PR-SOCK-1 says PASS with errno_or_exit 0: claim CONTRADICTED, NOT_ATTESTED #45"
	else
		tap_fail "$v: PASS with contradicting errno: CONTRADICTED #45" \
			"exit $RC, b4_prime $(b4), class $(class)" "$LOG"
	fi

	# Issue 13, point 3: raw data of a venue P1 would have refused, each
	# errno string as expected; a good bundle plus AWS_SECRET_ACCESS_KEY in
	# raw.env_keyset (PR-ENV-1 must read raw.env_keyset itself).
	inspect_case "$v" raw-half-judged
	fails=$(jq -r '[.evidence[0].p1_invariants[] | select(.rejudged == "FAIL") | .name] | join(",")' "$REP" 2>/dev/null)
	if [ $RC -eq 1 ] && [ "$(b4)" = NOT_ATTESTED ] && [ "$(class)" = CONTRADICTED ] &&
	   [ "$fails" = "env,uid,engine_sockets,seccomp,capabilities" ]; then
		tap_ok "$v: raw with Seccomp 0, full caps, uid 0, docker.sock, DB_PASS: NOT_ATTESTED, P1 re-judged FAIL on $fails #45"
	else
		tap_fail "$v: raw of a venue P1 refuses: NOT_ATTESTED #45" "exit $RC, b4_prime $(b4), class $(class), failing: $fails" "$LOG"
	fi
	inspect_case "$v" raw-env-aws
	env1=$(jq -r '[.evidence[0].probes[] | select(.probe_id == "PR-ENV-1") | .rejudged + " " + .why][0]' "$REP" 2>/dev/null)
	if [ $RC -eq 1 ] && [ "$(b4)" = NOT_ATTESTED ] && [[ $env1 == "FAIL "*AWS_SECRET_ACCESS_KEY* ]]; then
		tap_ok "$v: AWS_SECRET_ACCESS_KEY added to raw.env_keyset: PR-ENV-1 re-judges FAIL naming it, NOT_ATTESTED #45"
	else
		tap_fail "$v: tampered env_keyset: PR-ENV-1 FAIL #45" "exit $RC, b4_prime $(b4), PR-ENV-1: $env1" "$LOG"
	fi

	for c in venue-mac-local venue-docker-desktop missing-probe unknown-probe raw-caps raw-uid-root \
		raw-engine-socket raw-seccomp-disagrees raw-seccomp-not-own raw-nnp-off raw-no-status raw-mounts-in-rw; do
		inspect_case "$v" "$c"
		if [ $RC -ne 0 ] && [ "$(b4)" = NOT_ATTESTED ] && [ "$(class)" != ADEQUATE ]; then
			tap_ok "$v: $c: NOT_ATTESTED, claim $(class), exit $RC #45"
		else
			tap_fail "$v: $c: NOT_ATTESTED #45" "exit $RC, b4_prime $(b4), class $(class)" "$LOG"
		fi
	done
done
