from datetime import datetime, timedelta, timezone

import pytest

from netral.sources.whatsapp import HEADER, parse_chat, to_datetime

from ._util import REAL, SYN, by_kind, parse

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    "name,expected_first",
    [
        ("pustur_short_chat_ddmmyyyy_24h_multiline.txt", datetime(2017, 3, 6, 0, 45, tzinfo=WIB)),
        ("whatstk_example_12h_AMPM.txt", datetime(2016, 4, 15, 15, 4, tzinfo=WIB)),
        ("whatstk_example_12h_pm_dotted.txt", datetime(2016, 4, 15, 15, 4, tzinfo=WIB)),
        ("whatstk_lorem_ios_bracket_seconds.txt", datetime(2020, 1, 15, 2, 22, 56, tzinfo=WIB)),
        ("whatstk_pokemon_android_ddmmyyyy_dot.txt", datetime(2016, 4, 15, 15, 4, tzinfo=WIB)),
    ],
)
def test_real_samples_every_line_parsed(name, expected_first):
    text = (REAL / "whatsapp" / name).read_text("utf-8")
    msgs, order = parse_chat(text)
    assert to_datetime(msgs[0], order, WIB) == expected_first
    headers = [ln for ln in text.splitlines() if HEADER.match(ln.replace("\u200e", ""))]
    assert len(msgs) == len(headers) > 5 or name.startswith("pustur")
    assert all(to_datetime(m, order, WIB) is not None for m in msgs)


def test_real_multiline_and_attribution_with_me():
    items, problems, _ = parse(REAL / "whatsapp", "whatsapp", me=("+410123456789", "Mary"))
    assert problems == []
    msgs = by_kind(items, "message")
    multi = [m for m in msgs if m.text.startswith("How are you?")]
    assert multi[0].text == "How are you?\nIs everything alright?"
    assert multi[0].locator.where == "line 5"
    assert {m.extra["author"] for m in msgs} == {"+410123456789", "Mary"}
    assert any("🇩🇰" in m.text for m in msgs)  # emoji kept
    # group names come from "created group" system lines
    assert {j.target for j in by_kind(items, "join")} >= {"ShortChat", "Sample Group"}


def test_real_samples_without_me_report_unknown_self():
    items, problems, version = parse(REAL / "whatsapp", "whatsapp")
    assert by_kind(items, "message") == []
    assert {p.code for p in problems} == {"self_unknown"}
    assert "iOS" in version and "Android" in version


def test_indonesian_export_self_inferred_from_deleted_message():
    items, problems, version = parse(SYN / "whatsapp_id", "whatsapp")
    assert problems == []
    assert version == "Android id-ID"
    msgs = by_kind(items, "message")
    assert all(m.extra["author"] == "Sri Wahyuni" for m in msgs)
    texts = [m.text for m in msgs]
    assert texts[0] == "Siap pak, saya bawa sapu"
    assert texts[1] == (
        "Bapak ibu, jangan lupa 14 Februari coblos nomor 2 ya\n"
        "biar lanjut terus pembangunannya\n#PrabowoGibran2024"
    )
    assert msgs[1].created_at == datetime(2024, 1, 13, 19, 30, tzinfo=WIB)
    photo = msgs[2]
    assert photo.media == ["IMG-20240113-WA0007.jpg"] and photo.text == "Foto kerja bakti kemarin"
    assert "Anda menghapus pesan ini" not in texts
    join = by_kind(items, "join")[0]
    assert join.target == "Grup RT 05 Sendangmulyo"


def test_ios_lrm_narrow_space_ampm_month_first():
    items, problems, version = parse(SYN / "whatsapp_ios", "whatsapp")
    assert problems == []
    assert version == "iOS"
    msgs = by_kind(items, "message")
    assert [m.text for m in msgs] == ["Pagi! Nanti sore makan bareng?", ""]
    assert msgs[0].created_at == datetime(2024, 3, 6, 9, 7, 2, tzinfo=WIB)
    assert msgs[1].media == ["<media>"]


def test_me_option_overrides_inference():
    items, _, _ = parse(SYN / "whatsapp_id", "whatsapp", me=("Bu Ani",))
    msgs = by_kind(items, "message")
    assert [m.text for m in msgs] == ["", "Kok bahas politik di grup RT bu 🙏"]
    assert msgs[0].media == ["<media>"]  # "<Media tidak disertakan>"
