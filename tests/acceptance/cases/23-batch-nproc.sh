#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #23 (issue 18, review): a batch under a process limit (RLIMIT_NPROC, as a
# pod's pids limit shared with other processes of the uid) that leaves room
# for one worker at a time runs its workers one at a time: fork's EAGAIN
# waits for a running worker to end instead of giving up the batch (no
# summary, exit 3). With no room for any worker the batch is BLOCKED.
# An unprivileged uid of its own (root is not held to RLIMIT_NPROC).
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
UID_T=64999
d="#23 a batch with room for one worker at a time under RLIMIT_NPROC (--self-sandbox: outer, PID 1, parent, one worker) inspects every packet, one at a time (exit 0, all ADEQUATE)"
d0="#23 a batch with no room for any worker under RLIMIT_NPROC is BLOCKED (exit 3), the fork named"
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null || ! command -v prlimit >/dev/null; then
	tap_skip "$d" "needs root, setpriv and prlimit"; tap_skip "$d0" "needs root, setpriv and prlimit"; exit 0
fi
if [ -n "$(pgrep -u "$UID_T" || true)" ]; then
	tap_skip "$d" "uid $UID_T has processes here (they count against its limit)"; tap_skip "$d0" "uid $UID_T busy"; exit 0
fi
in=$WORK/b; mkdir -p "$in"
for p in p1 p2 p3 p4; do mkpacket "$in/$p"; done
chmod -R a+rX "$in"
run() { # NPROC OUT
	mkdir -p "$2"; chmod 0777 "$2"
	setpriv --reuid "$UID_T" --regid "$UID_T" --clear-groups prlimit --nproc="$1" \
		"$TKI" inspect --batch --self-sandbox --in "$in" --out "$2" --run-date "$RUN_DATE" >"$2.stdout" 2>"$2.stderr"
}
run 4 "$WORK/o4"; rc=$?
if [ "$rc" = 0 ] && [ "$(jq -c .counts "$WORK/o4/summary.json" 2>/dev/null)" = '{"ADEQUATE":4,"INADEQUATE":0,"REJECTED":0,"BLOCKED":0}' ]; then
	tap_ok "$d"
else tap_fail "$d" "exit $rc" "$(tail -3 "$WORK/o4.stderr")"; fi
run 3 "$WORK/o3"; rc=$?
if [ "$rc" = 3 ] && grep -q 'BLOCKED: batch: fork of a worker' "$WORK/o3.stderr" && [ ! -e "$WORK/o3/summary.json" ]; then
	tap_ok "$d0"
else tap_fail "$d0" "exit $rc" "$(tail -3 "$WORK/o3.stderr")"; fi
