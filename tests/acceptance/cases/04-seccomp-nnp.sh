#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #4: seccomp not in filter mode, or no_new_privs unset -> exit 3.
#
# Honest scope: once the own layer (sandbox branch) loads its filter and
# sets no_new_privs in every venue, neither failure can be produced end to
# end any more without breaking the own layer itself (which then fails
# closed on its own). The judges are unit-tested (test_live_judges); here:
#  (a) every venue reports both invariants from prctl, and ok agrees with
#      the value;
#  (b) a Docker run with its seccomp profile off (seccomp=unconfined) or
#      without no-new-privileges really fails the invariant, while the own
#      layer does not cover it; once it does, the line is a SKIP that says so.
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
	tap_skip "docker seccomp=unconfined: exit 3, seccomp named #4" "$P1_SKIP"
	tap_skip "docker without no-new-privileges: exit 3, no_new_privs named #4" "$P1_SKIP"
else
	p1_dirs
	reported docker "$(p1_docker -- selfcheck 2>/dev/null)"

	d="docker --security-opt seccomp=unconfined: exit 3, seccomp named"
	p1_dirs
	j=$(p1_docker --security-opt seccomp=unconfined -- selfcheck 2>/dev/null)
	if jq -e '.invariants[] | select(.name == "seccomp") | .observed | test("own filter not loaded")' <<<"$j" >/dev/null; then
		p1_variant 4 "$d" seccomp docker "--security-opt seccomp=unconfined"
		grep -q '^BLOCKED: seccomp: prctl(PR_GET_SECCOMP)=0 ' <<<"$P1_LAST_ERR" ||
			tap_fail "$d: mode 0 named #4" "$P1_LAST_ERR"
	else
		tap_skip "$d #4" "the own layer loads its filter in every venue; not-filter-mode is unit-tested only"
	fi

	d="docker without --security-opt no-new-privileges: exit 3, no_new_privs named"
	p1_dirs
	j=$(p1_docker no-nnp -- selfcheck 2>/dev/null)
	if jq -e '.invariants[] | select(.name == "no_new_privs") | .observed | test("own layer did not set it")' <<<"$j" >/dev/null; then
		p1_variant 4 "$d" no_new_privs docker "no-nnp"
		grep -q '^BLOCKED: no_new_privs: prctl(PR_GET_NO_NEW_PRIVS)=0' <<<"$P1_LAST_ERR" ||
			tap_fail "$d: value named #4" "$P1_LAST_ERR"
	else
		tap_skip "$d #4" "the own layer sets no_new_privs in every venue; unset is unit-tested only"
	fi
fi
