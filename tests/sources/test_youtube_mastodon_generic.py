from datetime import UTC, datetime

from netral.sources.youtube import segments_text

from ._util import REAL, SYN, by_kind, parse


def test_youtube_real_comments_old_and_new_headers_and_live_chat():
    items, problems, version = parse(REAL / "google_takeout", "youtube")
    assert problems == []
    comments = [i for i in by_kind(items, "comment") if not i.extra.get("live_chat")]
    texts = {c.text for c in comments}
    assert "> I am about to get buried in the concrete\nthe most normal  Veritasium video!" in texts
    assert "Great illustration of Bell inequality!" in texts
    assert "coalowl the legend" in texts
    reply = next(c for c in comments if c.extra.get("parent"))
    assert reply.id.startswith(reply.extra["parent"] + ".")
    new = next(c for c in comments if c.text.startswith("> I am"))
    assert new.created_at == datetime(2023, 4, 14, 7, 39, 35, 956042, tzinfo=UTC)
    assert new.locator.link == (
        "https://www.youtube.com/watch?v=rWVAzS6duAs&lc=UgytHqobEtqoKm_-pYB4AaABAg"
    )
    live = [i for i in by_kind(items, "comment") if i.extra.get("live_chat")]
    assert live[0].text == '"think the right thing" jeez'  # header-less file, unescaped quotes
    like = by_kind(items, "like")[0]
    assert like.text.startswith("[Maybe]Blood Blockade Battlefront ED")
    assert like.target is None  # channelTitle is the liker's own channel
    assert version.startswith("comments.csv")


def test_youtube_subscriptions_and_live_chat_with_header():
    items, problems, _ = parse(SYN / "youtube", "youtube")
    assert problems == []
    assert [f.target for f in by_kind(items, "follow")] == [
        "Relawan Ganjar-Mahfud Official", "Resep Nusantara"]
    assert by_kind(items, "comment")[0].text == "03 menang! salam metal"


def test_segments_text_forms():
    assert segments_text('{"takeoutSegments":[{"text":"a"},{"text":"b"}]}') == "ab"
    assert segments_text('{"text":"a"},{"text":"\\n"},{"text":"b"}') == "a\nb"
    assert segments_text("plain") == "plain"


def test_mastodon_real_follows_csv():
    items, problems, _ = parse(REAL / "mastodon", "mastodon")
    assert problems == []
    assert [i.target for i in items] == ["@user@example.com", "@user@test.com"]
    assert items[0].locator.link == "https://example.com/@user"


def test_mastodon_outbox_actor_likes():
    items, problems, version = parse(SYN / "mastodon", "mastodon")
    assert problems == []
    assert version == "ActivityPub archive (outbox.json)"
    post = by_kind(items, "post")[0]
    assert post.text == "AMIN for president 🔥 #AMIN"  # HTML stripped
    assert post.extra["tags"] == ["#AMIN"]
    assert post.locator.link == "https://m.example/@sri/1"
    reply = by_kind(items, "comment")[0]
    assert reply.target == "@budi@other.example"
    assert reply.media == ["/media_attachments/files/1/original/a.jpg"]
    boost = by_kind(items, "share")[0]
    assert boost.target == "@relawan02@other.example"
    assert "paslon 02" in by_kind(items, "bio")[0].text
    assert by_kind(items, "like")[0].target == "@ganjar_pranowo@other.example"


def test_generic_jsonl_and_csv():
    items, problems, _ = parse(SYN / "generic", "generic")
    assert [p.code for p in problems] == ["jsonl_line"]
    assert problems[0].position == "line 3"
    texts = {(i.kind, i.text or i.target) for i in items}
    assert ("post", "Coblos nomor 3 ya!") in texts
    assert ("comment", "Selamat pagi") in texts
    assert ("follow", "Relawan AMIN") in texts
    assert ("post", "Ayo pilih nomor 2, satu putaran!") in texts
    csv_item = next(i for i in items if i.text.startswith("Ayo pilih"))
    assert csv_item.platform == "facebook" and csv_item.locator.where == "line 2"
