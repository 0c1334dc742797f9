#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #4 end to end: the own layer's filter step really fails, in a real
# container whose seccomp profile is ours minus one rule, and the run is
# BLOCKED (exit 3) naming what is missing, before the packet is read.
#   - no seccomp(2) and no prctl(PR_SET_SECCOMP): our filter cannot load
#   - no prctl(PR_SET_NO_NEW_PRIVS) and docker's no-new-privileges off:
#     no_new_privs stays unset
. "$ROOT/tests/acceptance/lib.sh"
new_work
if ! have_docker; then
	tap_skip "own filter cannot load: exit 3, seccomp named [docker] #4" "$DOCKER_SKIP"
	tap_skip "no_new_privs cannot be set: exit 3, no_new_privs named [docker] #4" "$DOCKER_SKIP"
	exit 0
fi
prof=$ROOT/seccomp/tki-container.json
# variant PRCTL_NR: ours without seccomp(2) (when drop_seccomp) and with
# prctl allowed only when its first argument is not PRCTL_NR
# With no-new-privileges off, runc loads the profile before it changes
# user, so the variant must also let runc's own setup calls through
# (setgroups, setres[ug]id, chdir, ...), as a profile without nnp would.
variant() { # OUT PRCTL_NR DROP_SECCOMP [EXTRA_SYSCALLS_JSON]
	jq --argjson nr "$2" --argjson drop "$3" --argjson extra "${4:-[]}" '
		.syscalls |= (map(.names -= (["prctl"] + (if $drop then ["seccomp"] else [] end)))
		+ [{"names": ["prctl"], "action": "SCMP_ACT_ALLOW",
		    "args": [{"index": 0, "value": $nr, "op": "SCMP_CMP_NE"}]}]
		+ (if ($extra | length) > 0 then [{"names": $extra, "action": "SCMP_ACT_ALLOW"}] else [] end))' "$prof" >"$1"
}
mkdir -p "$WORK/in" "$WORK/out"
printf '{"schema": "tki-packet/v1"}\n' >"$WORK/in/packet.json"

check() { # DESC PROFILE REGEX [EXTRA]
	local desc=$1 p=$2 re=$3 extra=${4:-}
	local err rc
	err=$(TKI_DOCKER_EXTRA=$extra "$ROOT/scripts/run-container" --seccomp "$p" "$WORK/in" "$WORK/out" -- inspect 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 3 ] && grep -qE "$re" <<<"$err" && [ -z "$(ls -A "$WORK/out")" ]; then
		tap_ok "$desc [docker] #4"
	else
		tap_fail "$desc [docker] #4" "rc=$rc, want 3 and /$re/ on stderr, nothing in OUT" "$err" "$(ls -A "$WORK/out")"
	fi
}
variant "$WORK/no-seccomp.json" 22 true
check "own filter cannot load (no seccomp(2), no PR_SET_SECCOMP): exit 3, seccomp named, nothing written" \
	"$WORK/no-seccomp.json" 'BLOCKED: .*seccomp'
variant "$WORK/no-nnp.json" 38 false '["setgroups", "setresgid", "setresuid", "setgid", "setuid", "chdir", "fchdir", "getcwd", "close_range", "getppid", "kill", "write", "faccessat2", "access", "stat", "lstat", "open", "dup3", "pipe2"]'
check "no_new_privs cannot be set (no PR_SET_NO_NEW_PRIVS, docker's no-new-privileges off): exit 3, named" \
	"$WORK/no-nnp.json" 'BLOCKED: .*NO_NEW_PRIVS|no_new_privs' "--security-opt no-new-privileges=false"
# the control: the same harness with our own profile gets past the layer
err=$("$ROOT/scripts/run-container" "$WORK/in" "$WORK/out" -- inspect 2>&1 >/dev/null); rc=$?
if [ $rc -eq 2 ] && grep -q 'packet.json' <<<"$err"; then
	tap_ok "control: with our profile the same run passes the layer and P1 and reaches the reader (exit 2) [docker] #4"
else
	tap_fail "control: with our profile the same run reaches the reader [docker] #4" "rc=$rc" "$err"
fi
