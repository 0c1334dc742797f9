#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""utf8.py fields FILE: the JSON path of every string (values and the x-
key) in the manifest. utf8.py put FILE PATH invalid|overlong: the manifest
with raw bad bytes put inside that string (or key), on stdout."""
import json, sys

BAD = {"invalid": b"\xff\xfe", "overlong": b"\xc0\xaf"}  # 0xC0 0xAF: overlong "/"
MARK = "@@BAD@@"


def strings(v, path=""):
    if isinstance(v, str):
        yield path
    elif isinstance(v, dict):
        for k, x in v.items():
            if k.startswith("x-"):
                yield path + "/{key}" + k
            yield from strings(x, path + "/" + k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from strings(x, path + "/" + str(i))


def put(v, path, mark):
    parts = path.strip("/").split("/")
    for p in parts[:-1]:
        v = v[int(p)] if isinstance(v, list) else v[p]
    last = parts[-1]
    if last.startswith("{key}"):
        k = last[5:]
        v["x-" + mark] = v.pop(k)
    elif isinstance(v, list):
        v[int(last)] = v[int(last)][:1] + mark + v[int(last)][1:]
    else:
        v[last] = v[last][:1] + mark + v[last][1:]


m = json.load(open(sys.argv[2], encoding="utf-8"))
if sys.argv[1] == "fields":
    print(" ".join(strings(m)))
else:
    put(m, sys.argv[3], MARK)
    raw = json.dumps(m, indent=1).encode()
    sys.stdout.buffer.write(raw.replace(MARK.encode(), BAD[sys.argv[4]]))
