#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #31 (issue 14, point 2): --in and --out are resolved without following a
# symlink in any component, in every mode, and the run then uses the
# descriptor, never the path again.
#  - a symlink anywhere in --in/--out: refused, exit 2 (self-sandbox, the
#    venue scripts' stage) or 3 (the guard inside a container or bwrap,
#    where --out is a path of the sandbox), the message names the symlink;
#  - race, as root, 200 runs of --self-sandbox while the packet's owner
#    swaps --out, a parent of --out and --in with symlinks to root-only
#    dirs (renameat2 RENAME_EXCHANGE in a loop): no report ever lands in
#    the root-only dirs and no report describes the root-only packet.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"; . "$ROOT/tests/acceptance/race-lib.sh"
new_work

# --- a plain symlink on the path, every mode -------------------------------
mkpacket "$WORK/pk"; mkdir -p "$WORK/real/out" "$WORK/o"; ln -s real "$WORK/lnk"; ln -s pk "$WORK/pklnk"
refused() { # DESC WANT_RC REGEX VENUE IN OUT [ARGS]
	local desc=$1 want=$2 re=$3 v=$4 in=$5 out=$6; shift 6
	local err
	err=$(tki_in "$v" inspect "$in" "$out" --run-date "$RUN_DATE" "$@" 2>&1 >/dev/null)
	local rc=$?
	if [ "$rc" -eq "$want" ] && grep -qE -- "$re" <<<"$err" && [ -z "$(ls -A "$WORK/real/out")" ]; then
		tap_ok "$desc [$v] #31"
	else
		tap_fail "$desc [$v] #31" "exit $rc, want $want; /$re/" "$err" "real/out: $(ls -A "$WORK/real/out")"
	fi
}
refused "--out with a symlinked parent: exit 2, the symlink named" 2 "--out .*: refused: $WORK/lnk is a symlink" \
	self "$WORK/pk" "$WORK/lnk/out"
refused "--in that is a symlink: exit 2, the symlink named" 2 "--in .*: refused: $WORK/pklnk is a symlink" \
	self "$WORK/pklnk" "$WORK/o"
for v in docker bwrap; do
	case $v in docker) have_docker || { tap_skip "symlinks on the path refused [$v] #31" "$DOCKER_SKIP"; continue; } ;;
	bwrap) have_bwrap || { tap_skip "symlinks on the path refused [$v] #31" "$BWRAP_SKIP"; continue; } ;; esac
	if [ "$(id -u)" = 0 ]; then
		refused "venue script, OUT with a symlinked parent: stage refuses, exit 2, the symlink named" 2 \
			"--out .*: refused: $WORK/lnk is a symlink" "$v" "$WORK/pk" "$WORK/lnk/out"
	fi
	# Inside the venue: --out names a symlink in /out. P1 refuses it first
	# (not a mount); the guard and Landlock would too (no symlink allowed
	# on the path, tests/unit/test_guard.c): exit 3, named.
	mkdir -p "$WORK/o2/real"; ln -sfn real "$WORK/o2/lnk"; chmod -R 777 "$WORK/o2"
	refused "--out /out/lnk inside the venue: exit 3, /out/lnk named, nothing written" 3 \
		"/out/lnk" "$v" "$WORK/pk" "$WORK/o2" --out /out/lnk
	[ -z "$(ls -A "$WORK/o2/real")" ] || tap_fail "nothing written through /out/lnk [$v] #31" "$(ls -A "$WORK/o2/real")"
done

# --- the race, 200 runs -----------------------------------------------------
d="--self-sandbox as root, 200 runs while --out, a parent of --out and --in are swapped with symlinks: no report in a root-only dir, none about a root-only packet"
if [ "$(id -u)" != 0 ]; then tap_skip "$d #31" "needs root (the race is root's)"; exit 0; fi
build_racer || { tap_fail "$d #31" "cannot compile tests/tools/swap-race.c"; exit 0; }
att=$WORK/att
mkdir -p "$WORK/secret/out" "$WORK/secret/p/out" "$att/p/out" "$att/out"
mkpacket "$WORK/secret/pk"; sed -i 's/ACC-READER/SECRET-PACKET/' "$WORK/secret/pk/packet.json"
chmod -R go-rwx "$WORK/secret"
mkpacket "$att/pk"
ln -s ../secret/out "$att/outlnk"; ln -s ../secret/p "$att/plnk"; ln -s ../secret/pk "$att/pklnk"
chown -R "$ATTACKER:$ATTACKER" "$att"
race_start "$att/out" "$att/outlnk"; race_start "$att/p" "$att/plnk"; race_start "$att/pk" "$att/pklnk"
codes=$(for i in $(seq 200); do
	o=$att/out; [ $((i % 2)) = 0 ] && o=$att/p/out
	"$TKI" inspect --self-sandbox --in "$att/pk" --out "$o" --run-date "$RUN_DATE" >/dev/null 2>&1
	echo $?
done | sort | uniq -c | tr -s ' \n' ' ')
race_stop
stray=$(find "$WORK/secret" -name 'report.*' -o -name '.report.*')
leak=$(grep -rl SECRET-PACKET "$att/out" "$att/p/out" 2>/dev/null)
if [ -z "$stray" ] && [ -z "$leak" ] && [ "$RACE_TOTAL" -ge 200 ]; then
	tap_ok "$d #31"
else
	tap_fail "$d #31" "exchanges $RACE_TOTAL; exit codes (count code):$codes" "reports in root-only dirs: $stray" "reports about the root-only packet: $leak"
fi
echo "# 31-dir-race: $RACE_TOTAL exchanges; exit codes (count code):$codes"
