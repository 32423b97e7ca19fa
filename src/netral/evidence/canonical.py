"""Canonical JSON and hashing shared by the ledger, the bundle writer and the verifier.

Canonical form (close to RFC 8785 for the values netral writes): UTF-8, no insignificant
whitespace, object keys sorted, no floats (ledger bodies hold only strings, integers, booleans,
null, lists and objects; a float raises so a hash never depends on float formatting).
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

ZERO_HASH = "0" * 64  # ``prev`` of the first ledger entry (genesis)


def _has_bad(value: Any) -> bool:
    """True when a float or a non-string key hides anywhere in ``value`` (fast path)."""
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            for k, x in v.items():
                if type(k) is not str:
                    return True
                if type(x) in (dict, list, tuple, float):
                    stack.append(x)
        elif t is list or t is tuple:
            stack.extend(x for x in v if type(x) in (dict, list, tuple, float))
        elif t is float:
            return True
    return False


def _check(value: Any, path: str = "$") -> None:
    """Raise naming the first float / non-string key (slow path, only after _has_bad)."""
    if isinstance(value, float):
        raise TypeError(f"float at {path}: canonical JSON here holds no floats")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"non-string key at {path}")
            _check(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _check(v, f"{path}[{i}]")


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a JSON value (sorted keys, compact, UTF-8)."""
    if _has_bad(value):
        _check(value)
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_hash(seq: int, prev: str, time: str, body_sha256: str) -> str:
    """Hash of one ledger entry: commits to its position, the previous entry and its body.

    Only the body's hash enters the chain, so a proof that links an entry to a later head
    needs the intermediate entries' body hashes, never their (possibly personal) contents.
    """
    doc = {"v": 1, "seq": seq, "prev": prev, "time": time, "body_sha256": body_sha256}
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()
