"""Data files read through ``netral.data.yamlio``: plain JSON data comes back from the cache
identical and without parsing; anything else (dates, a bad cache file) is parsed each time."""

from __future__ import annotations

import datetime

import pytest

from netral.data import yamlio


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path / "cache"))


def _no_parse(monkeypatch) -> None:
    def refuse(text):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlio, "_parse", refuse)


def test_plain_data_is_read_back_from_the_cache(monkeypatch) -> None:
    text = "a: [1, 2.5, 'x', null, true]\nb: {c: d}\n"
    first = yamlio.safe_load(text)
    _no_parse(monkeypatch)
    again = yamlio.safe_load(text)
    assert again == first == {"a": [1, 2.5, "x", None, True], "b": {"c": "d"}}
    assert type(again["a"][1]) is float and again["a"][4] is True


def test_data_json_cannot_hold_is_parsed_every_time(monkeypatch) -> None:
    text = "start: 2024-02-14\n1: one\n"
    assert yamlio.safe_load(text) == {"start": datetime.date(2024, 2, 14), 1: "one"}
    assert yamlio._cache_file(text) is not None and not yamlio._cache_file(text).exists()


def test_a_bad_cache_file_is_parsed_again() -> None:
    text = "k: v\n"
    yamlio.safe_load(text)
    yamlio._cache_file(text).write_bytes(b"\x80 not json")
    assert yamlio.safe_load(text) == {"k": "v"}


def test_parse_errors_are_yaml_errors() -> None:
    with pytest.raises(Exception) as info:
        yamlio.safe_load("a: [1, 2\n")
    assert yamlio.is_yaml_error(info.value) and info.value.problem_mark is not None
    assert not yamlio.is_yaml_error(ValueError("x"))


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX file modes")
def test_a_cache_file_others_can_write_is_never_read() -> None:
    """A cache folder others can write to must not let them decide what netral's data files
    say (the detector's word lists are read through here): a planted, group-writable file
    under the predictable name is ignored and the text parsed again."""
    import os

    import orjson

    text = "meta: [tagar, hashtag]\n"
    assert yamlio.safe_load(text) == {"meta": ["tagar", "hashtag"]}
    path = yamlio._cache_file(text)
    path.write_bytes(orjson.dumps({"meta": []}))
    os.chmod(path, 0o664)
    assert yamlio.safe_load(text) == {"meta": ["tagar", "hashtag"]}
    # the control: the same planted file as this user's own is read (the parse above wrote
    # the right data back, so plant it again)
    path.write_bytes(orjson.dumps({"meta": []}))
    os.chmod(path, 0o600)
    assert yamlio.safe_load(text) == {"meta": []}
