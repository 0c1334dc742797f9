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
# read-only tmpfs root.
bw() {
	setpriv --reuid 65532 --regid 65532 --clear-groups \
		bwrap --unshare-all --uid 0 --gid 0 --die-with-parent --tmpfs / \
		--perms 0755 --file 9 /p1-capture --proc /proc --dev /dev --tmpfs /tmp \
		--clearenv --setenv PATH /usr/bin:/bin --chdir / "$@" 9<"$BIN"
}
ro='--remount-ro /'
split host "$BIN"
split bwrap bw --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-share-net bw --share-net --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-env-token bw --setenv GITHUB_TOKEN s3cr3tvalue --ro-bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-extra-bind bw --ro-bind "$W/in" /in --bind "$W/out" /out --ro-bind /etc /hostetc $ro /p1-capture
split bwrap-in-rw bw --bind "$W/in" /in --bind "$W/out" /out $ro /p1-capture
split bwrap-root-rw bw --ro-bind "$W/in" /in --bind "$W/out" /out /p1-capture
split bwrap-docker-sock bw --ro-bind "$W/in" /in --bind "$W/out" /out --ro-bind /var/run/docker.sock /var/run/docker.sock $ro /p1-capture
# As root without a user namespace and with every capability.
split bwrap-caps bwrap --unshare-pid --unshare-net --unshare-ipc --unshare-uts --cap-add ALL \
	--die-with-parent --tmpfs / --perms 0755 --file 9 /p1-capture --proc /proc --dev /dev \
	--tmpfs /tmp --clearenv --setenv PATH /usr/bin:/bin --chdir / \
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
	mkdir \$R/in \$R/out \$R/tmp \$R/proc \$R/.old; cp $W/p1-capture.sb \$R/p1-capture
	mount --bind $W/in \$R/in; mount -o remount,bind,ro \$R/in
	mount --bind $W/out \$R/out
	mount -t tmpfs -o size=16m,nosuid,nodev tmpfs \$R/tmp
	mount -t proc -o nosuid,nodev,noexec proc \$R/proc
	mount -o remount,bind,ro \$R
	cd \$R; pivot_root . .old; L=/.old/usr/lib/x86_64-linux-gnu
	\$L/ld-linux-x86-64.so.2 --library-path \$L /.old/usr/bin/umount -l /.old
	unset OLDPWD; exec /p1-capture"
}
split selfsandbox-emul selfsb

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
