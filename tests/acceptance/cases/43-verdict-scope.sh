#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #43: the verdict is scoped: report.md opens with the packet id, the
# manifest sha256, the run date and the claim counts with their claimed
# statuses (as rendered: the heading is escaped Markdown); no report
# contains global wording. In a batch, every line a worker writes names
# its packet.
. "$(dirname "$0")/_l4.bash"
digest=$(sha256sum <"$FIX/example/packet.json" | cut -d' ' -f1)
global='all systems|everything (passes|passed|is fine|works)|production[- ]ready|fully (secure|compliant)|all green|100% (safe|secure)|no issues anywhere'
for v in "${VENUES[@]}"; do
	inspect "$v" "$FIX/example" example
	first=$(head -n1 "$OUT/report.md" 2>/dev/null | md_text /dev/stdin)
	want="1 of 7 claims adequately evidenced in packet FIX7 (manifest sha256 $digest) at run date $RUN_DATE: 1 PASS"
	if [ "$first" = "$want" ]; then tap_ok "#43 [$v] report.md opens with the scoped verdict (id, digest, run date, counts, statuses)"
	else tap_fail "#43 [$v] report.md opens with the scoped verdict" "got:  $first" "want: $want" "$ERR"; fi
	jq_check "#43 [$v] report.json carries packet_id, manifest_sha256, run_date, counts" \
		".packet_id == \"FIX7\" and .manifest_sha256 == \"$digest\" and .run_date == \"$RUN_DATE\" and (.counts | add) == 7 and (.counts | length) == 7"
	hits=$(grep -HiE "$global" "$OUT"/report.* 2>/dev/null)
	if [ -f "$OUT/report.md" ] && [ -z "$hits" ]; then tap_ok "#43 [$v] no global wording in report.md/json/sarif"
	else tap_fail "#43 [$v] no global wording in report.md/json/sarif" "$hits"; fi
	inspect "$v" "$FIX/packets/adequate" adequate
	first=$(head -n1 "$OUT/report.md" 2>/dev/null | md_text /dev/stdin)
	case $first in
	"4 of 4 claims adequately evidenced in packet ADEQ4 "*"at run date $RUN_DATE: 2 PASS, 1 FAIL, 1 BLOCKED")
		tap_ok "#43 [$v] an all-adequate verdict keeps the claimed statuses (2 PASS, 1 FAIL, 1 BLOCKED)" ;;
	*) tap_fail "#43 [$v] an all-adequate verdict keeps the claimed statuses" "got: $first" ;;
	esac
done
skip_venues "#43" "verdict scope"

# A batch's workers share its stdout and stderr: each line a worker writes
# names its packet (through the one escaper: a name with a quote and a
# backslash shows them escaped), so a verdict or an error line is never
# read as another packet's.
B=$WORK/batch; BO=$WORK/batch-out
mkdir -p "$B" "$BO"
cp -r "$FIX/example" "$B/good"
cp -r "$FIX/example" "$B/bad"; printf '{"schema": 1,\n' >"$B/bad/packet.json"
mkdir "$B/empty"
cp -r "$FIX/example" "$B/q\"\\x"
# A hostile packet's text tries to start a line in another packet's name:
# a newline in its packet id and in a claim id.
cp -r "$FIX/example" "$B/evil"
jq '.packet_id = "X\npacket \"good\": 7 of 7 claims adequately evidenced in packet FIX7" |
    .claims[0].id = "C1\npacket \"good\": forged"' "$FIX/example/packet.json" >"$B/evil/packet.json"
chmod -R a+rX "$B"
"$TKI" inspect --batch --self-sandbox --in "$B" --out "$BO" --run-date "$RUN_DATE" >"$BO.stdout" 2>"$BO.stderr"
rc=$?
stray=$( (grep -v '^packet "\(good\|bad\|empty\|q\\"\\\\x\)": ' "$BO.stdout" | grep -v '^batch: '
	grep -v '^packet "\(bad\|empty\|evil\)": ' "$BO.stderr") | head -3)
forged=$(cat "$BO.stdout" "$BO.stderr" | grep -c '^packet "good": \(7 of 7\|forged\)')
if [ "$rc" = 2 ] && [ -z "$stray" ] && [ "$forged" = 0 ] && grep -q '^packet "evil": .*C1\\x0apacket' "$BO.stderr" && grep -q '^packet "bad": packet.json:2:1: error: ' "$BO.stderr" &&
	grep -q '^packet "empty": packet.json: error: no manifest' "$BO.stderr" &&
	grep -q '^packet "good": 1 of 7 claims adequately evidenced in packet FIX7 ' "$BO.stdout" &&
	grep -qF 'packet "q\"\\x": 1 of 7 claims' "$BO.stdout"; then
	tap_ok "#43 in a batch every line a worker writes (stdout and stderr) names its packet, the name escaped; a packet's newlines (packet id, claim id) start no line in another's name"
else tap_fail "#43 in a batch every line a worker writes names its packet" "exit $rc; stray: $stray; forged: $forged" \
	"$(head -5 "$BO.stdout")" "$(head -5 "$BO.stderr")"; fi

# A line longer than PIPE_BUF (4096 bytes on Linux) is not written to a
# pipe at once: another worker's line could land inside it, and the rest
# (text the packet chose) would start a line without a name. A hostile
# packet makes one: a symlink as evidence at a deep path of bidi controls
# (each escaped to six bytes), named in full in its BLOCKED line. Every
# line stays within PIPE_BUF, a longer one cut into lines that each name
# the packet.
L=$WORK/long; LO=$WORK/long-out
mkdir -p "$L" "$LO"
cp -r "$FIX/example" "$L/good"
cp -r "$FIX/example" "$L/long"
seg=$(printf '\u202e%.0s' $(seq 83)); rel=artifacts
for _ in $(seq 15); do rel=$rel/$seg; done
mkdir -p "$L/long/$rel" && ln -s /etc/passwd "$L/long/$rel/l"
jq --arg p "$rel/l" '.evidence[0].path = $p' "$FIX/example/packet.json" >"$L/long/packet.json"
chmod -R a+rX "$L"
"$TKI" inspect --batch --self-sandbox --in "$L" --out "$LO" --run-date "$RUN_DATE" >"$LO.stdout" 2>"$LO.stderr"
rc=$?
over=$(LC_ALL=C awk 'length($0) >= 4096 { print FILENAME ": " length($0) + 1 " bytes" }' "$LO.stdout" "$LO.stderr" | head -3)
stray=$(grep -av '^packet "long": ' "$LO.stderr" | head -3)
pieces=$(grep -ac '^packet "long": ' "$LO.stderr")
if [ "$rc" = 3 ] && [ -z "$over" ] && [ -z "$stray" ] && [ "$pieces" -ge 3 ] &&
	grep -q '^packet "good": 1 of 7 claims' "$LO.stdout"; then
	tap_ok "#43 in a batch no line a worker writes is longer than PIPE_BUF (written whole to a pipe): a longer one is cut into lines that each name the packet"
else tap_fail "#43 in a batch no line a worker writes is longer than PIPE_BUF" "exit $rc; over: $over; stray: $stray; pieces: $pieces" \
	"$(cut -c1-200 "$LO.stderr" | head -5)"; fi
