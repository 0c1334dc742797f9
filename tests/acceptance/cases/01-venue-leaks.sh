#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #1, venues that are not the bare host but leak it all the same:
#  - docker --pid host: every host process visible (pid_namespace);
#  - the host's own root as a read-only overlay in fresh namespaces as uid
#    65532, docker.sock whited out: every mount in order, the root is not
#    minimal (root);
#  - descriptors the caller leaves open (a root-only file on fd 5, /etc on
#    fd 6) reach bwrap's sandbox: P1 closes them before anything reads the
#    packet and names them (fds), in every venue.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

if ! p1_have_docker; then tap_skip "docker --pid host: exit 3, pid_namespace named #1" "$P1_SKIP"
else
	p1_variant 1 "docker --pid host: exit 3, pid_namespace named" pid_namespace docker "--pid host"
	grep -q '^BLOCKED: pid_namespace: pid [0-9]*; [0-9]* processes visible in /proc' <<<"$P1_LAST_ERR" ||
		tap_fail "docker --pid host: processes counted #1" "$P1_LAST_ERR"
fi

# The host's root, read-only, as an overlay: no container image at all.
d="host root as a read-only overlay, fresh namespaces, uid 65532: exit 3, root names a host directory"
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null; then
	tap_skip "$d #1" "needs root, unshare and setpriv"
elif ! p1_static; then
	tap_skip "$d #1" "$P1_STATIC_SKIP"
else
	hostroot() { # CMD...
		local R=$WORK/hr up=$WORK/hr-up wk=$WORK/hr-work s
		rm -rf "$R" "$up" "$wk"; mkdir -p "$R" "$up/in" "$up/out" "$wk"
		# whiteouts: the engine sockets of the host's root disappear
		for s in run/docker.sock var/run/docker.sock; do
			[ -S "/$s" ] && [ ! -L "/$(dirname "$s")" ] && mkdir -p "$up/$(dirname "$s")" && mknod "$up/$s" c 0 0
		done
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin unshare -m -n -p -f -i -u --propagation private sh -c '
		set -e; R=$1; shift
		mount -t overlay overlay -o "lowerdir=/,upperdir=$1,workdir=$2" "$R"; shift 2
		mount --bind "$1" "$R/in"; mount -o remount,bind,ro "$R/in"
		mount --bind "$2" "$R/out"; shift 2
		mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
		mount -o remount,ro "$R"
		cd "$R"; mkdir -p old_root 2>/dev/null || true
		pivot_root . old_root; umount -l /old_root; cd /; unset OLDPWD PWD
		exec setpriv --reuid 65532 --regid 65532 --clear-groups --inh-caps=-all --bounding-set=-all "$@"' \
			sh "$R" "$up" "$wk" "$P1_IN" "$P1_OUT" "$TKI_STATIC" "$@"
	}
	p1_dirs
	j=$(hostroot selfcheck 2>"$WORK/hr.err"); rc=$?
	p1_dirs
	err=$(hostroot inspect 2>&1 >/dev/null); irc=$?
	got=$(p1_failed "$j" | tr '\n' ' ')
	if [ $rc -eq 3 ] && [ $irc -eq 3 ] && [ "$got" = "root " ] &&
		grep -q '^BLOCKED: root: .*/usr: directory that is not a mount point' <<<"$err" &&
		[ -z "$(ls -A "$P1_OUT")" ]; then
		tap_ok "$d #1"
	else
		tap_fail "$d #1" "selfcheck exit $rc, inspect exit $irc, failed [$got], want [root ]" "$err" "$(cat "$WORK/hr.err")"
	fi
fi

# Descriptors: a root-only file on fd 5 and /etc on fd 6, opened by the
# caller. Found, closed before the packet is read, named in the JSON.
echo "root only $RANDOM" >"$WORK/root-only"; chmod 0600 "$WORK/root-only"
fds_ok() { # DESC JSON: fds ok, and 5 and 6 named as closed (or none inherited)
	local d=$1 j=$2 want=$3 o
	o=$(jq -r '.invariants[] | select(.name == "fds") | "\(.ok) \(.observed)"' <<<"$j")
	if [[ $o == "true "* ]] && [[ $o == *"$want"* ]] && [ "$(jq -r .verdict <<<"$j")" = OK ]; then
		tap_ok "$d #1"
	else
		tap_fail "$d #1" "fds: '$o', want ok and '$want'" "verdict: $(jq -r .verdict <<<"$j" 2>&1)"
	fi
}
d="bwrap (scripts/run-bwrap) given fd 5 (a root-only file) and fd 6 (/etc): both closed before the packet is read, named"
if ! have_bwrap || [ ! -x "$TKI_STATIC" ]; then tap_skip "$d #1" "${BWRAP_SKIP:-no $TKI_STATIC}"
else
	p1_dirs
	j=$("$ROOT/scripts/run-bwrap" "$P1_IN" "$P1_OUT" -- selfcheck 5<"$WORK/root-only" 6</etc 2>/dev/null)
	fds_ok "$d" "$j" "inherited and closed before the packet is read: 5 -> $WORK/root-only, 6 -> /etc"
fi
d="--self-sandbox given fd 5 and fd 6: none reaches the worker"
p1_dirs
j=$("$TKI" selfcheck --self-sandbox 5<"$WORK/root-only" 6</etc 2>/dev/null)
fds_ok "$d" "$j" "none inherited beyond 0-2"
