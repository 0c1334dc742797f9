#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #30 (issue 18, review): a worker taken over by its packet (the TEST-ONLY
# hook, tests/hooks/batch_hooks.c, "procfd SIBLING") tries to reach a
# sibling's packet.json through the batch parent's descriptors, the batch
# dir and the output dir it holds open, by /proc/PID/fd/N/SIBLING (magic
# links, every pid 1-64 since getppid() may be refused): refused (EACCES),
# never opened; the sibling is inspected as alone.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
HOOKS=${TKI_HOOKS:-$ROOT/build/tests/tki-inspector-hooks}
d="#30 a taken-over worker cannot open a sibling's packet.json through the batch parent's fds (/proc/PID/fd/N/SIBLING: EACCES)"
if [ ! -x "$HOOKS" ]; then tap_fail "$d" "no $HOOKS (make hooks)"; exit 0; fi
in=$WORK/b; out=$WORK/o; mkdir -p "$in" "$out"
mkpacket "$in/a"; mkpacket "$in/b"
echo "procfd b" >"$in/a/tki-test-hook"; chmod -R a+rX "$in"
"$HOOKS" inspect --batch --self-sandbox --in "$in" --out "$out" --run-date "$RUN_DATE" >"$WORK/stdout" 2>"$WORK/stderr"
rc=$?
hook=$(cat "$out/packets/a/tki-test-hook.txt" 2>/dev/null)
if grep -qx 'procfd EACCES' <<<"$hook" && [ "$rc" = 0 ] && [ -s "$out/packets/b/report.json" ]; then
	tap_ok "$d"
else tap_fail "$d" "exit $rc" "$hook" "$(tail -3 "$WORK/stderr")"; fi
