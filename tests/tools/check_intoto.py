#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check our in-toto output against the specifications' own text.

  check_intoto.py statement FILE [--predicate-type URI] [--predicate-spec SPEC.md]
      FILE is an in-toto Statement v1 (or a DSSE envelope around one). The
      required fields are read from fixtures/specs/in-toto-statement-v1.md
      (and, for the predicate, from SPEC.md), then checked, with the rules
      those texts state: subject non-empty, each element with a digest set
      of lowercase hex; policy with a uri; inputAttestations with digests;
      verificationResult PASSED or FAILED; no custom SlsaResult "SLSA_...".
  check_intoto.py dsse ENVELOPE PUBKEY.pem
      An independent verifier: the DSSE PAE computed here and the signature
      checked with Debian's python3-securesystemslib (SSlibKey), not with
      our C code. Exit 77 when securesystemslib is not installed.

Exit 0 when every rule holds, 1 with one line per violation otherwise.
"""
import base64
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPECS = os.path.join(ROOT, "fixtures", "specs")
FIELD = re.compile(r"^`([A-Za-z_][\w.]*)` _(.*), (required|optional)_\s*$")


def spec_fields(path):
    """{field path: required?} from the spec's field lines."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = FIELD.match(line)
            if m:
                out[m.group(1)] = m.group(3) == "required"
    if not out:
        sys.exit(f"check_intoto: no field definitions found in {path}")
    return out


def get(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None, False
        obj = obj[part]
    return obj, True


def b64(s):
    s = s.replace("-", "+").replace("_", "/")
    return base64.b64decode(s + "=" * (-len(s) % 4), validate=True)


def load_statement(path):
    with open(path, "rb") as f:
        doc = json.load(f)
    if isinstance(doc, dict) and "payload" in doc and "payloadType" in doc:
        if doc["payloadType"] != "application/vnd.in-toto+json":
            return None, [f"envelope payloadType is {doc['payloadType']!r}"]
        doc = json.loads(b64(doc["payload"]))
    return doc, []


def check_digest_set(d, where, errs):
    if not isinstance(d, dict) or not d:
        errs.append(f"{where}.digest: a non-empty DigestSet is required")
        return
    for alg, v in d.items():
        if not isinstance(v, str) or not re.fullmatch(r"(?:[0-9a-f]{2})+", v):
            errs.append(f"{where}.digest.{alg}: lowercase hex required")
        elif alg == "sha256" and len(v) != 64:
            errs.append(f"{where}.digest.sha256: 64 hex digits required")


def check_statement(st, want_type, pred_spec):
    errs = []
    if not isinstance(st, dict):
        return ["the Statement is not a JSON object"]
    fields = spec_fields(os.path.join(SPECS, "in-toto-statement-v1.md"))
    for name, required in fields.items():
        if required and not get(st, name)[1]:
            errs.append(f"{name}: required by statement.md, missing")
    if st.get("_type") != "https://in-toto.io/Statement/v1":
        errs.append("_type: must be https://in-toto.io/Statement/v1")
    subj = st.get("subject")
    if not isinstance(subj, list) or not subj:
        errs.append("subject: a non-empty array is required")
    else:
        for i, s in enumerate(subj):
            if not isinstance(s, dict):
                errs.append(f"subject[{i}]: an object is required")
                continue
            check_digest_set(s.get("digest"), f"subject[{i}]", errs)
    if not isinstance(st.get("predicateType"), str) or not st.get("predicateType"):
        errs.append("predicateType: a URI string is required")
    elif want_type and st["predicateType"] != want_type:
        errs.append(f"predicateType: {st['predicateType']!r}, expected {want_type!r}")
    pred = st.get("predicate", {})
    if not isinstance(pred, dict):
        errs.append("predicate: must be an object")
        return errs
    if pred_spec:
        for name, required in spec_fields(pred_spec).items():
            if required and not get(pred, name)[1]:
                errs.append(f"predicate.{name}: required by {os.path.basename(pred_spec)}, missing")
        if "policy" in pred and not (isinstance(pred["policy"], dict) and pred["policy"].get("uri")):
            errs.append("predicate.policy: MUST contain a uri")
        for i, a in enumerate(pred.get("inputAttestations", []) or []):
            check_digest_set(a.get("digest") if isinstance(a, dict) else None,
                             f"predicate.inputAttestations[{i}]", errs)
        if "verificationResult" in pred and pred["verificationResult"] not in ("PASSED", "FAILED"):
            errs.append("predicate.verificationResult: PASSED or FAILED")
        lv = pred.get("verifiedLevels")
        if "verifiedLevels" in pred:
            if not isinstance(lv, list) or not all(isinstance(x, str) for x in lv):
                errs.append("predicate.verifiedLevels: an array of strings")
            else:
                for x in lv:
                    if x.startswith("SLSA_") and not re.fullmatch(r"SLSA_BUILD_LEVEL_[0-3]", x):
                        errs.append(f"predicate.verifiedLevels: custom value {x!r} starts with SLSA_")
                if pred.get("verificationResult") == "FAILED" and lv != ["FAILED"]:
                    errs.append('predicate.verifiedLevels: "FAILED" when verification failed')
        tv = pred.get("timeVerified")
        if "timeVerified" in pred and not (isinstance(tv, str) and re.fullmatch(
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", tv)):
            errs.append("predicate.timeVerified: an RFC 3339 timestamp")
    return errs


def check_dsse(env_path, pub_path):
    try:
        from securesystemslib.signer import SSlibKey, Signature
    except ImportError:
        print("securesystemslib not installed (apt-get install python3-securesystemslib)")
        return 77
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    with open(env_path, "rb") as f:
        env = json.load(f)
    with open(pub_path, "rb") as f:
        pem = f.read()
    pub = serialization.load_pem_public_key(pem)
    body, ptype = b64(env["payload"]), env["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(body), body)
    if isinstance(pub, ed25519.Ed25519PublicKey):
        raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key = SSlibKey("00", "ed25519", "ed25519", {"public": raw.hex()})
    elif isinstance(pub, ec.EllipticCurvePublicKey) and pub.curve.name == "secp256r1":
        key = SSlibKey("00", "ecdsa", "ecdsa-sha2-nistp256", {"public": pem.decode()})
    else:
        print("unsupported key type")
        return 1
    ok = 0
    for s in env.get("signatures", []):
        try:
            key.verify_signature(Signature("00", b64(s["sig"]).hex()), pae)
            ok += 1
        except Exception as e:  # noqa: BLE001 - any failure is "does not verify"
            print(f"a signature does not verify: {e}")
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 3 and argv[1] == "dsse":
        return check_dsse(argv[2], argv[3])
    if len(argv) >= 3 and argv[1] == "statement":
        want, spec = None, None
        rest = argv[3:]
        while rest:
            if rest[0] == "--predicate-type":
                want, rest = rest[1], rest[2:]
            elif rest[0] == "--predicate-spec":
                spec, rest = rest[1], rest[2:]
            else:
                sys.exit(f"check_intoto: unknown argument {rest[0]}")
        st, errs = load_statement(argv[2])
        if not errs:
            errs = check_statement(st, want, spec)
        for e in errs:
            print(f"{argv[2]}: {e}")
        return 1 if errs else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
