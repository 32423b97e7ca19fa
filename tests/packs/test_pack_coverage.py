"""Every shipped pair can be found: by each of its names, by its ballot number with a
Pilkada/Pilpres cue, and a neutral report about it is not read as campaigning.

Parametrized over pairs (ids ``<pack>/<entity id>[/<name>]``) so a failure names the pair.
One shared detector is built once and reused (``netral.check`` uses the cached one).
"""

from __future__ import annotations

from datetime import date

import pytest

import netral
from netral.packs import load_packs

FLAGGED = {"kampanye", "tinjau"}


def _campaign_day(pack) -> date:
    """The middle of the pack's first campaign period."""
    period = next(p for p in pack.campaign_periods if p.kind == "kampanye")
    return period.start + (period.end - period.start) / 2


def _pairs() -> list[tuple]:
    out = []
    for pack in load_packs():
        day = _campaign_day(pack)
        for e in pack.entities:
            if e.kind == "pair":
                out.append((pack, e, day))
    return out


PAIRS = _pairs()


def _cue(pack, entity) -> str:
    """"Pilkada <region>" for a regional pair, "Pilpres <year>" for a presidential one."""
    if pack.election == "pilkada":
        return f"Pilkada {entity.region}"
    return f"Pilpres {pack.election_date.year}"


def _target_ids(result) -> list[str]:
    return [t.id for t in result.targets]


def _show(result) -> str:
    return f"verdict={result.verdict} score={result.score:.2f} targets={_target_ids(result)}"


@pytest.fixture(scope="module", autouse=True)
def _detector():
    return netral.get_detector()  # build once; netral.check reuses it


# ---- names ---------------------------------------------------------------------------------

NAME_CASES = [
    pytest.param(pack, e, name, day, id=f"{pack.name}/{e.id}/{name}")
    for pack, e, day in PAIRS
    for name in e.names
]


@pytest.mark.parametrize(("pack", "entity", "name", "day"), NAME_CASES)
def test_pair_found_by_name(pack, entity, name, day):
    r = netral.check(f"Ayo dukung {name}!", kind="post", when=day)
    assert r.verdict in FLAGGED, _show(r)
    assert f"{pack.name}/{entity.id}" in _target_ids(r), _show(r)


def test_every_pair_has_a_name_and_a_number():
    bare = [f"{p.name}/{e.id}" for p, e, _ in PAIRS if not e.names or e.number is None]
    assert not bare


# ---- ballot numbers ------------------------------------------------------------------------

NUMBER_CASES = [pytest.param(pack, e, day, id=f"{pack.name}/{e.id}") for pack, e, day in PAIRS]


@pytest.mark.parametrize(("pack", "entity", "day"), NUMBER_CASES)
def test_ballot_number_targets_the_pair(pack, entity, day):
    """"Coblos nomor N di Pilkada <region>" (or "di Pilpres <year>"): the region picks the race."""
    r = netral.check(f"Coblos nomor {entity.number} di {_cue(pack, entity)}!", kind="post", when=day)
    assert r.verdict in FLAGGED, _show(r)
    assert f"{pack.name}/{entity.id}" in _target_ids(r), _show(r)


@pytest.mark.parametrize(("pack", "entity", "day"), NUMBER_CASES)
def test_ballot_number_with_a_name_targets_the_pair(pack, entity, day):
    """The number plus one name of the pair: checks the pack's numbering within the race."""
    text = f"Coblos nomor {entity.number} di {_cue(pack, entity)}, pilih {entity.names[0]}!"
    r = netral.check(text, kind="post", when=day)
    assert r.verdict in FLAGGED, _show(r)
    assert f"{pack.name}/{entity.id}" in _target_ids(r), _show(r)


# ---- neutral reports -----------------------------------------------------------------------

@pytest.mark.parametrize(("pack", "entity", "name", "day"), NAME_CASES)
def test_news_report_is_not_campaign(pack, entity, name, day):
    r = netral.check(f"{name} hadiri debat kedua {_cue(pack, entity)}, kata KPU",
                     kind="post", when=day)
    assert r.verdict != "kampanye", _show(r)


@pytest.mark.parametrize(("pack", "entity", "day"), NUMBER_CASES)
def test_kpu_announcement_is_not_campaign(pack, entity, day):
    r = netral.check(f"KPU tetapkan {entity.label} sebagai pasangan calon nomor urut {entity.number}",
                     kind="post", when=day)
    assert r.verdict != "kampanye", _show(r)
