#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #8 (issue 7, point 3): while hashing takes longer than about a second, a
# progress line (bytes hashed, rate, ETA) is drawn on stderr when stderr is
# a terminal, and only then: never when stderr is a file or a pipe, never
# for a run that hashes for a moment, never in a report, and in a batch
# only the batch's own line (a worker draws none).
# The artifact is a 3 GiB sparse file (holes read as zeros: no disk, no
# generation time), hashed for well over a second even with SHA-NI. Its
# declared digest is wrong on purpose: the verdict does not matter here.
. "$(dirname "$0")/../lib.sh"
new_work
pkt=$WORK/pkt
mkdir -p "$pkt/a" "$WORK/o1" "$WORK/o2" "$WORK/o3" "$WORK/o4"
truncate -s 3G "$pkt/a/big.bin"
cat >"$pkt/packet.json" <<'EOF'
{"schema": "tki-packet/v1", "packet_id": "PROGRESS", "created_at": "2026-01-01T00:00:00Z",
 "claims": [{"id": "C1", "category": "test", "statement": "big", "status": "PASS", "evidence": ["E1"]}],
 "evidence": [{"id": "E1", "kind": "artifact", "path": "a/big.bin",
   "sha256": "0000000000000000000000000000000000000000000000000000000000000000",
   "provenance": {"producer": "t", "venue": "CI", "captured_at": "2026-01-01T00:00:00Z"}}]}
EOF
chmod -R a+rX "$WORK"
run() { "$TKI" inspect --self-sandbox --in "$1" --out "$2" --run-date 2026-06-10 >/dev/null; }

if ! command -v script >/dev/null 2>&1; then
	tap_skip "#8 progress on a terminal" "script(1) (bsdutils) not installed"
	exit 0
fi
# script(1) gives the command a pty as its terminal: stderr is a TTY.
ts=$WORK/typescript
script -qfec "'$TKI' inspect --self-sandbox --in '$pkt' --out '$WORK/o1' --run-date 2026-06-10 >/dev/null" "$ts" >/dev/null 2>&1
if grep -aqE 'hashed [0-9.]+ [KMG]i?B of ~?[0-9.]+ GiB \([0-9]+%\), [0-9.]+ [KMG]iB/s, ETA [0-9]+:[0-9][0-9]' "$ts"; then
	tap_ok "#8 progress (bytes hashed, rate, ETA) drawn on stderr when it is a terminal and hashing takes over a second"
else
	tap_fail "#8 progress (bytes hashed, rate, ETA) drawn on stderr when it is a terminal and hashing takes over a second" \
		"$(tr '\r' '\n' <"$ts" | head -5)"
fi
if [ -s "$WORK/o1/report.json" ] && ! grep -q 'hashed ' "$WORK/o1"/report.*; then
	tap_ok "#8 progress never reaches a report"
else
	tap_fail "#8 progress never reaches a report" "$(ls -l "$WORK/o1")"
fi

run "$pkt" "$WORK/o2" 2>"$WORK/err.file"
if [ -s "$WORK/o2/report.json" ] && ! grep -aq 'hashed ' "$WORK/err.file"; then
	tap_ok "#8 no progress when stderr is a file"
else
	tap_fail "#8 no progress when stderr is a file" "$(tr '\r' '\n' <"$WORK/err.file" | head -3)"
fi

run "$pkt" "$WORK/o3" 2>&1 | cat >"$WORK/err.pipe"
if [ -s "$WORK/o3/report.json" ] && ! grep -aq 'hashed ' "$WORK/err.pipe"; then
	tap_ok "#8 no progress when stderr is a pipe"
else
	tap_fail "#8 no progress when stderr is a pipe" "$(tr '\r' '\n' <"$WORK/err.pipe" | head -3)"
fi

ts2=$WORK/typescript2
script -qfec "'$TKI' inspect --self-sandbox --in '$FIX/example' --out '$WORK/o4' --run-date 2026-06-10 >/dev/null" "$ts2" >/dev/null 2>&1
if [ -s "$WORK/o4/report.json" ] && ! grep -aq 'hashed ' "$ts2"; then
	tap_ok "#8 no progress on a terminal for a packet hashed in a moment"
else
	tap_fail "#8 no progress on a terminal for a packet hashed in a moment" "$(tr '\r' '\n' <"$ts2" | head -5)"
fi

# A batch on a terminal: the parent draws the batch's line; a worker draws
# no hashing line of its own (its stderr names its packet on each line and
# is no terminal stream), so nothing of it is left half-drawn.
mkdir -p "$WORK/b5/big/a" "$WORK/o5"
cp "$pkt/packet.json" "$WORK/b5/big/"
truncate -s 3G "$WORK/b5/big/a/big.bin"
chmod -R a+rX "$WORK/b5"
ts3=$WORK/typescript3
script -qfec "'$TKI' inspect --batch --self-sandbox --in '$WORK/b5' --out '$WORK/o5' --run-date 2026-06-10 >/dev/null" "$ts3" >/dev/null 2>&1
if [ -s "$WORK/o5/summary.json" ] && ! grep -aq 'hashed ' "$ts3" && grep -aq 'batch: ' "$ts3"; then
	tap_ok "#8 a batch on a terminal: the batch's progress, no worker's hashing line"
else
	tap_fail "#8 a batch on a terminal: the batch's progress, no worker's hashing line" "$(tr '\r' '\n' <"$ts3" | head -5)"
fi
