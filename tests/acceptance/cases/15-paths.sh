#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #15: an evidence path with "..", absolute, or a NUL is refused before any
# syscall on it: BLOCKED, exit 3, the item named. strace (self venue) shows
# no open of any kind with that path.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
echo SENTINEL >"$WORK/outside.txt"; chmod 644 "$WORK/outside.txt"
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
cases=('"../outside.txt"|"\.\." segment|dotdot' '"/etc/passwd"|absolute|abs' '"artifacts/net-probe.txt\u0000.png"|NUL byte|nul'
	'"artifacts/../../outside.txt"|"\.\." segment|mid')
for v in "${VS[@]}"; do
	for c in "${cases[@]}"; do
		IFS='|' read -r json why tag <<<"$c"
		p=$WORK/$v-$tag; mkpacket "$p"; set_path "$p" "$json"
		run_in "$v" "$p" "$WORK/$v-$tag-out"
		expect "evidence path $json: BLOCKED exit 3, E1 named, $why [$v] #15" 3 'E1' "refused: .*$why"
	done
done
skip_venues "path refusals #15"

# No syscall on the refused path: strace the self venue.
if command -v strace >/dev/null; then
	for c in "${cases[@]}"; do
		IFS='|' read -r json why tag <<<"$c"
		p=$WORK/st-$tag; mkpacket "$p"; set_path "$p" "$json"
		mkdir -p "$WORK/st-$tag-out"; chmod 777 "$WORK/st-$tag-out"
		strace -f -qq -s 256 -e trace=openat2,openat,open,creat,stat,newfstatat,statx,lstat,access,faccessat2,readlink,readlinkat \
			-o "$WORK/st-$tag.log" "$TKI" inspect --self-sandbox --in "$p" --out "$WORK/st-$tag-out" --run-date "$RUN_DATE" >/dev/null 2>"$WORK/st-$tag.err"
		rc=$?
		needle=$(sed 's/\\u0000.*//; s/^"//; s/"$//' <<<"$json")
		opened=$(grep -F "\"$needle" "$WORK/st-$tag.log" | grep -v 'packet.json')
		# the positive control: the same run did reach openat2 for packet.json
		if [ $rc -eq 3 ] && [ -z "$opened" ] && grep -q 'openat2(.*"packet.json"' "$WORK/st-$tag.log"; then
			tap_ok "strace: no syscall on $json, packet.json opened with openat2 [self] #15"
		else
			tap_fail "strace: no syscall on $json, packet.json opened with openat2 [self] #15" "rc=$rc" "$opened" "$(cat "$WORK/st-$tag.err")"
		fi
	done
else
	tap_skip "strace proof #15" "strace not installed"
fi
