"""The records a text makes by the dozen (lexicon hits, checked requests) are named tuples,
not frozen dataclasses (cheaper to make): they stay immutable and hashable, and compare by
their fields."""

from __future__ import annotations

import pytest

from netral.detect.lexicon import Entry, Hit
from netral.detect.request import Request, validate


def test_hits_are_immutable_values() -> None:
    a, b = Hit(Entry("name", "p", "e"), 1, 2), Hit(Entry("name", "p", "e"), 1, 2)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Hit(Entry("name", "p", "e"), 1, 3)
    with pytest.raises(AttributeError):
        a.i = 3  # type: ignore[misc]
    assert (a.entry.group, a.i, a.j) == ("name", 1, 2)


def test_checked_requests_are_immutable() -> None:
    c = validate(Request("Ayo coblos", "POST", "2024-01-20"))
    assert (c.kind, str(c.day), c.truncated, c.judged_text) == ("post", "2024-01-20", False, None)
    with pytest.raises(AttributeError):
        c.kind = "share"  # type: ignore[misc]
