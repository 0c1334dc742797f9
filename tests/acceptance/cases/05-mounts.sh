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

# No writable mount but /out, a small noexec /tmp and the runtime's own
# (docs/selfcheck.md): a host tmpfs, a writable cgroup hierarchy (a v1
# root is where release_agent lives), an exec /tmp without a size, bwrap's
# /dev tmpfs without a size. A directory made for a bind is no mount point:
# the root invariant names it too (extra invariant root).
if ! p1_have_bwrap; then
	for d in "/dev/shm rw" "cgroup hierarchy rw" "exec /tmp" "--dev" "host procfs"; do tap_skip "bwrap $d #5" "$P1_SKIP"; done
else
	p1_variant 5 "bwrap --bind /dev/shm /dev/shm: exit 3, names the host tmpfs" mounts bwrap "--bind /dev/shm /dev/shm" root
	grep -q "^BLOCKED: mounts: .*/dev/shm: writable tmpfs without a size of at most 64 MiB" <<<"$P1_LAST_ERR" ||
		tap_fail "bwrap /dev/shm named #5" "$P1_LAST_ERR"
	p1_variant 5 "bwrap --bind /sys/fs/cgroup/memory (a cgroup v1 root) rw: exit 3, names it" mounts bwrap \
		"--bind /sys/fs/cgroup/memory /sys/fs/cgroup/memory" root
	grep -q "^BLOCKED: mounts: .*/sys/fs/cgroup/memory: writable cgroup mount" <<<"$P1_LAST_ERR" ||
		tap_fail "bwrap cgroup named #5" "$P1_LAST_ERR"
	one bwrap "--tmpfs /tmp" "bwrap --tmpfs /tmp (exec, no size): exit 3, names /tmp" "/tmp: writable /tmp without noexec"
	one bwrap "--dev /dev" "bwrap --dev /dev (a tmpfs without a size): exit 3, names /dev" "/dev: writable tmpfs without a size"
	# a second procfs: the host's, read-only over an entry of ours
	one bwrap "--ro-bind /proc /proc/sys" "bwrap --ro-bind /proc /proc/sys (the host's procfs): exit 3, names it" \
		"/proc/sys: a procfs entry bound from elsewhere"
fi
if ! p1_have_docker; then
	for d in "/dev/shm rw" "/sys/fs/cgroup rw" "host dir under /tmp"; do tap_skip "docker $d #5" "$P1_SKIP"; done
else
	one docker "-v /etc:/tmp/etc:ro" "docker -v /etc:/tmp/etc:ro (a host dir under the /tmp tmpfs): exit 3, names it" \
		"/tmp/etc: extra mount"
	one docker "-v /dev/shm:/dev/shm" "docker -v /dev/shm:/dev/shm: exit 3, names the host tmpfs" \
		"/dev/shm: writable tmpfs without a size of at most 64 MiB"
	one docker "-v /sys/fs/cgroup:/sys/fs/cgroup:rw" "docker -v /sys/fs/cgroup:/sys/fs/cgroup:rw: exit 3, names a cgroup hierarchy" \
		"/sys/fs/cgroup/[a-z]*: writable cgroup mount"
fi
