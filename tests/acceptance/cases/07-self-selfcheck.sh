#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #7 in the self venue: `selfcheck --self-sandbox` exits 0 with every
# invariant ok, as root (in a private 0700 root-owned dir, which needs the
# idmapped mounts) and as an unprivileged user (nobody, via setpriv).
set -u
. "$(dirname "$0")/../lib.sh"
new_work

# check_selfcheck WHO RC JSONFILE ERRFILE
check_selfcheck() {
	local who=$1 rc=$2 json=$3 err=$4 desc="self($1): selfcheck --self-sandbox exits 0 with every invariant ok #7"
	if [ "$rc" = 0 ] && jq -e '.verdict == "OK" and (.invariants | length > 0) and all(.invariants[]; .ok == true)' "$json" >/dev/null 2>&1; then
		tap_ok "$desc ($(jq -r '.invariants | length' "$json") invariants)"
	else
		tap_fail "$desc" "exit $rc" "$(jq -c '.invariants[]? | select(.ok != true)' "$json" 2>/dev/null || cat "$json")" "$(head -c 2000 "$err")"
	fi
}

if [ "$(id -u)" = 0 ]; then
	D=$(mktemp -d "$WORK/root.XXXXXX") # 0700, root-owned: the hard case
	mkdir -m 0700 "$D/in"; mkdir -m 0755 "$D/out"
	"$TKI" selfcheck --self-sandbox --in "$D/in" --out "$D/out" >"$D/json" 2>"$D/err"; rc=$?
	check_selfcheck root "$rc" "$D/json" "$D/err"
else
	tap_skip "self(root): selfcheck --self-sandbox #7" "$(venue_skip 'self(root)' "not running as root")"
fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	D=$(mktemp -d "$WORK/user.XXXXXX"); chmod 0755 "$D"
	mkdir -m 0700 "$D/in"; mkdir -m 0755 "$D/out"; chown nobody:nogroup "$D/in" "$D/out"
	cp "$TKI" "$D/tki-inspector"; chmod 0755 "$D/tki-inspector"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$D/tki-inspector" selfcheck --self-sandbox --in "$D/in" --out "$D/out" >"$D/json" 2>"$D/err"; rc=$?
	check_selfcheck user "$rc" "$D/json" "$D/err"
elif [ "$(id -u)" != 0 ]; then
	D=$(mktemp -d "$WORK/user.XXXXXX"); mkdir "$D/in" "$D/out"
	"$TKI" selfcheck --self-sandbox --in "$D/in" --out "$D/out" >"$D/json" 2>"$D/err"; rc=$?
	check_selfcheck user "$rc" "$D/json" "$D/err"
else
	tap_skip "self(user): selfcheck --self-sandbox #7" "setpriv not installed"
fi
exit 0
