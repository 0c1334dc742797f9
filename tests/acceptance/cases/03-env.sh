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

# Values of allowed keys must look like what the key means; a secret put
# there is named by its key and never printed. LC_DATABASE is no locale
# category at all; LC_ALL and TERM are, with a value that is no locale /
# no terminal name.
# check_shape DESC KEY VALUE WANT: stderr names KEY with WANT; VALUE nowhere.
check_shape() {
	local d=$1 key=$2 value=$3 want=$4
	if ! grep -qF "$key ($want" <<<"$P1_LAST_ERR"; then
		tap_fail "$d: key named #3" "want '$key ($want' in:" "$P1_LAST_ERR"
	elif grep -qF "$value" <<<"$P1_LAST_ERR$P1_LAST_OUT$P1_LAST_JSON"; then
		tap_fail "$d: value printed #3" "the value appeared in the output"
	else
		tap_ok "$d: $key named, its value in neither stdout nor stderr #3"
	fi
}
url=postgres://admin:pw@db/prod$RANDOM
tok=ghp_$RANDOM${RANDOM}AbCdEfGhIjKlMnOpQrStUvWxYz0123
if ! p1_have_bwrap; then
	for k in LC_DATABASE LC_ALL TERM; do tap_skip "bwrap --setenv $k with a secret value: exit 3 #3" "$P1_SKIP"; done
else
	p1_variant 3 "bwrap --setenv LC_DATABASE postgres://...: exit 3, env invariant" env bwrap "--setenv LC_DATABASE $url"
	check_shape "bwrap LC_DATABASE" LC_DATABASE "$url" "not on the allowlist"
	p1_variant 3 "bwrap --setenv LC_ALL postgres://...: exit 3, env invariant" env bwrap "--setenv LC_ALL $url"
	check_shape "bwrap LC_ALL" LC_ALL "$url" "value does not look like a locale; value not shown"
	p1_variant 3 "bwrap --setenv TERM ghp_...: exit 3, env invariant" env bwrap "--setenv TERM $tok"
	check_shape "bwrap TERM" TERM "$tok" "value does not look like a terminal name; value not shown"
fi
if ! p1_have_docker; then
	for k in LC_DATABASE TERM; do tap_skip "docker -e $k with a secret value: exit 3 #3" "$P1_SKIP"; done
else
	p1_variant 3 "docker -e LC_DATABASE=postgres://...: exit 3, env invariant" env docker "-e LC_DATABASE=$url"
	check_shape "docker LC_DATABASE" LC_DATABASE "$url" "not on the allowlist"
	p1_variant 3 "docker -e TERM=ghp_...: exit 3, env invariant" env docker "-e TERM=$tok"
	check_shape "docker TERM" TERM "$tok" "value does not look like a terminal name; value not shown"
	p1_variant 3 "docker -e PATH=/bin:postgres://...: exit 3, env invariant" env docker "-e PATH=/bin:$url"
	check_shape "docker PATH" PATH "$url" "value does not look like a list of plain directories; value not shown"
fi
