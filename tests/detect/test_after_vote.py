"""After voting day of an election in force (the count, the court dispute, the new term) a text
takes a side only on the result (guideline point 5; DECISIONS.md 84, 85): the combiner is told
the date falls there, and learns what an attack means then."""

from __future__ import annotations

from datetime import date

import pytest

from netral.detect.combine import features
from netral.detect.detector import get_detector


@pytest.mark.parametrize(
    ("day", "after"),
    [
        (None, False),  # no date: nothing is assumed
        (date(2024, 1, 10), False),  # campaign
        (date(2024, 2, 14), False),  # voting day itself
        (date(2024, 3, 1), True),  # the count and the dispute
        (date(2024, 5, 1), True),  # before the inauguration, pack still in force
        (date(2024, 10, 5), False),  # the Pilkada 2024 campaign: that race still votes
        (date(2024, 12, 15), True),  # after the Pilkada 2024 vote
        (date(2019, 5, 22), True),  # Pemilu 2019, the same after its vote
        (date(2022, 6, 1), False),  # no election in force
    ],
)
def test_after_vote_is_read_from_the_packs(day, after):
    kb = get_detector().kb
    assert kb.after_vote(kb.live_packs(day), day) is after


def test_the_combiner_sees_it():
    det = get_detector()
    text = "Prabowo penculik, dasar tolol"
    feats = {}
    for when in ("2024-01-10", "2024-03-01"):
        feats[when] = features(det.document(text, when=when, model_p=0.5))
    assert feats["2024-01-10"]["after_vote"] == 0.0 and feats["2024-03-01"]["after_vote"] == 1.0
    assert feats["2024-03-01"]["after_vote_attack"] == feats["2024-03-01"]["ev_serangan"] > 0


@pytest.mark.parametrize(
    ("text", "talks"),
    [
        ("Hasil MK sudah jelas, 02 menang, yang kalah legowo saja", True),
        ("Katanya suara dicurangi, rekap KPU tidak sesuai C1", True),
        ("Semoga Pak Prabowo sehat selalu dan amanah", False),
        ("Gibran itu cuma anak presiden, kerjanya apa?", False),
    ],
)
def test_after_voting_day_the_combiner_sees_talk_of_the_result(text, talks):
    det = get_detector()
    after = features(det.document(text, when="2024-03-01", model_p=0.5))
    during = features(det.document(text, when="2024-01-10", model_p=0.5))
    assert after["after_vote_result"] == (1.0 if talks else 0.0)
    assert during["after_vote_result"] == 0.0  # only after voting day
