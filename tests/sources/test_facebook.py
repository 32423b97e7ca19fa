from datetime import UTC, datetime

from ._util import REAL, SYN, by_kind, parse


def test_real_fbminer_samples_mojibake_and_messenger():
    items, problems, version = parse(REAL / "facebook", "facebook")
    assert problems == []
    assert version == "older layout (2018–2022)"
    msgs = by_kind(items, "message")
    # the profile names the owner (Jenő Rejtő): only their own messages, mojibake repaired
    assert msgs and all(m.text for m in msgs)
    assert msgs[0].text == "OUT! ❤"
    assert msgs[0].created_at == datetime.fromtimestamp(1596910928.321, tz=UTC)
    assert "Whet? Check this! :P" in [m.text for m in msgs]
    assert "OUT!" not in [m.text for m in msgs]  # Foo Bar's message is not the owner's
    likes = by_kind(items, "like")
    names = [lk.target for lk in likes]
    assert "Chocolate" in names
    assert any(n.startswith("Bírom azokat") for n in names)
    assert likes[0].locator.where == "$.profile.pages[0].pages[0]"


def test_old_layout():
    items, problems, version = parse(SYN / "facebook_old", "facebook")
    assert problems == []
    assert version == "older layout (2018–2022)"
    posts = by_kind(items, "post")
    assert posts[0].text == "Pilih nomor 02, Indonesia adil makmur 🇮🇩"
    assert posts[0].created_at == datetime.fromtimestamp(1548900000, tz=UTC)
    assert posts[0].locator.where == "$[0]"
    photo = [i for i in items if i.media]
    assert photo[0].text == "Foto bersama tim sukses di posko"
    assert photo[0].media == ["photos_and_videos/abc.jpg"]
    assert by_kind(items, "comment")[0].text == "Setuju, semoga lancar acaranya"
    likes = by_kind(items, "like")
    # the owner's name (from the profile) is dropped from the reaction sentence
    assert any(lk.target == "menyukai kiriman Relawan Jokowi-Amin." for lk in likes)
    assert any(lk.target == "Kuliner Semarang" for lk in likes)
    joins = by_kind(items, "join")
    assert [j.target for j in joins] == ["Relawan Prabowo-Sandi Jateng"]  # "left" entry skipped


def test_new_layout():
    items, problems, version = parse(SYN / "facebook_new", "facebook")
    assert problems == []
    assert version == "your_facebook_activity/ (2023+)"
    texts = [p.text for p in by_kind(items, "post")]
    assert "Selamat Hari Ibu untuk semua ibu hebat 💐" in texts
    assert "Sat set, 03 menang total! 🤘 #GanjarMahfud2024" in texts
    share = by_kind(items, "share")[0]
    assert share.urls == ["https://example.org/berita"]
    comment = by_kind(items, "comment")[0]
    assert comment.text == "Mantap, lanjutkan programnya 👍"
    assert comment.target == "Info Warga Tembalang"
    assert by_kind(items, "like")[0].target == "menyukai kiriman TKN Prabowo-Gibran."
    assert by_kind(items, "join")[0].target == "Relawan Ganjar-Mahfud Kota Semarang"
    assert by_kind(items, "follow")[0].target == "Ganjar Pranowo"
    assert [m.text for m in by_kind(items, "message")] == ["Sudah, makasih 😊"]
    assert by_kind(items, "bio")[0].text == "Abdi negara di Kota Semarang"


def test_mojibake_helper():
    from netral.sources.helpers import fix_mojibake

    assert fix_mojibake("T\u00c5\u0091ke Hal") == "Tőke Hal"
    assert fix_mojibake("D\u00c3\u00a9r D\u00c3\u00a9nes") == "Dér Dénes"
    assert fix_mojibake("\u00e2\u009d\u00a4") == "❤"
    assert fix_mojibake("café") == "café"  # already right: unchanged
    assert fix_mojibake("Ganjar 🤘") == "Ganjar 🤘"
