#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #21 (and the guard's part of #31): report names cannot leave the output
# dir. At the API, names with "/", "..", a leading "." or a NUL are BLOCKED
# (unit test); end to end, a symlink planted in the output dir under the
# report's name is replaced, never followed: the file it points at is intact.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
ut=${TKI_UNIT_DIR:-$ROOT/build/tests}/test_guard # built by make acceptance
if [ -x "$ut" ] && out=$("$ut" 2>&1) && grep -q '^\[       OK \] report_names' <<<"$out" && grep -q '^\[       OK \] planted_symlink_replaced' <<<"$out"; then
	tap_ok "guard API: escaping report names refused BLOCKED (exit 3), nothing written #21"
else
	tap_fail "guard API: escaping report names refused BLOCKED (exit 3), nothing written #21" "$(grep -A3 -E 'report_names|planted' <<<"${out:-not built}")"
fi
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	echo SENTINEL >"$WORK/$v-sentinel"; chmod 666 "$WORK/$v-sentinel"
	p=$WORK/$v-pk; mkpacket "$p"; cp "$FIX/hostile/bad-status.json" "$p/packet.json"
	o=$WORK/$v-out; mkdir -p "$o"; chmod 777 "$o"
	for f in report.json report.md report.sarif; do ln -s "$WORK/$v-sentinel" "$o/$f"; done
	run_in "$v" "$p" "$o"
	if [ "$(cat "$WORK/$v-sentinel")" = SENTINEL ] && [ "$RC" -eq 2 ] && [ -f "$o/report.json" ] && [ ! -L "$o/report.json" ]; then
		tap_ok "symlinks planted as report names: replaced by the report, target untouched [$v] #21"
	else
		tap_fail "symlinks planted as report names: replaced by the report, target untouched [$v] #21" "rc=$RC sentinel=$(cat "$WORK/$v-sentinel")" "$(ls -la "$o")" "$ERR"
	fi
done
skip_venues "planted symlink #21"
