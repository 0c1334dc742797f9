#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# In-toto and SLSA output, checked against the specifications' own text
# (fixtures/specs/, required fields read by tests/tools/check_intoto.py)
# and by an independent verifier (Debian's python3-securesystemslib):
#   #45  the envelope scripts/attest-sign makes: an in-toto Statement v1 of
#        our predicateType, and its signature (ECDSA P-256 and Ed25519, made
#        by openssl) verifies outside our C code too;
#   #8   --format vsa: report.vsa.json is an in-toto Statement with the SLSA
#        VSA v1 predicate about packet.json (PASSED / FAILED, a REJECTED
#        packet included), never written unless asked for;
#   #44  report.vsa.json is byte-identical across runs.
. "$(dirname "$0")/../lib.sh"
new_work

RUN_DATE=2026-06-10
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CHECK=("$PY" "$ROOT/tests/tools/check_intoto.py")
VSA_SPEC=$ROOT/fixtures/specs/slsa-verification-summary-v1.md
OURS=https://tki-inspector.dev/attestation/sandbox/v1

K=$WORK/keys
test_keys "$K"

STMT=$WORK/statement.json
allpass_statement "$STMT"

for k in ec ed; do
	"$ROOT/scripts/attest-sign" --key "$K/$k.pem" "$STMT" >"$WORK/$k.env"
	out=$("${CHECK[@]}" statement "$WORK/$k.env" --predicate-type "$OURS" 2>&1)
	rc=$?
	vout=$("${CHECK[@]}" dsse "$WORK/$k.env" "$K/$k.pub" 2>&1)
	vrc=$?
	other=$([ $k = ec ] && echo ed || echo ec)
	"${CHECK[@]}" dsse "$WORK/$k.env" "$K/$other.pub" >/dev/null 2>&1
	wrc=$?
	if [ $vrc -eq 77 ]; then
		tap_skip "scripts/attest-sign ($k): signature checked by securesystemslib #45" "$vout"
	elif [ $rc -eq 0 ] && [ $vrc -eq 0 ] && [ $wrc -eq 1 ]; then
		tap_ok "scripts/attest-sign ($k): in-toto Statement v1 per statement.md; securesystemslib verifies the DSSE signature, refuses another key #45"
	else
		tap_fail "scripts/attest-sign ($k): Statement rules and independent DSSE verification #45" \
			"statement: $rc $out" "dsse: $vrc $vout" "other key: $wrc"
	fi
done

# A signed, adequate attestation packet.
pk=$WORK/packet
mkdir -p "$pk"
cp "$WORK/ed.env" "$pk/bundle.intoto.json"
jq --arg sha "$(sha256sum "$pk/bundle.intoto.json" | cut -d' ' -f1)" \
	'.evidence[0].path = "bundle.intoto.json" | .evidence[0].sha256 = $sha' \
	"$FIX/attest/all-pass/packet.json" >"$pk/packet.json"

# vsa_case NAME DIR WANT_RESULT [ARGS...]: inspect DIR with --format vsa.
vsa_case() {
	local name=$1 dir=$2 want=$3 o=$WORK/out-$1
	shift 3
	mkdir -p "$o"
	local rc=0 log
	log=$("$TKI" inspect --self-sandbox --in "$dir" --out "$o" --run-date "$RUN_DATE" \
		--format json,vsa "$@" 2>&1) || rc=$?
	local v=$o/report.vsa.json sha
	sha=$(jq -r .manifest_sha256 "$o/report.json" 2>/dev/null)
	local errs
	errs=$("${CHECK[@]}" statement "$v" --predicate-type https://slsa.dev/verification_summary/v1 \
		--predicate-spec "$VSA_SPEC" 2>&1)
	if [ -n "$sha" ] && [ "$sha" != null ] && [ -z "$errs" ] &&
	   jq -e --arg sha "$sha" --arg want "$want" --arg t "${RUN_DATE}T00:00:00Z" \
		'.subject[0].name == "packet.json" and .subject[0].digest.sha256 == $sha and
		 .predicate.verificationResult == $want and .predicate.timeVerified == $t' "$v" >/dev/null; then
		tap_ok "--format vsa, $name packet (exit $rc): SLSA VSA v1 per the spec's required fields, $want, subject packet.json $sha #8"
	else
		tap_fail "--format vsa, $name packet: VSA Statement, $want #8" "exit $rc" "$errs" "$log" \
			"$(head -c 800 "$v" 2>/dev/null)"
	fi
	VSA=$v
}

vsa_case attested "$pk" PASSED --trust-key "$K/ed.pub"
if jq -e --arg d "$(sha256sum "$pk/bundle.intoto.json" | cut -d' ' -f1)" \
	'(.predicate.inputAttestations | any(.digest.sha256 == $d)) and
	 (.predicate.verifiedLevels | index("TKI_SANDBOX_B4_ATTESTED"))' "$VSA" >/dev/null; then
	tap_ok "--format vsa: inputAttestations name the signed envelope by digest; verifiedLevels has TKI_SANDBOX_B4_ATTESTED #8"
else
	tap_fail "--format vsa: inputAttestations and verifiedLevels of an attested packet #8" "$(cat "$VSA")"
fi
first=$VSA

vsa_case untrusted "$pk" FAILED
jq -e '.predicate.verifiedLevels == ["FAILED"]' "$VSA" >/dev/null &&
	tap_ok "--format vsa: the same packet without --trust-key is FAILED, verifiedLevels [\"FAILED\"] #8" ||
	tap_fail "--format vsa: untrusted bundle FAILED #8" "$(cat "$VSA")"
vsa_case contradicted "$FIX/packets/contradicted" FAILED
bad=$WORK/rejected
mkdir -p "$bad"
printf '{"schema": "tki-packet/v1", "claims": [' >"$bad/packet.json"
vsa_case rejected "$bad" FAILED

# Determinism: the same packet and run date give the same bytes.
o2=$WORK/again
mkdir -p "$o2"
"$TKI" inspect --self-sandbox --in "$pk" --out "$o2" --run-date "$RUN_DATE" --format vsa \
	--trust-key "$K/ed.pub" >/dev/null 2>&1
if cmp -s "$first" "$o2/report.vsa.json"; then
	tap_ok "report.vsa.json byte-identical across two runs #44"
else
	tap_fail "report.vsa.json byte-identical across two runs #44" "$(diff "$first" "$o2/report.vsa.json" | head)"
fi

# Not asked for, not written.
o3=$WORK/default
mkdir -p "$o3"
"$TKI" inspect --self-sandbox --in "$pk" --out "$o3" --run-date "$RUN_DATE" >/dev/null 2>&1
if [ -s "$o3/report.json" ] && [ ! -e "$o3/report.vsa.json" ]; then
	tap_ok "default --format (md,json,sarif) writes no report.vsa.json #8"
else
	tap_fail "default --format writes no report.vsa.json #8" "$(ls "$o3")"
fi
