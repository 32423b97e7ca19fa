"""News reports and the camp's posts written like them (guideline point 6, DECISIONS.md D8,
D61): what a report tells is not the writer's call, while a campaign post in report form keeps
what makes it one — the first person, an exclamation, a camp tag. Made-up texts only (the
place "Sukamaju" and the people in them are invented)."""

from __future__ import annotations

import pytest

from netral.detect import combine, floors
from netral.detect.context import news_form
from netral.detect.detector import get_detector
from netral.detect.result import Verdict

WHEN = "2024-01-20"  # the 2024 presidential campaign


def _doc(text: str, kind: str = "post"):
    det = get_detector()
    doc = det.document(text, kind, WHEN, model_p=0.5)
    return doc


def _evidence(text: str, kind: str = "post") -> list[tuple[str, bool, str]]:
    return [(w.evidence.category, w.evidence.strong, w.evidence.note)
            for w in _doc(text, kind).weighed]


def _flagged(text: str) -> bool:
    return get_detector().check(text, when=WHEN).verdict is not Verdict.NETRAL


# -- the causative "memenangkan" in a stating form ------------------------------------------

# (a third party urging others to win it for a pair: test_real_text_rules, stating forms)

@pytest.mark.parametrize("text", [
    "Ayo kita menangkan Anies-Muhaimin di Pemilu 2024!",
    "Kami relawan Sukamaju siap memenangkan Ganjar-Mahfud di Pilpres 2024",
])
def test_the_writers_own_call_to_win_stays_explicit(text: str) -> None:
    assert any(cat in ("ajakan_memilih", "dukungan") and strong
               for cat, strong, _ in _evidence(text)), _evidence(text)
    assert _flagged(text)


# -- a report's house style -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Capres nomor urut 2, Prabowo Subianto, menerima dukungan dari ribuan petani di "
    "Sukamaju, Sabtu (20/1/2024).",
    "JAKARTA - Bacapres PDIP Ganjar Pranowo menerima dukungan dari "
    "paguyuban pedagang Sukamaju.",
    "Ribuan nelayan Sukamaju menyatakan dukungan kepada Anies-Muhaimin. \"Nasib nelayan "
    "harus membaik,\" ujar Budi.",
])
def test_a_report_of_support_is_no_floor(text: str) -> None:
    assert news_form(text)
    doc = _doc(text)
    assert doc.rule_score < floors.FLOOR_AT, [(w.evidence.category, w.weight)
                                               for w in doc.weighed]
    assert not any(w.evidence.strong and w.evidence.category in ("ajakan_memilih", "dukungan")
                   for w in doc.weighed)


@pytest.mark.parametrize("text", [
    # the camp's voice added to the report: an exclamation and the first person
    "Capres nomor urut 2, Prabowo Subianto, menerima dukungan dari ribuan petani di "
    "Sukamaju. Kami siap menangkan Prabowo!",
    # a camp tag on the report (point 4)
    "Capres nomor urut 2, Prabowo Subianto, menerima dukungan dari ribuan petani di "
    "Sukamaju, Sabtu (20/1/2024). #PrabowoGibran2024",
])
def test_a_campaign_post_in_report_form_stays_flagged(text: str) -> None:
    doc = _doc(text)
    assert doc.rule_score >= floors.FLOOR_AT or any(
        w.evidence.strong and w.evidence.category in floors.FLOOR_TAGS for w in doc.weighed)
    assert _flagged(text)


def test_news_form_needs_the_house_style_and_no_exclamation() -> None:
    assert news_form("Ketua DPP PDIP Budi Santoso mengatakan rapat digelar besok.")
    assert news_form("Anies menyapa warga Sukamaju, Selasa (5/9).")
    assert not news_form("Ketua DPP PDIP hebat! Rapat digelar besok (5/9)")
    assert not news_form("ayo dukung Ganjar, pasti menang")
    # a quote headline, and the camp quoting its candidate with an exclamation
    assert news_form("Budi Santoso: Harga Beras di Sukamaju Turun Bulan Depan")
    assert not news_form("Anies: Kita Menangkan Perubahan!")


@pytest.mark.parametrize("text", [
    "Dana desa Sukamaju naik tahun depan, sebut Budi Santoso",  # attribution
    "Debat digelar di Sukamaju pada Sabtu (20 Januari) malam",  # a day and a bracket
    "Tahapan kampanye (pilkada) Sukamaju dimulai bulan depan",  # an abbreviation in brackets
    "Sukamaju, Kompas TV -- Warga memadati balai desa",  # a dateline with an outlet
    "Rapat itu tertutup, kata Budi kepada wartawan di Sukamaju",  # a reporter's phrase
])
def test_the_form_and_the_count_read_the_same_marks(text: str) -> None:
    # one set of patterns for both: what makes the form a report is a mark the count sees
    from netral.detect.news import news_marks
    low = text.casefold()
    assert news_form(text), text
    assert news_marks(text, low, set(low.split())) >= 1, text


def test_the_combiners_news_features() -> None:
    report = combine.features(_doc(
        "Capres nomor urut 3 Ganjar Pranowo mengatakan pihaknya akan menambah "
        "insentif petani muda, Sabtu (20/1/2024)... https://t.co/abc #Pemilu2024KCM"))
    assert report["news_marks"] > 0.5
    assert report["news_clean"] > 0.5
    assert report["media_tag"] == 1.0
    assert report["news_form"] == 1.0
    assert report["exclaim_emoji"] == 0.0
    post = combine.features(_doc(
        "Capres nomor urut 3 Ganjar Pranowo mengatakan pihaknya akan menambah "
        "insentif petani muda 🔥🔥 #GanjarMahfud2024"))
    assert post["news_marks"] > 0.5
    assert post["news_clean"] == 0.0  # the camp's tag and its emoji
    assert post["exclaim_emoji"] == 1.0
    assert post["media_tag"] == 0.0


# -- party titles are not the writer's membership ---------------------------------------------

@pytest.mark.parametrize("text", [
    "Ketua DPP PDIP Budi Santoso mengatakan kader siap mendukung program desa Sukamaju.",
    "Ratusan kader Gerindra Sukamaju mendukung penuh acara bakti sosial, kata panitia.",
])
def test_somebody_elses_party_title_is_not_membership(text: str) -> None:
    ev = _evidence(text)
    assert ("anggota_partai", True, "") not in ev, ev


@pytest.mark.parametrize("text", [
    "Kader PDIP sejak 2010, bangga mendukung partai ini.",
    "Saya kader Gerindra sejak 2010, bangga sekali.",
    "Aku anggota PKB, bangga dengan perjuangan para kyai",
])
def test_the_writers_own_membership_stays_explicit(text: str) -> None:
    assert ("anggota_partai", True, "") in _evidence(text), _evidence(text)


def test_membership_in_a_bio_is_always_the_writers() -> None:
    assert ("anggota_partai", True, "") in _evidence("Ketua DPC PKB Sukamaju. Penggemar kopi.",
                                                     "bio")


# -- a debate moderator's turn; a coalition's name --------------------------------------------

def test_a_moderators_turn_is_broadcast_not_a_side() -> None:
    text = "Baik, waktunya habis. Silakan paslon 02 menanggapi, waktunya satu menit."
    doc = _doc(text)
    assert "berita" in doc.applied
    assert not _flagged(text)


def test_a_call_beside_moderator_words_stays_flagged() -> None:
    assert _flagged("Debat tadi mantap, waktunya habis pun Prabowo tetap tenang. Coblos 02!")


def test_a_coalitions_name_is_not_its_slogan() -> None:
    ev = _evidence("Bacapres Koalisi Perubahan, Anies, berkunjung ke pasar Sukamaju.")
    assert not any(cat == "slogan_tagar" for cat, _, _ in ev), ev


def test_the_slogan_word_outside_the_coalitions_name_still_counts() -> None:
    text = "Ayo wujudkan perubahan bersama Anies!"
    assert any(cat == "slogan_tagar" for cat, _, _ in _evidence(text))
    assert _flagged(text)


@pytest.mark.parametrize("text", [
    "DPP Forum Sukamaju memastikan akan dukung Ridwan Kamil di Pilkada 2024 #detikPemilu "
    "https://t.co/abc",
    "massa dukung paslon urut anies baswedan mulai padat stadion sukamaju newsupdate update",
])
def test_an_outlet_tag_makes_a_report(text: str) -> None:
    # an outlet's own tag or sign-off is a report's form: a vote verb in it tells (issue 10, fa20)
    doc = get_detector().document(text, model_p=0.2)
    assert not any(w.evidence.strong for w in doc.weighed), doc.weighed
    assert doc.rule_score < floors.FLOOR_AT


def test_an_outlet_tag_does_not_hide_a_call() -> None:
    doc = get_detector().document("Ayo dukung Ridwan Kamil #detikPemilu", model_p=0.2)
    assert any(w.evidence.category == "ajakan_memilih" and w.evidence.strong for w in doc.weighed)
