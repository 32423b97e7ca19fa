"""The balance mitigation (``berimbang``): every contestant of a contest referred to lowers the
rules' reading, unless what the text says for or against a side binds to some of them only
(issue 10, miss study: one-sided texts naming every pair were kampanye two times in three)."""

from __future__ import annotations

import pytest

from netral.detect.detector import get_detector


def _doc(text: str):
    return get_detector().document(text, model_p=0.5)


@pytest.mark.parametrize("text", [
    "Prabowo Gibran lawan Ganjar Mahfud, yang satu lagi si Anies memang goblok 😂",
    "Anies, Prabowo, Ganjar ikut debat semua tapi cuma Prabowo yang pembohong",
])
def test_one_side_attacked_among_all_named_is_not_balanced(text: str) -> None:
    doc = _doc(text)
    assert "berimbang" not in doc.applied
    assert any(w.evidence.category == "serangan" for w in doc.weighed)


@pytest.mark.parametrize("text", [
    "Debat malam ini Anies, Prabowo dan Ganjar sama-sama menjawab soal harga pangan",
    "Anies bodoh, Prabowo bodoh, Ganjar juga bodoh",
])
def test_all_named_alike_stays_balanced(text: str) -> None:
    # mentions alone, or the same said of every side: balanced
    assert "berimbang" in _doc(text).applied
