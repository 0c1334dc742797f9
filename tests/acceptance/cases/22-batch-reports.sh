#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #22 (issue 18, review): a batch summary names a packet's report dir only
# when its worker wrote this run's reports there. packets/NAME/ may hold an
# earlier run's reports (a run that cannot write keeps them, all or none),
# so a worker that wrote nothing must not be listed with them:
#  - a packet whose reports cannot be written (report.json is a directory):
#    BLOCKED, reports null, summary.md "(none)", its old reports untouched;
#  - a packet without packet.json (REJECTED) whose reports cannot be written:
#    BLOCKED, reports null (never REJECTED with reports that do not exist);
#  - a worker killed by a signal (the TEST-ONLY hook) over an earlier run's
#    ADEQUATE reports: BLOCKED, reports null;
#  - the summary merges (merge's gate: reports null only when BLOCKED);
#  - a rerun in the same --out with fewer entries supersedes the earlier,
#    larger run's summary.NNNN.sarif parts with empty logs: no stale verdict
#    is uploaded with this run's;
#  - a rerun whose summary parts cannot be written (summary.0002.sarif is a
#    directory) leaves the earlier summary.json, .md, .sarif whole (the parts
#    are written first): never a new summary.json beside old parts;
#  - a worker's last message without its newline, before exit(), keeps
#    its own named line;
#  - a batch whose stdout reader is gone (| head -c 0) still writes every
#    packet's reports and its summary: SIGPIPE kills no worker between its
#    verdict line and its reports, nor the parent (exit 0, not 141).
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
HOOKS=${TKI_HOOKS:-$ROOT/build/tests/tki-inspector-hooks}
RUN_DATE=2026-06-10
field() { jq -r --arg n "$2" '.packets[] | select(.name == $n) | "\(.exit_code) \(.reports)"' "$1/summary.json"; }

in=$WORK/b; out=$WORK/o
mkdir -p "$in/r" "$out/packets/p2/report.json" "$out/packets/r/report.json"
mkpacket "$in/p1"; mkpacket "$in/p2"; chmod -R a+rX "$in"
echo OLD >"$out/packets/p2/report.md"
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >"$WORK/o.stdout" 2>"$WORK/o.stderr"
RC=$?
if [ "$(field "$out" p2)" = "3 null" ] && [ "$(cat "$out/packets/p2/report.md")" = OLD ] &&
	grep -q '^| p2 | BLOCKED | 3 | (none) |' "$out/summary.md" && [ "$(field "$out" p1)" = "0 packets/p1/" ]; then
	tap_ok "#22 a packet whose reports cannot be written is BLOCKED with no report dir named (reports null, (none)); its earlier reports untouched"
else tap_fail "#22 a packet whose reports cannot be written: BLOCKED, reports null" "exit $RC; p2: $(field "$out" p2); p1: $(field "$out" p1)" \
	"$(grep '| p2 |' "$out/summary.md")" "$(cat "$WORK/o.stderr")"; fi
if [ "$(field "$out" r)" = "3 null" ] && [ "$RC" = 3 ]; then
	tap_ok "#22 a REJECTED packet whose reports cannot be written is BLOCKED, reports null (never REJECTED with reports that do not exist)"
else tap_fail "#22 a REJECTED packet whose reports cannot be written is BLOCKED, reports null" "exit $RC; r: $(field "$out" r)"; fi
mkdir -p "$WORK/m"
if "$TKI" merge --out "$WORK/m" "$out/summary.json" >"$WORK/m.stdout" 2>&1 && cmp -s "$out/summary.json" "$WORK/m/summary.json"; then
	tap_ok "#22 that summary passes merge's gate and merges to the same bytes"
else tap_fail "#22 that summary passes merge's gate" "$(cat "$WORK/m.stdout")"; fi

in=$WORK/s; out=$WORK/so; mkdir -p "$in" "$out"
mkpacket "$in/p00"; for i in $(seq -w 1 44); do cp -r "$in/p00" "$in/p$i"; done
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >/dev/null 2>&1
first=$(find "$out" -maxdepth 1 -name 'summary.[0-9]*.sarif' | wc -l)
rm -r "$in"/p2* "$in"/p3* "$in"/p4* "$in/p05/packet.json"
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >/dev/null 2>&1
RC=$?
runs=$(for f in "$out"/summary.0*.sarif; do jq '.runs | length' "$f"; done | tr '\n' ' ')
stale=$(cat "$out"/summary.0*.sarif | jq -r '.runs[].properties | select(.packet_dir == "p05") | .verdict')
if [ "$first" = 3 ] && [ "$RC" = 2 ] && [ "$runs" = "0 0 0 " ] && [ -z "$stale" ] && [ "$(jq '.runs | length' "$out/summary.sarif")" = 20 ]; then
	tap_ok "#22 a rerun with fewer entries supersedes the earlier run's summary.NNNN.sarif parts with empty logs (no stale ADEQUATE uploaded)"
else tap_fail "#22 a rerun supersedes the earlier run's summary parts" "exit $RC; parts first $first; runs now: $runs; stale p05: $stale"; fi

in=$WORK/pp; out=$WORK/ppo; mkdir -p "$in" "$out"
mkpacket "$in/p00"; for i in $(seq -w 1 40); do cp -r "$in/p00" "$in/p$i"; done
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >/dev/null 2>&1
before=$(cat "$out/summary.json" "$out/summary.md" "$out/summary.sarif" | sha256sum)
rm "$out/summary.0002.sarif"; mkdir "$out/summary.0002.sarif"; rm "$in/p05/packet.json"
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >/dev/null 2>"$WORK/pp.stderr"
RC=$?
after=$(cat "$out/summary.json" "$out/summary.md" "$out/summary.sarif" | sha256sum)
if [ "$RC" = 3 ] && [ "$before" = "$after" ] && grep -q 'the summary not written' "$WORK/pp.stderr"; then
	tap_ok "#22 a rerun whose summary parts cannot be written leaves the earlier summary.json, .md, .sarif whole (exit 3)"
else tap_fail "#22 a rerun whose summary parts cannot be written leaves the earlier summary whole" "exit $RC" "$(tail -2 "$WORK/pp.stderr")"; fi

in=$WORK/sp; out=$WORK/spo; mkdir -p "$in" "$out"
for p in p1 p2 p3 p4; do mkpacket "$in/$p"; done
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" 2>"$WORK/sp.stderr" | head -c 0
RC=${PIPESTATUS[0]}
counts=$(jq -c .counts "$out/summary.json" 2>/dev/null)
if [ "$RC" = 0 ] && [ "$counts" = '{"ADEQUATE":4,"INADEQUATE":0,"REJECTED":0,"BLOCKED":0}' ]; then
	tap_ok "#22 a batch whose stdout reader is gone still writes every packet's reports and the summary (no SIGPIPE death; exit 0)"
else tap_fail "#22 a batch whose stdout reader is gone still writes every packet's reports" "exit $RC; $counts" \
	"$(jq -r '.packets[0].reason' "$out/summary.json" 2>/dev/null)"; fi
mkdir -p "$WORK/one"
"$TKI" inspect --self-sandbox --in "$in/p1" --out "$WORK/one" --run-date "$RUN_DATE" 2>/dev/null | head -c 0
RC=${PIPESTATUS[0]}
if [ "$RC" = 0 ] && [ -s "$WORK/one/report.json" ]; then
	tap_ok "#22 a single run whose stdout reader is gone still writes its reports (exit 0, not 141)"
else tap_fail "#22 a single run whose stdout reader is gone still writes its reports" "exit $RC" "$(ls -A "$WORK/one")"; fi

if [ ! -x "$HOOKS" ]; then
	tap_fail "#22 a killed worker over an earlier run's reports" "no $HOOKS (make hooks)"; exit 0
fi
in=$WORK/k; out=$WORK/ko; mkdir -p "$in" "$out"
mkpacket "$in/a"; mkpacket "$in/c"; chmod -R a+rX "$in"
"$TKI" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >/dev/null 2>&1
before=$(field "$out" c)
echo kill >"$in/c/tki-test-hook"; chmod a+r "$in/c/tki-test-hook"
"$HOOKS" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >"$WORK/k.stdout" 2>"$WORK/k.stderr"
RC=$?
if [ "$before" = "0 packets/c/" ] && [ "$(field "$out" c)" = "3 null" ] && [ -s "$out/packets/c/report.json" ] &&
	[ "$(field "$out" a)" = "0 packets/a/" ] && [ "$RC" = 3 ]; then
	tap_ok "#22 a worker killed over an earlier run's ADEQUATE reports: BLOCKED, reports null (the old reports are not this run's)"
else tap_fail "#22 a killed worker's summary entry names no reports" "exit $RC; before: $before; c: $(field "$out" c); a: $(field "$out" a)"; fi

# A worker that exits (as tki_die does) after a message without its newline:
# the message is not lost, it gets its name and a newline of its own, so
# the next worker's line does not start glued to it.
in=$WORK/pl; out=$WORK/plo; mkdir -p "$in" "$out"
mkpacket "$in/a"; mkpacket "$in/p"; echo partial >"$in/p/tki-test-hook"; chmod -R a+rX "$in"
"$HOOKS" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >"$WORK/pl.stdout" 2>"$WORK/pl.stderr"
RC=$?
if [ "$RC" = 3 ] && grep -qx 'packet "p": tki-test-hook: a last line without its newline' "$WORK/pl.stderr" &&
	[ "$(field "$out" p)" = "3 null" ]; then
	tap_ok "#22 a batch worker's last message without a newline, before exit(), is not lost: its own named line"
else tap_fail "#22 a batch worker's last message without a newline is not lost" "exit $RC; p: $(field "$out" p)" \
	"$(cat -A "$WORK/pl.stderr" | head -5)"; fi
