#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The pod venue (issue 18), in its stand-in scripts/run-pod: the image of
# the container venue, unchanged, run as deploy/k8s/job.yaml runs it
# (bridge network with eth0, KUBERNETES_* env, uid 65532, no caps,
# read-only root, no-new-privileges, seccomp/tki-pod.json) with
# --self-sandbox, so P1 judges the sandbox the inspector builds inside.
#  #7  selfcheck exit 0, every invariant ok, pid_namespace on the pod's
#      /proc bound read-only (fresh procfs is refused under a masked /proc)
#  #24 attest: 12 of 12 PASS, PR-NET-1 refused, PR-NET-2 sees lo only
#  #44 inspect: the same report bytes as the container venue
#  #2, #3 without --self-sandbox: exit 3 naming eth0 and KUBERNETES_*
#  #4  under Docker's default seccomp profile: exit 3, a Hint naming the
#      pod profile and docs/deploy.md
#  #6  the node's docker.sock bound into the pod: exit 3 (the inner
#      sandbox hides it, P1 refuses the venue all the same)
#  #1  the pod in the node's pid namespace, or sharing its process
#      namespace with another container (shareProcessNamespace): exit 3
#  #7  attacks that must not change the inner sandbox: an extra volume
#      with a setuid binary, no KUBERNETES env, an unmasked /proc
#      (systempaths=unconfined: a fresh procfs is allowed, and used),
#      a descriptor the runtime leaks (podman --preserve-fds), SYS_ADMIN
#      in the pod's bounding set
#  Without an engine (root, unshare): a masked /proc with hidepid around
#  --self-sandbox (#7: exit 0, the bind keeps hidepid), and one masking
#  less than the runtimes do (#5: exit 3 naming the unmasked entry)
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/acceptance/reader-lib.sh"
d7="pod stand-in: selfcheck --self-sandbox exit 0, every invariant ok, pid_namespace judges the pod's /proc bound read-only with its masks #7"
d24="pod stand-in: attest --self-sandbox 12 of 12 PASS, PR-NET-1 refused inside, PR-NET-2 sees lo only #24"
d44="pod stand-in: inspect --self-sandbox writes the same report.json, report.md and report.sarif bytes as the container venue #44"
d2="pod stand-in without --self-sandbox: exit 3, network names eth0 #2"
d3="pod stand-in without --self-sandbox: exit 3, env names KUBERNETES_SERVICE_HOST #3"
d4="pod stand-in under Docker's default seccomp profile: exit 3, Hint names seccomp/tki-pod.json and docs/deploy.md #4"
d6="pod with the node's docker.sock bound in: exit 3, engine_sockets names it #6"
d7v="pod with an extra volume holding a setuid binary: not in the inner sandbox (same mount table), selfcheck exit 0 #7"
d7e="pod without the KUBERNETES env: selfcheck --self-sandbox exit 0 #7"
d7u="pod with an unmasked /proc (systempaths=unconfined): a fresh procfs of the inner pid namespace, selfcheck exit 0 #7"
d7f="podman pod with a descriptor the runtime leaks (--preserve-fds): none reaches the inner sandbox, selfcheck exit 0 #7"
d1="pod sharing the node's pid namespace (hostPID): the bound /proc shows it, exit 3, pid_namespace names it #1"
d1s="pod sharing its process namespace with another container (5 processes: 8 in all, within the count): exit 3, pid_namespace names the processes not ours #1"
d4m="the pod profile is minimal: without any one of its pod lines (but kill, which only forwards signals, and the container's thread clone) attest --self-sandbox is BLOCKED #4"
d7h="a masked /proc with hidepid=invisible around --self-sandbox (Docker's masks, emulated as root with unshare): the bind keeps hidepid, only our process visible, selfcheck exit 0 #7"
d5m="a /proc that masks less than the runtimes do (/proc/keys left out) around --self-sandbox: the bind shows it, exit 3, pid_namespace names /proc/keys #5"
d7c="pod with --cap-add SYS_ADMIN (bounding set only, uid 65532, no-new-privileges): the inner sandbox's sets are empty, selfcheck exit 0 #7"
all=("$d7" "$d24" "$d44" "$d2" "$d3" "$d4" "$d4m" "$d6" "$d7v" "$d7e" "$d7u" "$d1" "$d1s" "$d7c")
if ! have_docker; then
	for d in "${all[@]}" "$d7f"; do tap_skip "$d" "$DOCKER_SKIP"; done
fi
new_work

# The bind of an outer /proc, without an engine: as root, a private mount
# and pid namespace whose /proc is masked the way runc masks a container's
# (a fresh procfs is then refused to the inner user namespace), the
# inspector started as uid 65532. hidepid: an option of the procfs
# instance no engine here sets. ARGS: mount options of /proc, then the
# masked entries to leave out.
masked_proc() { # OUT ERR PROC_OPTS [UNMASKED...]
	local out=$1 err=$2 opts=$3; shift 3
	unshare --mount --pid --fork bash -c '
		set -e
		opts=$1 tki=$2; shift 2
		skip=" $* "
		mount --make-rprivate /
		mount -t proc -o "$opts" proc /proc
		for e in keys timer_list kcore sched_debug latency_stats timer_stats; do
			[ -e /proc/$e ] && [ "${skip#* $e }" = "$skip" ] && mount --bind /dev/null /proc/$e
		done
		for e in acpi asound scsi; do
			[ -e /proc/$e ] && [ "${skip#* $e }" = "$skip" ] && mount -t tmpfs -o ro tmpfs /proc/$e
		done
		for e in bus fs irq sys sysrq-trigger; do
			[ -e /proc/$e ] && mount --bind /proc/$e /proc/$e && mount -o remount,bind,ro /proc/$e
		done
		mount -t tmpfs -o size=1m tmpfs /run # the host engine sockets are not this venue'"'"'s
		exec setpriv --reuid=65532 --regid=65532 --clear-groups "$tki" selfcheck --self-sandbox
	' masked-proc "$opts" "$TKI_STATIC" "$@" >"$out" 2>"$err"
}
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null || [ ! -x "$TKI_STATIC" ]; then
	tap_skip "$d7h" "needs root, unshare, setpriv and $TKI_STATIC"
	tap_skip "$d5m" "needs root, unshare, setpriv and $TKI_STATIC"
else
	masked_proc "$WORK/hp.out" "$WORK/hp.err" hidepid=invisible,nosuid,nodev,noexec; rc=$?
	o=$(jq -r '.invariants[] | select(.name == "pid_namespace") | .observed' "$WORK/hp.out" 2>/dev/null)
	# without hidepid the outer shell, the outer process and PID 1 would
	# be listed too (4): 1 is hidepid at work through the bind
	if [ $rc -eq 0 ] && grep -q 'in the procfs of an outer pid namespace, bound at /proc read-only.*; 1 process visible in /proc' <<<"$o"; then
		tap_ok "$d7h"
	else
		tap_fail "$d7h" "exit $rc" "pid_namespace: $o" "$(head -c 2000 "$WORK/hp.err")"
	fi
	masked_proc "$WORK/mk.out" "$WORK/mk.err" nosuid,nodev,noexec keys; rc=$?
	if [ $rc -eq 3 ] && grep -q '^BLOCKED: pid_namespace: .*/proc/keys exists and is not masked' "$WORK/mk.err"; then
		tap_ok "$d5m"
	else
		tap_fail "$d5m" "exit $rc" "$(head -c 2000 "$WORK/mk.err")"
	fi
fi
have_docker || exit 0

# pod [ENV=VALUE...] [RUN-POD OPTIONS...] -- CMD ARGS...: a fresh IN/OUT pair
# ($WORK/N/in, $WORK/N/out: 0700, root-owned, as mktemp -d makes them).
n=0
pod() {
	local envs=() opts=()
	while [ "$1" != -- ]; do
		case $1 in *=*) envs+=("$1") ;; *) opts+=("$1") ;; esac
		shift
	done
	shift
	n=$((n + 1))
	mkdir -p "$WORK/$n"
	IN=$(mktemp -d "$WORK/$n/in.XXXXXX") OUT=$(mktemp -d "$WORK/$n/out.XXXXXX")
	[ -z "${PACKET:-}" ] || cp -a "$PACKET/." "$IN/"
	env "${envs[@]}" "$ROOT/scripts/run-pod" --image "$IMAGE" "${opts[@]}" "$IN" "$OUT" -- "$@" \
		>"$WORK/$n.out" 2>"$WORK/$n.err"
}
show() { echo "exit $1" "stdout: $(head -c 3000 "$WORK/$n.out")" "stderr: $(head -c 2000 "$WORK/$n.err")"; }
observed() { jq -r --arg n "$1" '.invariants[] | select(.name == $n) | .observed' "$WORK/$n.out" 2>/dev/null; }

# #7: the real thing.
pod -- selfcheck; rc=$?
pidns=$(observed pid_namespace)
if [ $rc -eq 0 ] && why=$(p1_all_ok "$WORK/$n.out") &&
	grep -q 'in the procfs of an outer pid namespace, bound at /proc read-only, nosuid, nodev, noexec with the runtime.s masks; [0-9]* process.* visible in /proc, all ours or our ancestors, none but ours reachable' <<<"$pidns" &&
	[ "$(observed network)" = "interfaces: lo" ]; then
	tap_ok "$d7"
else
	tap_fail "$d7" "${why:-}" "pid_namespace: $pidns" "$(show $rc)"
fi
base_mounts=$(observed mounts)

# #24: the probes, PR-NET-1 refused inside although the pod has eth0.
pod -- attest --out /out; rc=$?
jl=$OUT/attest.jsonl
if [ $rc -eq 0 ] && [ -s "$jl" ] && jq -e -s 'length == 12 and all(.[]; .verdict == "PASS")' "$jl" >/dev/null &&
	jq -e -s 'any(.[]; .probe_id == "PR-NET-1" and .errno_or_exit == "EPERM(1)")' "$jl" >/dev/null &&
	jq -e -s 'any(.[]; .probe_id == "PR-NET-2" and .actual_stderr_or_value == "interfaces: lo")' "$jl" >/dev/null &&
	cat "$WORK/$n.out" "$WORK/$n.err" | grep -q '12 of 12 probes PASS' &&
	# the raw facts the re-judge needs: every other pid probed (EACCES), our
	# ancestry starting with us, masks that exist listed
	jq -e '.raw as $r | ($r.proc_self | test("^[0-9]+$")) and ($r.proc_self != ($r.pid | tostring)) and
		(([$r.proc_pids | split("\n")[] | select(. != "" and . != $r.proc_self)] | sort) ==
		 ([$r.proc_reach | split("\n")[] | select(. != "") | split(" ") | select(.[1] == "EACCES") | .[0]] | sort)) and
		(($r.proc_chain | split("\n"))[0] == $r.proc_self) and ($r.proc_present | test("/proc/sys"))' \
		"$OUT/sandbox-attestation-inside.json" >/dev/null; then
	tap_ok "$d24"
else
	tap_fail "$d24" "$(jq -c . "$jl" 2>&1 | head -20)" "$(show $rc)"
fi

# #44: the example packet, container venue and pod venue, byte for byte.
PACKET=$FIX/example
pod -- inspect --in /in --out /out --run-date "$RUN_DATE"; prc=$?
pout=$OUT
cout=$(mktemp -d "$WORK/cout.XXXXXX")
"$ROOT/scripts/run-container" --image "$IMAGE" "$FIX/example" "$cout" -- inspect --in /in --out /out \
	--run-date "$RUN_DATE" >"$WORK/c.out" 2>"$WORK/c.err"
crc=$?
diffs=
for f in report.json report.md report.sarif; do
	cmp -s "$pout/$f" "$cout/$f" || diffs="$diffs $f"
done
if [ $prc -eq $crc ] && [ $prc -le 1 ] && [ -s "$pout/report.json" ] && [ -z "$diffs" ]; then
	tap_ok "$d44"
else
	tap_fail "$d44" "pod exit $prc, container exit $crc, differ:${diffs:- none}" "$(show $prc)" \
		"container stderr: $(cat "$WORK/c.err")"
fi
unset PACKET

# #2/#3: the pod as it is, without the inner sandbox.
pod --no-self-sandbox -- selfcheck; rc=$?
if [ $rc -eq 3 ] && grep -q '^BLOCKED: network: non-loopback interface visible: eth0' "$WORK/$n.err"; then
	tap_ok "$d2"
else
	tap_fail "$d2" "$(show $rc)"
fi
if [ $rc -eq 3 ] && grep -q '^BLOCKED: env: .*KUBERNETES_SERVICE_HOST' "$WORK/$n.err"; then
	tap_ok "$d3"
else
	tap_fail "$d3" "$(show $rc)"
fi

# #4: Docker's default profile refuses clone(CLONE_NEWUSER).
pod --seccomp default -- selfcheck; rc=$?
if [ $rc -eq 3 ] && grep -q 'cannot create the namespaces: Operation not permitted' "$WORK/$n.err" &&
	grep -q '^Hint: .*seccomp/tki-pod.json.*docs/deploy.md' "$WORK/$n.err" && [ ! -s "$WORK/$n.out" ]; then
	tap_ok "$d4"
else
	tap_fail "$d4" "$(show $rc)"
fi

# The pod profile adds nothing the inner sandbox does not need: each pod
# line of seccomp/syscalls.txt left out in turn, attest (no --in: the
# read-only empty /in tmpfs; --out: the cloned /out; the /proc clone)
# must be refused. kill only forwards HUP/INT/TERM; the thread clone is the
# container profile's own.
gen=$ROOT/build/tools/tki-seccomp-gen
if [ -x "$gen" ]; then
	spare=
	while IFS=: read -r ln line; do
		case $line in *" kill "* | *"a0&0x7e030000==0x10000"*) continue ;; esac
		sed "${ln}d" "$ROOT/seccomp/syscalls.txt" >"$WORK/sc.txt"
		"$gen" pod "$WORK/sc.txt" >"$WORK/pod-less.json" || { spare="$spare [gen failed: $line]"; continue; }
		pod --seccomp "$WORK/pod-less.json" -- attest --out /out; rc=$?
		grep -q '^tki-inspector: BLOCKED: --self-sandbox: .*Operation not permitted' "$WORK/$n.err" && [ $rc -eq 3 ] ||
			spare="$spare [$(tr -s ' ' <<<"$line"): exit $rc]"
	done < <(grep -n '^pod ' "$ROOT/seccomp/syscalls.txt")
	if [ -z "$spare" ]; then tap_ok "$d4m"; else tap_fail "$d4m" "not needed:$spare"; fi
else
	tap_skip "$d4m" "no $gen (make builds it)"
fi

# #6: docker.sock in the pod: the inner sandbox cannot see it, P1 refuses
# the venue anyway (whoever got out would hold the node).
if [ -S /var/run/docker.sock ]; then
	pod TKI_DOCKER_EXTRA="-v /var/run/docker.sock:/var/run/docker.sock" -- selfcheck; rc=$?
	if [ $rc -eq 3 ] &&
		grep -q '^BLOCKED: engine_sockets: engine socket present: /var/run/docker.sock (in the venue around --self-sandbox)' "$WORK/$n.err"; then
		tap_ok "$d6"
	else
		tap_fail "$d6" "$(show $rc)"
	fi
else
	tap_skip "$d6" "no /var/run/docker.sock on this host"
fi

# An extra volume with a root-owned setuid binary: outside the inner
# sandbox's mount namespace, so its mount table is the base run's.
vol=$(mktemp -d "$WORK/vol.XXXXXX")
chmod 0755 "$vol"
cp /bin/true "$vol/suid" && chmod 4755 "$vol/suid"
pod TKI_DOCKER_EXTRA="-v $vol:/extra" -- selfcheck; rc=$?
if [ $rc -eq 0 ] && [ "$(observed mounts)" = "$base_mounts" ] && ! grep -q extra "$WORK/$n.out"; then
	tap_ok "$d7v"
else
	tap_fail "$d7v" "base mounts: $base_mounts" "$(show $rc)"
fi

pod TKI_POD_ENV=0 -- selfcheck; rc=$?
if [ $rc -eq 0 ]; then tap_ok "$d7e"; else tap_fail "$d7e" "$(show $rc)"; fi

# Unmasked: the kernel allows a fresh procfs (nothing of the pod's /proc
# is hidden), so the inner sandbox gets its own, as on a host.
pod TKI_DOCKER_EXTRA="--security-opt systempaths=unconfined" -- selfcheck; rc=$?
if [ $rc -eq 0 ] && grep -q '^pid [0-9]*; [0-9] process.* visible in /proc' <<<"$(observed pid_namespace)"; then
	tap_ok "$d7u"
else
	tap_fail "$d7u" "pid_namespace: $(observed pid_namespace)" "$(show $rc)"
fi

# hostPID: the pod's /proc, bound into the inner sandbox, is the node's.
pod TKI_DOCKER_EXTRA="--pid host" -- selfcheck; rc=$?
if [ $rc -eq 3 ] && grep -q '^BLOCKED: pid_namespace: pid [0-9]*, pid [0-9]* in the procfs of an outer pid namespace bound at /proc: .*[0-9]* processes visible in /proc (at most 8): the pid namespace is shared' "$WORK/$n.err"; then
	tap_ok "$d1"
else
	tap_fail "$d1" "$(show $rc)"
fi

# shareProcessNamespace: another container's processes in the pod's pid
# namespace, few enough to pass the count; every process the bound /proc
# shows must be ours or an ancestor. The other container: a static program
# that forks 4 children and pauses, imported as an image of its own.
sl=$WORK/sleeper
mkdir -p "$sl"
printf '#include <unistd.h>\nint main(void){for(int i=0;i<4;i++)if(fork()==0)break;pause();return 0;}\n' >"$sl/sleeper.c"
if cc -static -O2 -o "$sl/sleeper" "$sl/sleeper.c" 2>"$WORK/sl.err" &&
	tar -C "$sl" -cf "$WORK/sleeper.tar" sleeper &&
	docker import -c 'ENTRYPOINT ["/sleeper"]' "$WORK/sleeper.tar" "tki-sleeper:${IMAGE#*:}" >/dev/null 2>>"$WORK/sl.err" &&
	other=$(docker run -d --rm --network none --cap-drop ALL --user 65532:65532 "tki-sleeper:${IMAGE#*:}" 2>>"$WORK/sl.err"); then
	sleep 1 # its children forked
	pod TKI_DOCKER_EXTRA="--pid container:$other" -- selfcheck; rc=$?
	docker kill "$other" >/dev/null 2>&1
	if [ $rc -eq 3 ] &&
		grep -q "^BLOCKED: pid_namespace: .* process.* not ours nor our ancestors' share the pod's pid namespace" "$WORK/$n.err" &&
		! grep -q 'processes visible in /proc (at most 8)' "$WORK/$n.err"; then
		tap_ok "$d1s"
	else
		tap_fail "$d1s" "$(show $rc)"
	fi
else
	tap_skip "$d1s" "cannot build or start the other container: $(cat "$WORK/sl.err")"
fi

# SYS_ADMIN in the pod's bounding set: uid 65532 has it in no other set,
# no-new-privileges keeps it so; the inner sandbox's worker drops its own
# bounding set (it may, in its user namespace) and P1 judges that.
pod TKI_DOCKER_EXTRA="--cap-add SYS_ADMIN" -- selfcheck; rc=$?
if [ $rc -eq 0 ] && grep -q '^all empty: ' <<<"$(observed capabilities)"; then
	tap_ok "$d7c"
else
	tap_fail "$d7c" "capabilities: $(observed capabilities)" "$(show $rc)"
fi

# A descriptor the runtime hands to the pod's process (podman passes fd 3
# on with --preserve-fds): PID 1 of the inner sandbox closes it before the
# worker exists, so P1 inside finds none (P1 would name it otherwise).
if have_podman; then
	secret=$WORK/secret
	echo "pod-fd-secret" >"$secret"
	chmod 0644 "$secret"
	pod TKI_DOCKER_EXTRA="--preserve-fds 1" --engine podman -- selfcheck 3<"$secret"; rc=$?
	if [ $rc -eq 0 ] && [ "$(observed fds)" = "none inherited beyond 0-2" ]; then
		tap_ok "$d7f"
	else
		tap_fail "$d7f" "fds: $(observed fds)" "$(show $rc)"
	fi
else
	tap_skip "$d7f" "$PODMAN_SKIP"
fi
