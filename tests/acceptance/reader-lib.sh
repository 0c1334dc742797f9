# SPDX-License-Identifier: Apache-2.0
# Helpers for the reader and guard cases (09-22): build packets in $WORK and
# run the inspector on them in a venue, with a timeout so that a hang fails.
RUN_DATE=2026-06-11

# mkpacket DIR: a valid packet (one artifact, its real digest) to vary. Its
# claim is a test claim: an artifact's asserts can carry a test, not a
# sandbox wall (docs/packet-format.md, "Evidence binding").
mkpacket() {
	local d=$1
	mkdir -p "$d/artifacts"
	printf 'PR-NET-1 PASS\n' >"$d/artifacts/net-probe.txt"
	local sha
	sha=$(sha256sum "$d/artifacts/net-probe.txt" | cut -d' ' -f1)
	cat >"$d/packet.json" <<EOT
{
  "schema": "tki-packet/v1",
  "packet_id": "ACC-READER",
  "created_at": "2026-06-10T12:00:00Z",
  "claims": [
    {"id": "C1", "category": "test", "statement": "no egress", "status": "PASS", "evidence": ["E1"]}
  ],
  "evidence": [
    {"id": "E1", "kind": "artifact", "path": "artifacts/net-probe.txt", "sha256": "$sha",
     "provenance": {"producer": "ci", "venue": "CI", "captured_at": "2026-06-10T11:58:00Z"},
     "assert": [{"op": "contains", "value": "PR-NET-1 PASS"}]}
  ]
}
EOT
	chmod -R a+rX "$d"
}

# set_path DIR PATH_JSON: point E1 at another path (a JSON string literal).
set_path() {
	python3 - "$1/packet.json" "$2" <<'PY'
import sys
f, new = sys.argv[1], sys.argv[2]
s = open(f, encoding='utf-8').read().replace('"path": "artifacts/net-probe.txt"', '"path": ' + new)
open(f, 'w', encoding='utf-8').write(s)
PY
}

# run_in VENUE IN OUT [ARGS...]: sets RC, ERR (stderr), OUTP (stdout).
# A run longer than 60 s is a hang (rc 124).
run_in() {
	local venue=$1 in=$2 out=$3; shift 3
	mkdir -p "$out"; chmod 0777 "$out"
	local ef of
	ef=$(mktemp "$WORK/err.XXXXXX"); of=$(mktemp "$WORK/out.XXXXXX")
	TIMEOUT=${TIMEOUT:-60}
	export -f tki_in 2>/dev/null
	timeout "$TIMEOUT" bash -c '. "$ROOT/tests/acceptance/lib.sh"; tki_in "$@"' _ "$venue" inspect "$in" "$out" --run-date "$RUN_DATE" "$@" >"$of" 2>"$ef"
	RC=$?
	ERR=$(cat "$ef"); OUTP=$(cat "$of")
}

# expect DESC WANT_RC REGEX...: ok when RC is WANT_RC and stderr matches every regex.
expect() {
	local desc=$1 want=$2; shift 2
	local r
	if [ "$RC" -ne "$want" ]; then tap_fail "$desc" "exit $RC, want $want" "$ERR"; return 1; fi
	for r in "$@"; do
		if ! grep -qE -- "$r" <<<"$ERR"; then tap_fail "$desc" "stderr does not match: $r" "$ERR"; return 1; fi
	done
	tap_ok "$desc"
}

# report_says OUT REGEX: some report file in OUT matches.
report_says() {
	grep -qsE -- "$2" "$1"/report.json "$1"/report.md 2>/dev/null
}

skip_venues() {
	local s
	for s in "${VENUE_SKIPS[@]}"; do tap_skip "$1 [${s%%:*}]" "${s#*: }"; done
}
