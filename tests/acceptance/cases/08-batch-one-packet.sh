#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #8 (issue 18, review): inspect --batch with --in naming one packet (its
# packet.json at the top) is a usage error, exit 2, nothing written, with a
# hint; not a batch of its subdirectories (artifacts/ REJECTED, packet.json
# BLOCKED, exit 3), in every shard.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
mkpacket "$WORK/pk"
for shard in "" "--shard 1/3"; do
	out=$WORK/o$RANDOM; mkdir -p "$out"
	# shellcheck disable=SC2086
	"$TKI" inspect --batch $shard --self-sandbox --in "$WORK/pk" --out "$out" --run-date "$RUN_DATE" >"$out.stdout" 2>"$out.stderr"
	rc=$?
	d="#8 inspect --batch ${shard:+$shard }on one packet's directory: usage error (exit 2), the hint names --batch, nothing written"
	if [ "$rc" = 2 ] && grep -q 'holds packet.json: it is one packet' "$out.stderr" && grep -q 'Hint: drop --batch' "$out.stderr" &&
		[ -z "$(ls -A "$out")" ]; then
		tap_ok "$d"
	else tap_fail "$d" "exit $rc" "$(cat "$out.stderr")" "$(ls -A "$out")"; fi
done
