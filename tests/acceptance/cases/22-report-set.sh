#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #22 (issue 16): the reports of one run are one set, all or none. Every
# temp is written and fsynced before any rename, and a rename that fails
# puts back the ones already done, so a run that cannot write one report
# replaces none: the previous report.json, report.md and report.sarif stay
# byte for byte and no temp file is left. Each obstacle is real, met in the
# middle of the set (a writer that commits report by report replaces
# report.json and report.md first and fails this case):
#  - report.sarif is a directory (its rename fails, EISDIR);
#  - report.md is immutable (chattr +i: its rename fails, EPERM, after
#    report.json was already renamed: put back);
#  - the output dir is a tmpfs with two pages free (ENOSPC on the third
#    temp, report.sarif).
# And temps named like the worker's (pid 2 in the self-sandbox) planted as
# symlinks to a file outside: skipped by O_EXCL, never followed.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
FULL=$WORK/full
trap 'umount "$FULL" 2>/dev/null; rm -rf "$WORK"' EXIT
REPORTS="report.json report.md report.sarif"
mkpacket "$WORK/pk"

olds() { # DIR: previous reports (unlike anything a run writes), where none is in the way
	local r
	for r in $REPORTS; do [ -e "$1/$r" ] || printf 'OLD %s\n' "$r" >"$1/$r"; done
}
kept() { # DIR: prints what differs from the previous set; empty when all is kept
	local r left
	for r in $REPORTS; do
		[ -d "$1/$r" ] && continue
		[ "$(cat "$1/$r" 2>/dev/null)" = "OLD $r" ] || echo "$r was replaced: $(head -c 80 "$1/$r" | tr '\n' ' ')"
	done
	left=$(find "$1" -name '.*tmp*' ! -type l)
	[ -z "$left" ] || echo "temp left: $left"
}
check_kept() { # DESC DIR NAME: exit 3, every previous report kept, NAME named on stderr
	local why
	why=$(kept "$2")
	if [ "$RC" -eq 3 ] && [ -z "$why" ] && grep -q "$3" <<<"$ERR" && grep -q 'all or none' <<<"$ERR"; then
		tap_ok "$1"
	else
		tap_fail "$1" "rc=$RC (want 3)" "$why" "$(ls -la "$2")" "$ERR"
	fi
}
check_replaced() { # DESC DIR: the same run, obstacle gone: all three replaced, no temp
	local r bad=
	for r in $REPORTS; do
		[ -f "$2/$r" ] && [ ! -L "$2/$r" ] && [ "$(cat "$2/$r")" != "OLD $r" ] || bad="$bad $r"
	done
	[ -z "$(find "$2" -name '.*tmp*' ! -type l)" ] || bad="$bad (temp left)"
	if [ "$RC" -eq 0 ] && [ -z "$bad" ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "rc=$RC not replaced:$bad" "$ERR"
	fi
}

# --- report.sarif is a directory ---------------------------------------------
o=$WORK/dir-out; mkdir -p "$o/report.sarif"; olds "$o"
run_in self "$WORK/pk" "$o"
check_kept "report.sarif is a directory: exit 3, report.json and report.md not replaced either, no temp [self] #22" "$o" report.sarif
rmdir "$o/report.sarif"; olds "$o"
run_in self "$WORK/pk" "$o"
check_replaced "the same run once report.sarif is free: all three replaced, no temp [self] #22" "$o"

# --- report.md cannot be renamed over (immutable) -----------------------------
d="report.md immutable: exit 3, report.json put back, every previous report byte for byte, no temp [self] #22"
o=$WORK/imm-out; mkdir -p "$o"; olds "$o"
if chattr +i "$o/report.md" 2>/dev/null; then
	run_in self "$WORK/pk" "$o"
	chattr -i "$o/report.md"
	check_kept "$d" "$o" report.md
else
	tap_skip "$d" "chattr +i not supported on $(df --output=fstype "$o" | tail -1)"
fi

# --- the output dir fills up mid-set ------------------------------------------
d="output dir full at the third temp (tmpfs, 2 pages free): exit 3, no report replaced, no temp [self] #22"
mkdir -p "$FULL"
if mount -t tmpfs -o size=64k,mode=0777 tki-full "$FULL" 2>/dev/null; then
	olds "$FULL"
	# Fill it page by page, then free exactly two pages: room for the
	# report.json and report.md temps (one page each), not for report.sarif.
	i=0
	while head -c 4096 /dev/zero >"$FULL/.fill$i" 2>/dev/null; do i=$((i + 1)); done
	rm -f "$FULL/.fill$i" "$FULL/.fill$((i - 1))" "$FULL/.fill$((i - 2))"
	run_in self "$WORK/pk" "$FULL"
	check_kept "$d" "$FULL" report.sarif
	rm -f "$FULL"/.fill*
	run_in self "$WORK/pk" "$FULL"
	check_replaced "the same run with room on the tmpfs: all three replaced, no temp [self] #22" "$FULL"
	umount "$FULL"
else
	tap_skip "$d" "cannot mount a tmpfs here"
fi

# --- symlinks planted at the worker's temp names --------------------------------
o=$WORK/plant-out; mkdir -p "$o"; olds "$o"
echo SENTINEL >"$WORK/sentinel"
for r in $REPORTS; do for n in 0 1 2 3; do ln -s "$WORK/sentinel" "$o/.$r.tmp-2-$n"; done; done
run_in self "$WORK/pk" "$o"
if [ "$(cat "$WORK/sentinel")" = SENTINEL ]; then
	check_replaced "symlinks planted at the temp names (pid 2): skipped, never followed, the reports replaced [self] #22" "$o"
else
	tap_fail "symlinks planted at the temp names (pid 2): skipped, never followed, the reports replaced [self] #22" \
		"the sentinel outside was written: $(cat "$WORK/sentinel")"
fi
