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
    for o in outlets:
        for key in ("pattern", "bare"):
            if o[key] is None:
                continue
            re.compile(o[key])  # a broken pattern fails at import, naming the outlet
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
    """Whether ``re.compile("|".join([*plain, *named]), re.IGNORECASE)`` finds anything in a
    text, found faster. One case-insensitive alternation is tried at every position of the
    text, and with most of its branches starting on a letter the engine has no quick scan for
    where a match could begin: on real posts these searches cost a tenth of a post's time. So
    each alternative is searched on its own (something matches the alternation exactly when
    one of them matches), and those that name an outlet (``named``, each containing ``names``)
    only when the names occur in the lowercased text at all: a search without IGNORECASE,
    quick, and never missing a case-insensitive match (whatever the case, an outlet's name is
    its lowercase letters once lowered; ``_CASE_ODD`` texts are searched in full)."""

    def __init__(self, plain: Sequence[str], named: Sequence[str], names: str) -> None:
        self.pattern = re.compile("|".join([*plain, *named]), re.IGNORECASE)  # the reference
        self._plain = [re.compile(p, re.IGNORECASE) for p in plain]
        self._named = [re.compile(p, re.IGNORECASE) for p in named]
        self._names = re.compile(f"(?:{names})")  # lowercase patterns (checked in _load)

    def search(self, text: str) -> bool:
        if any(p.search(text) for p in self._plain):
            return True
        if self._names.search(text.lower()) is None and _CASE_ODD.search(text) is None:
            return False
        return any(p.search(text) for p in self._named)
