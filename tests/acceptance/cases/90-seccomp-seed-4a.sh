#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #34 (exec), regression: the seeds' targeted-deny profile (deny execve,
# execveat, socket, connect, bind, ptrace; allow everything else), kept as
# seccomp/seed-4a-targeted-deny.json, cannot even start the container:
# Docker's filter is in force when runc execs the entrypoint. This is why
# the container profile allows execve and the binary denies it itself
# (docs/sandbox.md). The control run uses the real profile, same flags.
. "$(dirname "$0")/../lib.sh"
seed=$ROOT/seccomp/seed-4a-targeted-deny.json
d1="seeds' targeted-deny seccomp profile cannot start the container (exec: operation not permitted) #34"
d2="same run with seccomp/tki-container.json starts the entrypoint (control) #34"
if ! have_docker; then
	tap_skip "$d1" "$DOCKER_SKIP"; tap_skip "$d2" "$DOCKER_SKIP"; exit 0
fi
new_work
mkdir -m 0700 "$WORK/in" "$WORK/out"

"$ROOT/scripts/run-container" --image "$IMAGE" --seccomp "$seed" "$WORK/in" "$WORK/out" -- selfcheck \
	>"$WORK/seed.out" 2>"$WORK/seed.err"
rc=$?
if [ $rc -ne 0 ] && grep -q 'exec /tki-inspector: operation not permitted' "$WORK/seed.err" && [ ! -s "$WORK/seed.out" ]; then
	tap_ok "$d1"
else
	tap_fail "$d1" "exit $rc" "stdout: $(cat "$WORK/seed.out")" "stderr: $(cat "$WORK/seed.err")"
fi

# Control: our profile lets runc exec the binary, which then runs (its own
# selfcheck verdict is #7's business; here: it printed its JSON).
"$ROOT/scripts/run-container" --image "$IMAGE" "$WORK/in" "$WORK/out" -- selfcheck \
	>"$WORK/ours.out" 2>"$WORK/ours.err"
rc=$?
if ! grep -q 'operation not permitted' "$WORK/ours.err" && jq -e '.verdict' "$WORK/ours.out" >/dev/null 2>&1; then
	tap_ok "$d2"
else
	tap_fail "$d2" "exit $rc" "stdout: $(cat "$WORK/ours.out")" "stderr: $(cat "$WORK/ours.err")"
fi
