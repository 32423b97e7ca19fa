"""News outlets, from one data file (``data/media.yaml``) for every stage that looks for them:
the headline test of ``context`` and the combiner's ``media`` shape feature."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources

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
                 needle: str) -> None:
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
        self._needle = re.compile(needle)  # outlet patterns are lowercase (checked in _load)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The one expression these searches stand for (tests/detect/test_media_search.py)."""
        return re.compile("|".join(self._alternatives), re.IGNORECASE)

    def search(self, text: str) -> bool:
        for pattern, chars in self._plain:
            if (chars is None or chars.search(text)) and pattern.search(text):
                return True
        if (self._needle.search(text.lower()) is None
                and (text.isascii() or _CASE_ODD.search(text) is None)):
            return False
        if self._named is None:
            self._named = [re.compile(p, re.IGNORECASE) for p in self._named_src]
        return any(p.search(text) for p in self._named)
