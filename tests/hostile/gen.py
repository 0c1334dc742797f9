#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile packets for tests/hostile/run. gen.py KIND DIR [ARG]: writes
DIR/packet.json (and artifacts). Each packet is valid except for the one
thing the kind names, so the exit code says which check fired."""
import hashlib, json, os, sys

CAPS = dict(bytes=64 << 20, depth=32, claims=250000, evidence=250000, asserts=64, cites=256, string=65536,
            values=5000000, objects=1000000)


def nvalues(v):
    """JSON values as the reader's pre-scan counts them: keys included."""
    if isinstance(v, dict):
        return 1 + sum(1 + nvalues(x) for x in v.values())
    if isinstance(v, list):
        return 1 + sum(nvalues(x) for x in v)
    return 1


def nobjects(v):
    if isinstance(v, dict):
        return 1 + sum(nobjects(x) for x in v.values())
    if isinstance(v, list):
        return sum(nobjects(x) for x in v)
    return 0
ART = b"PR-NET-1 PASS\n"


def base(d, art=ART, name="artifacts/net-probe.txt"):
    os.makedirs(os.path.join(d, os.path.dirname(name)), exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(art)
    ev = {"id": "E1", "kind": "artifact", "path": name, "sha256": hashlib.sha256(art).hexdigest(),
          "provenance": {"producer": "ci", "venue": "CI", "captured_at": "2026-06-10T11:58:00Z"},
          "assert": [{"op": "contains", "value": "PR-NET-1 PASS"}]}
    return {"schema": "tki-packet/v1", "packet_id": "HOSTILE", "created_at": "2026-06-10T12:00:00Z",
            "claims": [{"id": "C1", "category": "test", "statement": "the network probe test reads PASS",
                        "status": "PASS", "evidence": ["E1"]}],
            "evidence": [ev]}


def write(d, m, raw=None):
    with open(os.path.join(d, "packet.json"), "wb") as f:
        f.write(raw if raw is not None else json.dumps(m, separators=(",", ":")).encode())


def claims_citing_e1(n):
    return [{"id": "C%d" % i, "category": "test", "statement": "s", "status": "PASS", "evidence": ["E1"]}
            for i in range(n)]


def main():
    kind, d = sys.argv[1], sys.argv[2]
    extra = int(sys.argv[3]) if len(sys.argv) > 3 else 0  # 0: at the cap, 1: one over
    m = base(d)
    if kind == "bytes":  # pad with JSON whitespace: no string cap involved
        raw = json.dumps(m).encode()
        n = CAPS["bytes"] + extra
        raw = raw[:-1] + b" " * (n - len(raw)) + b"}"
        return write(d, m, raw)
    if kind == "depth":  # the root object is level 1
        k = CAPS["depth"] - 1 + extra
        raw = json.dumps(m).encode()[:-1] + b',"x-deep":' + b"[" * k + b"]" * k + b"}"
        return write(d, m, raw)
    if kind == "claims":
        m["claims"] = claims_citing_e1(CAPS["claims"] + extra)
    elif kind == "hundredk":  # 100k claims, all citing one artifact
        m["claims"] = claims_citing_e1(100000)
    elif kind == "evidence":  # every item the same file; claims cite them 256 at a time
        n = CAPS["evidence"] + extra  # short items: 250k must fit in 64 MiB
        m = base(d, name="a")
        e = dict(m["evidence"][0], kind="prose", provenance={"producer": "c", "venue": "CI",
                                                          "captured_at": "2026-06-10T11:58:00Z"})
        del e["assert"]
        m["evidence"] = [dict(e, id="E%d" % i) for i in range(n)]
        m["claims"] = [{"id": "C%d" % c, "category": "test", "statement": "s", "status": "PASS",
                        "evidence": ["E%d" % i for i in range(c * 256, min(n, c * 256 + 256))]}
                       for c in range((n + 255) // 256)]
    elif kind == "asserts":
        m["evidence"][0]["assert"] = [{"op": "contains", "value": "PR-NET-1"}] * (CAPS["asserts"] + extra)
    elif kind == "cites":
        n = CAPS["cites"] + extra
        e = m["evidence"][0]
        m["evidence"] = [dict(e, id="E%d" % i) for i in range(n)]
        m["claims"][0]["evidence"] = ["E%d" % i for i in range(n)]
    elif kind == "allfields":  # every string field of PACKET.md's manifest, once
        e = m["evidence"][0]
        e.update(kind="command_output")
        e["provenance"].update(command="tki-inspector attest", exit_code=0)
        e["assert"].append({"op": "json_equals", "pointer": "/a", "value": "v"})
        m["x-note"] = "free text"
    elif kind == "values":  # "x-pad": [0, 0, ...] up to the value cap
        m["x-pad"] = []
        m["x-pad"] = [0] * (CAPS["values"] - nvalues(m) + extra)
    elif kind == "objects":  # "x-pad": [{}, {}, ...] up to the object cap
        m["x-pad"] = [{}] * (CAPS["objects"] - nobjects(m) + extra)
    elif kind == "string":
        m["claims"][0]["statement"] = "s" * (CAPS["string"] + extra)
    else:
        sys.exit("unknown kind " + kind)
    write(d, m)


if __name__ == "__main__":
    main()
