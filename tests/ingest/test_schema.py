"""The collector schema: normalisation of one record (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netral.ingest.schema import RecordError, normalise_record, parse_time
from netral.store.handles import normalise_handle, normalise_platform


def test_parse_time_forms():
    assert parse_time("2024-01-20T08:00:00+07:00") == datetime(2024, 1, 20, 1, tzinfo=UTC)
    assert parse_time("2024-01-20T01:00:00Z") == datetime(2024, 1, 20, 1, tzinfo=UTC)
    assert parse_time("2024-01-20 01:00:00") == datetime(2024, 1, 20, 1, tzinfo=UTC)
    assert parse_time(1705712400) == datetime(2024, 1, 20, 1, tzinfo=UTC)
    assert parse_time("1705712400000") == datetime(2024, 1, 20, 1, tzinfo=UTC)
    assert parse_time(None) is None and parse_time("") is None
    with pytest.raises(RecordError):
        parse_time("kemarin sore")


def test_aliases_and_derived_id_is_stable():
    rec = {
        "platform": "X",
        "username": "@Budi",
        "type": "retweet",
        "content": "halo",
        "published": "2024-01-01T00:00:00Z",
    }
    a, b = normalise_record(rec), normalise_record(dict(rec))
    assert (a.platform, a.author, a.kind, a.text) == ("twitter", "budi", "share", "halo")
    assert a.id == b.id and a.id.startswith("sha256:")
    assert a.provenance.raw == rec and a.provenance.content_hash == b.provenance.content_hash
    assert a.provenance.collected_at == a.created_at  # defaults to the act's time: deterministic
    changed = normalise_record({**rec, "content": "halo!"})
    assert changed.id != a.id


def test_defaults_for_self_audit_items():
    item = normalise_record(
        {"platform": "generic", "kind": "post", "text": "x"},
        default_platform="facebook",
        default_handle="budi.fb",
    )
    assert (item.platform, item.author) == ("facebook", "budi.fb")
    with pytest.raises(RecordError, match="bad_platform"):
        normalise_record({"platform": "generic", "handle": "a", "text": "x"})
    with pytest.raises(RecordError, match="missing_handle"):
        normalise_record({"platform": "twitter", "text": "x"})
    with pytest.raises(RecordError, match="bad_kind"):
        normalise_record({"platform": "twitter", "handle": "a", "kind": "dance"})
    like = normalise_record(
        {"platform": "facebook", "handle": "a", "kind": "like", "target": "Relawan 02", "text": "Menang!"}
    )
    assert like.subject_text() == "Relawan 02: Menang!"


def test_handles_and_platforms():
    assert normalise_platform("IG") == "instagram" and normalise_platform("myspace") is None
    assert normalise_handle("mastodon", "https://kota.social/@Ani") == "ani@kota.social"
    assert normalise_handle("mastodon", "@ani@kota.social") == "ani@kota.social"
    assert normalise_handle("mastodon", "https://kota.social/users/Ani") == "ani@kota.social"
    assert normalise_handle("instagram", "https://www.instagram.com/Budi.S/") == "budi.s"
    assert normalise_handle("tiktok", "https://www.tiktok.com/@budi") == "budi"
    assert normalise_handle("facebook", "https://m.facebook.com/profile.php?id=42") == "id=42"
    assert normalise_handle("rss", "https://Blog.Example.org/feed/") == "blog.example.org/feed"


def test_a_record_orjson_cannot_encode_is_a_record_error_not_a_crash():
    """A JSON array read with ijson keeps an integer beyond 64 bits as it is; orjson (the
    content hash) refuses it. That record is refused, the ingest goes on."""
    with pytest.raises(RecordError, match=r"^bad_raw"):
        normalise_record({"platform": "twitter", "handle": "budi", "id": "1", "text": "x",
                          "views": 2**70})


def test_lone_surrogates_become_replacement_characters_everywhere():
    item = normalise_record({"platform": "twitter", "handle": "budi", "text": "a \ud83d b",
                             "k\udcff": ["\udc80"]})
    assert item.text == "a \ufffd b" and item.id.startswith("sha256:")
    assert item.provenance.raw["k\ufffd"] == ["\ufffd"]
    again = normalise_record({"platform": "twitter", "handle": "budi", "text": "a \ud83d b",
                              "k\udcff": ["\udc80"]})
    assert (again.id, again.provenance.content_hash) == (item.id, item.provenance.content_hash)


@pytest.mark.parametrize(
    "value",
    [
        10**20,
        "99999999999999999999",
        -(10**15),
        1e308,
        2**70,
        # ISO text at the calendar's edge whose offset takes it past it once in UTC
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_a_timestamp_beyond_the_calendar_is_a_record_error(value):
    """It used to raise ValueError/OverflowError, which the ingest does not take for a bad
    record: one such record stopped the whole ingest."""
    with pytest.raises(RecordError, match=r"^bad_time"):
        parse_time(value)


def test_the_id_made_for_a_record_without_one_keeps_a_nul_as_collected():
    """The stored text has U+FFFD for a NUL, but the id made from the record's fields is the
    one made before (SQLite stored such records already: a re-run must find them again)."""
    import hashlib

    from netral.ingest.schema import canonical_bytes

    item = normalise_record({"platform": "twitter", "handle": "budi", "text": "a\x00b"})
    key = {"platform": "twitter", "handle": "budi", "kind": "post", "created_at": None,
           "text": "a\x00b", "target": None, "url": None}
    assert item.id == "sha256:" + hashlib.sha256(canonical_bytes(key)).hexdigest()
    assert item.text == "a\ufffdb"
