#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #7 in the rootful podman venue (scripts/run-podman: the flags of
# scripts/run-container plus --ulimit nofile/nproc within the host's hard
# limits; the image loaded from docker, never pulled): `selfcheck` exits 0
# with every invariant ok, /run/.containerenv classified as podman's
# read-only metadata file. Negative control: the same run without
# --read-only is BLOCKED. #24: make attest VENUE=podman is ATTESTED.
. "$(dirname "$0")/../lib.sh"
d_ok="selfcheck in rootful podman (scripts/run-podman): exit 0, verdict OK, every invariant ok #7"
d_neg="podman without --read-only: selfcheck BLOCKED (exit 3) on the writable root and /run/.containerenv #7"
d_att="make attest VENUE=podman: 12 of 12 probes PASS, bundle with podman's image Id, inspected ATTESTED #24"
if ! have_podman; then
	for d in "$d_ok" "$d_neg" "$d_att"; do tap_skip "$d" "$PODMAN_SKIP"; done
	exit 0
fi
new_work
in=$(mktemp -d "$WORK/in.XXXXXX") out=$(mktemp -d "$WORK/out.XXXXXX")

rc=0
tki_in podman selfcheck "$in" "$out" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
show=("exit $rc" "stdout: $(cat "$WORK/stdout")" "stderr: $(cat "$WORK/stderr")")
if [ $rc -eq 125 ] || [ $rc -eq 126 ] || [ $rc -eq 127 ]; then
	for d in "$d_ok" "$d_neg" "$d_att"; do tap_skip "$d" "podman could not start the container: $(tail -1 "$WORK/stderr")"; done
	exit 0
fi
if [ $rc -eq 0 ] && why=$(p1_all_ok "$WORK/stdout") &&
	jq -e '.invariants[] | select(.name == "mounts") | .observed | test("runtime-standard")' "$WORK/stdout" >/dev/null; then
	tap_ok "$d_ok"
else
	tap_fail "$d_ok" "${why:-}" "${show[@]}"
fi

# The later flag wins: --read-only=false undoes ours for this run only.
rc=0
TKI_DOCKER_EXTRA=--read-only=false tki_in podman selfcheck "$in" "$out" >"$WORK/n.out" 2>"$WORK/n.err" || rc=$?
if [ $rc -eq 3 ] && grep -q 'BLOCKED: mounts:.*/: root is writable' "$WORK/n.err" &&
	grep -q '/run/.containerenv: writable' "$WORK/n.err"; then
	tap_ok "$d_neg"
else
	tap_fail "$d_neg" "exit $rc" "stderr: $(cat "$WORK/n.err")"
fi

rc=0
openssl genpkey -algorithm ed25519 -out "$WORK/venue-key.pem" 2>/dev/null
log=$(ATTEST_OUT=$WORK/attest-out IMAGE=$IMAGE ATTEST_KEY=$WORK/venue-key.pem "$ROOT/scripts/attest" podman 2>&1) || rc=$?
b=$WORK/attest-out/podman/bundle.json
want=sha256:$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null | sed 's/^sha256://')
if [ $rc -eq 77 ]; then
	tap_skip "$d_att" "$(cat "$WORK/attest-out/podman/SKIP")"
elif [ $rc -eq 0 ] && jq -e --arg d "$want" '.image_digest == $d and .sandbox == "podman" and
	(.probes | length) == 12 and all(.probes[]; .verdict == "PASS") and
	(.runtime | startswith("podman "))' "$b" >/dev/null 2>&1 &&
	[ "$(jq -r '.evidence[0].b4_prime // empty' "$WORK/attest-out/podman/report/report.json" 2>/dev/null)" = ATTESTED ]; then
	tap_ok "$d_att"
else
	tap_fail "$d_att" "exit $rc" "$log"
fi
