"""The one-text model's cache file (issue 15): the shipped weights as plain arrays, written
once with numpy, read back in place without numpy, base64 or a JSON parse of the arrays.
``netral.detect.knowledge`` keeps it in the built-detector cache (``netral.detect.built``)
under a key of everything it is computed from; ``model_small.SmallModel`` reads the arrays."""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import pairwise
from typing import Any

LOG_TF = 4096  # log(count) of counts 1..LOG_TF-1 is tabled; a larger count goes to numpy
# the arrays of model.npz the one-text path reads, with their array codes (float32, int32)
ARRAYS = {"word_idf": "f", "word_coef": "f", "intercept": "f", "char_seen": "i",
          "char_seen_idf": "f", "char_seen_coef": "f", "char_idf_unseen": "f"}

# the model cache's layout (``pack``/``unpack``): MAGIC, the header's length (4 bytes, little
# endian), the header (JSON: the cache key, the caller's fields, the arrays' names, item codes
# and lengths), then each array's raw bytes from an offset that is a multiple of 8. Read back
# with ``memoryview.cast``: no base64, no JSON list of numbers, nothing copied (issue 15: the
# 3.9 MB JSON file of base64 arrays took ~30 ms of a cold check to parse and decode)
MAGIC = b"NETRAL-M1"
_LAYOUT = {"log_tf": "f", "terms": "B", "term_ends": "I", **ARRAYS}
_HEAD = struct.Struct("<I")


def plain_weights(arrays: dict[str, Any]) -> dict[str, Any] | None:
    """The shipped weights as Python arrays (the terms as one UTF-8 text and where each term
    ends) and the float32 log table, built once with numpy; None where the small path cannot
    repeat the numpy one exactly (float64 coefficients, a big-endian machine, other C sizes)."""
    import numpy as np

    if sys.byteorder != "little" or any(arrays[k].dtype != np.dtype(t)
                                        for k, t in ARRAYS.items()):
        return None
    if any(array(code).itemsize != 4 for code in "fiI"):
        return None
    terms = arrays["word_terms"].tobytes().decode("utf-8").split("\n")
    encoded = [t.encode("utf-8") for t in terms]
    # the one-text path looks both up by bisection; UTF-8 bytes sort as the code points do
    if not (all(a < b for a, b in pairwise(terms)) and all(a < b for a, b in pairwise(encoded))
            and bool(np.all(np.diff(arrays["char_seen"]) > 0))):
        return None
    counts = np.arange(1, LOG_TF, dtype=np.float32)
    # the same float32 log the numpy path takes (0 for a count of 0, never looked up)
    log_tf = array("f", [0.0, *np.log(counts).tolist()])
    ends, end = array("I"), 0
    for t in encoded:
        end += len(t)
        ends.append(end)
    out: dict[str, Any] = {"log_tf": log_tf, "terms": b"".join(encoded), "term_ends": ends}
    for k, code in ARRAYS.items():
        out[k] = array(code, arrays[k].tobytes())
    return out


def pack(key: str, fields: dict[str, Any], small: dict[str, Any]) -> bytes:
    """The model cache file: ``fields`` (JSON-able) and the arrays of ``plain_weights``."""
    import orjson

    names = list(_LAYOUT)
    sizes = [len(bytes(small[n])) if _LAYOUT[n] == "B" else len(small[n]) for n in names]
    head = orjson.dumps({"key": key, "fields": fields,
                         "arrays": [[n, _LAYOUT[n], c] for n, c in zip(names, sizes, strict=True)]})
    out = bytearray(MAGIC + _HEAD.pack(len(head)) + head)
    for n in names:
        out += bytes(-len(out) % 8)
        out += bytes(small[n]) if _LAYOUT[n] == "B" else small[n].tobytes()
    return bytes(out)


def unpack(raw: bytes, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(fields, arrays) of a file ``pack`` wrote under ``key``; None for anything else (another
    key, a short or malformed file, arrays of the wrong kind or lengths that do not fit)."""
    import orjson

    start = len(MAGIC) + _HEAD.size
    if len(raw) < start or raw[:len(MAGIC)] != MAGIC or sys.byteorder != "little":
        return None
    (n,) = _HEAD.unpack_from(raw, len(MAGIC))
    try:
        head = orjson.loads(raw[start:start + n])
    except orjson.JSONDecodeError:
        return None
    try:
        if not (isinstance(head, dict) and head.get("key") == key
                and isinstance(head.get("fields"), dict)
                and [a[:2] for a in head["arrays"]] == [list(x) for x in _LAYOUT.items()]
                and all(len(a) == 3 and type(a[2]) is int and a[2] >= 0 for a in head["arrays"])):
            return None
    except (KeyError, TypeError, IndexError):
        return None
    view, pos, small = memoryview(raw), start + n, {}
    for name, code, count in head["arrays"]:
        pos += -pos % 8
        size = count * (1 if code == "B" else 4)
        if pos + size > len(raw):
            return None
        part = view[pos:pos + size]
        small[name] = bytes(part) if code == "B" else part.cast(code)
        pos += size
    if pos != len(raw) or not valid_small(small):
        return None
    return head["fields"], small


def valid_small(small: dict[str, Any]) -> bool:
    """The arrays fit each other (their order was checked when they were written)."""
    ends = small["term_ends"]
    n = len(ends)
    return (len(small["log_tf"]) == LOG_TF and n == len(small["word_idf"]) == len(small["word_coef"])
            and (ends[-1] if n else 0) == len(small["terms"])
            and len(small["intercept"]) == 1 == len(small["char_idf_unseen"])
            and len(small["char_seen"]) == len(small["char_seen_idf"])
            == len(small["char_seen_coef"]))
