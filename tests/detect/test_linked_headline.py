"""Issue 10, fourth pass continued: a news headline shared with its link is news even when its
words are names and words netral has no list for (made-up texts, no corpus text)."""

from __future__ import annotations

import pytest

from netral.detect.context import is_headline
from netral.detect.detector import get_detector


def _headline(text: str) -> bool:
    return is_headline(get_detector().document(text, model_p=0.5))


@pytest.mark.parametrize("text", [
    "Klaim Koalisi Makin Solid, Tokoh Sukamaju Optimis Anies Menang Pilpres https://t.co/abc1",
    "Relawan Hadir di Kota Sukamaju, Budi Santoso Ajak Dukung Ganjar – https://t.co/x1",
    "Begini Pesan Prabowo saat Hadiri Pelatihan Kader di Sukamaju https://t.co/q9",
])
def test_a_title_case_line_ending_in_a_link_is_a_headline(text: str) -> None:
    assert _headline(text)


@pytest.mark.parametrize("text", [
    # a call in Title Case: the exclamation mark is a poster's, not a headline's
    "Ayo Warga Sukamaju Dukung Ganjar Menang Satu Putaran! https://t.co/abc1",
    # lower-case words outside a headline's function words: a post
    "pokoknya tetap dukung Anies sampai menang ya guys https://t.co/abc1",
    # a reply that opens with a handle
    "@budi_s Klaim Koalisi Makin Solid Tokoh Optimis Anies Menang https://t.co/abc1",
    # first person
    "Saya Tetap Dukung Prabowo Gibran Sampai Menang Nanti https://t.co/abc1",
    # no link at the end
    "Klaim Koalisi Makin Solid, Tokoh Sukamaju Optimis Anies Menang Pilpres",
    # shouting in capitals
    "DUKUNG GANJAR MAHFUD MENANG SATU PUTARAN https://t.co/abc1",
])
def test_posts_are_not_linked_headlines(text: str) -> None:
    from netral.detect.context import _linked_title

    assert not _linked_title(get_detector().document(text, model_p=0.5))


@pytest.mark.parametrize("text", [
    "Pengamat di Sukamaju menilai Ganjar unggul di desa-desa pada Pemilu 2024. https://t.co/ab",
    "Tim relawan Anies di Sukamaju menilai peluang satu putaran terbuka. https://t.co/cd",
])
def test_one_reporting_word_in_a_linked_lede_is_news(text: str) -> None:
    doc = get_detector().document(text, model_p=0.5)
    assert "berita" in doc.applied


@pytest.mark.parametrize("text", [
    "Saya mengaku dukung Ganjar di Pemilu 2024 https://t.co/ab",
    "@budi_s katanya Anies menang satu putaran https://t.co/cd",
    "Kata orang Prabowo pasti menang! https://t.co/ef",
])
def test_a_post_with_a_link_is_no_lede(text: str) -> None:
    from netral.detect.context import _linked_lede

    assert not _linked_lede(get_detector().document(text, model_p=0.5))


def test_the_handles_a_reply_opens_with_are_not_what_it_is_about() -> None:
    # a reply to a candidate's account that talks about the weather names nobody; the same
    # name in the body is a mention (issue 10, fourth pass continued)
    from netral.detect import combine

    det = get_detector()
    reply = combine.features(det.document("@ganjarpranowo hujan terus dari pagi di sini", model_p=0.5))
    body = combine.features(det.document("hujan terus dari pagi, ganjarpranowo di sini", model_p=0.5))
    assert reply["targets"] == 0.0 and reply["ev_sebutan_calon"] == 0.0
    assert body["targets"] > 0.0
