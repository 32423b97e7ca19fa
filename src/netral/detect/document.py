"""The one object the detector's stages pass along and annotate (spaCy's idea of components
annotating one Doc): the normalised text and the act, then hits, evidence, mitigations,
weights and finally the reasons and the verdict.

Each stage reads what earlier stages wrote and adds its own fields; no stage returns a value,
so the order of stages in ``netral.detect.detector`` is the whole control flow.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

from netral.detect.lexicon import Hit
from netral.detect.result import Reason, Target, Verdict
from netral.text import NormText

WINDOW = 8  # tokens between a target and a cue that still binds them
_INDEXED = 32  # a cue group longer than this is searched through an index (Context.near)


@dataclass(slots=True)
class Evidence:
    """A reason under construction, before weighting and rule/advice lookup."""

    category: str
    i: int
    j: int
    pack: str | None
    entity: str | None
    weight: float
    source: str
    strong: bool = False  # explicit: only fact-check/disapproval/neutrality context lowers it
    stance: str = "support"
    note: str = ""


@dataclass(slots=True)
class Context:
    """Cue-word hits (vote verbs, attack words, news, negation …) by cue group."""

    groups: dict[str, list[Hit]] = field(default_factory=dict)
    # group -> (sorted starts, hit positions in that order, longest span, size): see _around
    _index: dict[str, tuple[list[int], list[int], int, int]] = field(default_factory=dict)

    def has(self, group: str) -> bool:
        return bool(self.groups.get(group))

    def first(self, group: str) -> Hit | None:
        hs = self.groups.get(group)
        return hs[0] if hs else None

    def near(self, group: str, i: int, j: int, window: int = WINDOW) -> Hit | None:
        """The closest hit of ``group`` outside tokens i..j but within ``window`` of them
        (of equally close ones, the first found)."""
        hits = self.groups.get(group, ())
        if len(hits) > _INDEXED:
            hits = self._around(group, hits, i - window, j + window)
        best = None
        for h in hits:
            if h.j >= i - window and h.i <= j + window and (h.j < i or h.i > j):
                dist = i - h.j if h.j < i else h.i - j
                if best is None or dist < best[0]:
                    best = (dist, h)
        return best[1] if best else None

    def _around(self, group: str, hits: list[Hit], lo: int, hi: int) -> list[Hit]:
        """The hits of a long group that may reach tokens lo..hi, in their own order: a
        text of thousands of cue words asks each question of a few, not of all (hostile
        input). The index is built on first use and again if the group grew since."""
        index = self._index.get(group)
        if index is None or index[3] != len(hits):
            order = sorted(range(len(hits)), key=lambda k: hits[k].i)
            index = ([hits[k].i for k in order], order,
                     max(h.j - h.i for h in hits), len(hits))
            self._index[group] = index
        starts, order, longest, _ = index
        ks = order[bisect_left(starts, lo - longest):bisect_right(starts, hi)]
        return [hits[k] for k in sorted(ks)]

    def negated(self, hit: Hit) -> Hit | None:
        """The cue that turns ``hit`` around ("tidak dukung", "jangan pilih"), if any."""
        for n in self.groups.get("negation", ()):
            if n.j == hit.i - 1:
                return n
        for a in self.groups.get("attack", ()):
            # "jangan pilih", "asal bukan" are attack cues that contain the verb itself
            if a.i <= hit.i <= a.j and a.j > hit.i - 1 and a.i < hit.i:
                return a
        return None


@dataclass(slots=True)
class MitigationHit:
    """Context that lowers evidence: explicit and weak evidence by different factors."""

    category: str
    strong_factor: float
    weak_factor: float
    hit: Hit | None


@dataclass(slots=True)
class Weighed:
    """Evidence with its final weight and the contestant it is about."""

    evidence: Evidence
    weight: float
    label: str | None
    target_id: str | None


@dataclass(slots=True)
class Document:
    """One text (or one segment of a long text) on its way through the stages."""

    # the input
    nt: NormText
    kind: str
    lang: str
    day: date | None
    account: str
    employee: str
    model_p: float
    model_used: bool = True  # False: rules only (no model, nothing for it to read, or a text
    # outside the region it was trained on: domain.trust_model)
    in_domain: bool = True  # the text's words are ones the model was trained on
    noise: bool = False  # mostly words no training text holds: random text (domain.swamped)
    # match: hits and what they say about the date and the election
    tokens: list[str] = field(default_factory=list)
    ctx: Context = field(default_factory=Context)
    ent_hits: list[Hit] = field(default_factory=list)
    confirmed: set[tuple[str, str]] = field(default_factory=set)
    live: set[str] = field(default_factory=set)
    # written after voting day of an election in force: the count, the dispute, the new term
    after_vote: bool = False
    # dated, and no election in force at that date: a side is taken only by naming one
    out_of_season: bool = False
    pack_weight: dict[str, float] = field(default_factory=dict)
    election_ctx: bool = False
    headline: bool = False  # shaped like a news headline (context.is_headline)
    # numbers, cues, context: evidence and what lowers it
    evidence: list[Evidence] = field(default_factory=list)
    mitigations: list[MitigationHit] = field(default_factory=list)
    # score: one mitigation per category, weighed evidence and the scores
    applied: dict[str, MitigationHit] = field(default_factory=dict)
    weighed: list[Weighed] = field(default_factory=list)
    rule_score: float = 0.0
    model_part: float = 0.0
    score: float = 0.0
    floor_vetoed: bool = False  # explicit rules, but the combiner sure it is no campaign (floors)
    verdict: Verdict = Verdict.NETRAL
    # explain: what the user is shown
    reasons: list[Reason] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)
    target_weight: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
