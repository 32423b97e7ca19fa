"""The one synthetic sample set of the demos (``samples.yaml``): the tour, the self-audit demo
export and the demo agency draw their texts from it instead of each inventing its own."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

ELECTION_YEAR = 2024


@dataclass(frozen=True, slots=True)
class Samples:
    neutral: tuple[str, ...]
    places: tuple[str, ...]
    offices: tuple[str, ...]
    campaign_templates: tuple[str, ...]
    borderline: tuple[str, ...]
    review: tuple[tuple[str, str], ...]  # ISO date, text
    contestants: tuple[tuple[int, str, str], ...]  # ballot number, name, hashtag
    campaign_2024: tuple[str, ...]
    campaign_pilkada_2024: tuple[str, ...]
    campaign_2019: tuple[str, ...]
    liked_candidate: tuple[str, ...]
    campaign_accounts: tuple[str, ...]
    campaign_groups: tuple[str, ...]
    liked_pages: tuple[str, ...]
    neutral_groups: tuple[str, ...]
    boilerplate: tuple[str, ...]
    tour_checks: tuple[tuple[str, tuple[str, ...]], ...]  # draft, options of `netral check`

    def neutral_post(self, rng: random.Random) -> str:
        """An everyday post with its place, office and year filled in."""
        text = rng.choice(self.neutral)
        return text.format(place=rng.choice(self.places), office=rng.choice(self.offices),
                           year=ELECTION_YEAR)


@cache
def samples() -> Samples:
    data = yaml.safe_load(resources.files("netral.demo").joinpath("samples.yaml")
                          .read_text(encoding="utf-8"))
    lists = {k: tuple(v) for k, v in data.items()
             if k not in ("contestants", "tour_checks", "review")}
    return Samples(
        **lists,
        contestants=tuple((int(n), str(name), str(tag)) for n, name, tag in data["contestants"]),
        review=tuple((str(day), str(text)) for day, text in data["review"]),
        tour_checks=tuple((c["text"], tuple(c.get("args") or ())) for c in data["tour_checks"]),
    )
