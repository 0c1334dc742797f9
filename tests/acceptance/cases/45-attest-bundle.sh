#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #45: inspect an attestation bundle. The bundle is re-judged from its raw
# observations, not taken at its word, and counts only when a trusted key
# signed it: an all-PASS bundle as an in-toto Statement in a DSSE envelope,
# signed with `openssl pkeyutl` (ECDSA P-256 and Ed25519) and inspected with
# --trust-key -> b4_prime ATTESTED for that venue and image digest; the same
# bundle unsigned, bare, with a flipped payload byte, under another key, with
# another payloadType, or signed over the payload instead of the DSSE PAE ->
# NOT_ATTESTED with the reason; a probe that says PASS while its errno says
# the operation succeeded -> claim CONTRADICTED; a rejected venue
# (Mac-local, docker-desktop) or a missing probe -> NOT_ATTESTED.
. "$(dirname "$0")/../lib.sh"
new_work

RUN_DATE=2026-06-10

# inspect_dir VENUE DIR NAME [PUB...]: inspect packet DIR trusting PUB...;
# sets RC, LOG and REP.
inspect_dir() {
	local v=$1 dir=$2 name=$3 k
	shift 3
	REP=$WORK/$v-$name
	mkdir -p "$REP"
	RC=0
	local trust=() ctrust=()
	for k in "$@"; do trust+=(--trust-key "$k"); ctrust+=(--trust-key "$k"); done
	if [ "$v" = docker ]; then
		LOG=$("$ROOT/scripts/run-container" --image "$IMAGE" "${ctrust[@]}" "$dir" "$REP" -- \
			inspect --run-date "$RUN_DATE" 2>&1) || RC=$?
	elif [ "$v" = bwrap ] && [ $# -gt 0 ]; then
		# No host file inside bwrap's root: the keys come on standard input.
		LOG=$(cat "$@" | "$ROOT/scripts/run-bwrap" "$dir" "$REP" -- \
			inspect --run-date "$RUN_DATE" --trust-key - 2>&1) || RC=$?
	else
		LOG=$(tki_in "$v" inspect "$dir" "$REP" --run-date "$RUN_DATE" "${trust[@]}" 2>&1) || RC=$?
	fi
	REP=$REP/report.json
}
# inspect_case VENUE CASE: inspect fixtures/attest/CASE (a bare bundle).
inspect_case() { inspect_dir "$1" "$FIX/attest/$2" "$2"; }
b4() { jq -r '[.evidence[] | select(.id == "E1") | .b4_prime][0] // "none"' "$REP" 2>/dev/null; }
class() { jq -r '[.claims[] | select(.id == "C1") | .class][0] // "none"' "$REP" 2>/dev/null; }
sigwhy() { jq -r '[.evidence[] | select(.id == "E1") | .signature_why][0] // ""' "$REP" 2>/dev/null; }

# Keys made here with openssl: the independent signer.
K=$WORK/keys
test_keys "$K"

# The all-pass fixture bundle as an in-toto Statement (subject: its image).
STMT=$WORK/statement.json
allpass_statement "$STMT"

# packet_of NAME ENVELOPE: a packet around ENVELOPE, like scripts/attest makes.
packet_of() {
	local d=$WORK/pk-$1
	mkdir -p "$d"
	cp "$2" "$d/bundle.intoto.json"
	jq --arg sha "$(sha256sum "$d/bundle.intoto.json" | cut -d' ' -f1)" \
		'.evidence[0].path = "bundle.intoto.json" | .evidence[0].sha256 = $sha' \
		"$FIX/attest/all-pass/packet.json" >"$d/packet.json"
	echo "$d"
}
b64() { base64 -w0 <"$1"; }

"$ROOT/scripts/attest-sign" --key "$K/ec.pem" "$STMT" >"$WORK/ec.env"
"$ROOT/scripts/attest-sign" --key "$K/ed.pem" "$STMT" >"$WORK/ed.env"
"$ROOT/scripts/attest-sign" "$STMT" >"$WORK/unsigned.env"
# A flipped payload byte: venue "CI" -> "CJ" under the old signature.
sed 's/"venue": "CI"/"venue": "CJ"/' "$STMT" >"$WORK/flipped.json"
jq --arg p "$(b64 "$WORK/flipped.json")" '.payload = $p' "$WORK/ed.env" >"$WORK/flipped.env"
jq '.payloadType = "application/json"' "$WORK/ed.env" >"$WORK/type.env"
# Signed over the payload itself, not over PAE(payloadType, payload).
openssl pkeyutl -sign -inkey "$K/ed.pem" -rawin -in "$STMT" -out "$WORK/raw.sig"
jq --arg s "$(b64 "$WORK/raw.sig")" '.signatures[0].sig = $s' "$WORK/ed.env" >"$WORK/raw.env"
declare -A PK
for e in ec ed unsigned flipped type raw; do PK[$e]=$(packet_of "$e" "$WORK/$e.env"); done

# The ed-signed envelope cited by a network claim and a build claim too.
PKB=$WORK/pk-binding
cp -a "${PK[ed]}" "$PKB"
jq '.claims += [{id: "C2", category: "sandbox.network", statement: "no egress", status: "PASS", evidence: ["E1"]},
                {id: "C3", category: "build", statement: "it builds", status: "PASS", evidence: ["E1"]}]' \
	"${PK[ed]}/packet.json" >"$PKB/packet.json"

NOT_SIGNED="not signed by a trusted key: sign it in the venue and pass --trust-key"

vs=(self)
if have_docker; then vs+=(docker); else tap_skip "attestation bundles in docker #45" "$DOCKER_SKIP"; fi
if have_bwrap && [ -x "$TKI_STATIC" ]; then vs+=(bwrap); else tap_skip "attestation bundles in bwrap #45" "${BWRAP_SKIP:-no static binary}"; fi

digest=$(jq -r .image_digest "$FIX/attest/all-pass/bundle.json")
for v in "${vs[@]}"; do
	for k in ec ed; do
		inspect_dir "$v" "${PK[$k]}" "signed-$k" "$K/$k.pub"
		if [ $RC -eq 0 ] && [ "$(b4)" = ATTESTED ] && [ "$(class)" = ADEQUATE ] &&
		   grep -qF "$digest" "$REP" && grep -q '"CI"' "$REP" &&
		   [ "$(jq -r '.evidence[0].signature' "$REP")" = TRUSTED ]; then
			tap_ok "$v: all-PASS bundle signed by openssl ($k): ATTESTED for venue CI and $digest, claim ADEQUATE #45"
		else
			tap_fail "$v: all-PASS bundle signed by openssl ($k) with --trust-key: ATTESTED #45" \
				"exit $RC, b4_prime $(b4), class $(class), why: $(sigwhy)" "$LOG"
		fi
	done

	# Evidence binding (issue 13): the signed bundle carries each sandbox
	# wall by that wall's probes and P1 invariants, named in supported_by,
	# and no build claim.
	inspect_dir "$v" "$PKB" "signed-binding" "$K/ed.pub"
	net=$(jq -c '.claims[] | select(.id == "C2") | [.class, .supported_by]' "$REP" 2>/dev/null)
	att=$(jq -c '.claims[] | select(.id == "C1") | .supported_by[0] | [(.probes | length), (.p1_invariants | length)]' "$REP" 2>/dev/null)
	bld=$(jq -r '.claims[] | select(.id == "C3") | .class' "$REP" 2>/dev/null)
	if [ "$net" = '["ADEQUATE",[{"evidence":"E1","kind":"attestation","probes":["PR-NET-1","PR-NET-2","PR-SOCK-1"],"p1_invariants":["network"]}]]' ] &&
	   [ "$att" = "[12,11]" ] && [ "$bld" = UNCHECKED ]; then
		tap_ok "$v: signed bundle: sandbox.network carried by PR-NET-1, PR-NET-2, PR-SOCK-1 and P1 network; sandbox.attestation by all 12 and all 11; a build claim UNCHECKED #45"
	else
		tap_fail "$v: signed bundle: evidence binding in supported_by #45" "network: $net" "attestation: $att" "build: $bld" "$LOG"
	fi

	# Never green without a trusted signature; the reason says why.
	while read -r name dir want keys; do
		read -r -a ks <<<"$keys"
		want=${want//_/ }
		inspect_dir "$v" "$dir" "$name" "${ks[@]/#/$K/}"
		if [ $RC -eq 1 ] && [ "$(b4)" = NOT_ATTESTED ] && [ "$(class)" != ADEQUATE ] &&
		   grep -qF "$NOT_SIGNED" "$REP" && sigwhy | grep -qF "$want"; then
			tap_ok "$v: $name: NOT_ATTESTED, \"$want\" #45"
		else
			tap_fail "$v: $name: NOT_ATTESTED with the reason \"$want\" #45" \
				"exit $RC, b4_prime $(b4), class $(class), why: $(sigwhy)" "$LOG"
		fi
	done <<EOF_CASES
bare-bundle $FIX/attest/all-pass not_a_DSSE_envelope ed.pub
unsigned ${PK[unsigned]} has_no_signature ed.pub
signed-no-trust-key ${PK[ed]} no_--trust-key_was_given
wrong-key ${PK[ed]} none_of_the ec.pub
flipped-payload-byte ${PK[flipped]} none_of_the ed.pub
wrong-payloadType ${PK[type]} payloadType_was_changed ed.pub
signature-over-payload ${PK[raw]} raw_payload_instead_of_the_DSSE_PAE ed.pub
EOF_CASES

	inspect_case "$v" contradicting-errno
	if [ $RC -eq 1 ] && [ "$(class)" = CONTRADICTED ] && [ "$(b4)" = NOT_ATTESTED ] &&
	   grep -q 'PR-SOCK-1' "$REP"; then
		tap_ok "$v: PR-SOCK-1 says PASS with errno_or_exit 0: claim CONTRADICTED, NOT_ATTESTED #45"
	else
		tap_fail "$v: PASS with contradicting errno: CONTRADICTED #45" \
			"exit $RC, b4_prime $(b4), class $(class)" "$LOG"
	fi

	# Issue 13, point 3: raw data of a venue P1 would have refused, each
	# errno string as expected; a good bundle plus AWS_SECRET_ACCESS_KEY in
	# raw.env_keyset (PR-ENV-1 must read raw.env_keyset itself).
	inspect_case "$v" raw-half-judged
	fails=$(jq -r '[.evidence[0].p1_invariants[] | select(.rejudged == "FAIL") | .name] | join(",")' "$REP" 2>/dev/null)
	if [ $RC -eq 1 ] && [ "$(b4)" = NOT_ATTESTED ] && [ "$(class)" = CONTRADICTED ] &&
	   [ "$fails" = "env,uid,engine_sockets,seccomp,capabilities" ]; then
		tap_ok "$v: raw with Seccomp 0, full caps, uid 0, docker.sock, DB_PASS: NOT_ATTESTED, P1 re-judged FAIL on $fails #45"
	else
		tap_fail "$v: raw of a venue P1 refuses: NOT_ATTESTED #45" "exit $RC, b4_prime $(b4), class $(class), failing: $fails" "$LOG"
	fi
	inspect_case "$v" raw-env-aws
	env1=$(jq -r '[.evidence[0].probes[] | select(.probe_id == "PR-ENV-1") | .rejudged + " " + .why][0]' "$REP" 2>/dev/null)
	if [ $RC -eq 1 ] && [ "$(b4)" = NOT_ATTESTED ] && [[ $env1 == "FAIL "*AWS_SECRET_ACCESS_KEY* ]]; then
		tap_ok "$v: AWS_SECRET_ACCESS_KEY added to raw.env_keyset: PR-ENV-1 re-judges FAIL naming it, NOT_ATTESTED #45"
	else
		tap_fail "$v: tampered env_keyset: PR-ENV-1 FAIL #45" "exit $RC, b4_prime $(b4), PR-ENV-1: $env1" "$LOG"
	fi

	# Issue 14's invariants in raw (a host pid namespace, a host root, a
	# descriptor left open), each probe string as expected: each names
	# its own invariant, and only it.
	for c in raw-pid-host:pid_namespace raw-host-root:root raw-fd-left:fds; do
		inspect_case "$v" "${c%%:*}"
		fails=$(jq -r '[.evidence[0].p1_invariants[] | select(.rejudged == "FAIL") | .name] | join(",")' "$REP" 2>/dev/null)
		if [ $RC -eq 1 ] && [ "$(b4)" = NOT_ATTESTED ] && [ "$(class)" != ADEQUATE ] && [ "$fails" = "${c#*:}" ]; then
			tap_ok "$v: ${c%%:*}: NOT_ATTESTED, P1 re-judged FAIL on $fails #45"
		else
			tap_fail "$v: ${c%%:*}: NOT_ATTESTED naming ${c#*:} #45" "exit $RC, b4_prime $(b4), class $(class), failing: $fails" "$LOG"
		fi
	done

	for c in venue-mac-local venue-docker-desktop missing-probe unknown-probe raw-caps raw-uid-root \
		raw-engine-socket raw-seccomp-disagrees raw-seccomp-not-own raw-nnp-off raw-no-status raw-mounts-in-rw; do
		inspect_case "$v" "$c"
		if [ $RC -ne 0 ] && [ "$(b4)" = NOT_ATTESTED ] && [ "$(class)" != ADEQUATE ]; then
			tap_ok "$v: $c: NOT_ATTESTED, claim $(class), exit $RC #45"
		else
			tap_fail "$v: $c: NOT_ATTESTED #45" "exit $RC, b4_prime $(b4), class $(class)" "$LOG"
		fi
	done
done

# --trust-key is the operator's: a key inside the packet directory (the
# author's choice) and a private key are refused before anything is read.
cp "$K/ed.pub" "${PK[ed]}/author.pub"
rc=0
log=$("$TKI" inspect --self-sandbox --in "${PK[ed]}" --out "$(mktemp -d "$WORK/o.XXXX")" --run-date "$RUN_DATE" \
	--trust-key "${PK[ed]}/author.pub" 2>&1) || rc=$?
if [ $rc -eq 2 ] && grep -q 'inside the packet directory' <<<"$log"; then
	tap_ok "--trust-key inside the packet directory: refused, exit 2 #45"
else
	tap_fail "--trust-key inside the packet directory: refused, exit 2 #45" "exit $rc" "$log"
fi
rm -f "${PK[ed]}/author.pub"
rc=0
log=$("$TKI" inspect --self-sandbox --in "${PK[ed]}" --out "$(mktemp -d "$WORK/o.XXXX")" --run-date "$RUN_DATE" \
	--trust-key "$K/ed.pem" 2>&1) || rc=$?
if [ $rc -eq 2 ] && grep -q -- '-pubout' <<<"$log"; then
	tap_ok "--trust-key given a private key: refused (no private key enters the sandbox), exit 2 #45"
else
	tap_fail "--trust-key given a private key: refused, exit 2 #45" "exit $rc" "$log"
fi
# A link outside the packet that points into it is judged by what it opens;
# a FIFO does not hang the inspector.
cp "$K/ed.pub" "${PK[ed]}/author.pub"
ln -sf "${PK[ed]}/author.pub" "$WORK/innocent.pub"
mkfifo "$WORK/fifo.pub"
for t in "$WORK/innocent.pub:inside the packet directory" "$WORK/fifo.pub:not a regular file"; do
	f=${t%%:*} want=${t#*:}
	rc=0
	log=$(timeout 60 "$TKI" inspect --self-sandbox --in "${PK[ed]}" --out "$(mktemp -d "$WORK/o.XXXX")" \
		--run-date "$RUN_DATE" --trust-key "$f" 2>&1) || rc=$?
	if [ $rc -eq 2 ] && grep -q "$want" <<<"$log"; then
		tap_ok "--trust-key $(basename "$f"): refused ($want), exit 2 #45"
	else
		tap_fail "--trust-key $(basename "$f"): refused ($want), exit 2 #45" "exit $rc" "$log"
	fi
done
rc=0
log=$("$TKI" inspect --self-sandbox --in "${PK[ed]}" --out "$(mktemp -d "$WORK/o.XXXX")" --run-date "$RUN_DATE" \
	--trust-key - <"${PK[ed]}/author.pub" 2>&1) || rc=$?
if [ $rc -eq 2 ] && grep -q 'standard input is a file inside the packet directory' <<<"$log"; then
	tap_ok "--trust-key - fed from a file inside the packet: refused, exit 2 #45"
else
	tap_fail "--trust-key - fed from a file inside the packet: refused, exit 2 #45" "exit $rc" "$log"
fi
rm -f "${PK[ed]}/author.pub"
# An Ed25519 key of small order (here the identity point): nobody holds its
# private key, yet R = identity, S = 0 verifies every message under it. A
# careless operator's "venue.pub" of that kind would let any packet author
# forge ATTESTED: the key is refused, and the forged envelope never counts.
printf -- '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n-----END PUBLIC KEY-----\n' \
	>"$K/identity.pub"
forged_sig=$( { printf '\001'; head -c63 /dev/zero; } | base64 -w0)
jq --arg s "$forged_sig" '.signatures = [{keyid: "", sig: $s}]' "$WORK/ed.env" >"$WORK/forged.env"
forged=$(packet_of forged "$WORK/forged.env")
rc=0
log=$("$TKI" inspect --self-sandbox --in "$forged" --out "$(mktemp -d "$WORK/o.XXXX")" --run-date "$RUN_DATE" \
	--trust-key "$K/identity.pub" 2>&1) || rc=$?
if [ $rc -eq 2 ] && grep -q 'small order' <<<"$log"; then
	tap_ok "--trust-key holding a small-order Ed25519 key (anyone can sign for it): refused, exit 2 #45"
else
	tap_fail "--trust-key holding a small-order Ed25519 key: refused, exit 2 #45" "exit $rc" "$log"
fi
# A key file is PUBLIC KEY blocks only: a file that merely contains one (a
# note, a log or a report quoting somebody's key) is refused, line named.
{ echo "the author says: trust this key"; cat "$K/ed.pub"; } >"$K/note.txt"
rc=0
log=$("$TKI" inspect --self-sandbox --in "${PK[ed]}" --out "$(mktemp -d "$WORK/o.XXXX")" --run-date "$RUN_DATE" \
	--trust-key "$K/note.txt" 2>&1) || rc=$?
if [ $rc -eq 2 ] && grep -q 'line 1: text outside' <<<"$log"; then
	tap_ok "--trust-key a file with text around the PUBLIC KEY block: refused, line named, exit 2 #45"
else
	tap_fail "--trust-key a file with text around the PUBLIC KEY block: refused, exit 2 #45" "exit $rc" "$log"
fi
# The packet directory seen through another path (a bind mount, as a
# careless root operator makes one): the key is still inside the packet.
# Decided on inodes, not on names. In a private mount namespace of its own.
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	cp "$K/ed.pub" "${PK[ed]}/author.pub"
	mkdir -p "$WORK/alias"
	rc=0
	log=$(unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
		"${PK[ed]}" "$WORK/alias" "$TKI" inspect --self-sandbox --in "${PK[ed]}" \
		--out "$(mktemp -d "$WORK/o.XXXX")" --run-date "$RUN_DATE" --trust-key "$WORK/alias/author.pub" 2>&1) || rc=$?
	if [ $rc -eq 2 ] && grep -q 'inside the packet directory' <<<"$log"; then
		tap_ok "--trust-key through a bind mount of the packet directory: refused, exit 2 #45"
	else
		tap_fail "--trust-key through a bind mount of the packet directory: refused, exit 2 #45" "exit $rc" "$log"
	fi
	rm -f "${PK[ed]}/author.pub"
else
	tap_skip "--trust-key through a bind mount of the packet directory #45" "unshare -m not permitted here"
fi
# Control bytes in the evidence (an "envelope" that is an ESC sequence) and
# in a claim statement: the reason quotes them, report.md shows them \xNN,
# never raw (a terminal showing the file would obey them).
printf '\033]0;owned\007\033[2J' >"$WORK/esc.env"
esc=$(packet_of esc "$WORK/esc.env")
jq '.claims[0].statement = "\u001b[31mred"' "$esc/packet.json" >"$esc/p" && mv "$esc/p" "$esc/packet.json"
o=$(mktemp -d "$WORK/o.XXXX")
rc=0
log=$("$TKI" inspect --self-sandbox --in "$esc" --out "$o" --run-date "$RUN_DATE" --trust-key "$K/ed.pub" 2>&1) || rc=$?
if [ $rc -eq 1 ] && [ -s "$o/report.md" ] && ! grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$o/report.md" "$o/report.json" &&
   grep -qF 'not JSON' "$o/report.md" && grep -qF '\\x1b\[31mred' "$o/report.md"; then
	tap_ok "control bytes in an attestation item and a claim: report.md shows them \\xNN, never raw #45"
else
	tap_fail "control bytes in an attestation item and a claim: never raw in report.md #45" "exit $rc" \
		"$(grep -n $'[\x01-\x09\x0b-\x1f\x7f]' "$o/report.md" | cat -v | head -3)" "$log"
fi
# scripts/run-container pipes several keys to the container's standard
# input: key files without a final line break still arrive one block a line
# (the inspector reads key files strictly).
if printf '%s' "${vs[*]}" | grep -qw docker; then
	printf '%s' "$(cat "$K/ec.pub")" >"$K/ec-nonl.pub"
	printf '%s' "$(cat "$K/ed.pub")" >"$K/ed-nonl.pub"
	inspect_dir docker "${PK[ed]}" "two-keys-no-newline" "$K/ec-nonl.pub" "$K/ed-nonl.pub"
	if [ $RC -eq 0 ] && [ "$(b4)" = ATTESTED ]; then
		tap_ok "docker: two --trust-key files without a final newline, piped by run-container: ATTESTED #45"
	else
		tap_fail "docker: two --trust-key files without a final newline: ATTESTED #45" \
			"exit $RC, b4_prime $(b4), why: $(sigwhy)" "$LOG"
	fi
fi
