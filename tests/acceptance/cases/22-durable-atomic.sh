#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #22 (issue 14, point 5): reports are durable and atomic, observed on real
# runs, so that a writer without fsync or one that writes in place fails:
#  - fsync: strace of a real run (self venue: the worker's own calls) shows,
#    for each of report.json, report.md and report.sarif, a temp file made
#    with O_CREAT|O_EXCL, fsync'ed, renamed over the name, then the output
#    directory fsync'ed (tests/acceptance/fsync-check.py);
#  - atomicity: a reader opens and reads report.json and report.md whole in
#    a tight loop while 8 runs replace them (a 4,000-claim packet, so each
#    report takes a while to write; each run has another run date, so old
#    and new differ): every content it ever sees is the old or the new
#    report, byte for byte, and the name never disappears. An in-place
#    writer (O_TRUNC, then write) shows it an empty or partial file.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
REPORTS="report.json report.md report.sarif"

# --- fsync, file and directory ---------------------------------------------
d="reports fsync'ed (temp file before the rename, output dir after it), renamed into place, never written in place (strace) [self] #22"
if command -v strace >/dev/null; then
	mkpacket "$WORK/pk"; mkdir -p "$WORK/o"
	strace -f -qq -e trace=openat,openat2,fsync,fdatasync,rename,renameat,renameat2,close -o "$WORK/trace" \
		"$TKI" inspect --self-sandbox --in "$WORK/pk" --out "$WORK/o" --run-date "$RUN_DATE" >/dev/null 2>"$WORK/err"
	rc=$?
	# shellcheck disable=SC2086
	if why=$(python3 "$ROOT/tests/acceptance/fsync-check.py" "$WORK/trace" $REPORTS) && [ "$rc" -eq 0 ]; then
		tap_ok "$d"
	else
		tap_fail "$d" "exit $rc" "$why" "$(grep -E 'report|fsync' "$WORK/trace" | head -20)"
	fi
else
	tap_skip "$d" "strace not installed"
fi

# --- a reader racing the writer ---------------------------------------------
d="a reader racing 8 runs only ever sees the old or the new report.json and report.md whole, never a missing name [self] #22"
cc -O2 -Wall -Wextra -o "$WORK/report-reader" "$ROOT/tests/tools/report-reader.c" ||
	{ tap_fail "$d" "cannot compile tests/tools/report-reader.c"; exit 0; }
big=$WORK/big; mkpacket "$big"
python3 - "$big/packet.json" <<'PY'
import json, sys
f = sys.argv[1]
p = json.load(open(f))
c = p["claims"][0]
p["claims"] = [dict(c, id="C%d" % i, statement="claim %d %s" % (i, "x" * 200)) for i in range(4000)]
json.dump(p, open(f, "w"))
PY
o=$WORK/race-out; mkdir -p "$o"
"$TKI" inspect --self-sandbox --in "$big" --out "$o" --run-date 2026-06-11 >/dev/null 2>&1 # the first "old"
bad= reads=0
for i in 1 2 3 4 5 6 7 8; do
	for r in report.json report.md; do "$WORK/report-reader" --hash "$o/$r" >"$WORK/old-$r"; done
	"$WORK/report-reader" "$o/report.json" >"$WORK/seen-report.json" & rj=$!
	"$WORK/report-reader" "$o/report.md" >"$WORK/seen-report.md" & rm_=$!
	"$TKI" inspect --self-sandbox --in "$big" --out "$o" --run-date "2026-06-1$((i % 2 + 2))" >/dev/null 2>&1
	kill -TERM "$rj" "$rm_"; wait "$rj" "$rm_"
	for r in report.json report.md; do
		"$WORK/report-reader" --hash "$o/$r" >"$WORK/new-$r"
		old=$(cat "$WORK/old-$r") new=$(cat "$WORK/new-$r")
		[ "$old" != "$new" ] || bad="$bad run $i: $r did not change;"
		read -r _ _ _ missing _ errors < <(grep '^reads' "$WORK/seen-$r")
		reads=$((reads + $(awk '/^reads/ {print $2}' "$WORK/seen-$r")))
		[ "$missing" = 0 ] && [ "$errors" = 0 ] || bad="$bad run $i: $r missing $missing times, $errors read errors;"
		while read -r len hash count; do
			[ "$len $hash" = "$old" ] || [ "$len $hash" = "$new" ] ||
				bad="$bad run $i: $r seen as $len bytes ($count reads), neither the old ($old) nor the new ($new);"
		done < <(grep -v '^reads' "$WORK/seen-$r")
	done
done
if [ -z "$bad" ] && [ "$reads" -ge 200 ]; then
	tap_ok "$d"
else
	tap_fail "$d" "reads $reads (want >= 200)" "$bad"
fi
echo "# 22-durable-atomic: $reads reads racing the writer"
