#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #7 in the bwrap venue: scripts/run-bwrap IN OUT -- selfcheck exits 0 with
# every invariant ok.
set -u
. "$(dirname "$0")/../lib.sh"
new_work
desc="bwrap: selfcheck exits 0 with every invariant ok #7"
if ! have_bwrap; then tap_skip "$desc" "$BWRAP_SKIP"; exit 0; fi
make -C "$ROOT" -s static >/dev/null 2>&1 || { tap_fail "$desc" "make static failed"; exit 0; }
mkdir -m 0755 "$WORK/in" "$WORK/out"
"$ROOT/scripts/run-bwrap" "$WORK/in" "$WORK/out" -- selfcheck >"$WORK/json" 2>"$WORK/err"; rc=$?
if [ "$rc" = 0 ] && jq -e '.verdict == "OK" and (.invariants | length > 0) and all(.invariants[]; .ok == true)' "$WORK/json" >/dev/null 2>&1; then
	tap_ok "$desc ($(jq -r '.invariants | length' "$WORK/json") invariants)"
else
	tap_fail "$desc" "exit $rc" "$(jq -c '.invariants[]? | select(.ok != true)' "$WORK/json" 2>/dev/null || cat "$WORK/json")" "$(head -c 2000 "$WORK/err")"
fi
exit 0
