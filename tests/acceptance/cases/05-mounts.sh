#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #5: an extra data bind, a writable /in or a writable root -> exit 3,
# the mount point named.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

# one VENUE "VARIANT ARGS" DESC MOUNTPOINT-PATTERN
one() {
	local venue=$1 args=$2 d=$3 pat=$4
	p1_variant 5 "$d" mounts "$venue" "$args"
	grep -q "^BLOCKED: mounts: .*$pat" <<<"$P1_LAST_ERR" ||
		tap_fail "$d: mount named #5" "want /$pat/ in:" "$P1_LAST_ERR"
}

if ! p1_have_bwrap; then
	for d in "extra bind /hostetc" "writable /in" "writable root"; do tap_skip "bwrap $d #5" "$P1_SKIP"; done
else
	one bwrap "--ro-bind /etc /hostetc" "bwrap --ro-bind /etc /hostetc: exit 3, names /hostetc" "/hostetc: extra mount"
	one bwrap "in-rw" "bwrap --bind for /in: exit 3, names /in" "/in: input dir is writable"
	one bwrap "root-rw" "bwrap without --remount-ro /: exit 3, names /" "/: root is writable"
fi

if ! p1_have_docker; then
	for d in "extra bind /hostetc" "writable /in" "writable root"; do tap_skip "docker $d #5" "$P1_SKIP"; done
else
	one docker "-v /etc:/hostetc:ro" "docker -v /etc:/hostetc:ro: exit 3, names /hostetc" "/hostetc: extra mount"
	one docker "in-rw" "docker -v IN:/in:rw: exit 3, names /in" "/in: input dir is writable"
	one docker "no-read-only" "docker without --read-only: exit 3, names /" "/: root is writable"
fi
