# SPDX-License-Identifier: Apache-2.0
# Helpers for the symlink-race cases (issue 14): the racer, run as the
# packet's owner, and a snapshot of what root must never change.
ATTACKER=${ATTACKER:-4242}

# build_racer: compile tests/tools/swap-race.c into $WORK/swap-race.
build_racer() {
	cc -O2 -Wall -Wextra -o "$WORK/swap-race" "$ROOT/tests/tools/swap-race.c"
}

# race_start A B: exchange A and B (renameat2 RENAME_EXCHANGE) in a loop as
# the attacker uid; race_stop sets RACE_TOTAL to the exchanges made (not in
# a subshell: it must wait for its own children).
RACERS=() RACE_OUTS=()
race_start() {
	local o
	o=$(mktemp "$WORK/race.XXXXXX")
	setpriv --reuid="$ATTACKER" --regid="$ATTACKER" --clear-groups "$WORK/swap-race" "$1" "$2" >"$o" &
	RACERS+=($!) RACE_OUTS+=("$o")
}
race_stop() {
	local p total=0 o
	for p in "${RACERS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p"; done
	for o in "${RACE_OUTS[@]}"; do total=$((total + $(cat "$o" 2>/dev/null || true) + 0)); done
	RACERS=() RACE_OUTS=()
	RACE_TOTAL=$total
}

# snap DIR...: type, mode, owner and ACL of everything beneath each DIR,
# never following a symlink.
snap() {
	local d
	for d in "$@"; do
		find "$d" -xdev -printf '%y %m %U:%G %p\n' | sort
		getfacl -R -P -p -n "$d" 2>/dev/null
	done
}

# secrets DIR: a root-only tree with files the sandbox uid must never get
# at, some with ACLs of their own (which must not be stripped either).
secrets() {
	local d=$1 i
	mkdir -p "$d/sub"
	for i in 1 2 3 4 5 6; do printf 'secret %s\n' "$i" >"$d/s$i"; printf 'deep %s\n' "$i" >"$d/sub/d$i"; done
	chmod 0600 "$d"/s* "$d"/sub/d*
	chmod 0700 "$d" "$d/sub"
	setfacl -m u:12345:r "$d/s1" "$d/sub/d1"
	setfacl -m u:12345:rx "$d/sub"
}
