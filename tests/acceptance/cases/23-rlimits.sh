#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #23: the resource limits the own layer sets are in force and shown by
# selfcheck (P1's "rlimits" invariant), in every venue that can start.
# The expected values are read from the table in docs/sandbox.md, so the
# documentation and the binary cannot disagree silently.
. "$(dirname "$0")/../lib.sh"
doc=$ROOT/docs/sandbox.md
# | RLIMIT_NOFILE | 64 | ...  ->  NOFILE=64/64
want=$(sed -nE 's/^\| RLIMIT_(NOFILE|FSIZE|NPROC|AS) \| ([0-9]+).*/\1=\2\/\2/p' "$doc" 2>/dev/null)
if [ "$(printf '%s\n' "$want" | grep -c .)" -ne 4 ]; then
	tap_fail "rlimits table (NOFILE, FSIZE, NPROC, AS) found in docs/sandbox.md #23" "got: $want"
	exit 0
fi

new_work
venues >"$WORK/venues" # in this shell, so that VENUE_SKIPS is set here
read -ra vlist <"$WORK/venues"
for venue in "${vlist[@]}"; do
	desc="selfcheck shows the own layer's rlimits ($(echo $want)) in the $venue venue #23"
	if [ "$venue" = bwrap ] && [ ! -x "$ROOT/scripts/run-bwrap" ]; then
		tap_skip "$desc" "scripts/run-bwrap is not merged yet"; continue
	fi
	# World-readable dirs: private (0700) dirs are #7's and the venues' concern.
	in=$(mktemp -d "$WORK/in.XXXXXX") out=$(mktemp -d "$WORK/out.XXXXXX")
	chmod 0755 "$in" "$out"
	tki_in "$venue" selfcheck "$in" "$out" >"$WORK/stdout" 2>"$WORK/stderr"
	rc=$?
	if grep -q -- '--self-sandbox: not implemented yet' "$WORK/stderr"; then
		tap_skip "$desc" "--self-sandbox is not merged yet"; continue
	fi
	if [ "$(jq '.invariants | length' "$WORK/stdout" 2>/dev/null)" = 0 ] && grep -q 'not implemented yet' "$WORK/stderr"; then
		tap_skip "$desc" "P1 (issue 3) is not merged yet: selfcheck is still the stub"; continue
	fi
	obs=$(jq -r '.invariants[] | select(.name == "rlimits") | "\(.ok) \(.observed)"' "$WORK/stdout" 2>/dev/null)
	bad=
	case $obs in true\ *) ;; *) bad="rlimits invariant not ok" ;; esac
	for w in $want; do
		[[ " $obs " == *" $w "* ]] || bad="$bad; $w not shown"
	done
	if [ -z "$bad" ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "$bad" "exit $rc" "observed: $obs" "stderr: $(cat "$WORK/stderr")"
	fi
done
for s in "${VENUE_SKIPS[@]}"; do
	tap_skip "selfcheck shows the own layer's rlimits in the ${s%%:*} venue #23" "${s#*: }"
done
