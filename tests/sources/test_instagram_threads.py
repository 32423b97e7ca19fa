from ._util import SYN, by_kind, parse


def test_instagram_old_layout():
    items, problems, version = parse(SYN / "instagram_old", "instagram")
    assert problems == []
    assert version == "content/posts_1.json (2021–2023)"
    like = by_kind(items, "like")[0]
    assert like.target == "tkn.prabowogibran"
    assert like.locator.link == "https://www.instagram.com/p/Cx1/"
    assert by_kind(items, "follow")[0].target == "timnas.amin"
    posts = by_kind(items, "post")
    assert posts[0].text == "Jalan pagi di Simpang Lima 😂"  # mojibake repaired
    assert posts[1].text.startswith("Carousel: relawan 03")  # carousel caption at top level
    assert len(posts[1].media) == 2


def test_instagram_new_layout():
    items, problems, version = parse(SYN / "instagram_new", "instagram")
    assert problems == []
    assert version == "your_instagram_activity/ (2023+)"
    assert by_kind(items, "like")[0].target == "relawan_amin"
    assert by_kind(items, "follow")[0].target == "tpn_ganjarmahfud"  # user name in "title"
    c = by_kind(items, "comment")[0]
    assert c.text == "Cantik sekali fotonya 😍" and c.target == "fotografi.smg"
    bio = by_kind(items, "bio")[0].text
    assert "#salam3jari" in bio and "sri@example.org" not in bio
    # threads/ files belong to the Threads parser
    assert not any("threads" in i.locator.file for i in items)


def test_threads():
    items, problems, _ = parse(SYN / "instagram_new", "threads")
    assert problems == []
    assert [i.text for i in by_kind(items, "post")] == ["Thread pertama saya 🧵"]
    assert by_kind(items, "follow")[0].target == "gibran_rakabuming"
