"""Between elections (a date known, no election in force) a text takes a side only by
reference to an election, past or coming (DECISIONS.md 29, 32, 33, 88): the combiner is told
the date falls there, the third regime beside the campaign and after voting day."""

from __future__ import annotations

from datetime import date

import pytest

from netral.detect.combine import features
from netral.detect.detector import get_detector


@pytest.mark.parametrize(
    ("day", "out"),
    [
        (None, False),  # no date: nothing is assumed
        (date(2022, 6, 1), True),  # before Pemilu 2024's parties were numbered
        (date(2023, 1, 10), False),  # Pemilu 2024 in force, before its campaign
        (date(2024, 1, 10), False),  # campaign
        (date(2024, 3, 1), False),  # after voting day: after_vote's regime, not this one
        (date(2025, 6, 1), True),  # after the Pilkada 2024 pack's end
        (date(2021, 12, 1), True),  # between Pilkada 2020 and Pemilu 2024
    ],
)
def test_out_of_season_is_read_from_the_packs(day, out):
    kb = get_detector().kb
    assert kb.out_of_season(kb.live_packs(day), day) is out


def test_the_combiner_sees_it():
    det = get_detector()
    text = "Gibran itu cuma anak presiden, kerjanya apa?"
    feats = {when: features(det.document(text, when=when, model_p=0.5))
             for when in ("2024-01-10", "2025-06-01")}
    assert feats["2024-01-10"]["out_of_season"] == 0.0
    assert feats["2025-06-01"]["out_of_season"] == 1.0
    undated = features(det.document(text, model_p=0.5))
    assert undated["out_of_season"] == 0.0 and undated["after_vote"] == 0.0


def test_after_vote_and_out_of_season_never_both():
    kb = get_detector().kb
    day = date(2019, 3, 1)
    while day < date(2026, 1, 1):
        live = kb.live_packs(day)
        assert not (kb.after_vote(live, day) and kb.out_of_season(live, day)), day
        day = date.fromordinal(day.toordinal() + 13)
