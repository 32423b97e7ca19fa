"""Schema of an election knowledge pack: plain dataclasses, validated with pydantic when a pack
is read from its files (``validate_pack``).

The classes do not import pydantic: a cold `netral check` reads the packs back from the cache
(``netral.packs.load_pack_dir``) and must not pay for pydantic (~100-200 ms of CPU, issue 15).
Pydantic validates these stdlib dataclasses from their annotations and runs their
``__post_init__`` checks, so the schema stays in one place; ``__pydantic_config__`` is a plain
dict (``ConfigDict`` is a TypedDict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import TypeAdapter

EntityKind = Literal["pair", "party", "local_party", "candidate", "camp"]
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_STRICT = {"extra": "forbid"}  # an unknown key in a pack is a mistake, not data to drop


@dataclass(kw_only=True)
class Period:
    __pydantic_config__ = _STRICT
    label: str
    start: date
    end: date
    kind: Literal["kampanye", "tenang", "pemungutan", "lainnya"] = "kampanye"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period '{self.label}': end {self.end} is before start {self.start}")

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


@dataclass(kw_only=True)
class Contest:
    __pydantic_config__ = _STRICT
    id: str
    name: str
    region: str | None = None
    level: Literal["presiden", "legislatif", "gubernur", "bupati", "walikota", "lainnya"] = "lainnya"


@dataclass(kw_only=True)
class Entity:
    """A contestant: candidate pair, party, or a single candidate."""

    __pydantic_config__ = _STRICT
    id: str
    kind: EntityKind
    number: int | None = None
    contest: str | None = None
    name: str
    label: str
    names: list[str] = field(default_factory=list)  # unambiguous references
    weak: list[str] = field(default_factory=list)  # count only with election context
    slogans: list[str] = field(default_factory=list)  # distinctive campaign slogans
    weak_slogans: list[str] = field(default_factory=list)  # ordinary words used as slogans
    hashtags: list[str] = field(default_factory=list)  # without '#', any case
    weak_hashtags: list[str] = field(default_factory=list)
    mock: list[str] = field(default_factory=list)  # mocking nicknames -> attack on this entity
    # mocking names for the entity's supporters ("cebong", "kampret"): an attack on its camp
    camp_epithets: list[str] = field(default_factory=list)
    gestures: list[str] = field(default_factory=list)  # emoji signal words / salute phrases
    colours: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)  # ids of supporting parties
    accounts: list[str] = field(default_factory=list)  # official/campaign handles
    opposes: list[str] = field(default_factory=list)  # a counter-campaign camp's target ids
    region: str | None = None

    def __post_init__(self) -> None:
        self.hashtags = [h.lstrip("#") for h in self.hashtags]
        self.weak_hashtags = [h.lstrip("#") for h in self.weak_hashtags]


@dataclass(kw_only=True)
class Pack:
    __pydantic_config__ = _STRICT
    name: str
    version: str
    title: str
    title_en: str | None = None
    election: Literal["pemilu", "pilkada", "lainnya"] = "pemilu"
    election_date: date
    in_force: Period  # when this election's contestants are "live" (weigh most)
    campaign_periods: list[Period] = field(default_factory=list)
    contests: list[Contest] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: str | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(NAME_PATTERN.strip("^$"), self.name):
            raise ValueError(f"name '{self.name}' should match pattern '{NAME_PATTERN}'")
        ids = [e.id for e in self.entities]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate entity ids: {sorted(dupes)}")
        contests = {c.id for c in self.contests}
        for e in self.entities:
            if e.contest and contests and e.contest not in contests:
                raise ValueError(f"entity {e.id}: unknown contest '{e.contest}'")
            for p in [*e.parties, *e.opposes]:
                if p not in ids:
                    raise ValueError(f"entity {e.id}: unknown entity reference '{p}'")

    def entity(self, entity_id: str) -> Entity:
        index = self.__dict__.get("_index")
        if index is None:
            index = {e.id: e for e in self.entities}
            self.__dict__["_index"] = index
        return index[entity_id]

    def period_at(self, d: date) -> Period | None:
        for p in self.campaign_periods:
            if p.contains(d):
                return p
        return None


def _adapter() -> TypeAdapter[Pack]:
    global _ADAPTER
    if _ADAPTER is None:
        from pydantic import TypeAdapter

        _ADAPTER = TypeAdapter(Pack)
    return _ADAPTER


_ADAPTER: TypeAdapter[Pack] | None = None


def validate_pack(raw: Any) -> Pack:
    """The pack of ``raw`` (parsed YAML or built rows), checked against the schema: a
    ``pydantic.ValidationError`` lists every problem with its location."""
    return _adapter().validate_python(raw)


def pack_data(pack: Pack) -> dict[str, Any]:
    """``pack`` as JSON-ready data (dates as ISO text, no empty optional fields)."""
    return _adapter().dump_python(pack, mode="json", exclude_none=True)
