#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #1: on a bare host without a sandbox, P1 blocks before any read of the
# packet: exit 3, failed invariants named, nothing written, and strace
# shows not a single open of the input dir or anything under it.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work
p1_dirs
DIR=$P1_IN OUT=$P1_OUT

if ! command -v strace >/dev/null 2>&1; then
	tap_skip "bare host inspect: zero opens under the input dir (strace) #1" "strace not installed"
	"$TKI" inspect --in "$DIR" --out "$OUT" >"$WORK/out" 2>"$WORK/err"; rc=$?
else
	strace -f -qq -s 4096 -e trace=open,openat,openat2 -o "$WORK/strace.log" \
		"$TKI" inspect --in "$DIR" --out "$OUT" >"$WORK/out" 2>"$WORK/err"; rc=$?
	# Control: the trace did see P1's own opens, so an empty match means
	# something (an strace that traced nothing would prove nothing).
	if ! grep -q '"/proc/self/mountinfo"' "$WORK/strace.log"; then
		tap_fail "bare host inspect: zero opens under the input dir (strace) #1" \
			"strace log lacks the open of /proc/self/mountinfo: tracing did not work" "$(head -20 "$WORK/strace.log")"
	elif grep -F -e "\"$DIR\"" -e "\"$DIR/" "$WORK/strace.log" >"$WORK/hits"; then
		tap_fail "bare host inspect: zero opens under the input dir (strace) #1" "$(cat "$WORK/hits")"
	else
		tap_ok "bare host inspect: zero opens under the input dir (strace, $(wc -l <"$WORK/strace.log") opens elsewhere) #1"
	fi
fi

n=$(grep -c '^BLOCKED: [a-z_]*: ' "$WORK/err")
if [ "$rc" -eq 3 ] && [ "$n" -ge 3 ] && grep -q '^BLOCKED: mounts: .*/: root is writable' "$WORK/err"; then
	tap_ok "bare host inspect: exit 3, $n failed invariants named on stderr #1"
else
	tap_fail "bare host inspect: exit 3, failed invariants named on stderr #1" "exit $rc, $n BLOCKED lines" "$(cat "$WORK/err")"
fi
if [ -z "$(ls -A "$OUT")" ] && [ ! -s "$WORK/out" ]; then
	tap_ok "bare host inspect: nothing written to OUT or stdout #1"
else
	tap_fail "bare host inspect: nothing written to OUT or stdout #1" "OUT: $(ls -A "$OUT")" "stdout: $(cat "$WORK/out")"
fi

"$TKI" selfcheck >"$WORK/sc.json" 2>"$WORK/sc.err"; rc=$?
verdict=$(jq -r .verdict "$WORK/sc.json" 2>/dev/null)
total=$(jq '.invariants | length' "$WORK/sc.json" 2>/dev/null || echo 0)
failed=$(jq -r '[.invariants[] | select(.ok == false) | .name] | join(",")' "$WORK/sc.json" 2>/dev/null)
nf=$(jq '[.invariants[] | select(.ok == false)] | length' "$WORK/sc.json" 2>/dev/null || echo 0)
if [ "$rc" -eq 3 ] && [ "$verdict" = BLOCKED ] && [ "$total" -ge 8 ] && [ "$nf" -ge 3 ]; then
	tap_ok "bare host selfcheck: JSON verdict BLOCKED, $nf of $total invariants failed ($failed), exit 3 #1"
else
	tap_fail "bare host selfcheck: JSON verdict BLOCKED, several invariants failed, exit 3 #1" \
		"exit $rc verdict=$verdict total=$total failed=$failed" "$(head -c 2000 "$WORK/sc.json")"
fi

# A --self-sandbox that cannot build its sandbox is a bare host too: exit 3
# before any read, in the one fatal idiom (HACKING.md, "Errors"): the
# strerror ends the BLOCKED line, the Hint has its own line. bwrap gives a
# real kernel refusal: user namespaces disabled below it, uid not 0.
desc="--self-sandbox without user namespaces: exit 3, 'BLOCKED: --self-sandbox: ...: strerror' then a Hint line #1"
if ! have_bwrap; then
	tap_skip "$desc" "$BWRAP_SKIP"
else
	bwrap --dev-bind / / --unshare-user --uid 1000 --gid 1000 --disable-userns \
		"$TKI" inspect --self-sandbox --in "$DIR" --out "$OUT" >"$WORK/out" 2>"$WORK/err"; rc=$?
	if [ "$rc" -eq 3 ] && [ "$(wc -l <"$WORK/err")" -eq 2 ] &&
		sed -n 1p "$WORK/err" | grep -Eq '^tki-inspector: BLOCKED: --self-sandbox: cannot create the namespaces: [A-Z][a-z ]+$' &&
		sed -n 2p "$WORK/err" | grep -q '^Hint: unprivileged user namespaces must be enabled .*instead\.$' &&
		[ -z "$(ls -A "$OUT")" ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "exit $rc" "$(cat "$WORK/err")"
	fi
fi
