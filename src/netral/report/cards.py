"""Findings as the report shows them: one card per text and clean-up act, grouped by what to do.

A real history repeats itself: the same post cross-posted to five platforms is one thing to
understand and five places to clean up. So findings with the same text and the same clean-up
act become one card that lists every place the text occurs; the card carries the strongest
occurrence's verdict and explanation, and its advice once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from netral.audit.pipeline import Finding

# What the person does about a finding, in the order the report lists the groups.
ACTIONS: tuple[str, ...] = ("delete", "private", "unlike", "unfollow", "leave", "edit_bio")
# Platforms where one's own post can be hidden without deleting it (Facebook audience
# "Only me", Instagram archive, TikTok "Only me"). A post that only *needs review* there can be
# made private while the person decides; elsewhere the only clean-up is deleting it.
AUDIENCE_PLATFORMS = frozenset({"facebook", "instagram", "tiktok"})
_ACT_OF_KIND = {"like": "unlike", "follow": "unfollow", "join": "leave", "bio": "edit_bio"}
NO_TARGET = "-"  # group key of findings that name no contestant
# a rule reference ends with the rule table's uncertainty marker; the report shows a badge
_UNCERTAIN_MARK = re.compile(r"\s*\[(belum pasti|uncertain|tidak pasti|belum terverifikasi)\]\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_SPACES = re.compile(r"\s+")
SHOWN_PLACES = 3  # places listed on a card; the rest fold away


def action_for(f: Finding) -> str:
    """The clean-up act for one finding (a key of :data:`ACTIONS`)."""
    kind = f.item.kind
    if kind in _ACT_OF_KIND:
        return _ACT_OF_KIND[kind]
    if f.verdict == "tinjau" and kind in ("post", "share") and f.item.platform in AUDIENCE_PLATFORMS:
        return "private"
    return "delete"


def same_text_key(text: str) -> str:
    """Texts that are the same to a reader: case, spacing and a leading @ do not matter."""
    return _SPACES.sub(" ", text).strip().casefold().lstrip("@")


def _place_key(f: Finding) -> str:
    loc = f.item.locator
    return f"\0{f.item.platform}\0{loc.file}\0{loc.where}\0{f.image}"


def platform_key(platform: str) -> str:
    """A platform as a space-free token (the page's filters split lists on spaces)."""
    return _SPACES.sub("_", platform.strip()) or "_"


def split_uncertain(rule_ref: str) -> tuple[str, bool]:
    """``"PP 94/2021 Pasal 5 [belum pasti]"`` -> ``("PP 94/2021 Pasal 5", True)``."""
    m = _UNCERTAIN_MARK.search(rule_ref)
    return (rule_ref[: m.start()], True) if m else (rule_ref, False)


def advice_paragraphs(texts: Iterable[str]) -> list[str]:
    """Advice texts with every sentence said once: a finding's advice starts with its strongest
    reason's advice, and cross-posted copies repeat it, so the same sentence arrives many times."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        kept = []
        for sentence in _SENTENCE_END.split(text.strip()):
            key = sentence.strip().casefold()
            if key and key not in seen:
                seen.add(key)
                kept.append(sentence.strip())
        if kept:
            out.append(" ".join(kept))
    return out


@dataclass(slots=True)
class Card:
    """Findings with one text and one clean-up act; ``findings[0]`` is the strongest."""

    action: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def top(self) -> Finding:
        return self.findings[0]

    @property
    def platforms(self) -> list[str]:
        """Platform keys (see :func:`platform_key`), in order of first occurrence."""
        return list(dict.fromkeys(platform_key(f.item.platform) for f in self.findings))

    @property
    def targets(self) -> list[str]:
        """Contestants named by any occurrence (labels, in order of first mention)."""
        out: dict[str, None] = {}
        for f in self.findings:
            for t in (f.result or {}).get("targets") or []:
                if isinstance(t, dict) and t.get("label"):
                    out[t["label"]] = None
        return list(out)

    @property
    def target_keys(self) -> list[str]:
        return self.targets or [NO_TARGET]


def build_cards(findings: Iterable[Finding]) -> list[Card]:
    """One card per (clean-up act, text); cards keep the order of their strongest finding, so
    findings sorted by risk give cards sorted by risk."""
    cards: dict[tuple[str, str], Card] = {}
    for f in findings:
        act = action_for(f)
        # own content is one card whether a copy is to be deleted or made private
        text = same_text_key(f.checked_text) or _place_key(f)  # no text: nothing to share
        key = ("delete" if act == "private" else act, text)
        card = cards.get(key)
        if card is None:
            card = cards[key] = Card(act)
        elif card.action != act:
            card.action = "delete"  # a copy that must go takes the others with it
        card.findings.append(f)
    for card in cards.values():
        card.findings.sort(key=lambda f: f.rank, reverse=True)
    return sorted(cards.values(), key=lambda c: c.top.rank, reverse=True)


def count_by(cards: Iterable[Card], keys: Callable[[Card], Iterable[str]]) -> Counter[str]:
    """Findings per key (a card counts once for each of its keys, with all its findings)."""
    c: Counter[str] = Counter()
    for card in cards:
        for k in keys(card):
            c[k] += len(card.findings)
    return c


def reasons_of(card: Card) -> list[dict[str, Any]]:
    """The reasons of the card's strongest finding, each cue once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for r in (card.top.result or {}).get("reasons") or []:
        if not isinstance(r, dict):
            continue
        key = (str(r.get("text", "")).casefold(), str(r.get("category", "")))
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def rules_of(reasons: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """Distinct legal references of the reasons, without the uncertainty marker in the text
    (the flag is kept and shown once as a badge)."""
    out: dict[str, bool] = {}
    for r in reasons:
        ref, marked = split_uncertain(str(r.get("rule_ref") or r.get("rule") or ""))
        if ref:
            out[ref] = out.get(ref, False) or marked or bool(r.get("uncertain"))
    return list(out.items())


def advice_of(card: Card) -> list[str]:
    """The card's advice once: each occurrence's advice (date notes differ between copies),
    then any reason's advice not yet said."""
    texts = [str((f.result or {}).get("advice") or "") for f in card.findings]
    texts += [str(r.get("advice") or "") for r in reasons_of(card)]
    return advice_paragraphs(t for t in texts if t)

