"""Licensed Telegram Desktop samples (tests/fixtures/exports/real/telegram, provenance in
tests/fixtures/exports/README.md) and the documented Threads layout (synthetic
``threads_documented``: no licensed real Threads export was found).

Expected counts are taken from the files themselves (json), not from the reader."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime

from netral.sources.telegram import flatten_text

from ._util import REAL, SYN, by_kind, parse

CHATSTYLE = REAL / "telegram" / "chatstyle_result_personal_chat.json"
LOKB = REAL / "telegram" / "lokb_result_three_authors_no_unixtime.json"


def _own_with_content(path, me: str) -> list[dict]:
    """The file's own messages that carry text or an exported media file, counted by hand."""
    msgs = json.loads(path.read_text(encoding="utf-8"))["messages"]
    def exported(m: dict) -> bool:
        return any(
            isinstance(m.get(k), str) and not m[k].startswith("(File not included")
            for k in ("photo", "file")
        )

    return [
        m for m in msgs
        if m["type"] == "message" and m.get("from") == me
        and (flatten_text(m.get("text")) or exported(m))
    ]


def test_chatstyle_sample_counts_match_the_file():
    data = json.loads(CHATSTYLE.read_text(encoding="utf-8"))
    kinds = [m["type"] for m in data["messages"]]
    assert (len(kinds), kinds.count("message"), kinds.count("service")) == (12, 11, 1)
    # a personal chat named after the other side: the remaining author is the user
    assert {m.get("from") for m in data["messages"] if m["type"] == "message"} == {
        "Анна Петрова", "Борис"}
    own = _own_with_content(CHATSTYLE, "Анна Петрова")
    # 8 own messages, of which a sticker (file not exported) and an empty one carry nothing
    assert len([m for m in data["messages"] if m.get("from") == "Анна Петрова"]) == 8
    assert [m["id"] for m in own] == [1, 3, 4, 7, 9, 12]

    items, problems, version = parse(CHATSTYLE, "telegram")
    assert problems == []
    assert version == "single-chat export"
    assert [i.id for i in items] == [str(m["id"]) for m in own]
    assert [i.kind for i in items] == ["message"] * 3 + ["share"] + ["message"] * 2
    assert {i.target for i in items} == {"Борис"}  # the chat, never the other person's text
    by_id = {i.id: i for i in items}
    # text as a list of strings and entities
    assert by_id["3"].text == "смотри https://example.com/a круто"
    assert by_id["3"].urls == ["https://example.com/a"]
    assert by_id["4"].text == "ну реально норм, @boris_k глянь"
    # forwarded message: a share, source kept
    assert by_id["7"].extra == {"forwarded_from": "Какой-то канал"}
    # "(File not included…)" is not a media path; the caption is still read
    assert by_id["9"].media == [] and by_id["9"].text == "короче вот фотка"
    assert by_id["12"].text == "ладно))\nщас дойду"
    assert by_id["1"].created_at == datetime.fromtimestamp(1682942460, tz=UTC)
    assert by_id["12"].locator.where == "$.messages[11]"


def test_chatstyle_sample_with_me_naming_the_other_side():
    items, problems, _ = parse(CHATSTYLE, "telegram", me=("Борис",))
    assert problems == []
    assert [(i.id, i.text) for i in items] == [
        ("2", "Привет. Как дела?"), ("5", "Посмотрю вечером."), ("11", "ок")]


def test_chatstyle_sample_as_shipped_in_a_zip(tmp_path):
    z = tmp_path / "ChatExport_2023-05-01.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(CHATSTYLE, "ChatExport_2023-05-01/result.json")
    items, problems, _ = parse(z, "telegram")
    assert problems == []
    assert [i.id for i in items] == ["1", "3", "4", "7", "9", "12"]
    assert items[0].locator.file.endswith("!ChatExport_2023-05-01/result.json")


def test_link_in_text_list_kept_when_text_entities_disagree(tmp_path):
    """The sample's text_entities is a placeholder next to a text list: a text_link href that
    only the text list holds must not be lost (it is not in the visible text)."""
    data = json.loads(CHATSTYLE.read_text(encoding="utf-8"))
    msg = data["messages"][2]
    msg["text"][1] = {"type": "text_link", "text": "ini", "href": "https://example.org/x"}
    msg["reply_to_message_id"] = 2
    (tmp_path / "result.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    items, _, _ = parse(tmp_path / "result.json", "telegram")
    three = next(i for i in items if i.id == "3")
    assert three.text == "смотри ini круто"
    assert three.urls == ["https://example.org/x"]
    assert three.extra == {"reply_to_message_id": 2}


def test_lokb_sample_three_authors_needs_me():
    data = json.loads(LOKB.read_text(encoding="utf-8"))
    assert len(data["messages"]) == 9
    assert not any("date_unixtime" in m for m in data["messages"])
    # a "personal_chat" whose name is no author and which has three authors: nobody to infer
    items, problems, _ = parse(LOKB, "telegram")
    assert items == [] and [p.code for p in problems] == ["self_unknown"]
    items, problems, _ = parse(LOKB, "telegram", me=("alice",))  # names match casefolded
    assert problems == []
    assert [i.id for i in items] == [
        str(m["id"]) for m in data["messages"] if m["from"] == "Alice"] == ["1", "3", "5", "8"]
    # no date_unixtime: the local time is read in WIB
    assert items[0].created_at.isoformat() == "2024-03-15T14:20:00+07:00"
    assert items[-1].text == "Is it true that quantum computers can break encryption?"


def test_threads_documented_layout(tmp_path):
    root = SYN / "threads_documented"
    posts = json.loads((root / "your_instagram_activity/threads/threads_and_replies.json")
                       .read_text())["text_post_app_text_posts"]
    replies = [p for p in posts if p["media"][0]["text_app_post"]["is_reply"]]
    assert (len(posts), len(replies)) == (3, 1)
    for src in (root, _zipped(root, tmp_path / "instagram-budi-2024-02-05-AbCd.zip")):
        items, problems, version = parse(src, "threads")
        assert problems == []
        assert version == "Meta export threads/ (2023+)"
        assert sorted(i.kind for i in items) == [
            "comment", "follow", "like", "like", "post", "post"]
        # the reply is marked only inside media[].text_app_post
        assert [i.text for i in by_kind(items, "comment")] == [
            "Setuju — besok kita bahas di kantor ya 👍"]
        assert [i.text for i in by_kind(items, "post")] == [
            "Apel pagi di halaman kantor dinas, semangat melayani 🙏",
            "Catatan: jadwal posyandu pindah ke hari Kamis"]
        assert len(by_kind(items, "post")[0].media) == 2
        # likes: the author (title, else the @name in the link), never the reaction emoji
        assert [i.target for i in by_kind(items, "like")] == [
            "kominfo.kabupaten", "relawan.capres"]
        assert by_kind(items, "follow")[0].target == "dinkes.kota"
        # saved threads are other people's posts: no item


def _zipped(folder, z):
    shutil.make_archive(str(z.with_suffix("")), "zip", folder)
    return z


def test_saved_threads_with_a_title_are_not_own_posts(tmp_path):
    d = tmp_path / "your_instagram_activity" / "threads"
    d.mkdir(parents=True)
    (d / "saved_threads.json").write_text(json.dumps({
        "text_post_app_text_post_app_saved_posts": [
            {"title": "akun.lain", "string_map_data": {"URL": {"href": "https://x/@a/post/1"}}}]}))
    (d / "threads_viewed.json").write_text(json.dumps({
        "text_post_app_text_post_app_posts_seen": [
            {"title": "akun.lain", "media": [{"uri": "", "title": "bukan milik saya"}]}]}))
    items, problems, _ = parse(tmp_path, "threads")
    assert (items, problems) == ([], [])
