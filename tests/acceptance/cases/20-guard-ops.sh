#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #20: the guard knows READ_PACKET_ITEM and WRITE_LOCAL_REPORT only. At the
# API (unit test, the contract says so); end to end, strace shows the whole
# run opens the packet only through openat2 with the four RESOLVE flags and
# creates files only with O_EXCL (the temp of an atomic report write).
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
ut=$ROOT/build/tests/test_guard
if [ -x "$ut" ]; then
	out=$("$ut" 2>&1)
	if grep -q '^\[       OK \] other_ops_refused' <<<"$out"; then
		tap_ok "guard API: any op but READ_PACKET_ITEM/WRITE_LOCAL_REPORT is BLOCKED #20"
	else
		tap_fail "guard API: any op but READ_PACKET_ITEM/WRITE_LOCAL_REPORT is BLOCKED #20" "$(grep -A3 other_ops <<<"$out")"
	fi
else
	tap_fail "guard API: any op but READ_PACKET_ITEM/WRITE_LOCAL_REPORT is BLOCKED #20" "build/tests/test_guard not built (make unit)"
fi
if command -v strace >/dev/null; then
	p=$WORK/pk; mkpacket "$p"; mkdir -p "$WORK/o"; chmod 777 "$WORK/o"
	strace -f -qq -s 256 -e trace=openat2,openat,open,creat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,mkdir,mkdirat,seccomp \
		-o "$WORK/full" "$TKI" inspect --self-sandbox --in "$p" --out "$WORK/o" --run-date "$RUN_DATE" >/dev/null 2>"$WORK/err"
	rc=$?
	# The pipeline's I/O: the worker's syscalls once its own seccomp filter is
	# in force (before that, the sandbox builds its private tmpfs root).
	awk '!w && /seccomp\(SECCOMP_SET_MODE_FILTER/ && / = 0$/ {w = $1; next} w && $1 == w' "$WORK/full" >"$WORK/log"
	[ -s "$WORK/log" ] || echo "no worker syscalls found after the seccomp filter" >>"$WORK/err"
	n2=$(grep -c 'openat2(' "$WORK/log")
	# packet items beneath the input root with the guard's four flags; the
	# two roots themselves from / with no symlink allowed (issue 14).
	bad2=$(grep 'openat2(' "$WORK/log" | grep -v 'resolve=RESOLVE_NO_XDEV|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH' |
		grep -vE 'openat2\(AT_FDCWD, "/(in|out)", \{flags=[A-Z_|]*O_DIRECTORY, resolve=RESOLVE_NO_SYMLINKS\}')
	creat=$(grep -E 'O_CREAT|creat\(' "$WORK/log" | grep -v O_EXCL)
	links=$(grep -E '(sym)?link(at)?\(|mkdir(at)?\(' "$WORK/log")
	# a read that bypasses the gateway: a plain open/openat that is neither a
	# report temp, nor the guard opening its two roots, nor P1's libcap-ng
	# reading /proc (refused by Landlock, it falls back to prctl), nor P1's
	# Landlock probe of / (only when refused: EACCES)
	plain=$(grep -E '^[0-9]+ +open(at)?\(' "$WORK/log" | grep -v 'O_CREAT|O_EXCL' |
		grep -vE '"/proc/[0-9]+/status"|"/(in|out)", [A-Z_|]*O_DIRECTORY' |
		grep -vE '^[0-9]+ +openat\(AT_FDCWD, "/", O_RDONLY\|O_CLOEXEC\|O_DIRECTORY\) = -1 EACCES')
	if [ "$n2" -gt 0 ] && [ -z "$bad2" ] && [ -z "$creat" ] && [ -z "$links" ] && [ -z "$plain" ] && [ "$rc" -ne 124 ]; then
		tap_ok "run (exit $rc): $n2 packet reads all via openat2 BENEATH|NO_SYMLINKS|NO_MAGICLINKS|NO_XDEV, creates only O_EXCL [self] #20"
	else
		tap_fail "run: packet reads only via openat2 with the resolve flags, creates only O_EXCL [self] #20" "rc=$rc openat2=$n2" "$bad2" "$creat" "$links" "$plain" "$(cat "$WORK/err")"
	fi
else
	tap_skip "strace of the I/O of a run #20" "strace not installed"
fi
