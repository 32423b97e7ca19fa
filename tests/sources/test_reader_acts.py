"""What counts as the person's own act (issue 14): TikTok watch history is not; likes,
favourites, shares, comments and posts are. Facebook entries with only a title and Threads
replies are read. Synthetic records in the layouts of tests/fixtures/exports/synthetic."""

import json

from ._util import by_kind, parse


def _tiktok(tmp_path, watched: int):
    data = {
        "Activity": {
            "Video Browsing History": {"VideoList": [
                {"Date": "2024-01-01 00:00:00",
                 "Link": f"https://www.tiktokv.com/share/video/{7 * 10**18 + i}/"}
                for i in range(watched)]},
            "Like List": {"ItemFavoriteList": [
                {"Date": "2024-02-01 10:00:00",
                 "Link": "https://www.tiktok.com/@tkn.prabowogibran/video/1"}]},
            "Favorite Videos": {"FavoriteVideoList": [
                {"Date": "2024-02-02 10:00:00", "Link": "https://www.tiktokv.com/share/video/2/"}]},
            "Share History": {"ShareHistoryList": [
                {"Date": "2024-03-01 10:00:00", "SharedContent": "video", "Method": "whatsapp",
                 "Link": "https://www.tiktok.com/@relawan_amin/video/3"}]},
            "Search History": {"SearchList": [{"Date": "2024-01-01 00:00:00",
                                               "SearchTerm": "pemilu"}]},
        },
        "Comment": {"Comments": {"CommentsList": [
            {"Date": "2024-03-02 10:00:00", "Comment": "mantap pak"}]}},
        "Video": {"Videos": {"VideoList": [
            {"Date": f"2024-04-0{1 + i} 10:00:00", "Link": f"https://www.tiktokv.com/share/video/{9000 + i}/"}
            for i in range(3)]}},
    }
    (tmp_path / "user_data_tiktok.json").write_text(json.dumps(data))
    return parse(tmp_path, "tiktok")


def test_tiktok_watch_history_is_not_the_persons_act(tmp_path):
    # a real export: 12,301 watch-history rows reported as the user's posts (they posted 10)
    items, problems, version = _tiktok(tmp_path, 5000)
    assert problems == []
    assert len(by_kind(items, "post")) == 3
    assert len(by_kind(items, "like")) == 2  # like + favourite
    assert [i.target for i in by_kind(items, "share")] == ["@relawan_amin"]
    assert len(by_kind(items, "comment")) == 1
    assert len(items) == 7
    assert version.startswith("user_data_tiktok.json")


def test_facebook_title_only_entries_are_read(tmp_path):
    posts = tmp_path / "your_facebook_activity" / "posts"
    posts.mkdir(parents=True)
    (posts / "your_posts_1.json").write_text(json.dumps([
        {"timestamp": 1700000000, "title": "Budi membagikan tautan Relawan Amin."},
        {"timestamp": 1700000100, "title": "Budi recommends Bar X",
         "attachments": [{"data": [{"name": "Bar X"}]}]},
        {"timestamp": 1700000200, "title": "Budi was at Monas.",
         "attachments": [{"data": [{"place": {"name": "Monas"}}]}]},
        {"timestamp": 1700000300, "data": [{"post": "teks biasa"}]},
        {"timestamp": 1700000400},
    ]))
    items, problems, _ = parse(tmp_path, "facebook")
    assert problems == []
    assert by_kind(items, "post")[0].text == "teks biasa"
    shares = [i.text for i in by_kind(items, "share")]
    assert "Budi membagikan tautan Relawan Amin." in shares
    assert any("Bar X" in t for t in shares) and any("Monas" in t for t in shares)
    assert len(items) == 4  # the entry with nothing but a date gives nothing


def test_threads_replies_are_comments(tmp_path):
    d = tmp_path / "your_instagram_activity" / "threads"
    d.mkdir(parents=True)
    (d / "threads_and_replies.json").write_text(json.dumps({
        "text_post_app_text_posts": [
            {"media": [{"uri": "", "creation_timestamp": 1700000000, "title": "utas saya"}]}],
        "text_post_app_text_post_app_replies": [
            {"media": [{"uri": "", "creation_timestamp": 1700000100,
                        "title": "setuju, pilih 02"}]}],
    }))
    items, problems, _ = parse(tmp_path, "threads")
    assert problems == []
    assert [i.text for i in by_kind(items, "post")] == ["utas saya"]
    assert [i.text for i in by_kind(items, "comment")] == ["setuju, pilih 02"]
