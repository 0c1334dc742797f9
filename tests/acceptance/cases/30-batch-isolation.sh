#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #30, #31, #23 (issue 18, part 1): inspect --batch runs each packet in its own
# sandboxed worker whose Landlock domain holds its packet dir (read-only)
# and its report dir (read-write), nothing else:
#  - a worker taken over by its packet (the TEST-ONLY hook of
#    build/tests/tki-inspector-hooks, tests/hooks/batch_hooks.c) is refused
#    reading a sibling's packet.json (#30) and writing into a sibling's
#    report dir (#31); the product binaries hold no trace of the hook;
#  - each worker holds only its own two roots: 1,000 workers in one batch,
#    none sees another's descriptor, and none leaks into the parent
#    (RLIMIT_NOFILE 64 would stop the batch after ~60 packets) (#30);
#  - a worker killed by a signal is BLOCKED for its packet only (#31);
#  - a packet dir swapped for a symlink to a sibling between the listing and
#    its worker is refused, never followed (#31);
#  - a report dir that is a symlink is refused, and a symlink planted in a
#    report dir is replaced, its target untouched (#31);
#  - odd names: a newline or invalid UTF-8 is listed escaped and BLOCKED,
#    Unicode is inspected, names that escape alike stay apart (#30);
#  - a packet over a work limit is BLOCKED alone (#23);
#  - a packet hard-linking a sibling's file gets its own report, the same
#    as alone, and its worker still cannot open the sibling (#30).
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
HOOKS=${TKI_HOOKS:-$ROOT/build/tests/tki-inspector-hooks}
RUN_DATE=2026-06-10
batch() { # BIN IN OUT [ARGS]: --self-sandbox batch run; sets RC
	local bin=$1 in=$2 out=$3; shift 3
	"$bin" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" "$@" \
		>"$out.stdout" 2>"$out.stderr"
	RC=$?
}
entry() { jq -r --arg n "$2" '.packets[] | select(.name == $n) | "\(.exit_code) \(.reason // "")"' "$1/summary.json"; }

if [ ! -x "$HOOKS" ]; then
	tap_fail "batch isolation #30" "no $HOOKS (make hooks)"; exit 0
fi

# --- the hook is the test build's only --------------------------------------
for b in "$TKI" "$TKI_STATIC"; do
	if [ -f "$b" ] && ! grep -aq -e tki-test-hook -e tki-test-stop -e tki-test-casefold "$b"; then
		tap_ok "#31 the product binary $(basename "$(dirname "$b")")/$(basename "$b") holds no trace of the TEST-ONLY hooks"
	else
		tap_fail "#31 the product binary $b holds no trace of the TEST-ONLY hooks" "$(grep -ac tki-test-hook "$b" 2>&1)"
	fi
done
if grep -aq tki-test-hook "$HOOKS"; then tap_ok "#31 the test build holds the hooks (the check above can see them)"
else tap_fail "#31 the test build holds the hooks"; fi

# --- a taken-over worker reads and writes only its own dirs -----------------
in=$WORK/b1; out=$WORK/o1; mkdir -p "$in" "$out"
for p in a b c; do mkpacket "$in/$p"; done
echo "escape b" >"$in/a/tki-test-hook"
echo kill >"$in/c/tki-test-hook"
chmod -R a+rX "$in"
batch "$HOOKS" "$in" "$out"
hook=$(cat "$out/packets/a/tki-test-hook.txt" 2>/dev/null)
if grep -qx 'read EACCES' <<<"$hook"; then
	tap_ok "#30 a worker taken over by its packet is refused reading a sibling packet (Landlock: EACCES)"
else tap_fail "#30 a worker taken over by its packet is refused reading a sibling packet" "exit $RC" "$hook" "$(cat "$out.stderr")"; fi
if grep -qx 'write EACCES' <<<"$hook" && [ ! -e "$out/packets/b/pwned" ]; then
	tap_ok "#31 a worker taken over by its packet is refused writing a sibling's report dir (Landlock: EACCES)"
else tap_fail "#31 a worker taken over by its packet is refused writing a sibling's report dir" "$hook" "$(ls -A "$out/packets/b")"; fi
if [ "$(entry "$out" c)" = "3 its worker was killed by signal 9 (KILL): BLOCKED" ] && [ "$(entry "$out" b | cut -d' ' -f1)" = 0 ] &&
	[ "$RC" = 3 ] && [ -s "$out/packets/b/report.json" ]; then
	tap_ok "#31 a worker killed by a signal is BLOCKED for its packet only; the others are inspected; exit 3 (the worst)"
else tap_fail "#31 a worker killed by a signal is BLOCKED for its packet only" "exit $RC; c: $(entry "$out" c); b: $(entry "$out" b)"; fi

# --- fds: 1,000 workers, each with 0-2 and its own two roots only ------------
in=$WORK/b2; out=$WORK/o2; mkdir -p "$in" "$out"
mkpacket "$in/p0000"; echo fds >"$in/p0000/tki-test-hook"
for i in $(seq -w 1 999); do cp -r "$in/p0000" "$in/p0$i"; done
chmod -R a+rX "$in"
batch "$HOOKS" "$in" "$out"
bad=$(for f in "$out"/packets/*/tki-test-hook.txt; do grep -vxE 'fds 0 1 2 [0-9]+ [0-9]+' "$f" | sed "s|^|$f: |"; done | head -3)
n=$(ls "$out"/packets/*/tki-test-hook.txt 2>/dev/null | wc -l)
ok0=$(jq '.counts.ADEQUATE' "$out/summary.json" 2>/dev/null)
if [ "$n" = 1000 ] && [ -z "$bad" ] && [ "$ok0" = 1000 ] && [ "$RC" = 0 ]; then
	tap_ok "#30 1,000 workers in one batch: each holds only fds 0-2 and its own two roots, none leaks into the parent (all 1,000 ADEQUATE)"
else tap_fail "#30 1,000 workers: no fd crosses workers or leaks into the parent" "exit $RC; $n hook files; ADEQUATE $ok0" "$bad" "$(tail -3 "$out.stderr")"; fi

# --- a packet dir swapped for a symlink after the listing -------------------
in=$WORK/b3; out=$WORK/o3; mkdir -p "$in" "$out"
mkpacket "$in/a"; mkpacket "$in/b"; : >"$in/tki-test-stop"; chmod -R a+rX "$in"
"$HOOKS" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >"$out.stdout" 2>"$out.stderr" &
bg=$!
stopped=
for _ in $(seq 1 200); do
	for p in $(pgrep -f "tki-inspector-hooks inspect --batch --self-sandbox --in $in" || true); do
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = T ] && stopped=$p
	done
	[ -n "$stopped" ] && break
	sleep 0.05
done
if [ -n "$stopped" ]; then
	mv "$in/b" "$in/b.real"; ln -s a "$in/b"
	kill -CONT "$stopped"
fi
wait "$bg"; RC=$?
if [ -n "$stopped" ] && [ "$(entry "$out" b | cut -d' ' -f1)" = 3 ] && [ ! -e "$out/packets/b/report.json" ] &&
	grep -q 'packet "b": the packet dir is refused' "$out.stderr" && [ "$(entry "$out" a | cut -d' ' -f1)" = 0 ]; then
	tap_ok "#31 a packet dir swapped for a symlink to a sibling between the listing and its worker is refused (BLOCKED), never followed"
else tap_fail "#31 a packet dir swapped for a symlink between listing and worker is refused" \
	"stopped=${stopped:-never}; exit $RC; b: $(entry "$out" b)" "$(cat "$out.stderr")"; fi

# --- report dirs: a symlink as the dir, a symlink inside it -----------------
in=$WORK/b4; out=$WORK/o4; mkdir -p "$in" "$out/packets/a" "$WORK/victim"
mkpacket "$in/a"; mkpacket "$in/b"; chmod -R a+rX "$in"
echo precious >"$WORK/victim/report.json"
ln -s "$WORK/victim/report.json" "$out/packets/a/report.json"
ln -s "$WORK/victim" "$out/packets/b"
batch "$TKI" "$in" "$out"
if [ "$(cat "$WORK/victim/report.json")" = precious ] && [ -f "$out/packets/a/report.json" ] &&
	[ ! -L "$out/packets/a/report.json" ] && [ "$(ls -A "$WORK/victim")" = report.json ] &&
	[ "$(entry "$out" b | cut -d' ' -f1)" = 3 ] && [ "$(entry "$out" a | cut -d' ' -f1)" = 0 ]; then
	tap_ok "#31 a report dir that is a symlink is refused (BLOCKED), a symlink planted in one is replaced; their targets untouched"
else tap_fail "#31 report dir symlinks refused, targets untouched" "exit $RC; a: $(entry "$out" a); b: $(entry "$out" b)" \
	"victim: $(ls -A "$WORK/victim") $(cat "$WORK/victim/report.json")"; fi

# --- odd names ---------------------------------------------------------------
in=$WORK/b5; out=$WORK/o5; mkdir -p "$in" "$out"
# (made under plain names, then renamed: sha256sum would escape the odd ones)
for n in 1 2 3 4; do mkpacket "$WORK/p$n"; done
mv "$WORK/p1" "$in/é x"; mv "$WORK/p2" "$in/a"$'\n'"b"; mv "$WORK/p3" "$in/"'a\x0ab'; mv "$WORK/p4" "$in/"$'\xff'
chmod -R a+rX "$in"
batch "$TKI" "$in" "$out"
names=$(jq -r '.packets[] | "\(.name_ok) \(.exit_code) \(.name_sha256[0:8]) \(.name)"' "$out/summary.json")
shas=$(jq -r '.packets[].name_sha256' "$out/summary.json" | sort -u | wc -l)
if [ "$(entry "$out" 'é x' | cut -d' ' -f1)" = 0 ] && [ "$(entry "$out" 'a\x0ab' | grep -c '^0')" = 1 ] && [ -s "$out/packets/é x/report.json" ] &&
	[ "$(jq '[.packets[] | select(.name_ok == false and .exit_code == 3 and .reports == null)] | length' "$out/summary.json")" = 2 ] &&
	[ "$shas" = 4 ] && ! grep -q '^b | ' "$out/summary.md" && [ "$(find "$out/packets" -mindepth 1 -maxdepth 1 | wc -l)" = 2 ]; then
	tap_ok "#30 odd names: Unicode inspected; a newline or invalid UTF-8 listed escaped and BLOCKED, no report dir; names that escape alike stay apart (SHA-256 of the bytes)"
else tap_fail "#30 odd names" "exit $RC" "$names" "$(ls "$out/packets")"; fi

# --- a hard link to a sibling's file -----------------------------------------
in=$WORK/b6; out=$WORK/o6; mkdir -p "$in" "$out" "$WORK/alone"
mkpacket "$in/a"; mkpacket "$in/b"
rm "$in/a/artifacts/net-probe.txt"; ln "$in/b/artifacts/net-probe.txt" "$in/a/artifacts/net-probe.txt"
echo "escape b" >"$in/a/tki-test-hook"; chmod -R a+rX "$in"
batch "$HOOKS" "$in" "$out"
"$HOOKS" inspect --self-sandbox --in "$in/a" --out "$WORK/alone" --run-date "$RUN_DATE" >/dev/null 2>&1
if cmp -s "$WORK/alone/report.json" "$out/packets/a/report.json" && grep -qx 'read EACCES' "$out/packets/a/tki-test-hook.txt"; then
	tap_ok "#30 a packet hard-linking a sibling's file: its report is the one it gets alone, its worker still cannot open the sibling"
else tap_fail "#30 a packet hard-linking a sibling's file" "$(cat "$out/packets/a/tki-test-hook.txt" 2>&1)"; fi

# --- packets named like the summary, like the reports dir, or like a sibling --
in=$WORK/b7; out=$WORK/o7; mkdir -p "$in" "$out"
for n in summary.json packets report.json twin-a twin-b; do mkpacket "$in/$n"; done  # all packet_id ACC-READER
chmod -R a+rX "$in"
batch "$TKI" "$in" "$out"
if [ "$RC" = 0 ] && [ "$(jq '.counts.ADEQUATE' "$out/summary.json")" = 5 ] && [ -f "$out/summary.json" ] &&
	(for n in summary.json packets report.json twin-a twin-b; do [ -s "$out/packets/$n/report.json" ] || exit 1; done); then
	tap_ok "#31 packets named summary.json, packets, report.json, or sharing one packet id: each its own report dir packets/NAME/, the summary intact"
else tap_fail "#31 packets named like the summary or a sibling" "exit $RC" "$(ls -R "$out" | head -20)"; fi

# --- #23: a packet over a work limit is BLOCKED alone --------------------------
in=$WORK/b8; out=$WORK/o8; mkdir -p "$in" "$out"
mkpacket "$in/small"; mkpacket "$WORK/big"
truncate -s 2M "$WORK/big/artifacts/net-probe.txt"; mv "$WORK/big" "$in/big"; chmod -R a+rX "$in"
batch "$TKI" "$in" "$out" --max-hash-bytes 1M
if [ "$RC" = 3 ] && [ "$(entry "$out" big | cut -d' ' -f1)" = 3 ] && [ "$(entry "$out" small | cut -d' ' -f1)" = 0 ] &&
	jq -e '.errors[] | select(test("max-hash-bytes"))' "$out/packets/big/report.json" >/dev/null 2>&1; then
	tap_ok "#23 a packet over a work limit (--max-hash-bytes, per packet) is BLOCKED alone; its sibling is inspected"
else tap_fail "#23 a packet over a work limit is BLOCKED alone" "exit $RC; big: $(entry "$out" big); small: $(entry "$out" small)" \
	"$(jq -c .errors "$out/packets/big/report.json" 2>&1)"; fi

# --- #31: two names, one report dir (a case-insensitive --out) ---------------
# tki-test-casefold folds every report dir path to lowercase in the test
# build (tests/hooks/guard_batch_hooks.c), as a casefolding --out would:
# packets/Pkt and packets/pkt are one directory. The later name is BLOCKED,
# never inspected into the other's reports.
in=$WORK/b9; out=$WORK/o9; mkdir -p "$in" "$out"
mkpacket "$in/Pkt"; mkpacket "$in/pkt"; : >"$in/tki-test-casefold"; chmod -R a+rX "$in"
batch "$HOOKS" "$in" "$out"
if [ "$RC" = 3 ] && [ "$(entry "$out" Pkt | cut -d' ' -f1)" = 0 ] && entry "$out" pkt | grep -q '^3 .*same directory as another entry' &&
	[ "$(jq -r '.packets[] | select(.name == "pkt") | .reports' "$out/summary.json")" = null ]; then
	tap_ok "#31 two names whose report dirs are one directory (a case-insensitive --out, by its dev and inode): the later is BLOCKED, not inspected"
else tap_fail "#31 two names sharing one report dir" "exit $RC; Pkt: $(entry "$out" Pkt); pkt: $(entry "$out" pkt)" "$(cat "$out.stderr")"; fi
