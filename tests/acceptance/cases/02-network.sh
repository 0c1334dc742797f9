#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #2: a non-loopback interface is visible -> exit 3, the interface named.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

# The host's own non-loopback interfaces (what --share-net exposes).
host_ifs=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); if ($1 != "lo") print $1 }' /proc/net/dev)

names_host_if() {
	local i
	for i in $host_ifs; do grep -q "^BLOCKED: network: .*\b$i\b" <<<"$P1_LAST_ERR" && return 0; done
	return 1
}

d="bwrap --share-net: exit 3, network invariant names the host interface"
if ! p1_have_bwrap; then tap_skip "$d #2" "$P1_SKIP"
elif [ -z "$host_ifs" ]; then tap_skip "$d #2" "this host has no non-loopback interface"
else
	p1_variant 2 "$d" network bwrap "--share-net"
	names_host_if || tap_fail "$d: interface named #2" "host has: $host_ifs" "$P1_LAST_ERR"
fi

d="docker --network bridge: exit 3, network invariant names eth0"
if ! p1_have_docker; then tap_skip "$d #2" "$P1_SKIP"
else
	p1_variant 2 "$d" network docker "net=bridge"
	grep -q '^BLOCKED: network: .*eth0' <<<"$P1_LAST_ERR" || tap_fail "$d: eth0 named #2" "$P1_LAST_ERR"
fi
