"""News outlets, from one data file (``data/media.yaml``) for every stage that looks for them:
the headline test of ``context`` and the combiner's ``media`` shape feature."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import ahocorasick

from netral.data import yamlio

# an uppercase letter outside an escape (\W, \S): the names are also searched for in the
# lowercased text (OutletSearch), where it would never match
_UPPER = re.compile(r"(?<!\\)[A-Z]")


def _load() -> list[dict]:
    raw = resources.files("netral.detect").joinpath("data", "media.yaml").read_text("utf-8")
    outlets = yamlio.safe_load(raw)["outlets"]  # libyaml's C parser where present
    # each pattern is compiled as part of the searches below, not on its own here: that took
    # ~4 ms of every cold check (issue 15); tests/detect/test_media_search.py compiles each
    for o in outlets:
        for key in ("pattern", "bare"):
            if o[key] is None:
                continue
            if _UPPER.search(o[key]):
                raise ValueError(f"media.yaml: write {o[key]!r} in lowercase (outlets are "
                                 "matched case-insensitively)")
    return outlets


_OUTLETS = _load()
# every outlet's name in its domain/suffix forms ("kompas.com", "… - Kompas.com", "| Tempo")
NAMES = "|".join(o["pattern"] for o in _OUTLETS)
# the outlets whose bare name means the outlet wherever it appears
BARE_NAMES = "|".join(o["bare"] for o in _OUTLETS if o["bare"] is not None)


def _leading_letters(pattern: str) -> str | None:
    """The letters and digits every match of an outlet's (lowercase) pattern begins with:
    its leading run of them, less a last one that a quantifier after it makes optional
    ("detik(?:com|news)?" -> "detik", "cnn ?indonesia" -> "cnn", "tribun\\w*" -> "tribun");
    None where a match may begin otherwise (no such run, or a "|" outside any group)."""
    depth, k = 0, 0
    while k < len(pattern):
        c = pattern[k]
        if c == "\\":
            k += 1  # the escaped character is no bracket nor bar
        elif c == "[":  # a class: up to its closing bracket (one right after "[" or "[^" is
            k = pattern.find("]", k + (3 if pattern.startswith("[^", k) else 2))
            if k < 0:
                return None
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        k += 1
    run = re.match(r"[a-z0-9]+", pattern)
    if run is None:
        return None
    lead = run.group()
    if pattern[len(lead):len(lead) + 1] in ("?", "*", "{"):
        lead = lead[:-1]
    return lead or None


def _leads(patterns: Iterable[str]) -> tuple[str, ...] | None:
    """``_leading_letters`` of every pattern, or None where one has none."""
    leads = [_leading_letters(p) for p in patterns]
    return None if any(x is None for x in leads) else tuple(sorted(set(leads)))


# what every match of NAMES and of BARE_NAMES begins with (None: a pattern's matches may
# begin otherwise, and their searches are not gated by these; see OutletSearch)
NAME_LEADS = _leads(o["pattern"] for o in _OUTLETS)
BARE_LEADS = _leads(o["bare"] for o in _OUTLETS if o["bare"] is not None)


@lru_cache(maxsize=1)
def _lead_automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for lead in {*(NAME_LEADS or ()), *(BARE_LEADS or ())}:
        auto.add_word(lead, lead)
    auto.make_automaton()
    return auto


_last_leads: tuple[str | None, frozenset[str]] = (None, frozenset())


def leads_in(text: str) -> frozenset[str]:
    """The outlets' leading letters (``NAME_LEADS``, ``BARE_LEADS``) found in ``text``
    lowercased, by one pass of an automaton. Remembered for the last text: the combiner and
    the headline test both ask it of the same text (one tuple, replaced whole: threads that
    interleave recompute, never read another text's answer)."""
    global _last_leads
    last = _last_leads
    if last[0] is text:
        return last[1]
    found = frozenset(lead for _, lead in _lead_automaton().iter(text.lower()))
    _last_leads = (text, found)
    return found


# "via @outlet" as a word: r"\bvia\s+@\w+", with the word boundary checked after "via" by
# looking behind (a "v" is a word character, so the boundary before it is "no word character
# before"). A pattern that opens with "\b" gives the engine no first letter to scan for and is
# tried at every position: this one is found twice as fast in the texts holding an "@" (two
# in five real posts), and both the combiner and the headline test search it.
VIA = r"via(?<!\wvia)\s+@\w+"


# The only characters a case-insensitive pattern reads as an ASCII letter although their
# lowercase is not that letter, or whose lowercase is not one character of the same kind
# (İ ı ſ K); tests/detect/test_media_search.py scans all of Unicode for them.
_CASE_ODD = re.compile("[\u0130\u0131\u017f\u212a]")


class OutletSearch:
    """Whether ``re.compile("|".join(alternatives), re.IGNORECASE)`` finds anything in a text,
    found faster. One case-insensitive alternation is tried at every position of the text, and
    with most of its branches starting on a letter the engine has no quick scan for where a
    match could begin: on real posts these searches cost a tenth of a post's time. So each
    alternative is searched on its own (something matches the alternation exactly when one of
    them matches), and only where a match is possible at all:

    * ``plain``: (pattern, characters) pairs, searched only in a text holding one of the
      characters (uncased ones that every match holds, e.g. "@" of "via @outlet");
    * ``named``: patterns naming an outlet, searched only when ``needle``, a lowercase pattern
      that every match of theirs contains, occurs in the lowercased text. Without IGNORECASE,
      that search is quick, and it misses no case-insensitive match: whatever its case, a name
      lowered is its lowercase letters (texts with one of the ``_CASE_ODD`` characters, for
      which that does not hold, are searched in full)."""

    def __init__(self, plain: Sequence[tuple[str, str]], named: Sequence[str],
                 needle: str, leads: Sequence[str] | None = None) -> None:
        self._alternatives = [p for p, _ in plain] + list(named)
        # each pattern's characters as one character class: one search of the text instead of
        # a ``c in text`` per character (None: no characters, the pattern is always searched)
        self._plain = [(re.compile(p, re.IGNORECASE),
                        re.compile(f"[{re.escape(chars)}]") if chars else None)
                       for p, chars in plain]
        # the outlets' names are compiled when a text first holds the needle (~2 ms a cold
        # check does not pay when it names no outlet, issue 15)
        self._named_src = tuple(named)
        self._named: list[re.Pattern[str]] | None = None
        # the same without IGNORECASE, for lowered text from where the needle is first found:
        # only where every pattern is lowercase and opens with the needle (a match of one then
        # starts where the needle matches); compiled when first needed, as the others
        self._lowered = all(p == p.lower() and p.startswith(needle) for p in named)
        self._named_lower: list[re.Pattern[str]] | None = None
        self._needle = re.compile(needle)  # outlet patterns are lowercase (checked in _load)
        # letters every match of the needle holds (NAME_LEADS, BARE_LEADS): the needle, an
        # alternation tried at every position, is searched only in a text holding one of them,
        # which one pass of an automaton shared by both searches finds (~3 µs a search, two
        # searches a post: issue 10)
        self._leads = frozenset(leads) if leads is not None else None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The one expression these searches stand for (tests/detect/test_media_search.py)."""
        return re.compile("|".join(self._alternatives), re.IGNORECASE)

    def search(self, text: str) -> bool:
        for pattern, chars in self._plain:
            if (chars is None or chars.search(text)) and pattern.search(text):
                return True
        if not (text.isascii() or _CASE_ODD.search(text) is None):
            return self._named_search(text)  # a case-odd character: every pattern, in full
        if self._leads is not None and self._leads.isdisjoint(leads_in(text)):
            return False
        low = text.lower()
        found = self._needle.search(low)
        if found is None:
            return False
        if not self._lowered:
            return self._named_search(text)
        if self._named_lower is None:
            self._named_lower = [re.compile(p) for p in self._named_src]
        # without a case-odd character, a case-insensitive match in the text is a match of the
        # lowercase pattern in the lowered text at the same place (the reason the needle is
        # searched there), and none starts before the needle's first: each pattern is tried
        # from there, without IGNORECASE (the named patterns searched from the start of the
        # text with it were a fortieth of a real post's time, in one post in fourteen)
        start = found.start()
        return any(p.search(low, start) for p in self._named_lower)

    def _named_search(self, text: str) -> bool:
        if self._named is None:
            self._named = [re.compile(p, re.IGNORECASE) for p in self._named_src]
        return any(p.search(text) for p in self._named)
