#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #4: seccomp not in filter mode, or no_new_privs unset -> exit 3.
#
# The own layer loads its filter and sets no_new_privs in every venue, so
# a venue alone cannot produce either failure; 04-own-layer-refused.sh
# makes the step itself fail (exit 3). The judges are unit-tested
# (test_live_judges); here:
#  (a) every venue reports both invariants from prctl, and ok agrees with
#      the value;
#  (b) a Docker run with its seccomp profile off (seccomp=unconfined) or
#      without no-new-privileges: the own layer's filter and no_new_privs
#      are still in force, as prctl shows (these lines fail when the own
#      layer skips or only claims a step; they never SKIP where docker runs).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

# reported VENUE_DESC JSON: both invariants present, from prctl, ok == value.
reported() {
	local d=$1 j=$2 problems=()
	local so sk no nk
	so=$(jq -r '.invariants[] | select(.name == "seccomp") | .observed' <<<"$j")
	sk=$(jq -r '.invariants[] | select(.name == "seccomp") | .ok' <<<"$j")
	no=$(jq -r '.invariants[] | select(.name == "no_new_privs") | .observed' <<<"$j")
	nk=$(jq -r '.invariants[] | select(.name == "no_new_privs") | .ok' <<<"$j")
	[[ $so =~ ^prctl\(PR_GET_SECCOMP\)=(-?[0-9]+) ]] || problems+=("seccomp observed: '$so'")
	local sv=${BASH_REMATCH[1]:-x}
	[[ $no =~ ^prctl\(PR_GET_NO_NEW_PRIVS\)=(-?[0-9]+) ]] || problems+=("no_new_privs observed: '$no'")
	local nv=${BASH_REMATCH[1]:-x}
	[ "$sk" = "$([ "$sv" = 2 ] && echo true || echo false)" ] || problems+=("seccomp ok=$sk for mode $sv")
	[ "$nk" = "$([ "$nv" = 1 ] && echo true || echo false)" ] || problems+=("no_new_privs ok=$nk for value $nv")
	if [ ${#problems[@]} -eq 0 ]; then
		tap_ok "$d: seccomp ($sv) and no_new_privs ($nv) reported from prctl #4"
	else
		tap_fail "$d: seccomp and no_new_privs reported from prctl #4" "${problems[@]}"
	fi
}

if ! p1_have_bwrap; then tap_skip "bwrap: seccomp and no_new_privs reported #4" "$P1_SKIP"
else
	p1_dirs
	reported bwrap "$(p1_bwrap -- selfcheck 2>/dev/null)"
fi

if ! p1_have_docker; then
	tap_skip "docker: seccomp and no_new_privs reported #4" "$P1_SKIP"
	tap_skip "docker seccomp=unconfined: the own filter is in force #4" "$P1_SKIP"
	tap_skip "docker without no-new-privileges: the own layer sets it #4" "$P1_SKIP"
	tap_skip "docker without no-new-privileges: selfcheck OK #4" "$P1_SKIP"
else
	p1_dirs
	reported docker "$(p1_docker -- selfcheck 2>/dev/null)"

	# The venue's own seccomp profile off, or its no-new-privileges off:
	# the own layer must still load its filter and set no_new_privs, and
	# P1 must see them from prctl (a build that skipped either step, or
	# that only claimed it, fails here). The negatives, a venue where the
	# step cannot be done, are 04-own-layer-refused.sh.
	# own_holds DESC JSON INV VALUE-RE OWN-RE
	own_holds() {
		local d=$1 j=$2 inv=$3 re=$4 own=$5 o k
		o=$(jq -r --arg n "$inv" '.invariants[] | select(.name == $n) | .observed' <<<"$j")
		k=$(jq -r --arg n "$inv" '.invariants[] | select(.name == $n) | .ok' <<<"$j")
		if [ "$k" = true ] && [[ $o =~ $re ]] && [[ $o =~ $own ]]; then
			tap_ok "$d #4"
		else
			tap_fail "$d #4" "$inv: ok=$k observed '$o', want /$re/ and /$own/"
		fi
	}
	p1_dirs
	j=$(p1_docker --security-opt seccomp=unconfined -- selfcheck 2>/dev/null)
	own_holds "docker --security-opt seccomp=unconfined: the own layer's filter is in force (PR_GET_SECCOMP=2, own allowlist)" \
		"$j" seccomp '^prctl\(PR_GET_SECCOMP\)=2 \(filter\); allowlist' 'allow rules'
	p1_dirs
	j=$(p1_docker no-nnp -- selfcheck 2>/dev/null)
	own_holds "docker without --security-opt no-new-privileges: the own layer sets it (PR_GET_NO_NEW_PRIVS=1)" \
		"$j" no_new_privs '^prctl\(PR_GET_NO_NEW_PRIVS\)=1' 'own layer set it'
	# Either way the whole verdict is OK: nothing else depended on the venue's step.
	[ "$(jq -r .verdict <<<"$j")" = OK ] && tap_ok "docker without no-new-privileges: selfcheck OK #4" ||
		tap_fail "docker without no-new-privileges: selfcheck OK #4" "$(p1_failed "$j" | tr '\n' ' ')"
fi
