"""Mocking nicknames (``mock``) and epithets for a camp's supporters (``camp_epithets``): each is
read as an attack on the contestant it targets, explained in both languages; an affectionate
nickname is not an attack, and a headline quoting a nickname is read as news.

The terms, their years and targets are listed in docs/mocking.md (the labellers' reference,
guideline point 3). Parametrized over terms (ids ``<pack>/<entity id>/<term>``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import netral
from netral import Verdict
from netral.detect.detector import get_detector
from netral.packs import load_packs

DOC = Path(__file__).resolve().parents[2] / "docs" / "mocking.md"


def _campaign_day(pack) -> date:
    period = next(p for p in pack.campaign_periods if p.kind == "kampanye")
    return period.start + (period.end - period.start) / 2


def _terms(field: str) -> list:
    return [
        pytest.param(pack, e, term, _campaign_day(pack), id=f"{pack.name}/{e.id}/{term}")
        for pack in load_packs()
        for e in pack.entities
        for term in getattr(e, field)
    ]


MOCK = _terms("mock")
CAMP = _terms("camp_epithets")


def _attacks(text: str, day: date):
    doc = get_detector().document(text, when=day)
    return doc, [w for w in doc.weighed if w.evidence.category == "serangan"]


@pytest.mark.parametrize(("pack", "entity", "term", "day"), MOCK)
def test_a_mocking_nickname_is_an_attack_on_its_target(pack, entity, term, day) -> None:
    target = f"{pack.name}/{entity.id}"
    doc, attacks = _attacks(f"Dasar {term}, bikin malu saja.", day)
    hit = [w for w in attacks if w.target_id == target and w.evidence.note == "julukan"]
    assert hit, (term, [(w.evidence.category, w.target_id, w.evidence.note) for w in doc.weighed])
    assert hit[0].evidence.strong and hit[0].weight >= 0.8
    r = netral.check(f"Dasar {term}, bikin malu saja.", when=day)
    assert r.verdict is Verdict.KAMPANYE, (term, r.verdict, r.score)
    reason = next(x for x in r.reasons if x.target_id == target)
    assert reason.category == "serangan" and term.lower() in reason.text.lower()


@pytest.mark.parametrize(("pack", "entity", "term", "day"), CAMP)
def test_an_epithet_for_supporters_attacks_the_camp_below_the_floor(pack, entity, term,
                                                                   day) -> None:
    target = f"{pack.name}/{entity.id}"
    doc, attacks = _attacks(f"Dasar {term}, bikin malu saja.", day)
    hit = [w for w in attacks if w.target_id == target and w.evidence.note == "julukan_pendukung"]
    assert hit, (term, [(w.evidence.category, w.target_id, w.evidence.note) for w in doc.weighed])
    # the combiner weighs it: such words are thrown at people who are no camp's too
    assert not hit[0].evidence.strong and hit[0].weight < 0.8


def test_a_nickname_as_a_hashtag_mocks_as_the_words_do() -> None:
    _, attacks = _attacks("Janjinya manis semua, percaya saja #Prabohong", date(2024, 1, 10))
    assert any(w.target_id == "pemilu-2024/pair-2" and w.evidence.note == "julukan"
               for w in attacks)


def test_a_nickname_counts_as_naming_its_target() -> None:
    # a weak name of the same contestant ("Bowo") counts once the nickname named him
    doc, _ = _attacks("Bowo itu prabohong", date(2024, 1, 10))
    groups = {h.entry.group for h in doc.ent_hits}
    assert {"weak_name", "mock"} <= groups
    assert any(w.evidence.category == "sebutan_calon" or w.evidence.note == "julukan"
               for w in doc.weighed if w.target_id == "pemilu-2024/pair-2")


def test_outside_any_election_a_nickname_weighs_less() -> None:
    _, in_race = _attacks("Samsul lagi bikin malu", date(2024, 1, 10))
    _, later = _attacks("Samsul lagi bikin malu", date(2026, 3, 1))
    assert in_race[0].weight == 0.8
    assert later[0].weight < in_race[0].weight


@pytest.mark.parametrize("text", [
    "Prabowo gemoy banget hari ini, semangat terus!",
    "Anak abah solid, semangat pak!",
])
def test_an_affectionate_nickname_is_not_an_attack(text) -> None:
    doc, attacks = _attacks(text, date(2024, 1, 10))
    assert not attacks, [(w.evidence.category, w.evidence.note) for w in attacks]
    assert all(t.stance == "support" for t in doc.targets.values())


def test_a_name_after_an_honorific_is_somebodys_name() -> None:
    _, attacks = _attacks("Pak Abud tetangga saya orangnya baik", date(2024, 1, 10))
    assert not attacks


def test_the_explanation_names_the_term_the_target_and_the_rule_in_both_languages() -> None:
    day = date(2024, 1, 10)
    r = netral.check("Samsul lagi2 bikin malu", when=day)
    assert r.verdict is not Verdict.NETRAL
    assert "«Samsul» adalah julukan ejekan untuk 02 Prabowo–Gibran" in r.advice
    assert "pedoman butir 3" in r.advice and "SKB Netralitas ASN 2022" in r.advice
    en = netral.check("Samsul lagi2 bikin malu", when=day, lang="en")
    assert "“Samsul” is a mocking nickname for 02 Prabowo–Gibran" in en.advice
    assert "guideline point 3" in en.advice and "SKB Netralitas ASN 2022" in en.advice
    camp = netral.check("dasar kadrun, otaknya cuma isinya benci, pilpres ini jangan ikut2",
                        when=day, lang="en")
    if camp.verdict is not Verdict.NETRAL:
        assert "mocking name for the supporters of 01 Anies" in camp.advice


def test_a_headline_quoting_a_nickname_is_read_as_news() -> None:
    day = date(2023, 12, 23)
    headline = 'Warganet Juluki Gibran "Samsul" Usai Salah Sebut Asam Sulfat - Kompas.com'
    r = netral.check(headline, when=day)
    plain = netral.check(headline.replace(' "Samsul"', ""), when=day)
    assert r.verdict is plain.verdict is Verdict.NETRAL, (r.score, r.reasons)
    _, attacks = _attacks(headline, day)
    # quoted in a report: lowered and no longer explicit, as any quoted evidence
    assert attacks and all(not w.evidence.strong and w.weight < 0.8 for w in attacks)


def test_the_reference_lists_every_shipped_term() -> None:
    text = DOC.read_text(encoding="utf-8").casefold()
    rows = [line for line in text.splitlines() if line.startswith("|")]
    cells = " ".join(line.split("|")[1] for line in rows)
    for param in [*MOCK, *CAMP]:
        term = param.values[2].casefold()
        # "jenderal/jendral kardus" in one cell covers both spellings
        variants = {term, re.sub(r"^jendral ", "jenderal/jendral ", term),
                    re.sub(r"^jenderal ", "jenderal/jendral ", term)}
        assert any(v in cells for v in variants), term


def test_an_epithet_given_to_another_contestant_attacks_that_one() -> None:
    # "bapak politik identitas" is said of Anies (01); here it is given to Ganjar (03)
    _, attacks = _attacks("Ya itulah Ganjar si bapak politik identitas yang baru", date(2024, 1, 10))
    assert {w.target_id for w in attacks} == {"pemilu-2024/pair-3"}
    assert all(w.evidence.note == "" for w in attacks)
