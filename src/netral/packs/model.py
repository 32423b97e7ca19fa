"""Schema of an election knowledge pack (data, validated with pydantic)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

EntityKind = Literal["pair", "party", "local_party", "candidate", "camp"]


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    label: str
    start: date
    end: date
    kind: Literal["kampanye", "tenang", "pemungutan", "lainnya"] = "kampanye"

    @model_validator(mode="after")
    def _order(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period '{self.label}': end {self.end} is before start {self.start}")
        return self

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


class Contest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str
    name: str
    region: str | None = None
    level: Literal["presiden", "legislatif", "gubernur", "bupati", "walikota", "lainnya"] = "lainnya"


class Entity(BaseModel):
    """A contestant: candidate pair, party, or a single candidate."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str
    kind: EntityKind
    number: int | None = None
    contest: str | None = None
    name: str
    label: str
    names: list[str] = Field(default_factory=list)  # unambiguous references
    weak: list[str] = Field(default_factory=list)  # count only with election context
    slogans: list[str] = Field(default_factory=list)  # distinctive campaign slogans
    weak_slogans: list[str] = Field(default_factory=list)  # ordinary words used as slogans
    hashtags: list[str] = Field(default_factory=list)  # without '#', any case
    weak_hashtags: list[str] = Field(default_factory=list)
    mock: list[str] = Field(default_factory=list)  # mocking nicknames -> attack on this entity
    gestures: list[str] = Field(default_factory=list)  # emoji signal words / salute phrases
    colours: list[str] = Field(default_factory=list)
    parties: list[str] = Field(default_factory=list)  # ids of supporting parties
    accounts: list[str] = Field(default_factory=list)  # official/campaign handles
    opposes: list[str] = Field(default_factory=list)  # a counter-campaign camp's target ids
    region: str | None = None

    @field_validator("hashtags", "weak_hashtags")
    @classmethod
    def _strip_hash(cls, v: list[str]) -> list[str]:
        return [h.lstrip("#") for h in v]


class Pack(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    version: str
    title: str
    title_en: str | None = None
    election: Literal["pemilu", "pilkada", "lainnya"] = "pemilu"
    election_date: date
    in_force: Period  # when this election's contestants are "live" (weigh most)
    campaign_periods: list[Period] = Field(default_factory=list)
    contests: list[Contest] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _refs(self) -> Pack:
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
        return self

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
