# SPDX-License-Identifier: Apache-2.0
"""Shared by tests/schema/validate and tests/schema/run: load a document as
I-JSON (RFC 7493), the JSON the schemas are written for, then validate it
with Debian's python3-jsonschema (draft 2020-12, no network: every schema
is self-contained and its $id is never fetched).

Python's json module is laxer than the inspector's reader (jansson) in ways
no schema can see, because they are gone once the text is parsed: duplicate
keys, lone surrogate escapes, NaN/Infinity, numbers that overflow a double.
The loader refuses them, so a schema verdict is about the document's
content only (docs/packet-format.md, "Validating with the schemas")."""
import json
import math
import os

import jsonschema

try:
    from jsonschema import Draft202012Validator
except ImportError:  # python3-jsonschema 3.x (Debian 11, Ubuntu 22.04)
    raise SystemExit("Bail out! python3-jsonschema %s has no draft 2020-12 validator (needs >= 4.0; "
                     "Debian 12 has 4.10)" % getattr(jsonschema, "__version__", "?"))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# TKI_SCHEMAS: another copy of schemas/ (the installed package's, in make deb-check).
SCHEMAS = os.environ.get("TKI_SCHEMAS") or os.path.join(ROOT, "schemas")


class NotIJSON(ValueError):
    pass


def _pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise NotIJSON("duplicate key %r" % k)
        seen.add(k)
    return dict(pairs)


def _constant(name):
    raise NotIJSON("%s is not JSON" % name)


def _float(text):
    f = float(text)
    if not math.isfinite(f):
        raise NotIJSON("number %s overflows a double" % text[:40])
    return f


def _no_surrogates(v):
    """Lone surrogates (\\ud800) decode in Python, not in UTF-8."""
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            for k, y in x.items():
                k.encode("utf-8")
                stack.append(y)
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, str):
            x.encode("utf-8")


def load_bytes(data):
    """The document, or NotIJSON/ValueError naming what is wrong."""
    try:
        text = data.decode("utf-8")  # strict: overlong and invalid bytes fail
        v = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)
        _no_surrogates(v)
    except UnicodeError as e:
        raise NotIJSON("not UTF-8: %s" % e) from None
    except RecursionError:
        raise NotIJSON("nested too deep for this validator") from None
    return v


def load_file(path):
    with open(path, "rb") as f:
        return load_bytes(f.read())


def bundle_predicate(doc):
    """The tki-attestation/v1 content of a bundle file: the file itself
    today; the predicate of an in-toto Statement, itself possibly the
    base64 payload of a DSSE envelope (issue 15), once bundles are wrapped.
    The envelope and Statement are not this schema's business."""
    if isinstance(doc, dict) and "payloadType" in doc and "payload" in doc:
        import base64
        doc = load_bytes(base64.b64decode(doc["payload"], validate=True))
    if isinstance(doc, dict) and "_type" in doc and "predicate" in doc:
        doc = doc["predicate"]
    return doc


_validators = {}


def validator(name):
    """name: packet, report or attestation."""
    if name not in _validators:
        with open(os.path.join(SCHEMAS, name + ".schema.json"), "rb") as f:
            schema = load_bytes(f.read())
        Draft202012Validator.check_schema(schema)
        _validators[name] = Draft202012Validator(schema)
    return _validators[name]


def where(err):
    p = "".join("[%d]" % x if isinstance(x, int) else "." + str(x) for x in err.absolute_path)
    return p.lstrip(".") or "(root)"


def errors(name, doc):
    """Sorted 'PATH: message' lines; empty when doc is valid."""
    out = []
    for e in validator(name).iter_errors(doc):
        msg = e.message if len(e.message) < 300 else e.message[:300] + "..."
        out.append("%s: %s" % (where(e), msg))
    return sorted(out)


def version():
    try:
        from importlib.metadata import version as v
        return v("jsonschema")
    except Exception:
        return getattr(jsonschema, "__version__", "?")
