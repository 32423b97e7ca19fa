"""The remembered reading of a ballot number (numbers.choose_numbered) is the one ranking the
entities afresh gives, for every context it depends on, and the memory stays bounded."""

from __future__ import annotations

from datetime import date
from itertools import product

from netral.detect import numbers
from netral.detect.detector import get_detector

DAYS = (None, date(2019, 3, 1), date(2019, 5, 1), date(2024, 1, 20), date(2024, 10, 15),
        date(2022, 6, 1), date(2017, 2, 1))


def _contexts(kb):
    contests = sorted({(p.name, e.contest) for p in kb.packs for e in p.entities
                       if e.contest is not None})
    local = [(p.name, c.id) for p in kb.packs if p.election == "pilkada" for c in p.contests]
    named = (frozenset(), frozenset(contests[:1]), frozenset(contests[-2:]))
    regions = (frozenset(), frozenset(local[:1]), frozenset(local[-3:]))
    return product(sorted(kb._numbered), DAYS, (False, True), (False, True), named, regions)


def test_remembered_choice_is_the_fresh_ranking(monkeypatch) -> None:
    kb = get_detector().kb
    monkeypatch.setattr(kb, "number_choices", {})
    for _ in range(2):  # asked afresh, then remembered
        for num, day, party, pilkada, named, regions in _contexts(kb):
            got = numbers.choose_numbered(num, day, party, pilkada, named, regions, kb)
            assert got == numbers._choose(num, day, party, pilkada, named, regions, kb)


def test_remembered_choices_stay_bounded(monkeypatch) -> None:
    kb = get_detector().kb
    monkeypatch.setattr(kb, "number_choices", {})
    monkeypatch.setattr(numbers, "CHOICES_MAX", 7)
    for num, day, party, pilkada, named, regions in _contexts(kb):
        got = numbers.choose_numbered(num, day, party, pilkada, named, regions, kb)
        assert len(kb.number_choices) <= 7
        assert got == numbers._choose(num, day, party, pilkada, named, regions, kb)


def test_texts_read_numbers_as_before(monkeypatch) -> None:
    det = get_detector()
    texts = ["coblos 02 prabowo gibran", "salam 3 jari", "paslon 1 pilkada jakarta mantap",
             "nomor 2 partai", "pilih nomor 1 di pilgub jabar"]
    first = [det.check(t).to_dict() for t in texts]
    monkeypatch.setattr(det.kb, "number_choices", {})
    assert [det.check(t).to_dict() for t in texts] == first
