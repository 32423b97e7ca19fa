"""Canonical JSON and entry hashing: stable bytes, no floats, hash commits to every field."""

from __future__ import annotations

import hashlib

import pytest

from netral.evidence.canonical import ZERO_HASH, canonical_json, entry_hash


def test_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": {"d": [1, "é"], "c": None}}) == (
        '{"a":{"c":null,"d":[1,"é"]},"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [{"a": 1.5}, {"a": [{"b": 2.0}]}, {1: "x"}, [0.1]])
def test_floats_and_non_string_keys_refused(bad):
    with pytest.raises(TypeError):
        canonical_json(bad)


def test_entry_hash_matches_documented_formula():
    doc = b'{"body_sha256":"' + b"a" * 64 + b'","prev":"' + ZERO_HASH.encode() + \
        b'","seq":1,"time":"2024-01-01T00:00:00.000000Z","v":1}'
    assert entry_hash(1, ZERO_HASH, "2024-01-01T00:00:00.000000Z", "a" * 64) == \
        hashlib.sha256(doc).hexdigest()


@pytest.mark.parametrize("field", ["seq", "prev", "time", "body"])
def test_entry_hash_commits_to_every_field(field):
    base = dict(seq=3, prev="b" * 64, time="t", body_sha256="c" * 64)
    changed = dict(base)
    changed[{"body": "body_sha256"}.get(field, field)] = (
        4 if field == "seq" else "d" * 64 if field in ("prev", "body") else "u"
    )
    assert entry_hash(**base) != entry_hash(**changed)
