#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Re-capture fixtures/p1/<venue>/ from real venues on this machine:
# the bare host, bwrap and a hardened Docker run, plus variants that each
# break one invariant. Needs root, bwrap, setpriv and (for docker-*) a
# running dockerd. Usage: tests/tools/p1-capture.sh [VENUE_REGEX]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIXD=$ROOT/fixtures/p1
only=${1:-.}
# Descriptors this shell inherited (a terminal's, a CI runner's) would show
# in every venue's fds section: close them, so that only bwrap-fds has any.
for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
BIN=$ROOT/build/p1/p1-capture
mkdir -p "$(dirname "$BIN")"
cc -static -O2 -Wall -Wextra -Werror -o "$BIN" "$ROOT/tests/tools/p1-capture.c"

W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
chmod 0755 "$W"; mkdir -p "$W/in" "$W/out"; chmod 0777 "$W/out"

# split VENUE CMD...: run CMD, cut its "@@ section" output into files.
split() {
	local venue=$1; shift
	[[ $venue =~ $only ]] || return 0
	local d=$FIXD/$venue
	rm -rf "$d"; mkdir -p "$d"
	"$@" >"$W/raw"
	awk -v d="$d" '/^@@ /{f=d "/" $2; printf "" >f; next} {print >>f}' "$W/raw"
	printf '%s\n' "$*" | sed "s#$W#WORK#g; s#$ROOT#ROOT#g" >"$d/cmd"
	echo "captured $venue" >&2
}

# bwrap as an unprivileged user (65532), uid 0 inside the sandbox's single
# user namespace (maps to 65532 outside), static binary copied into a
# read-only tmpfs root; no /dev and no /tmp, like scripts/run-bwrap (bwrap
# cannot make a tmpfs noexec).
bw() {
	setpriv --reuid 65532 --regid 65532 --clear-groups \
		bwrap --unshare-all --uid 0 --gid 0 --die-with-parent --tmpfs / \
		--perms 0755 --file 9 /p1-capture --proc /proc \
		--clearenv --setenv PATH /usr/bin:/bin --chdir / "$@" 9<"$BIN"
}
# A listening unix socket (a stand-in for an engine's) to bind at a path.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$W/engine.sock"
chmod 0666 "$W/engine.sock"
echo root-only >"$W/root-only"; chmod 0600 "$W/root-only"
ro='--remount-ro /'
split host "$BIN"
split bwrap bw --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-share-net bw --share-net --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-env-token bw --setenv GITHUB_TOKEN s3cr3tvalue --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-extra-bind bw --ro-bind "$W/in" /in --bind "$W/out" /out --ro-bind /etc /hostetc $ro /p1-capture
split bwrap-in-rw bw --bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-root-rw bw --ro-bind "$W/in" /in --bind "$W/out" /out /p1-capture
split bwrap-tmp-exec bw --ro-bind "$W/in" /in --bind "$W/out" /out --tmpfs /tmp $ro /p1-capture
split bwrap-dev bw --ro-bind "$W/in" /in --bind "$W/out" /out --dev /dev $ro /p1-capture
split bwrap-shm-rw bw --ro-bind "$W/in" /in --bind "$W/out" /out --bind /dev/shm /dev/shm $ro /p1-capture
split bwrap-cgroup-rw bw --ro-bind "$W/in" /in --bind "$W/out" /out --bind /sys/fs/cgroup /sys/fs/cgroup $ro /p1-capture
split bwrap-cgroup-root-rw bw --ro-bind "$W/in" /in --bind "$W/out" /out --bind /sys/fs/cgroup/memory /sys/fs/cgroup/memory $ro /p1-capture
split bwrap-env-lc-database bw --setenv LC_DATABASE postgres://admin:pw@db/prod --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-env-term bw --setenv TERM ghp_0123456789abcdefABCDEF0123456789abcd --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-fds bw --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture 5<"$W/root-only" 6</etc
split bwrap-podman-rootless-sock bw --ro-bind "$W/in" /in --bind "$W/out" /out --ro-bind "$W/engine.sock" /run/user/1000/podman/podman.sock $ro /p1-capture
split bwrap-docker-sock bw --ro-bind "$W/in" /in --bind "$W/out" /out --ro-bind /var/run/docker.sock /var/run/docker.sock $ro /p1-capture
# As root without a user namespace and with every capability.
split bwrap-caps bwrap --unshare-pid --unshare-net --unshare-ipc --unshare-uts --cap-add ALL \
	--die-with-parent --tmpfs / --perms 0755 --file 9 /p1-capture --proc /proc \
	--clearenv --setenv PATH /usr/bin:/bin --chdir / \
	--ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture 9<"$BIN"

# The --self-sandbox layout (DESIGN.md), built with util-linux while the
# real one is on the sandbox branch: uid 0 inside mapped to 65532 outside,
# read-only tmpfs root, /in ro bind, /out rw bind, /tmp tmpfs, fresh /proc,
# pivot_root. Replace with a capture from `tki-inspector --self-sandbox`
# once that lands.
selfsb() {
	local R=$W/sbroot; mkdir -p "$R"; chmod 0777 "$R"; cp "$BIN" "$W/p1-capture.sb"; chmod 0755 "$W/p1-capture.sb"
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid 65532 --regid 65532 --clear-groups \
		unshare -r -m -n -p -f -i -u --propagation private sh -c "
	set -e; R=$R
	mount -t tmpfs -o size=1m,mode=0755 tmpfs \$R
	mkdir \$R/in \$R/out \$R/tmp \$R/proc
	mount --bind $W/in \$R/in; mount -o remount,bind,ro \$R/in
	mount --bind $W/out \$R/out
	mount -t tmpfs -o size=16m,nosuid,nodev,noexec tmpfs \$R/tmp
	mount -t proc -o nosuid,nodev,noexec proc \$R/proc
	unset OLDPWD PWD; exec $W/p1-capture.sb --pivot \$R"
}
split selfsandbox-emul selfsb

# The host's own root as a read-only overlay (nothing from a container
# image), fresh mount/pid/net/ipc/uts namespaces, uid 65532 with no
# capabilities: every mount is in order, only the root's content is not.
hostroot() {
	local R=$W/hr; mkdir -p "$R" "$W/hr-up" "$W/hr-work"
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin unshare -m -n -p -f -i -u --propagation private sh -c "
	set -e; R=$R
	mount -t overlay overlay -o lowerdir=/,upperdir=$W/hr-up,workdir=$W/hr-work \$R
	mkdir -p \$R/in \$R/out \$R/old_root
	mount --bind $W/in \$R/in; mount -o remount,bind,ro \$R/in
	mount --bind $W/out \$R/out
	mount -t proc -o nosuid,nodev,noexec proc \$R/proc
	mount -o remount,ro \$R
	cd \$R; pivot_root . old_root; umount -l /old_root; unset OLDPWD PWD
	exec setpriv --reuid 65532 --regid 65532 --clear-groups --inh-caps=-all --bounding-set=-all $BIN"
}
split hostroot hostroot

if docker info >/dev/null 2>&1; then
	C=$W/ctx; mkdir -p "$C"; cp "$BIN" "$C/p1-capture"
	printf 'FROM scratch\nCOPY p1-capture /p1-capture\nUSER 65532:65532\nENTRYPOINT ["/p1-capture"]\n' >"$C/Dockerfile"
	docker build -q -t tki-p1-capture:p1 "$C" >/dev/null 2>&1
	hard() { # the hardened run with the flags given replacing the defaults
		local net=--network=none rof=--read-only caps=--cap-drop=ALL inm=ro extra=()
		while [ $# -gt 0 ]; do case $1 in
			--net=*) net=--network=${1#--net=} ;; --no-read-only) rof= ;;
			--no-cap-drop) caps= ;; --in-rw) inm=rw ;; *) extra+=("$1") ;;
		esac; shift; done
		docker run --rm $net --ipc none $rof $caps --security-opt no-new-privileges \
			--user 65532:65532 --env-file /dev/null \
			--tmpfs /tmp:rw,noexec,nosuid,nodev,size=16m \
			-v "$W/in:/in:$inm" -v "$W/out:/out:rw" "${extra[@]}" tki-p1-capture:p1
	}
	split docker hard
	split docker-bridge hard --net=bridge
	split docker-env-token hard -e GITHUB_TOKEN=s3cr3tvalue
	split docker-extra-bind hard -v /etc:/hostetc:ro
	split docker-in-rw hard --in-rw
	split docker-no-read-only hard --no-read-only
	split docker-no-cap-drop hard --no-cap-drop
	split docker-docker-sock hard -v /var/run/docker.sock:/var/run/docker.sock
	split docker-limits hard --pids-limit 64 --memory 256m
	split docker-pid-host hard --pid host
	split docker-shm-rw hard -v /dev/shm:/dev/shm
	split docker-cgroup-rw hard -v /sys/fs/cgroup:/sys/fs/cgroup:rw
	# Rootful podman with the hardened flags of scripts/run-podman; the image
	# comes from docker (docker save | podman load), never from a registry.
	if command -v podman >/dev/null && [[ podman =~ $only ]]; then
		docker save tki-p1-capture:p1 | podman load -q >/dev/null
		pm() { # the hardened podman run, extra flags appended
			local rof=--read-only extra=()
			while [ $# -gt 0 ]; do case $1 in
				--no-read-only) rof= ;; *) extra+=("$1") ;;
			esac; shift; done
			podman run --rm --network none --ipc none $rof --read-only-tmpfs=false --passwd=false \
				--cap-drop ALL --security-opt no-new-privileges --user 65532:65532 \
				--ulimit nofile=256:256 --ulimit nproc=64:64 --pids-limit 64 --memory 256m \
				--env-file /dev/null --tmpfs /tmp:rw,noexec,nosuid,nodev,size=16m \
				-v "$W/in:/in:ro" -v "$W/out:/out:rw" "${extra[@]}" tki-p1-capture:p1
		}
		split podman pm
		split podman-no-read-only pm --no-read-only
		# A host file bound over podman's metadata file: not podman's own.
		split podman-fake-containerenv pm -v /etc/passwd:/run/.containerenv:ro
	fi
else
	echo "docker not reachable: docker-* and podman-* fixtures not captured" >&2
fi
