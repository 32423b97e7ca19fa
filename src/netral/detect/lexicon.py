"""Compile knowledge packs and cue words into one Aho–Corasick automaton over normalised text.

Keys are space-delimited (``" prabowo gibran "``) so every match lines up with whole tokens
of ``NormText.text``. One key can carry several entries (a name shared by a pair and a party).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick
import yaml

from netral.packs import Entity, Pack
from netral.text import Normaliser

CUE_GROUPS = (
    "vote_verbs", "calls", "support", "attack", "election", "civic", "info", "news",
    "official", "neutrality", "factcheck", "disapproval", "negation",
)


@dataclass(frozen=True, slots=True)
class Entry:
    group: str  # name | weak_name | slogan | weak_slogan | mock | gesture | hashtag | cue group
    pack: str | None = None
    entity: str | None = None  # entity id within the pack


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    i: int  # first token index
    j: int  # last token index (inclusive)


@lru_cache(maxsize=1)
def cue_terms() -> dict[str, list[str]]:
    raw = resources.files("netral.detect").joinpath("data", "cues.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return {g: [str(t) for t in data.get(g, [])] for g in CUE_GROUPS}


def pack_vocabulary(packs: Iterable[Pack]) -> set[str]:
    words: set[str] = set()
    for pack in packs:
        for e in pack.entities:
            for term in _entity_terms(e):
                words.update(term.lower().replace("-", " ").split())
            for h in [*e.hashtags, *e.weak_hashtags]:
                words.add(h.lower())
    for terms in cue_terms().values():
        for t in terms:
            words.update(t.split())
    return words


def _entity_terms(e: Entity) -> list[str]:
    return [*e.names, *e.weak, *e.slogans, *e.weak_slogans, *e.mock, e.label]


class Lexicon:
    def __init__(self, packs: list[Pack], normaliser: Normaliser) -> None:
        self.norm = normaliser
        self._keys: dict[str, list[Entry]] = {}
        self.hashtags: dict[str, list[Entry]] = {}
        self.accounts: dict[str, list[Entry]] = {}
        for pack in packs:
            for e in pack.entities:
                self._add_entity(pack.name, e)
        for group, terms in cue_terms().items():
            for t in terms:
                self._add(t, Entry(group))
        self.automaton = ahocorasick.Automaton()
        for key, entries in self._keys.items():
            self.automaton.add_word(key, (len(key), tuple(entries)))
        self.automaton.make_automaton()

    def _norm_key(self, term: str) -> str | None:
        words = [t.text for t in self.norm.normalise(term).tokens if t.kind != "punct"]
        return f" {' '.join(words)} " if words else None

    def _add(self, term: str, entry: Entry) -> None:
        key = self._norm_key(term)
        if key is None:
            return
        bucket = self._keys.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def _add_entity(self, pack: str, e: Entity) -> None:
        def entry(group: str) -> Entry:
            return Entry(group, pack, e.id)

        for t in e.names:
            self._add(t, entry("name"))
        for t in e.weak:
            self._add(t, entry("weak_name"))
        for t in e.slogans:
            self._add(t, entry("slogan"))
        for t in e.weak_slogans:
            self._add(t, entry("weak_slogan"))
        for t in e.mock:
            self._add(t, entry("mock"))
        for t in e.gestures:
            self._add(t, entry("gesture"))
        for h in e.hashtags:
            self.hashtags.setdefault(h.lower(), []).append(entry("hashtag"))
        for h in e.weak_hashtags:
            self.hashtags.setdefault(h.lower(), []).append(entry("weak_hashtag"))
        for a in e.accounts:
            self.accounts.setdefault(a.lower().lstrip("@"), []).append(entry("account"))

    def match(self, text: str, token_index) -> list[Hit]:
        """All hits in a normalised ``NormText.text`` (``token_index`` maps a position to a
        token index)."""
        hits: list[Hit] = []
        for end, (key_len, entries) in self.automaton.iter(text):
            # the key " w1 … wn " ends with the space at ``end``
            start = end - key_len + 2
            i = token_index(start)
            j = token_index(end - 1)
            for entry in entries:
                hits.append(Hit(entry, i, j))
        return hits
