"""Common spellings of a contestant's name (pack pemilu-2024, 2024.7): "Anis" for Anies is a
name when titled or with the surname, weak alone, since Anis is a given name too (miss study:
attacks on "anis" went unflagged with no name found)."""

from __future__ import annotations

import pytest

from netral.detect.detector import get_detector


def _hits(text: str) -> list[tuple[str, str | None]]:
    doc = get_detector().document(text, model_p=0.5)
    return [(h.entry.group, h.entry.entity) for h in doc.ent_hits]


@pytest.mark.parametrize("text", [
    "Pak Anis kalau debat cuma bisa ngeles",
    "Anis Baswedan memang jago merangkai kata",
])
def test_titled_or_full_spelling_is_a_name(text: str) -> None:
    assert ("name", "pair-1") in _hits(text)


def test_bare_spelling_is_weak_and_takes_no_side_alone() -> None:
    text = "Bu Anis guru kelas 3 lagi cuti melahirkan"
    doc = get_detector().document(text, model_p=0.5)
    assert ("weak_name", "pair-1") in _hits(text)
    assert not doc.evidence  # no election context, no other name: a colleague, not Anies
