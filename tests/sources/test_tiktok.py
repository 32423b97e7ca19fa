from datetime import UTC, datetime

from ._util import SYN, by_kind, parse


def test_tiktok_old_title_case_keys():
    items, problems, version = parse(SYN / "tiktok_old", "tiktok")
    assert problems == []
    assert version == "user_data.json ('Activity' / 'Video' sections, Title-Case keys)"
    assert by_kind(items, "follow")[0].target == "relawanamin_official"
    c = by_kind(items, "comment")[0]
    assert c.text == "Oke gas oke gas nomor dua!"
    assert c.created_at == datetime(2024, 1, 5, 9, tzinfo=UTC)
    like = by_kind(items, "like")[0]
    assert like.locator.link == "https://www.tiktokv.com/share/video/7310000000000000001/"
    assert like.locator.where == "$.Activity.Like List.ItemFavoriteList[0]"
    assert by_kind(items, "bio")[0].text == "sri_w\nASN | kuliner"
    assert len(by_kind(items, "post")) == 1


def test_tiktok_new_lowercase_keys():
    items, problems, version = parse(SYN / "tiktok_new", "tiktok")
    assert problems == []
    assert version.startswith("user_data_tiktok.json")
    like = by_kind(items, "like")[0]
    assert like.target == "@tkn.prabowogibran"  # from the tiktok.com/@user link
    assert like.created_at == datetime(2025, 1, 2, 10, tzinfo=UTC)
    assert by_kind(items, "post")[0].text == "Abah pasti menang, anak abah merapat!"
    assert by_kind(items, "follow")[0].target == "kulinersemarang"
    assert by_kind(items, "comment")[0].text == "Resepnya mantap 👍"
