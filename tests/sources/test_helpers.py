from datetime import UTC, datetime, timedelta, timezone

import pytest

from netral.item import readable_handle
from netral.sources import Export, Item, Locator, ParseContext, get_parser
from netral.sources.helpers import (
    ci_get,
    decode_bytes,
    from_unix,
    parse_iso,
    parse_twitter_time,
    sniff_encoding,
)
from netral.text.html import html_to_text


def test_time_conventions():
    assert from_unix(1590673319) == datetime(2020, 5, 28, 13, 41, 59, tzinfo=UTC)
    assert from_unix("1596910928321") == datetime.fromtimestamp(1596910928.321, tz=UTC)
    assert from_unix(0) is None and from_unix("x") is None and from_unix(None) is None
    assert parse_twitter_time("Fri Feb 20 09:10:58 +0000 2026") == datetime(
        2026, 2, 20, 9, 10, 58, tzinfo=UTC)
    wib = timezone(timedelta(hours=7))
    assert parse_iso("2025-03-29T15:11:08", wib) == datetime(2025, 3, 29, 15, 11, 8, tzinfo=wib)
    assert parse_iso("2024-09-04 18:42:29") == datetime(2024, 9, 4, 18, 42, 29, tzinfo=UTC)
    assert parse_iso("2021-12-13T03:04:05.007Z").tzinfo is not None
    assert parse_iso("kemarin") is None


def test_text_helpers():
    assert decode_bytes("café".encode("cp1252")) == ("café", "cp1252")
    assert decode_bytes("\ufeffhalo".encode()) == ("halo", "utf-8-sig")
    assert decode_bytes("halo".encode("utf-16")) == ("halo", "utf-16")
    assert sniff_encoding("Rapat pukul 08.00 – café".encode("cp1252")) == "cp1252"
    assert sniff_encoding("Rapat ✌️".encode()) == "utf-8"
    assert html_to_text("<p>Halo <b>dunia</b></p><p>lagi</p>") == "Halo dunia\nlagi"
    assert ci_get({"Like List": 1}, "like_list") == 1
    assert ci_get({"Date": "a", "date": "b"}, "date") == "b"
    assert ci_get({"x": 1}, "y", default=0) == 0


def test_item_rules():
    loc = Locator("f.json")
    with pytest.raises(ValueError):
        Item(platform="x", kind="retweet", locator=loc)
    with pytest.raises(ValueError):
        Item(platform="x", kind="post", locator=loc, created_at=datetime(2024, 1, 1))
    like = Item(platform="x", kind="like", locator=loc, target="TKN", text="Coblos 02")
    assert like.subject_text() == "TKN: Coblos 02"
    follow = Item(platform="x", kind="follow", locator=loc, target="@tkn.prabowo_gibran")
    assert follow.subject_text() == "@tkn.prabowo_gibran (tkn prabowo gibran)"
    assert readable_handle("Relawan AMIN") == "Relawan AMIN"
    assert Item(platform="x", kind="follow", locator=loc).subject_text() == ""


def test_whatsapp_non_utf8_file_is_read_with_a_note(tmp_path):
    chat = tmp_path / "WhatsApp Chat with Budi.txt"
    chat.write_bytes(
        "12/01/2024, 08:00 - Budi: Halo\n"
        "12/01/2024, 08:01 - Sri: Kopi di café dekat kantor?\n".encode("cp1252"))
    export = Export()
    export.add(tmp_path)
    ctx = ParseContext(export=export)
    items = list(get_parser("whatsapp").parse(export, ctx))
    export.close()
    assert [i.text for i in items] == ["Kopi di café dekat kantor?"]  # Sri inferred: not Budi
    assert {p.code for p in ctx.problems} == {"encoding_fallback"}
