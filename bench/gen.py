#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate benchmark packets: gen.py DIR KIND [ARGS].
  tiny                    one claim, one small artifact
  artifacts COUNT MIB     COUNT artifacts of MIB MiB each, one claim citing all
  claims COUNT            COUNT claims citing one small artifact each (shared)
The artifacts are pseudo-random (fast, incompressible) and their digests real."""
import hashlib, json, os, sys

def write_artifact(path, size, seed):
    h = hashlib.sha256()
    block = hashlib.sha512(str(seed).encode()).digest() * 16384  # 1 MiB
    with open(path, "wb") as f:
        left = size
        i = 0
        while left:
            chunk = block[: min(left, len(block))]
            # vary each MiB so the file is not one repeated block
            chunk = i.to_bytes(8, "little") + chunk[8:]
            f.write(chunk); h.update(chunk); left -= len(chunk); i += 1
    return h.hexdigest()

def ev(eid, path, digest):
    return {"id": eid, "kind": "command_output", "path": path, "sha256": digest,
            "provenance": {"producer": "bench", "venue": "CI", "captured_at": "2026-01-01T00:00:00Z",
                           "command": "bench", "exit_code": 0}}

def main():
    d, kind = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(d, "a"), exist_ok=True)
    claims, evidence = [], []
    if kind == "tiny":
        dg = write_artifact(os.path.join(d, "a/out.txt"), 4096, 1)
        evidence.append(ev("E1", "a/out.txt", dg))
        claims.append({"id": "C1", "category": "test", "statement": "tiny", "status": "PASS", "evidence": ["E1"]})
    elif kind == "artifacts":
        count, mib = int(sys.argv[3]), int(sys.argv[4])
        for i in range(count):
            p = f"a/f{i:03d}.bin"
            evidence.append(ev(f"E{i}", p, write_artifact(os.path.join(d, p), mib << 20, i)))
        claims.append({"id": "C1", "category": "test", "statement": "many", "status": "PASS",
                       "evidence": [e["id"] for e in evidence]})
    elif kind == "claims":
        count = int(sys.argv[3])
        dg = write_artifact(os.path.join(d, "a/out.txt"), 4096, 1)
        evidence.append(ev("E1", "a/out.txt", dg))
        for i in range(count):
            claims.append({"id": f"C{i}", "category": "test", "statement": f"claim {i} holds",
                           "status": "PASS", "evidence": ["E1"]})
    else:
        sys.exit("unknown kind")
    m = {"schema": "tki-packet/v1", "packet_id": f"BENCH-{kind}", "created_at": "2026-01-01T00:00:00Z",
         "claims": claims, "evidence": evidence}
    with open(os.path.join(d, "packet.json"), "w") as f:
        json.dump(m, f, indent=1)

main()
