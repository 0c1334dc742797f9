#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #44, #8 (issue 18, parts 1 and 3): batch runs and shards are deterministic.
#  - #44 each packet's reports from a batch are byte-identical to the same
#    packet inspected alone, in every venue that can start (the pod
#    stand-in included), and the summary the same in all of them;
#  - #44 for N = 1, 2, 3, 7: N shard runs (--shard I/N) in parallel, each in
#    its own pod stand-in (scripts/run-pod, the Kubernetes venue) or, where
#    that venue cannot start, its own container (scripts/run-container),
#    merged by `tki-inspector merge`, give summary.json, summary.md and
#    summary.sarif byte-identical to one batch run over all the packets;
#  - #44 merge refuses (exit 2, nothing written) a shard summary edited by
#    hand, a missing shard and a shard given twice;
#  - #8 the batch's documented exit codes and files: an empty batch exits 1
#    with an empty summary; --shard with a bad value is a usage error (exit
#    2, the value named); summary.sarif (one run per packet) passes the SARIF
#    multitool; the progress line is drawn only on a terminal.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
RUN_DATE=2026-06-10
venues >"$WORK/.venues"; read -r -a VENUES <"$WORK/.venues"

# A batch of varied packets: every verdict, odd names, one refused entry.
in=$WORK/batch; mkdir -p "$in"
for p in adequate contradicted missing prose triage unchecked; do cp -r "$FIX/packets/$p" "$in/$p"; done
cp -r "$FIX/example" "$in/exemple é"
for i in $(seq -w 1 12); do mkpacket "$WORK/mk$i"; mv "$WORK/mk$i" "$in/pkt-$i"; done
mkdir "$in/no-manifest"; echo x >"$in/README.txt"
chmod -R a+rX "$in"

in_venue() { # VENUE IN OUT ARGS...: the batch in a venue
	local v=$1 i=$2 o=$3; shift 3
	case $v in
	pod) "$ROOT/scripts/run-pod" --image "$IMAGE" "$i" "$o" -- inspect --batch --run-date "$RUN_DATE" "$@" ;;
	*) tki_in "$v" inspect "$i" "$o" --batch --run-date "$RUN_DATE" "$@" ;;
	esac
}

shard_venue=
if have_docker; then
	mkdir -p "$WORK/podprobe"
	if "$ROOT/scripts/run-pod" --image "$IMAGE" "$in/pkt-01" "$WORK/podprobe" -- selfcheck >/dev/null 2>"$WORK/podprobe.err"; then
		shard_venue=pod
	else
		tap_skip "#44 [pod] shards run in the pod stand-in" \
			"venue pod cannot start: $(grep -m1 BLOCKED "$WORK/podprobe.err" || tail -1 "$WORK/podprobe.err")"
		shard_venue=docker
	fi
else
	shard_venue=self
fi
[ "$shard_venue" = pod ] && VENUES+=(pod)

# --- a packet's reports: batch == alone, per venue ----------------------------
alone_in() { # VENUE IN OUT: one packet alone
	case $1 in
	pod) "$ROOT/scripts/run-pod" --image "$IMAGE" "$2" "$3" -- inspect --run-date "$RUN_DATE" ;;
	*) tki_in "$1" inspect "$2" "$3" --run-date "$RUN_DATE" ;;
	esac
}
for v in "${VENUES[@]}"; do
	out=$WORK/all-$v; mkdir -p "$out"
	in_venue "$v" "$in" "$out" >"$out.stdout" 2>"$out.stderr"; rc=$?
	diffs=
	for p in adequate contradicted "exemple é" pkt-01 no-manifest; do
		mkdir -p "$WORK/alone-$v/$p"
		alone_in "$v" "$in/$p" "$WORK/alone-$v/$p" >/dev/null 2>&1
		diff -r "$WORK/alone-$v/$p" "$out/packets/$p" >/dev/null 2>&1 || diffs="$diffs $p"
	done
	if [ -z "$diffs" ] && [ "$rc" = 3 ] && [ "$(jq .batch_entries "$out/summary.json")" = 21 ]; then
		tap_ok "#44 [$v] each packet's reports from a batch are byte-identical to the packet inspected alone"
	else tap_fail "#44 [$v] each packet's reports from a batch are byte-identical to the packet inspected alone" \
		"exit $rc; differ:${diffs:- none}" "$(tail -3 "$out.stderr")"; fi
done
# --- workers within the container's limits (--memory 256m --cpus 1) ---------
# The affinity mask shows the host's CPUs; the cgroup (v2 memory.max and
# cpu.max, or v1's limit_in_bytes and cfs quota) allows one worker of 256 MiB.
for v in "${VENUES[@]}"; do
	case $v in docker | podman | pod) ;; *) continue ;; esac
	if grep -q 'at most 1 worker at once' "$WORK/all-$v.stdout"; then
		tap_ok "#44 [$v] the batch runs at most 1 worker at once within the container's cgroup limits (256m, 1 CPU; the host has $(nproc))"
	else tap_fail "#44 [$v] the batch runs within the container's cgroup limits" "$(tail -1 "$WORK/all-$v.stdout")"; fi
done
first=${VENUES[0]}; same=; other=
for v in "${VENUES[@]:1}"; do
	if cmp -s "$WORK/all-$first/summary.json" "$WORK/all-$v/summary.json" &&
		cmp -s "$WORK/all-$first/summary.sarif" "$WORK/all-$v/summary.sarif"; then same="$same $v"; else other="$other $v"; fi
done
if [ -z "$other" ]; then tap_ok "#44 the batch summary is byte-identical across venues ($first$(printf ", %s" $same))"
else tap_fail "#44 the batch summary is byte-identical across venues" "differs from $first:$other"; fi
skip_l=("${VENUE_SKIPS[@]}")
for s in "${skip_l[@]}"; do tap_skip "#44 [${s%%:*}] batch reports == alone" "${s#*: }"; done

# --- shards in parallel, merged == one batch run ------------------------------
whole=$WORK/whole; mkdir -p "$whole"
in_venue "$shard_venue" "$in" "$whole" >/dev/null 2>&1
for n in 1 2 3 7; do
	pids=()
	for ((i = 0; i < n; i++)); do
		mkdir -p "$WORK/s$n/$i"
		in_venue "$shard_venue" "$in" "$WORK/s$n/$i" --shard "$i/$n" >/dev/null 2>"$WORK/s$n/$i.err" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	mkdir -p "$WORK/m$n"
	"$TKI" merge --out "$WORK/m$n" $(for ((i = n - 1; i >= 0; i--)); do echo "$WORK/s$n/$i/summary.json"; done) \
		>"$WORK/m$n.stdout" 2>"$WORK/m$n.stderr"; rc=$?
	bad=
	for f in summary.json summary.md summary.sarif summary.0001.sarif summary.0002.sarif; do cmp -s "$whole/$f" "$WORK/m$n/$f" || bad="$bad $f"; done
	if [ "$rc" = 0 ] && [ -z "$bad" ] && [ -s "$whole/summary.json" ]; then
		tap_ok "#44 [$shard_venue] $n shard run(s) in parallel (--shard I/$n), merged: summary.json, .md, .sarif (and its 20-run parts) byte-identical to one batch run"
	else tap_fail "#44 [$shard_venue] $n shards merged == one batch run" "merge exit $rc; differ:${bad:- none}" \
		"$(cat "$WORK/m$n.stderr")" "$(diff "$whole/summary.json" "$WORK/m$n/summary.json" | head -5)"; fi
done

# --- merge refuses what does not add up; writes nothing then ------------------
refuse() { # DESC REGEX FILES...
	local desc=$1 re=$2; shift 2
	rm -rf "$WORK/mr"; mkdir -p "$WORK/mr"
	local err rc
	err=$("$TKI" merge --out "$WORK/mr" "$@" 2>&1 >/dev/null); rc=$?
	if [ "$rc" = 2 ] && grep -qE -- "$re" <<<"$err" && [ -z "$(ls -A "$WORK/mr")" ]; then tap_ok "#44 merge refuses $desc (exit 2, nothing written)"
	else tap_fail "#44 merge refuses $desc (exit 2, nothing written)" "exit $rc; want /$re/" "$err" "$(ls -A "$WORK/mr")"; fi
}
s3=$WORK/s3
jq '(.packets[] | select(.exit_code != 0)) |= (.exit_code = 0 | .verdict = "ADEQUATE")' "$s3/0/summary.json" >"$WORK/edited.json"
cmp -s "$s3/0/summary.json" "$WORK/edited.json" && tap_fail "#44 the hand edit changes the shard summary" "shard 0/3 has no entry to edit"
refuse "a shard summary edited by hand (its failed packets made ADEQUATE)" 'edited.json.*\$\.' "$WORK/edited.json" "$s3/1/summary.json" "$s3/2/summary.json"
refuse "a missing shard" 'shard 1/3 is missing' "$s3/0/summary.json" "$s3/2/summary.json"
refuse "a shard given twice" 'given twice' "$s3/0/summary.json" "$s3/1/summary.json" "$s3/1/summary.json" "$s3/2/summary.json"
jq '.packets += [.packets[0]]' "$s3/0/summary.json" >"$WORK/dup.json"
refuse "a packet listed twice" 'packets\[[0-9]+\]' "$WORK/dup.json" "$s3/1/summary.json" "$s3/2/summary.json"
refuse "shards of two partitions" 'of 2' "$s3/0/summary.json" "$WORK/s2/1/summary.json" "$s3/2/summary.json"

# A batch dir that changes between the shards' runs: a packet of shard 1/2
# renamed to another name of shard 1/2. The counts still add up and every
# entry is in its shard; only the listing digest tells the two listings apart.
shard2() { local h; h=$(printf %s "$1" | sha256sum); echo $((0x${h:15:1} & 1)); }
lc=$WORK/lc; mkdir -p "$lc"
for p in p0 p1 p2 p3 p4 p5; do mkpacket "$WORK/mk-$p"; mv "$WORK/mk-$p" "$lc/$p"; done
old=; for p in p0 p1 p2 p3 p4 p5; do [ "$(shard2 $p)" = 1 ] && { old=$p; break; }; done
k=0; while [ "$(shard2 q$k)" != 1 ]; do k=$((k + 1)); done
chmod -R a+rX "$lc"; mkdir -p "$WORK/lc0" "$WORK/lc1"
"$TKI" inspect --batch --self-sandbox --shard 0/2 --in "$lc" --out "$WORK/lc0" --run-date "$RUN_DATE" >/dev/null 2>&1
mv "$lc/$old" "$lc/q$k"
"$TKI" inspect --batch --self-sandbox --shard 1/2 --in "$lc" --out "$WORK/lc1" --run-date "$RUN_DATE" >/dev/null 2>&1
refuse "shards of a batch dir that changed between their runs ($old renamed q$k, counts still adding up)" 'listing digest' \
	"$WORK/lc0/summary.json" "$WORK/lc1/summary.json"

# --- #8: exit codes and files of a batch ---------------------------------------
mkdir -p "$WORK/empty" "$WORK/eo"
"$TKI" inspect --batch --self-sandbox --in "$WORK/empty" --out "$WORK/eo" --run-date "$RUN_DATE" >/dev/null 2>&1; rc=$?
if [ "$rc" = 1 ] && [ "$(jq -c '[.batch_entries, .exit_code, (.packets | length)]' "$WORK/eo/summary.json")" = "[0,1,0]" ] &&
	[ "$(jq '.runs | length' "$WORK/eo/summary.sarif")" = 0 ]; then
	tap_ok "#8 an empty batch exits 1 (nothing is evidenced) with an empty summary"
else tap_fail "#8 an empty batch exits 1 with an empty summary" "exit $rc"; fi
for bad in 3/3 -1/2 1 x/2 0/0; do
	err=$("$TKI" inspect --batch --self-sandbox --shard "$bad" --in "$in" --out "$WORK/eo" 2>&1); rc=$?
	if [ "$rc" = 2 ] && grep -qF -- "--shard takes I/N" <<<"$err" && grep -qF -- "$bad" <<<"$err"; then
		tap_ok "#8 --shard $bad: usage error, exit 2, the value named"
	else tap_fail "#8 --shard $bad: usage error, exit 2, the value named" "exit $rc" "$err"; fi
done
if [ "$(jq '.runs | length' "$whole/summary.sarif")" = 21 ] && [ ! -e "$whole/summary.0003.sarif" ] &&
	[ "$(jq -c '.runs' "$whole/summary.sarif")" = "$(jq -sc '[.[].runs[]]' "$whole/summary.0001.sarif" "$whole/summary.0002.sarif")" ]; then
	tap_ok "#8 summary.sarif holds one SARIF run per batch entry; summary.0001/0002.sarif the same runs, 20 to a file (GitHub's limit)"
else tap_fail "#8 summary.sarif holds one SARIF run per batch entry, and its 20-run parts" "$(jq '.runs | length' "$whole/summary.sarif")" "$(ls "$whole")"; fi
# A summary of up to 20 entries is one file for every rule kind; a larger
# one is uploaded to GitHub as its parts (GH1013: at most 20 runs a file).
sv=$("$ROOT/scripts/sarif-validate" "$s3/0/summary.sarif" "$whole/summary.0001.sarif" "$whole/summary.0002.sarif" "$WORK/eo/summary.sarif" 2>&1); rc=$?
case $rc in
0) tap_ok "#8 summary.sarif (one run per packet, up to 20), its 20-run parts and the empty one pass the SARIF multitool (Sarif, Gh, Ghas, Ado): 0 errors, 0 warnings" ;;
77) tap_skip "#8 summary.sarif passes the SARIF multitool" "$(tail -1 <<<"$sv")" ;;
*) tap_fail "#8 summary.sarif passes the SARIF multitool" "$sv" ;;
esac
if command -v script >/dev/null 2>&1; then
	ts=$WORK/typescript; mkdir -p "$WORK/tty" "$WORK/notty"
	script -qfec "'$TKI' inspect --batch --self-sandbox --in '$in' --out '$WORK/tty' --run-date $RUN_DATE >/dev/null" "$ts" >/dev/null 2>&1
	"$TKI" inspect --batch --self-sandbox --in "$in" --out "$WORK/notty" --run-date "$RUN_DATE" >/dev/null 2>"$WORK/notty.err"
	if grep -aqE 'batch: 20 of 20 packets, [0-9.]+/s, ETA 0:00' "$ts" && ! grep -q 'packets, ' "$WORK/notty.err" &&
		cmp -s "$WORK/tty/summary.json" "$WORK/notty/summary.json"; then
		tap_ok "#8 batch progress (packets done of total, rate, ETA) on a terminal only, never in the summary"
	else tap_fail "#8 batch progress on a terminal only" "$(tr '\r' '\n' <"$ts" | grep batch | tail -2)"; fi
else
	tap_skip "#8 batch progress on a terminal only" "script(1) (bsdutils) not installed"
fi
