#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #30 (issue 14, point 1): the venue scripts, run as root on a hostile
# packet, change nothing outside IN and OUT. The packet's owner swaps, with
# renameat2(RENAME_EXCHANGE) in a loop, a directory of the packet with a
# symlink to a root-only tree (the attack on the old `find -exec setfacl`
# walk: it granted uid 65532 read on 301 root files and stripped the ACLs of
# 89), and in another phase IN and OUT themselves with symlinks. At least
# 200 exchanges per phase and venue; before and after, the mode, owner and
# ACL of every file outside IN/OUT are the same, no report lands outside OUT
# and no staging dir is left behind.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"; . "$ROOT/tests/acceptance/race-lib.sh"
d="venue script as root under a symlink swap race (>= 200 exchanges): no mode, owner or ACL outside IN/OUT changes, no report outside OUT, no stage left"
if [ "$(id -u)" != 0 ]; then
	tap_skip "$d [docker] #30" "needs root"; tap_skip "$d [bwrap] #30" "needs root"; exit 0
fi
new_work
build_racer || { tap_fail "$d #30" "cannot compile tests/tools/swap-race.c"; exit 0; }
secrets "$WORK/secret"; secrets "$WORK/secret2"

# script VENUE IN OUT: the venue script, as the lib would start it.
script() {
	local v=$1; shift
	case $v in
	docker) "$ROOT/scripts/run-container" --image "$IMAGE" "$1" "$2" -- inspect --run-date "$RUN_DATE" ;;
	bwrap) "$ROOT/scripts/run-bwrap" "$1" "$2" -- inspect --run-date "$RUN_DATE" ;;
	esac
}

race_venue() {
	local v=$1 att=$WORK/att-$1 before after stages0 stages1 codes= n1 n2 i
	mkdir -p "$att"
	mkpacket "$att/pk"; mkdir -p "$att/pk/sub"; echo x >"$att/pk/sub/f"
	ln -s ../../secret "$att/pk/lnk"
	ln -s ../secret "$att/pklnk"; ln -s ../secret2 "$att/outlnk"; mkdir "$att/out"
	chown -R "$ATTACKER:$ATTACKER" "$att"; chmod -R go-rwx "$att/pk"
	before=$(snap "$WORK/secret" "$WORK/secret2"; stat -c '%A %U:%G %n' "$WORK" "$att")
	# A stage root of this test's own: other runs on the machine (another
	# checkout's acceptance) stage under /run at the same time, and their
	# live stage dirs are not this run's leftovers.
	export TKI_STAGE_ROOT
	TKI_STAGE_ROOT=$(mktemp -d /run/tki-race-stages.XXXXXX) && chmod 0711 "$TKI_STAGE_ROOT"
	stages0=$(ls -d "$TKI_STAGE_ROOT"/tki-stage.* 2>/dev/null | sort)

	# Phase 1: inside the packet (what the recursive ACL walk followed).
	race_start "$att/pk/sub" "$att/pk/lnk"
	for i in 1 2 3; do script "$v" "$att/pk" "$att/out" >/dev/null 2>&1; codes="$codes $?"; done
	race_stop; n1=$RACE_TOTAL
	# Phase 2: IN and OUT themselves (what realpath and the bind followed).
	race_start "$att/pk" "$att/pklnk"; race_start "$att/out" "$att/outlnk"
	for i in 1 2 3; do script "$v" "$att/pk" "$att/out" >/dev/null 2>&1; codes="$codes $?"; done
	race_stop; n2=$RACE_TOTAL

	after=$(snap "$WORK/secret" "$WORK/secret2"; stat -c '%A %U:%G %n' "$WORK" "$att")
	stages1=$(ls -d "$TKI_STAGE_ROOT"/tki-stage.* 2>/dev/null | sort)
	rmdir "$TKI_STAGE_ROOT" 2>/dev/null || true
	local stray
	stray=$(find "$WORK/secret" "$WORK/secret2" -name 'report.*' -o -name '.report.*')
	local bad_rc
	bad_rc=$(tr ' ' '\n' <<<"$codes" | grep -vE '^(|0|1|2|3)$' || true)
	if [ "$before" = "$after" ] && [ -z "$stray" ] && [ "$stages0" = "$stages1" ] && [ -z "$bad_rc" ] &&
		[ "$n1" -ge 200 ] && [ "$n2" -ge 200 ]; then
		tap_ok "$d [$v] #30"
	else
		tap_fail "$d [$v] #30" "exchanges: packet $n1, IN/OUT $n2; exits:$codes" "reports outside: $stray" \
			"stage dirs left: $(comm -13 <(echo "$stages0") <(echo "$stages1"))" \
			"changed: $(diff <(echo "$before") <(echo "$after") | head -20)"
	fi
}

if have_docker; then race_venue docker; else tap_skip "$d [docker] #30" "$DOCKER_SKIP"; fi
if have_bwrap; then race_venue bwrap; else tap_skip "$d [bwrap] #30" "$BWRAP_SKIP"; fi
