"""Reading YAML data files: libyaml's C parser when PyYAML was built with it, and the parsed
data of plain files kept as JSON in the user cache, named by a hash of the text.

The pure-Python parser spends about 200 ms on the shipped knowledge packs, most of a cold
``netral check``; the C parser gives the same objects in a tenth of the time. A cold check
still read five data files (cues, word sets, rules, news outlets, messages) and imported
PyYAML for them (~20 ms, issue 15): text whose data is plain JSON (strings, numbers, booleans,
null, lists, mappings with string keys — checked by a round trip) is read back from
``<cache dir>/yaml/<hash>.json`` instead, and PyYAML is only imported to parse a text not seen
before. Anything else (dates, a bad cache file) is parsed every time, as before. Parse errors
are ``yaml.YAMLError`` with a ``problem_mark`` (line and column); ``is_yaml_error`` tells them
apart without importing PyYAML first.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from netral.data import cachefile

_FORMAT = b"yamlio-1 "  # part of every cache name: bump if what is stored changes


def _parse(text: str | bytes) -> Any:
    import yaml

    try:
        from yaml import CSafeLoader as loader
    except ImportError:  # PyYAML without libyaml
        from yaml import SafeLoader as loader  # type: ignore[assignment]
    return yaml.load(text, Loader=loader)


def _cache_file(text: str | bytes):
    try:
        from netral.config import get_settings

        raw = text.encode("utf-8") if isinstance(text, str) else text
        name = hashlib.sha256(_FORMAT + raw).hexdigest()[:32]
        return get_settings().cache_dir / "yaml" / f"{name}.json"
    except Exception:  # no usable settings or cache folder: parse, as without a cache
        return None


def safe_load(text: str | bytes) -> Any:
    """``yaml.safe_load`` with the fastest safe loader available, read from the cache when
    this text was parsed before."""
    path = _cache_file(text)
    if path is not None:
        raw = cachefile.read_own(path)  # never a file someone else could have planted
        try:
            if raw is not None:
                return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # a bad file: parse
    data = _parse(text)
    if path is not None:
        try:
            dumped = orjson.dumps(data)
        except (TypeError, ValueError):
            return data  # not JSON data (a date, a set)
        if orjson.loads(dumped) == data:  # plain JSON data only (no int keys, tuples)
            cachefile.write_quietly(path, dumped)  # a read-only cache: parsed again next time
    return data


def is_yaml_error(exc: BaseException) -> bool:
    """Whether ``exc`` is PyYAML's parse error (only a parse imports PyYAML)."""
    import sys

    yaml = sys.modules.get("yaml")
    return yaml is not None and isinstance(exc, yaml.YAMLError)
