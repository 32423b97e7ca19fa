from datetime import UTC, datetime

from netral.sources.telegram import flatten_text

from ._util import SYN, by_kind, parse


def test_flatten_text_string_or_entities():
    assert flatten_text("abc") == "abc"
    assert flatten_text(["a ", {"type": "bold", "text": "b"}, " c"]) == "a b c"


def test_single_chat_needs_me_or_reports():
    items, problems, version = parse(SYN / "telegram_single", "telegram")
    assert version == "single-chat export"
    assert [p.code for p in problems] == ["self_unknown"]
    assert [i.kind for i in items] == ["join"]  # the group itself is still judged
    assert items[0].target == "Relawan Kecamatan"


def test_single_chat_with_me_text_as_list_and_control_chars():
    items, problems, _ = parse(SYN / "telegram_single", "telegram", me=("Sri Wahyuni",))
    assert problems == []
    msgs = by_kind(items, "message")
    assert [m.text for m in msgs] == [
        "Ayo coblos nomor 1 tanggal 14 Februari! https://example.org/amin",
        "Rapat dinas besok jam 8",
    ]
    assert msgs[0].urls == ["https://example.org/amin"]
    assert msgs[0].created_at == datetime.fromtimestamp(1704157500, tz=UTC)
    assert msgs[0].locator.where == "$.messages[1]"
    assert msgs[1].media == []  # "(File not included…)" is not a media path
    # message 4 has no date_unixtime: local time read in WIB
    assert msgs[1].created_at.utcoffset().total_seconds() == 7 * 3600


def test_full_export_self_from_user_id_and_joins():
    items, problems, version = parse(SYN / "telegram_full", "telegram")
    assert problems == []
    assert version == "full account export"
    joins = by_kind(items, "join")
    assert [j.target for j in joins] == ["Relawan Ganjar-Mahfud Jateng", "Kosong"]
    assert joins[0].locator.where == "$.chats.list[0]"
    assert [m.text for m in by_kind(items, "message")] == ["Jangan lupa pilih AMIN ya #AMIN"]
    share = by_kind(items, "share")[0]
    assert share.extra["forwarded_from"] == "Relawan AMIN"
    assert share.locator.where == "$.chats.list[1].messages[2]"
    assert "Relawan 03 garis keras" in by_kind(items, "bio")[0].text
