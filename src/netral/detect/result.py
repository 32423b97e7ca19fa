"""The one result type every layer (lexicon, patterns, model, context) adds to."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import Any

import orjson


class Verdict(StrEnum):
    KAMPANYE = "kampanye"  # likely breach of ASN neutrality
    TINJAU = "tinjau"  # needs a human reviewer
    NETRAL = "netral"


@dataclass(slots=True)
class Target:
    id: str  # "<pack>/<kind>-<number>", e.g. "pemilu-2024/pair-2"
    label: str  # "Prabowo–Gibran"
    kind: str  # pair | party | local_party | candidate
    number: int | None
    pack: str
    stance: str = "support"  # support | oppose


@dataclass(slots=True)
class Reason:
    category: str  # dukungan, serangan, ajakan_memilih, nomor_urut, slogan_tagar, atribut_gestur, ...
    start: int  # span in the ORIGINAL text
    end: int
    text: str
    target: str | None  # Target.label, or None when the cue names no one
    target_id: str | None
    rule: str  # rule id from the rules table, e.g. "skb2022-f"
    rule_ref: str  # human citation of the rule
    advice: str
    weight: float
    source: str  # lexicon | pattern | model | context
    uncertain: bool = False  # the cited legal point is marked [uncertain] in the domain reference


@dataclass(slots=True)
class Mitigation:
    """Context that lowered the score: neutral info, news, official duty, disapproval..."""

    category: str
    start: int
    end: int
    text: str
    note: str


@dataclass(slots=True)
class Result:
    verdict: Verdict
    score: float
    kind: str
    lang: str
    reasons: list[Reason] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    mitigations: list[Mitigation] = field(default_factory=list)
    summary: str = ""
    advice: str = ""
    packs: list[str] = field(default_factory=list)
    rule_score: float = 0.0
    model_score: float = 0.0
    detector_version: str = ""
    disclaimer: str = ""
    truncated: bool = False  # the text was longer than netral.kinds.MAX_TEXT_CHARS
    # the text the detector read when it is not the one given (a bare account name of a
    # follow is read as its words, netral.kinds.judged_text); reason offsets index into it
    judged_text: str | None = None

    @property
    def flagged(self) -> bool:
        return self.verdict is not Verdict.NETRAL

    def to_dict(self) -> dict[str, Any]:
        # shallow, not dataclasses.asdict: this runs once per API call and per scan row;
        # subclasses (image results) add fields and are serialised the same way
        d = _fields(self)
        for key, value in d.items():
            if isinstance(value, list):
                d[key] = [_fields(x) if is_dataclass(x) else x for x in value]
        d["verdict"] = str(self.verdict)
        return d

    def to_json(self, indent: bool = False) -> str:
        opt = orjson.OPT_INDENT_2 if indent else 0
        return orjson.dumps(self.to_dict(), option=opt).decode()


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}
