#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #3: a secret-like env key -> exit 3, the key named, its value never printed.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../p1.bash"
new_work

# check_value KEY VALUE: the key is named, the value appears nowhere.
check_value() {
	local key=$1 value=$2 d=$3
	if ! grep -q "^BLOCKED: env: .*$key (secret-like" <<<"$P1_LAST_ERR"; then
		tap_fail "$d: key named #3" "$P1_LAST_ERR"
	elif grep -qF "$value" <<<"$P1_LAST_ERR$P1_LAST_OUT$P1_LAST_JSON"; then
		tap_fail "$d: value printed #3" "the value $value appeared in the output"
	else
		tap_ok "$d: $key named in stderr and JSON, its value in neither stdout nor stderr #3"
	fi
}

v=s3cr3tvalue$RANDOM$RANDOM
d="bwrap --setenv GITHUB_TOKEN: exit 3, env invariant"
if ! p1_have_bwrap; then tap_skip "$d #3" "$P1_SKIP"; tap_skip "$d: value never printed #3" "$P1_SKIP"
else
	p1_variant 3 "$d" env bwrap "--setenv GITHUB_TOKEN $v"
	check_value GITHUB_TOKEN "$v" "bwrap GITHUB_TOKEN"
	p1_variant 3 "bwrap --setenv AWS_SECRET_ACCESS_KEY: exit 3, env invariant" env bwrap "--setenv AWS_SECRET_ACCESS_KEY $v"
	check_value AWS_SECRET_ACCESS_KEY "$v" "bwrap AWS_SECRET_ACCESS_KEY"
fi

d="docker -e GITHUB_TOKEN=...: exit 3, env invariant"
if ! p1_have_docker; then tap_skip "$d #3" "$P1_SKIP"; tap_skip "$d: value never printed #3" "$P1_SKIP"
else
	p1_variant 3 "$d" env docker "-e GITHUB_TOKEN=$v"
	check_value GITHUB_TOKEN "$v" "docker GITHUB_TOKEN"
fi
