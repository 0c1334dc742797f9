#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #35: the build-time import check. Clean tree passes; a deliberately bad
# object (tests/imports/bad.c, calls system()) fails `make`; a dynamic
# import and an unlisted static residual fail the check too.
. "$ROOT/tests/acceptance/lib.sh"
new_work
CHECK=$ROOT/scripts/check-imports
RES=$ROOT/scripts/static-residuals.txt
PKGS="libseccomp libcap-ng jansson nettle"

tap_check "own objects reference no network/exec/dlopen entry point #35" \
	"$CHECK" objects "$ROOT"/build/obj/*.o
tap_check "dynamic binary imports no network/exec/dlopen entry point #35" \
	"$CHECK" dynamic "$TKI"

# make with the bad object in src/: must fail, name the symbol, leave no binary.
tree=$WORK/tree
mkdir -p "$tree"
cp -a "$ROOT"/Makefile "$ROOT"/mk "$ROOT"/src "$ROOT"/include "$ROOT"/scripts "$ROOT"/seccomp "$tree"/
[ -d "$ROOT/build/obj" ] && mkdir -p "$tree/build" && cp -a "$ROOT/build/obj" "$tree/build/" # reuse objects: fast
cp "$ROOT/tests/imports/bad.c" "$tree/src/zz_bad_import.c"
out=$(make -C "$tree" tki-inspector 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "zz_bad_import.o references system" <<<"$out" && [ ! -e "$tree/tki-inspector" ]; then
	tap_ok "make fails on an object that references system(), names it, leaves no binary #35"
else
	tap_fail "make fails on an object that references system(), names it, leaves no binary #35" "make rc=$rc" "$(tail -5 <<<"$out")"
fi
# and succeeds again once the object is gone (the check is what failed)
rm -f "$tree/src/zz_bad_import.c" "$tree/build/obj/zz_bad_import."*
tap_check "the same tree without the bad object builds #35" make -C "$tree" tki-inspector

cc -shared -fPIC -o "$WORK/bad-dyn" "$ROOT/tests/imports/bad.c"
out=$("$CHECK" dynamic "$WORK/bad-dyn" 2>&1)
if [ $? -ne 0 ] && grep -q "imports system" <<<"$out"; then
	tap_ok "dynamic check fails on a binary importing system #35"
else
	tap_fail "dynamic check fails on a binary importing system #35" "$out"
fi

# Static, through the real `make static` rule (check between link and strip).
if [ -n "$(ls "$ROOT"/build/static/*.o 2>/dev/null)" ]; then
	cp -a "$ROOT/build/static" "$tree/build/"
	rm -f "$tree/build/static/tki-inspector"
	out=$(make -C "$tree" build/static/tki-inspector 2>&1); rc=$?
	if [ $rc -eq 0 ] && file "$tree/build/static/tki-inspector" | grep -q stripped; then
		tap_ok "make static: every residual of the static binary is listed with its origin #35"
	else
		tap_fail "make static: every residual of the static binary is listed with its origin #35" "$(tail -5 <<<"$out")"
	fi
	grep -v '^dlopen:' "$RES" >"$tree/scripts/static-residuals.txt"
	out=$(make -C "$tree" build/static/tki-inspector 2>&1); rc=$?
	if [ $rc -ne 0 ] && grep -q "contains .*dlopen (forbidden: dlopen), not listed" <<<"$out" &&
		[ ! -e "$tree/build/static/tki-inspector" ]; then
		tap_ok "make static fails on an unlisted residual (dlopen removed from the list) #35"
	else
		tap_fail "make static fails on an unlisted residual (dlopen removed from the list) #35" "rc=$rc" "$(tail -5 <<<"$out")"
	fi
else
	tap_skip "static residuals listed #35" "no static objects: run make static"
fi
