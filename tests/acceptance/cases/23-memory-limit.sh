#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #23 (issue 16): the container's memory limit is what the heaviest
# admissible packets need, and they get their verdict under it. The
# manifest is read one item at a time and the reports are streamed, so the
# peak is the largest single JSON value the caps admit: a million objects
# (TKI_MAX_JSON_OBJECTS) measured 234 MB peak RSS, five million values 218
# MB, 250,000 evidence items 182 MB, 250,000 claims 105 MB
# (docs/performance.md). scripts/run-container runs with --memory 256m
# --memory-swap 256m; selfcheck inside shows the cgroup limit, then each
# packet at its cap is inspected there: its documented exit code and a
# report.json with the verdict, never an OOM kill (exit 137).
# The packets (10-52 MB manifests) are generated here, in $WORK.
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
if ! have_docker; then tap_skip "heaviest admissible packets at the container's memory limit [docker] #23" "${DOCKER_SKIP#venue docker cannot start: }"; exit 0; fi

d="selfcheck in the container: memory cgroup limit 256 MiB (memory=268435456) #23"
mkpacket "$WORK/sc-in"; mkdir -p "$WORK/sc-out"; chmod 777 "$WORK/sc-out"
sc=$(tki_in docker selfcheck "$WORK/sc-in" "$WORK/sc-out" 2>&1)
if grep -q 'memory=268435456' <<<"$sc"; then tap_ok "$d"; else tap_fail "$d" "$(head -c 1500 <<<"$sc")"; fi

# kind EXIT VERDICT: tests/hostile/gen.py's packet at that cap.
for c in "objects 0 ADEQUATE" "values 0 ADEQUATE" "evidence 1 INADEQUATE"; do
	read -r kind want verdict <<<"$c"
	pk=$WORK/pk-$kind; o=$WORK/o-$kind
	python3 "$ROOT/tests/hostile/gen.py" "$kind" "$pk" 0 || { tap_fail "$kind: gen.py failed"; continue; }
	chmod -R a+rX "$pk"
	TIMEOUT=300 run_in docker "$pk" "$o"
	got=$(jq -r .verdict "$o/report.json" 2>/dev/null)
	d="packet at the $kind cap ($(( $(stat -c %s "$pk/packet.json") >> 20 )) MiB manifest) in docker at --memory 256m: exit $want, $verdict #23"
	if [ "$RC" -eq "$want" ] && [ "$got" = "$verdict" ]; then
		tap_ok "$d"
	else
		tap_fail "$d" "exit $RC (137: killed by the memory limit), verdict ${got:-none}" "$(head -c 1000 <<<"$ERR")"
	fi
	rm -rf "$pk" "$o"
done
