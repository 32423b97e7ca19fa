"""The demos' one synthetic sample set (netral/demo/samples.yaml): it loads, its templates use
only the fields the generators fill in, and its texts are what their section says they are."""

from __future__ import annotations

import random
import string

import pytest

from netral import check
from netral.demo.corpus import samples

S = samples()


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_section_has_samples():
    for name in S.__slots__:
        assert getattr(S, name), name
    assert all(_fields(t) <= {"place", "office", "year"} for t in S.neutral)
    assert all(_fields(t) <= {"n", "pair", "tag"} for t in S.campaign_templates)
    assert all(_fields(t) <= {"pair"} for t in S.borderline)


def test_neutral_posts_are_filled_in_and_deterministic():
    a = [S.neutral_post(random.Random(7)) for _ in range(20)]
    b = [S.neutral_post(random.Random(7)) for _ in range(20)]
    assert a == b and not any("{" in t for t in a)


@pytest.mark.parametrize("template", S.neutral)
def test_everyday_posts_are_never_findings(template):
    text = template.format(place=S.places[0], office=S.offices[0], year=2024)
    assert check(text).verdict == "netral", text


@pytest.mark.parametrize("text", [*S.campaign_2024, *S.campaign_2019, *S.campaign_pilkada_2024,
                                  *(t.format(n=n, pair=p, tag=g) for t in S.campaign_templates
                                    for n, p, g in S.contestants[:1])])
def test_campaign_posts_are_found(text):
    assert check(text).verdict != "netral", text
