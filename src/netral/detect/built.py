"""A cache of what building a detector computes from its packs, so a cold ``netral check``
reads it instead of computing it again (issue 15): the normalised lexicon keys, the words of
the pre-filter, the Pilkada region index, the model's name mask and its term-frequency table.

Computing them means normalising about 2,000 names, slogans and cue words (~60 ms); reading
them back is a JSON parse. The files live in the user cache directory beside the packs cache,
one per pack set, named and checked by a hash of everything they are computed from: the
packs' source digests (``netral.packs.source_digest``), netral's and Python's versions and
every code and data file of ``netral.detect`` and ``netral.text`` (and, for the model, the
weights file and numpy's version file). A change to any of them gives another
name, so a stale file is never read. The format is plain JSON (never pickle) — the model's
file has its own binary layout of raw arrays (``netral.detect.model_cache``, ``read_raw``) —
and a file that does not parse or does not have the expected shape is ignored and rebuilt,
never trusted.
A pack built in memory (no source digest) is never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from netral.data import cachefile
from netral.packs import Pack, source_digest

FORMAT = "1"  # bump when what is stored changes shape


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of netral's version and of the code and data the cached values come from."""
    import sys
    import unicodedata

    from netral.version import __version__

    # the Python version too: normalising (NFKC, case folding) follows its Unicode tables
    h = hashlib.sha256(f"{FORMAT} {__version__} {sys.version} {unicodedata.unidata_version}"
                       .encode())
    here = Path(__file__).resolve().parent
    for root in (here, here.parent / "text"):
        for f in sorted(root.rglob("*")):
            if f.suffix in (".py", ".yaml", ".txt", ".tsv", ".json") and f.is_file():
                h.update(str(f.relative_to(root)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def numpy_stamp() -> bytes:
    """The text of the installed numpy's ``version.py`` (its version and build), found without
    importing numpy; b"" when there is none. The model's float32 log table comes from numpy."""
    from importlib.util import find_spec

    try:
        spec = find_spec("numpy")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            f = Path(folder) / "version.py"
            if f.is_file():
                return f.read_bytes()
    except (ImportError, OSError, ValueError):
        pass
    return b""


def key_for(kind: str, packs: Sequence[Pack]) -> str | None:
    """The cache key of ``kind`` built from ``packs`` (None: a pack was not read from files)."""
    digests = [source_digest(p) for p in packs]
    if any(d is None for d in digests):
        return None
    h = hashlib.sha256(f"{kind} {code_digest()}".encode())
    for p, d in zip(packs, digests, strict=True):
        h.update(f" {p.name}={d}".encode())
    return h.hexdigest()


def _path(kind: str, key: str, ext: str = "json") -> Path:
    from netral.config import get_settings

    return get_settings().cache_dir / "detector" / f"{kind}-{key[:32]}.{ext}"


def read_raw(kind: str, key: str | None, ext: str) -> bytes | None:
    """The bytes of the ``ext`` file kept under ``key`` (its reader checks the key stored
    inside and its shape); None without a key, or when it is missing, unreadable or not ours."""
    return None if key is None else cachefile.read_own(_path(kind, key, ext))


def write_raw(kind: str, key: str | None, ext: str, data: bytes) -> None:
    if key is not None:
        cachefile.write_quietly(_path(kind, key, ext), data)


def read(kind: str, key: str | None, valid: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The data stored under ``key``, or None when there is no valid file (``valid`` checks
    the shape of what was read; anything else is ignored and rebuilt by the caller)."""
    # only a file this user wrote and nobody else can change (``read_raw``): a planted file in
    # a shared cache folder would otherwise decide what the detector knows
    raw = read_raw(kind, key, "json")
    if raw is None:
        return None  # no key, or missing, unreadable or not ours
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None  # corrupt
    if not (isinstance(obj, dict) and obj.get("key") == key and isinstance(obj.get("data"), dict)):
        return None
    try:
        return obj["data"] if valid(obj["data"]) else None
    except (KeyError, TypeError, ValueError):
        return None


def write(kind: str, key: str | None, data: dict[str, Any]) -> None:
    if key is not None:  # a read-only cache: built again next time
        write_raw(kind, key, "json", orjson.dumps({"key": key, "data": data}))


# -- shape checks of what is read back ---------------------------------------------------------
def is_str_list(x: Any) -> bool:
    return isinstance(x, list) and all(isinstance(s, str) for s in x)


def is_opt_str(x: Any) -> bool:
    return x is None or isinstance(x, str)


def is_str_map(x: Any) -> bool:
    return isinstance(x, dict) and all(isinstance(v, str) for v in x.values())
