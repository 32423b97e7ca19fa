"""Every campaign hashtag a pack ships as strong evidence (``hashtags``) is read as that camp's
campaign tag, and a report that only names the tag is not campaigning.

The tags and their sources are listed in docs/hashtags.md (the labellers' reference, DECISIONS.md
open question 8). Parametrized over tags (ids ``<pack>/<entity id>/<tag>``) so a failure names
the tag. ``weak_hashtags`` are left out on purpose: they count only with election context.
"""

from __future__ import annotations

from datetime import date

import pytest

import netral
from netral import Verdict
from netral.packs import load_packs


def _campaign_day(pack) -> date:
    """The middle of the pack's first campaign period: the tag is read against its own race."""
    period = next(p for p in pack.campaign_periods if p.kind == "kampanye")
    return period.start + (period.end - period.start) / 2


def _tags() -> list:
    return [
        pytest.param(pack, e, tag, _campaign_day(pack), id=f"{pack.name}/{e.id}/{tag}")
        for pack in load_packs()
        for e in pack.entities
        for tag in e.hashtags
    ]


TAGS = _tags()


@pytest.fixture(scope="module", autouse=True)
def _detector():
    return netral.get_detector()  # build once; netral.check reuses it


def test_packs_ship_campaign_tags_for_every_election_the_reference_covers() -> None:
    # docs/hashtags.md lists confirmed tags for these races; a pack that lost them all is a bug
    packs = {c.values[0].name for c in TAGS}
    assert {"pemilu-2019", "pemilu-2024", "pilkada-2017", "pilkada-2024"} <= packs


@pytest.mark.parametrize(("pack", "entity", "tag", "day"), TAGS)
def test_a_shipped_campaign_tag_is_its_camps_campaign_tag(pack, entity, tag, day) -> None:
    r = netral.check(f"Semangat pagi! #{tag}", kind="post", when=day)
    target = f"{pack.name}/{entity.id}"
    tagged = [x for x in r.reasons if x.category == "slogan_tagar"]
    if entity.kind == "camp":
        # a counter-campaign camp's tag ("asal bukan 02") is an attack on the camps it opposes
        assert r.verdict is Verdict.KAMPANYE, (tag, r.verdict, r.score)
        return
    assert r.verdict is Verdict.KAMPANYE, (tag, r.verdict, r.score, [x.category for x in r.reasons])
    assert any(x.target_id == target for x in tagged), (tag, [(x.category, x.target_id)
                                                             for x in r.reasons])


@pytest.mark.parametrize(("text", "day"), [
    # a report that names the tag (guideline point 6): the meta word "tagar" before the tag
    ("Bawaslu periksa akun penyebar tagar #2019GantiPresiden", "2018-10-01"),
    ("Polisi selidiki penyebar tagar #2019GantiPresiden - Kompas.com", "2018-10-01"),
    ("Tagar #GibranMendengar jadi trending topic di X", "2023-12-06"),
    ("Bawaslu periksa akun penyebar tagar #SmartCityBadja", "2017-02-01"),
    ("Hashtag #R1DOSolusiJakarta ramai usai debat perdana", "2024-10-06"),
    # who spread, started or declared the tag is what the report is about (wordsets.yaml meta)
    ("Bawaslu periksa akun penyebar #2019GantiPresiden", "2018-10-01"),
    ("Penggagas gerakan #2019GantiPresiden diperiksa polisi", "2018-09-01"),
    ("Polisi bubarkan deklarasi #2019GantiPresiden di Surabaya", "2018-08-26"),
    # the writer in the first person, but talking about the tag's spreaders, not taking it up
    ("Saya heran dengan penyebar #2019GantiPresiden", "2018-10-01"),
])
def test_a_report_naming_a_campaign_tag_is_not_campaigning(text: str, day: str) -> None:
    r = netral.check(text, kind="post", when=day)
    assert r.verdict is not Verdict.KAMPANYE, (text, r.verdict, r.score)


@pytest.mark.parametrize(("text", "day", "target"), [
    # the same tag used by the writer is the camp's promotion (guideline point 4)
    ("Mantap! #2019GantiPresiden", "2018-10-01", "pemilu-2019/pair-2"),
    ("Saya dukung gerakan #2019GantiPresiden", "2018-10-01", "pemilu-2019/pair-2"),
    # a meta word the writer takes up (wordsets.yaml takes_up): a call, or support in the
    # first person, before it
    ("Ayo ikut gerakan #2019GantiPresiden", "2018-10-01", "pemilu-2019/pair-2"),
    ("Sat set tas tes, gaspol terus!", "2023-12-12", "pemilu-2024/pair-3"),
])
def test_the_writers_own_campaign_tag_or_slogan_is_campaigning(text: str, day: str,
                                                               target: str) -> None:
    r = netral.check(text, kind="post", when=day)
    assert r.verdict is Verdict.KAMPANYE, (text, r.verdict, r.score)
    assert target in [t.id for t in r.targets]


@pytest.mark.parametrize(("text", "day"), [
    # weak tags are ordinary words or unconfirmed: alone, outside an election, they decide nothing
    ("#PersatuanUntukMaju kerja bakti RW 05 hari Minggu", "2025-08-17"),
    ("#SalamBersama dari kami sekeluarga, selamat hari raya", "2025-03-30"),
])
def test_a_weak_tag_alone_outside_an_election_is_not_campaigning(text: str, day: str) -> None:
    assert netral.check(text, kind="post", when=day).verdict is not Verdict.KAMPANYE
