"""The calendar regimes of a dated text, read from the packs, and what the combiner is told.

After voting day of an election in force (the count, the court dispute, the new term) a text
takes a side only on the result (guideline point 5; DECISIONS.md 84, 85): ``after_vote``, with
an attack ``after_vote_attack``, whether the text talks of the result ``after_vote_result``,
of a camp's people ``after_vote_camp`` or of a vote share ``after_vote_share``.
Between elections (a date known, no election in force) it takes a side only by reference to an
election, past or coming (DECISIONS.md 29, 32, 33, 88): ``out_of_season``. An undated text is
assumed in neither."""

from __future__ import annotations

from datetime import date

import pytest

from netral.detect.combine import features
from netral.detect.detector import get_detector


def _features(text: str, when: str | None = None) -> dict[str, float]:
    return features(get_detector().document(text, when=when, model_p=0.5))


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


@pytest.mark.parametrize(
    ("day", "out"),
    [
        (None, False),  # no date: nothing is assumed
        (date(2022, 6, 13), True),  # the day before Pemilu 2024's stages (tahapan) began
        (date(2022, 9, 1), False),  # stages under way, before the parties were numbered
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


def test_after_vote_and_out_of_season_never_both():
    kb = get_detector().kb
    day = date(2019, 3, 1)
    while day < date(2026, 1, 1):
        live = kb.live_packs(day)
        assert not (kb.after_vote(live, day) and kb.out_of_season(live, day)), day
        day = date.fromordinal(day.toordinal() + 13)


def test_the_combiner_sees_after_vote():
    text = "Prabowo penculik, dasar tolol"
    during, after = _features(text, "2024-01-10"), _features(text, "2024-03-01")
    assert during["after_vote"] == 0.0 and after["after_vote"] == 1.0
    assert after["after_vote_attack"] == after["ev_serangan"] > 0


def test_the_combiner_sees_out_of_season():
    text = "Gibran itu cuma anak presiden, kerjanya apa?"
    assert _features(text, "2024-01-10")["out_of_season"] == 0.0
    assert _features(text, "2025-06-01")["out_of_season"] == 1.0
    undated = _features(text)
    assert undated["out_of_season"] == 0.0 and undated["after_vote"] == 0.0


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
    after, during = _features(text, "2024-03-01"), _features(text, "2024-01-10")
    assert after["after_vote_result"] == (1.0 if talks else 0.0)
    assert during["after_vote_result"] == 0.0  # only after voting day


@pytest.mark.parametrize(
    ("text", "camp", "share"),
    [
        ("Pendukung 01 masih belum bisa move on ya", True, False),
        ("Cuma dapat 16% kok masih ngotot", False, True),
        ("Kaum 58 persen kok diam saja sekarang", True, True),
        ("Semoga Pak Prabowo sehat selalu dan amanah", False, False),
    ],
)
def test_after_voting_day_the_combiner_sees_a_camp_and_a_vote_share(text, camp, share):
    after, during = _features(text, "2024-03-01"), _features(text, "2024-01-10")
    assert after["after_vote_camp"] == (1.0 if camp else 0.0)
    assert after["after_vote_share"] == (1.0 if share else 0.0)
    assert during["after_vote_camp"] == during["after_vote_share"] == 0.0  # only after voting day
