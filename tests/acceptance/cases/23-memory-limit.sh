#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #23 (issue 16): the container's memory limit is what the heaviest
# admissible packets need, and they get their verdict under it. The
# manifest is read one item at a time and the reports are streamed, so the
# peak is the largest single JSON value the caps admit: a million objects
# (TKI_MAX_JSON_OBJECTS) measured 231 MB peak RSS, five million values 208
# MB, 250,000 evidence items 182 MB, 250,000 claims 105 MB
# (docs/performance.md). scripts/run-container runs with --memory 256m
# --memory-swap 256m; selfcheck inside shows the cgroup limit, then each
# packet at its cap is inspected there: its documented exit code and a
# report.json with the verdict, never an OOM kill (exit 137). So does a
# manifest at a cap whose "evidence" key is escaped, or one that is
# invalid at its very end (garbage after the
# root, a missing ':' in the last item) or one item over the cap: the
# REJECTED report with the error where the whole parse puts it (the valid
# items before the error are kept out of jansson's tree; before issue 16
# each of these needed about 490 MB).
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

# The 250,000-evidence packet made invalid at its end, and one item over.
pk=$WORK/pk-ev; python3 "$ROOT/tests/hostile/gen.py" evidence "$pk" 0 || tap_fail "evidence: gen.py failed"
python3 "$ROOT/tests/hostile/gen.py" evidence "$WORK/pk-over" 1 || tap_fail "evidence + 1: gen.py failed"
chmod -R a+rX "$pk" "$WORK/pk-over"
cp "$pk/packet.json" "$WORK/valid.json"
size=$(stat -c %s "$WORK/valid.json")
for c in escaped garbage colon over; do
	want=2 verdict=REJECTED
	case $c in
	escaped) sed 's/"evidence":\[{/"evid\\u0065nce":[{/' "$WORK/valid.json" >"$pk/packet.json"
		want=1 verdict=INADEQUATE desc="its evidence key escaped (\\u0065, the same key to jansson)"; re='' ;;
	garbage) { cat "$WORK/valid.json"; printf ' x'; } >"$pk/packet.json"
		desc="garbage after the root"; re="^packet\.json:1:$((size + 2)): error: end of file expected near 'x'" ;;
	colon) python3 - "$WORK/valid.json" "$pk/packet.json" <<'PY'
import sys
s = open(sys.argv[1], "rb").read(); i = s.rindex(b'"kind":')
open(sys.argv[2], "wb").write(s[:i] + b'"kind" ' + s[i + 7:])
PY
		desc="':' missing in the last item"; re="^packet\.json:1:[0-9]+: error: ':' expected near '\"prose\"'" ;;
	over) rm -rf "$pk"; pk=$WORK/pk-over
		desc="one item over TKI_MAX_EVIDENCE"; re='^packet\.json: evidence: error: 250001 evidence items, over the limit of 250000 \(TKI_MAX_EVIDENCE\)' ;;
	esac
	o=$WORK/o-$c
	TIMEOUT=300 run_in docker "$pk" "$o"
	got=$(jq -r .verdict "$o/report.json" 2>/dev/null)
	d="evidence-cap packet, $desc, in docker at --memory 256m: exit $want, $verdict${re:+, the error where the whole parse puts it} #23"
	if [ "$RC" -eq "$want" ] && [ "$got" = "$verdict" ] && grep -qE -- "$re" <<<"$ERR"; then
		tap_ok "$d"
	else
		tap_fail "$d" "exit $RC (137: killed by the memory limit), verdict ${got:-none}; want /$re/" "$(head -c 1000 <<<"$ERR")"
	fi
	rm -rf "$o"
done

# 250,000 claims and no evidence member: the missing array is named, the
# claims still read one at a time (359 MB before: killed at 256m).
pk=$WORK/pk-noev; python3 "$ROOT/tests/hostile/gen.py" claims "$pk" 0 || tap_fail "claims: gen.py failed"
python3 - "$pk/packet.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); del m["evidence"]
json.dump(m, open(sys.argv[1], "w"), separators=(",", ":"))
PY
chmod -R a+rX "$pk"
TIMEOUT=300 run_in docker "$pk" "$WORK/o-noev"
got=$(jq -r .verdict "$WORK/o-noev/report.json" 2>/dev/null)
d="250,000 claims and no evidence member, in docker at --memory 256m: exit 2, REJECTED naming evidence #23"
if [ "$RC" -eq 2 ] && [ "$got" = REJECTED ] && grep -q 'packet.json: evidence: error: missing (required array)' <<<"$ERR"; then
	tap_ok "$d"
else
	tap_fail "$d" "exit $RC (137: killed by the memory limit), verdict ${got:-none}" "$(head -c 1000 <<<"$ERR")"
fi
