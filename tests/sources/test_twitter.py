from datetime import UTC, datetime

from ._util import REAL, SYN, by_kind, parse


def test_real_twitter_to_sqlite_samples():
    items, problems, _ = parse(REAL / "twitter", "twitter")
    assert problems == []
    bios = by_kind(items, "bio")
    assert [b.text for b in bios] == ["Simon Willison"]
    assert bios[0].locator.link == "https://x.com/simonw"
    follows = by_kind(items, "follow")
    assert {f.id for f in follows} == {"547842573", "12158"}
    assert follows[0].locator.link.startswith("https://x.com/intent/user?user_id=")
    # follower.js is someone else's act: not an item
    assert len(items) == 3


def test_2019_bare_tweet_js():
    items, _, version = parse(SYN / "twitter_2019", "twitter")
    assert version == "tweet.js, bare (2019)"
    post, reply = items
    assert post.kind == "post"
    assert post.text == "Coblos nomor 01 tanggal 17 April & menang! #JokowiLagi"  # HTML-unescaped
    assert post.created_at == datetime(2019, 2, 17, 12, 3, 24, tzinfo=UTC)
    assert post.locator.where == "$[0]"
    assert reply.kind == "comment" and reply.target == "@dinkes_smg"


def test_2021_wrapped_tweet_js_and_retweet():
    items, _, version = parse(SYN / "twitter_2021", "twitter")
    assert version == "tweet.js, wrapped (2020–2022)"
    assert items[0].urls == ["https://example.org/vaksin"]
    rt = items[1]
    assert rt.kind == "share" and rt.target == "@relawan_ganjar"
    assert rt.locator.where == "$[1].tweet"


def test_2023_tweets_js_multipart_likes_profile_deleted():
    items, problems, version = parse(SYN / "twitter_2023", "twitter")
    assert problems == []
    assert version == "tweets.js (2022+)"
    posts = by_kind(items, "post")
    texts = {p.text for p in posts}
    assert "Ayo coblos no. 2 tgl 14 Feb! #PrabowoGibran2024" in texts  # part0
    assert "Rapat evaluasi kinerja triwulan di kantor" in texts  # tweets-part1.js
    assert "Tweet lama yang sudah dihapus" in texts  # deleted-tweets.js
    deleted = next(p for p in posts if p.extra.get("deleted_at"))
    assert deleted.text == "Tweet lama yang sudah dihapus"
    quote = next(p for p in posts if p.extra.get("quote"))
    assert quote.text.startswith("Rapat")
    first = next(p for p in posts if p.id == "1700000000000000001")
    assert first.media == ["https://pbs.twimg.com/media/abc.jpg"]
    assert first.locator.link == "https://x.com/sri_w/status/1700000000000000001"
    likes = by_kind(items, "like")
    assert [lk.text for lk in likes] == ["Desak Anies malam ini! #AMIN", ""]
    assert all(lk.created_at is None for lk in likes)  # like.js has no timestamp
    bio = [b.text for b in by_kind(items, "bio")]
    assert any("relawan 02" in b for b in bio)
