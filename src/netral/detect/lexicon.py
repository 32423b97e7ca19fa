"""Compile knowledge packs and cue words into one Aho–Corasick automaton over normalised text.

Keys are space-delimited (``" prabowo gibran "``) so every match lines up with whole tokens
of ``NormText.text``. One key can carry several entries (a name shared by a pair and a party).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from netral.data import yamlio
from netral.detect.wordsets import CAMPAIGN_TEAM_WORDS, CANDIDACY
from netral.packs import Entity, Pack
from netral.text import Normaliser
from netral.text.emoji import EMOJI_SIGNALS

# The only emoji that open the pre-filter alone: a ballot box is about voting whatever else the
# text says. Salutes (☝️ ✌️ 🤟) and party symbols (🐂 🌳 🕋 ☀️ 🦅) are everyday emoji that count
# only beside an election term (netral.text.emoji), and that term opens the pre-filter itself:
# alone they let "Semangat pagi semua! 🌞" or "… ✌️" through to the model, which had learned
# the salute from campaign texts and flagged the greeting (0.41 and 0.66).
_TRIGGER_EMOJI = {"emo_kotaksuara"}
# leetspeak / glued digits (pr4b0w0, no2), zero-padded ballot numbers, spaced-out letters
_SUSPECT = re.compile(
    r"[^\W\d_][0-9@$]|[0-9@$][^\W\d_]|(?<![\d.:])\b0[1-9]\b(?![.:]\d)|(?:\b\w\b[\s.\-*_|/]{1,3}){2,}\b\w\b|\d\ufe0f?\u20e3"
)
# characters NFKC or mark-stripping would change: fullwidth, mathematical letters, combining marks
_UNUSUAL = re.compile("[\uff00-\uffef\U0001d400-\U0001d7ff\u0300-\u036f\u2460-\u24ff]")

CUE_GROUPS = (
    "vote_verbs", "calls", "support", "attack", "election", "civic", "info", "news",
    "official", "neutrality", "factcheck", "disapproval", "negation",
)


@dataclass(frozen=True, slots=True)
class Entry:
    group: str  # name | weak_name | slogan | weak_slogan | mock | mock_camp | gesture | hashtag | cue group
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
    data = yamlio.safe_load(raw)
    return {g: [str(t) for t in data.get(g, [])] for g in CUE_GROUPS}


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    raw = resources.files("netral.detect").joinpath("data", "common_words.txt").read_text("utf-8")
    return frozenset(w for line in raw.splitlines() if not line.startswith("#") for w in line.split())


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
    return [*e.names, *e.weak, *e.slogans, *e.weak_slogans, *e.mock, *e.camp_epithets, e.label]


def _squash(term: str) -> str:
    """A term as a hashtag spells it: case-folded, without spaces, hyphens or apostrophes."""
    return re.sub(r"[\s\-–'’.]+", "", term.casefold())


class Lexicon:
    """``built`` (optional): the plain data of ``plain()`` from a detector built earlier on
    the same packs and code (``netral.detect.built``), so the terms are not normalised again."""

    def __init__(self, packs: list[Pack], normaliser: Normaliser,
                 built: dict | None = None) -> None:
        self.norm = normaliser
        self._keys: dict[str, list[Entry]] = {}
        self.hashtags: dict[str, list[Entry]] = {}
        self.accounts: dict[str, list[Entry]] = {}
        for pack in packs:
            for e in pack.entities:
                self._add_entity(pack.name, e, terms=built is None)
        if built is not None:
            self._keys = {key: [Entry(*entry) for entry in entries]
                          for key, entries in built["keys"]}
            trigger_words = built["triggers"]
        else:
            for group, terms in cue_terms().items():
                for t in terms:
                    self._add(t, Entry(group))
            trigger_words = sorted(self._trigger_words(packs))
        self._trigger_list: list[str] = trigger_words
        self.automaton = ahocorasick.Automaton()
        for key, entries in self._keys.items():
            # cue words and references to contestants apart: ``match`` files them apart
            self.automaton.add_word(key, (len(key),
                                          tuple(e for e in entries if e.entity is None),
                                          tuple(e for e in entries if e.entity is not None)))
        self.automaton.make_automaton()
        self.triggers = ahocorasick.Automaton()
        for w in trigger_words:
            self.triggers.add_word(w, w)
        self.triggers.make_automaton()

    def plain(self) -> dict:
        """What ``built`` takes: the normalised keys (in insertion order, the automaton's) and
        the pre-filter's words, as JSON-able lists."""
        return {"keys": [[key, [[e.group, e.pack, e.entity] for e in entries]]
                         for key, entries in self._keys.items()],
                "triggers": list(self._trigger_list)}

    @staticmethod
    def valid_plain(data: dict) -> bool:
        """The shape ``plain()`` gives: [[key, [[group, pack|None, entity|None], …]], …]."""
        keys, triggers = data["keys"], data["triggers"]
        if type(keys) is not list or type(triggers) is not list:
            return False
        if not all(type(w) is str for w in triggers):
            return False
        if not all(type(k) is list and len(k) == 2 and type(k[0]) is str and type(k[1]) is list
                   for k in keys):
            return False
        entries = [e for _, es in keys for e in es]
        return (all(type(e) is list and len(e) == 3 and type(e[0]) is str for e in entries)
                and all(x is None or type(x) is str for e in entries for x in e[1:]))

    def _trigger_words(self, packs: list[Pack]) -> set[str]:
        """Substrings of the raw (case-folded) text without which no rule can fire: contestant
        names, slogans, hashtags, election words, ballot-number cues and salute emoji. A post
        containing none of them is neutral without running the full pipeline."""
        words: set[str] = set()

        common = common_words()

        def split(term: str) -> set[str]:
            return {w for w in re.split(r"[\s\-–'.]+", term.casefold())
                    if len(w) >= 3 and w not in common}

        for pack in packs:
            for e in pack.entities:
                for term in [*e.names, e.label, *e.hashtags, *e.weak_hashtags, *e.accounts]:
                    # a name made only of everyday words ("anak abah") triggers as a phrase
                    words.update(split(term) or {term.casefold()})
                # a mocking nickname of several words is made of everyday ones ("bapak politik
                # identitas", "capres abadi"): only the phrase, as written or hyphenated
                for term in [*e.mock, *e.camp_epithets]:
                    folded = term.casefold()
                    words.update({folded, folded.replace(" ", "-")} if " " in folded
                                 else split(folded) or {folded})
                # short weak acronyms (PAS, PD) only count in capitals next to other cues
                words.update(w for t in e.weak for w in split(t) if len(w) >= 4)
                # slogans and gestures only as whole phrases ("makan siang gratis")
                words.update(t.casefold() for t in [*e.slogans, *e.weak_slogans, *e.gestures]
                             if not t.startswith("emo_") and len(t) >= 3)
        cues = cue_terms()
        for group in ("election", "vote_verbs"):
            words.update(t for t in cues[group] if len(t) >= 3)
        # a candidate's banner and a campaign-team role are read by netral.detect.roles
        words.update(CANDIDACY | CAMPAIGN_TEAM_WORDS)
        alay = self.norm.alay
        targets = {"coblos", "pilih", "nomor", "menangkan", "dukung"}
        words.update(k for k, v in alay.items() if v in targets and len(k) >= 3)
        words.update({"nomor", "nomer", "nmr", "no.", "no ", "paslon", "urut", "salam", "jari",
                      "kader", "pengurus", "relawan", "partai", "twibbon"})
        words.update(e for e, sig in EMOJI_SIGNALS.items() if sig in _TRIGGER_EMOJI)
        return words

    def may_concern(self, text: str) -> bool:
        """Cheap pre-filter over the raw text; False only when no rule could fire."""
        low = text.casefold()
        n = len(low)
        for end, word in self.triggers.iter(low):
            if len(word) >= 5 or not word[0].isalnum():
                return True
            start = end - len(word) + 1  # short words must stand alone ("pan" not in "depan")
            before_ok = start == 0 or not low[start - 1].isalnum()
            after_ok = not word[-1].isalnum() or end + 1 >= n or not low[end + 1].isalnum()
            if before_ok and after_ok:
                return True
        if _SUSPECT.search(low):
            return True
        return not text.isascii() and _UNUSUAL.search(text) is not None

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

    def _add_entity(self, pack: str, e: Entity, terms: bool = True) -> None:
        def entry(group: str) -> Entry:
            return Entry(group, pack, e.id)

        for h in e.hashtags:
            self.hashtags.setdefault(h.lower(), []).append(entry("hashtag"))
        for h in e.weak_hashtags:
            self.hashtags.setdefault(h.lower(), []).append(entry("weak_hashtag"))
        for a in e.accounts:
            self.accounts.setdefault(a.lower().lstrip("@"), []).append(entry("account"))
        # a nickname written as a tag ("#Prabohong", "#WanAbud") mocks as the words do
        for group, mocking in (("mock", e.mock), ("mock_camp", e.camp_epithets)):
            for t in mocking:
                tag = _squash(t)
                if len(tag) >= 5:
                    self.hashtags.setdefault(tag, []).append(entry(group))
        if not terms:  # the normalised terms come from the cache
            return
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
        for t in e.camp_epithets:
            self._add(t, entry("mock_camp"))
        for t in e.gestures:
            self._add(t, entry("gesture"))

    def match(self, text: str, starts: list[int], groups: dict[str, list[Hit]]) -> list[Hit]:
        """All hits in a normalised ``NormText.text`` whose tokens start at ``starts``
        (``NormText.starts``): cue-word hits are appended to ``groups`` by cue group, the
        references to contestants returned, each in the order found."""
        ents: list[Hit] = []
        add = ents.append
        for end, (key_len, cues, entities) in self.automaton.iter(text):
            # the key " w1 … wn " ends with the space at ``end``; its first word starts after
            # the text's first space, at or after the first token's start, so the token index
            # (NormText.token_index, bisected inline: one call, not two per hit) is never < 0
            i = bisect_right(starts, end - key_len + 2) - 1
            j = bisect_right(starts, end - 1, i) - 1
            for entry in cues:
                hit = Hit(entry, i, j)
                group = groups.get(entry.group)
                if group is None:
                    groups[entry.group] = [hit]
                else:
                    group.append(hit)
            for entry in entities:
                add(Hit(entry, i, j))
        return ents
