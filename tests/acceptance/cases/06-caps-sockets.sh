#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #6: capabilities not empty, or an engine socket visible -> exit 3.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

sock=/var/run/docker.sock
# The other engines' sockets at their usual paths: a listening unix socket
# (made here; the engines are not running) bound at each. P1 must name the
# path; forgetting one of them in tki_p1_engine_sockets fails its line.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$WORK/engine.sock"
chmod 0666 "$WORK/engine.sock"
others=(/run/podman/podman.sock /run/user/1000/podman/podman.sock /run/containerd/containerd.sock
	/var/run/crio/crio.sock /run/crio/crio.sock)
# other_socks VENUE BIND-ARGS-FORMAT: one variant per path (%s = the path)
other_socks() {
	local venue=$1 fmt=$2 path
	for path in "${others[@]}"; do
		local d="$venue with a socket bound at $path: exit 3, engine_sockets names it"
		# shellcheck disable=SC2059 # the format is ours
		p1_variant 6 "$d" engine_sockets "$venue" "$(printf -- "$fmt" "$path")" mounts root
		grep -q "^BLOCKED: engine_sockets: engine socket present: $path" <<<"$P1_LAST_ERR" ||
			tap_fail "$d: path named #6" "$P1_LAST_ERR"
	done
}
if ! p1_have_bwrap; then
	tap_skip "bwrap with the engine socket bound: exit 3 #6" "$P1_SKIP"
	tap_skip "bwrap --cap-add ALL: exit 3 #6" "$P1_SKIP"
	tap_skip "bwrap with podman, containerd and cri-o sockets bound: exit 3 #6" "$P1_SKIP"
else
	d="bwrap --ro-bind $sock: exit 3, engine_sockets names it"
	if [ -S "$sock" ]; then
		# A bind is a mount too: mounts fails as well, naming the same path,
		# and so does root (/var, made for it, is no mount point).
		p1_variant 6 "$d" engine_sockets bwrap "--ro-bind $sock $sock" mounts root
		grep -q "^BLOCKED: engine_sockets: engine socket present: $sock" <<<"$P1_LAST_ERR" ||
			tap_fail "$d: socket named #6" "$P1_LAST_ERR"
	else
		tap_skip "$d #6" "no $sock on this host to bind"
	fi
	other_socks bwrap "--ro-bind $WORK/engine.sock %s"
	# All capabilities inside the sandbox's user namespace. The own layer
	# clears them once it lands; then this venue cannot break the invariant.
	d="bwrap --cap-add ALL: exit 3, capabilities named"
	p1_dirs
	own=$(p1_bwrap --cap-add ALL -- selfcheck 2>/dev/null | jq -r '.invariants[] | select(.name == "capabilities") | .observed')
	if [[ $own == *"own layer cleared them"* ]]; then
		tap_skip "$d #6" "the own layer clears every capability bwrap grants; docker without --cap-drop ALL still checks it"
	else
		p1_variant 6 "$d" capabilities bwrap "--cap-add ALL"
	fi
fi

if ! p1_have_docker; then
	tap_skip "docker with the engine socket bound: exit 3 #6" "$P1_SKIP"
	tap_skip "docker without --cap-drop ALL: exit 3 #6" "$P1_SKIP"
	tap_skip "docker with podman, containerd and cri-o sockets bound: exit 3 #6" "$P1_SKIP"
else
	d="docker -v $sock:$sock: exit 3, engine_sockets names it"
	if [ -S "$sock" ]; then
		p1_variant 6 "$d" engine_sockets docker "-v $sock:$sock" mounts root
	else
		tap_skip "$d #6" "no $sock on this host"
	fi
	other_socks docker "-v $WORK/engine.sock:%s"
	# As uid 65532 the effective set is empty but the bounding set keeps
	# Docker's defaults, which an unprivileged process cannot drop.
	p1_variant 6 "docker without --cap-drop ALL: exit 3, capabilities (bounding set) named" capabilities docker "no-cap-drop"
	grep -q '^BLOCKED: capabilities: .*bounding=0x' <<<"$P1_LAST_ERR" ||
		tap_fail "docker without --cap-drop ALL: bounding set named #6" "$P1_LAST_ERR"
fi
