"""The legal rule table and advice texts (data in rules.yaml), looked up by the detector."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from netral.data import yamlio


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: dict[str, str]
    refs: tuple[str, ...]
    sanction: dict[str, str]
    uncertain: bool
    uncertain_note: dict[str, str]

    def citation(self, lang: str = "id") -> str:
        return _citation(self.id, lang)

    def first_citation(self, lang: str = "id") -> str:
        """The rule by its first reference, marked as the full citation is."""
        return _marked(self.refs[0], self.uncertain, lang)


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    raw = resources.files("netral.rules").joinpath("rules.yaml").read_text(encoding="utf-8")
    return yamlio.safe_load(raw)


@cache
def rule(rule_id: str) -> Rule:
    r = _table()["rules"][rule_id]
    return Rule(
        id=rule_id,
        title=r["title"],
        refs=tuple(r["refs"]),
        sanction=r["sanction"],
        uncertain=bool(r.get("uncertain")),
        uncertain_note=r.get("uncertain_note") or {},
    )


@cache
def _citation(rule_id: str, lang: str) -> str:
    r = rule(rule_id)
    return _marked("; ".join(r.refs), r.uncertain, lang)


def _marked(text: str, uncertain: bool, lang: str) -> str:
    """``text`` with the uncertainty mark of a legal point the domain reference doubts."""
    return text + (" [belum pasti]" if lang == "id" else " [uncertain]") if uncertain else text


def all_rules() -> list[Rule]:
    return [rule(k) for k in _table()["rules"]]


@cache
def rule_for(category: str, kind: str) -> Rule:
    """The rule an act of ``kind`` with a reason of ``category`` touches."""
    t = _table()
    cat = t["category_rules"].get(category)
    if isinstance(cat, str):
        return rule(cat)
    if isinstance(cat, dict) and kind in cat:
        return rule(cat[kind])
    return rule(t["kind_rules"].get(kind, "skb-b"))


def _pick(entry: dict[str, str], lang: str) -> str:
    return entry.get(lang) or entry["id"]


@cache
def advice(category: str, lang: str = "id") -> str:
    return _pick(_table()["advice"][category], lang)


@lru_cache(maxsize=256)  # asked for every result (explain.advice_lines); the table is fixed
def kind_advice(kind: str, lang: str = "id") -> str | None:
    entry = _table()["kind_advice"].get(kind)
    return _pick(entry, lang) if entry else None


def context_advice(key: str, lang: str = "id", **fmt: str) -> str:
    return _pick(_table()["context_advice"][key], lang).format(**fmt)


@cache
def category_label(category: str, lang: str = "id") -> str:
    entry = _table()["categories"].get(category)
    return _pick(entry, lang) if entry else category


@lru_cache(maxsize=16)  # asked for every result (explain.result)
def disclaimer(lang: str = "id") -> str:
    return _pick(_table()["disclaimer"], lang)
