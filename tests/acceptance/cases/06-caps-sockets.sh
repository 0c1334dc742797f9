#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #6: capabilities not empty, or an engine socket visible -> exit 3.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

sock=/var/run/docker.sock
if ! p1_have_bwrap; then
	tap_skip "bwrap with the engine socket bound: exit 3 #6" "$P1_SKIP"
	tap_skip "bwrap --cap-add ALL: exit 3 #6" "$P1_SKIP"
else
	d="bwrap --ro-bind $sock: exit 3, engine_sockets names it"
	if [ -S "$sock" ]; then
		# A bind is a mount too: mounts fails as well, naming the same path.
		p1_variant 6 "$d" engine_sockets bwrap "--ro-bind $sock $sock" mounts
		grep -q "^BLOCKED: engine_sockets: engine socket present: $sock" <<<"$P1_LAST_ERR" ||
			tap_fail "$d: socket named #6" "$P1_LAST_ERR"
	else
		tap_skip "$d #6" "no $sock on this host to bind"
	fi
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
else
	d="docker -v $sock:$sock: exit 3, engine_sockets names it"
	if [ -S "$sock" ]; then
		p1_variant 6 "$d" engine_sockets docker "-v $sock:$sock" mounts
	else
		tap_skip "$d #6" "no $sock on this host"
	fi
	# As uid 65532 the effective set is empty but the bounding set keeps
	# Docker's defaults, which an unprivileged process cannot drop.
	p1_variant 6 "docker without --cap-drop ALL: exit 3, capabilities (bounding set) named" capabilities docker "no-cap-drop"
	grep -q '^BLOCKED: capabilities: .*bounding=0x' <<<"$P1_LAST_ERR" ||
		tap_fail "docker without --cap-drop ALL: bounding set named #6" "$P1_LAST_ERR"
fi
