"""Issue 10, fifth pass: texts that take no side — questions about whom to choose, "whoever
wins", "all the candidates", indecision, and meme captions — designed on the out-of-source
false alarms of the training split. The examples are paraphrases written for these tests
(guideline points 7 and 9, DECISIONS.md D5, D23 and open question 12), not corpus texts."""

from __future__ import annotations

import pytest

from netral.detect import combine, floors
from netral.detect.detector import get_detector
from netral.detect.document import Document


def _doc(text: str) -> Document:
    return get_detector().document(text, model_p=0.5)


def _evidence(text: str) -> list[tuple[str, bool, str]]:
    return [(w.evidence.category, w.evidence.strong, w.evidence.note) for w in _doc(text).weighed]


@pytest.mark.parametrize("text", [
    "bang kalau putaran kedua nanti nyoblos siapa?",          # an interrogative after the verb
    "kalian mau dukung yang mana nih, Anies atau Ganjar",
    "Jadinya kamu dukung Prabowo atau Ganjar?",               # alternatives, then a "?"
    "pilih 01 apa 03 ya?",
])
def test_a_question_about_the_choice_is_not_a_call(text: str) -> None:
    ev = _evidence(text)
    assert not any(cat in ("ajakan_memilih", "dukungan") and strong for cat, strong, _ in ev), ev


def test_a_question_naming_a_contestant_is_a_mention_with_its_note() -> None:
    ev = _evidence("Jadinya kamu dukung Prabowo atau Ganjar?")
    assert ("sebutan_calon", False, "tanya") in ev


@pytest.mark.parametrize("text", [
    "Pilih siapa lagi kalau bukan Prabowo",                   # the rhetorical answer
    "Ayo dukung Anies! Kalian mau dipimpin yang lain?",      # the "?" is another sentence
    "Pilpres nanti pilih siapa? Ayo pilih Anies!",            # the answer follows the question
    "Saya pilih Ganjar, kamu pilih siapa?",                   # the writer's own choice stands
])
def test_a_call_or_a_choice_beside_a_question_stays_explicit(text: str) -> None:
    ev = _evidence(text)
    assert any(cat in ("ajakan_memilih", "dukungan") and strong for cat, strong, _ in ev), ev


@pytest.mark.parametrize("text", [
    "siapapun presidennya nanti yang penting harga beras turun",
    "siapa pun yang menang semoga amanah dan Pak Anies tetap sehat",
    "semua paslon punya kelebihan masing-masing, Prabowo juga",
    "masih bingung mau pilih Prabowo atau Ganjar",
    "jujur aku belum nentuin pilihan, Anies bagus Ganjar bagus",
])
def test_a_text_that_takes_no_side_in_so_many_words_is_mitigated(text: str) -> None:
    doc = _doc(text)
    assert "tanpa_pihak" in doc.applied
    assert combine.features(doc)["mit_tanpa_pihak"] == 1.0


@pytest.mark.parametrize("text", [
    "Ganjar paling mendingan dari ketiga capres",              # ranking takes a side (D5, D23)
    "Kedua pasangan itu datang ke pasar pagi ini",            # "both" in a report is no stance
    "Ayo pilih Anies, menang satu putaran!",
    "buat yang masih galau, pilih 02 aja",                  # advice to the undecided is a call
    "kalau masih bingung pilih Ganjar saja",                # said to others, not the writer's
])
def test_ranking_or_plain_talk_is_not_read_as_even_handed(text: str) -> None:
    assert "tanpa_pihak" not in _doc(text).applied


def test_explicit_support_is_untouched_by_even_handed_words() -> None:
    # the mitigation lowers weak evidence only: a declared choice stays the floor it was
    text = "Siapapun presidennya, pilihan saya tetap Anies"
    doc = _doc(text)
    assert "tanpa_pihak" in doc.applied
    assert doc.rule_score >= floors.FLOOR_AT
    assert get_detector().check(text).verdict.value == "kampanye"


def test_the_mitigation_is_explained_in_both_languages() -> None:
    res = get_detector().check("siapa pun yang menang semoga amanah, Pak Anies hebat")
    notes = {m.category: m.note for m in res.mitigations}
    assert "siapa pun" in notes["tanpa_pihak"].lower()
    res_en = get_detector().check("siapa pun yang menang semoga amanah, Pak Anies hebat",
                                  lang="en")
    assert "whoever wins" in {m.category: m.note for m in res_en.mitigations}["tanpa_pihak"]


@pytest.mark.parametrize("text,caption", [
    ("Anies setelah lihat debat semalam: https://t.co/abc123", True),
    ("pak Prabowo ketika ditanya soal makan siang:", True),
    ("Debat capres malam ini: https://t.co/abc123", False),      # no "when", a plain label
    ("Ketika Ganjar datang, warga menyambut di alun-alun", False),
])
def test_a_meme_caption_is_a_shape_the_combiner_reads(text: str, caption: bool) -> None:
    assert combine.shape(text)["caption"] == (1.0 if caption else 0.0)
