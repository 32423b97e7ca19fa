"""Office holders who are not contestants at a text's date (guideline points 8 and 11).

Praise, thanks or complaints addressed to a president, minister, governor or mayor about the
job are netral when the person is not then a contestant (DECISIONS.md 29, 32, 88; guideline
point 8: an office holder's work outside a campaign call). The packs know the races and their
periods but not who holds which office when; ``data/offices.yaml`` does, for the office holders
the real texts name most, with each term and each span as a declared hopeful or contestant.

``office_only`` is the combiner's column: the text is dated, names at least one of these office
holders in office at that date, and names none of them while a contestant. Undated texts are
assumed nothing.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

from netral.data import yamlio

_OPEN = date(9999, 12, 31)
Spans = tuple[tuple[date, date], ...]


def _spans(rows: list[dict]) -> Spans:
    out = []
    for r in rows:
        a, b = r["from"], r["to"] or _OPEN
        a, b = (d if isinstance(d, date) else date.fromisoformat(str(d)) for d in (a, b))
        if a > b:
            raise ValueError(f"offices.yaml: {r} ends before it starts")
        out.append((a, b))
    return tuple(out)


def _load() -> dict[str, tuple[re.Pattern[str], Spans, Spans]]:
    raw = resources.files("netral.detect").joinpath("data", "offices.yaml").read_text("utf-8")
    people = yamlio.safe_load(raw)["people"]
    return {k: (re.compile(p["names"], re.IGNORECASE), _spans(p["offices"]), _spans(p["races"]))
            for k, p in people.items()}


OFFICE_HOLDERS = _load()
# one search tells whether any of them is named at all (most texts name none)
_ANY = re.compile("|".join(f"(?:{pat.pattern})" for pat, _, _ in OFFICE_HOLDERS.values()),
                  re.IGNORECASE)


def _within(day: date, spans: Spans) -> bool:
    return any(a <= day <= b for a, b in spans)


def named(text: str) -> list[str]:
    """The office holders of the table that ``text`` names (in handles too: "@ganjarpranowo")."""
    if _ANY.search(text) is None:
        return []
    return [k for k, (pat, _, _) in OFFICE_HOLDERS.items() if pat.search(text)]


def office_only(text: str, day: date | None) -> bool:
    """Whether ``text``, dated ``day``, names an office holder in office then and no one of the
    table who is then a declared hopeful or a contestant."""
    if day is None:
        return False
    people = named(text)
    if not people:
        return False
    if any(_within(day, OFFICE_HOLDERS[k][2]) for k in people):
        return False
    return any(_within(day, OFFICE_HOLDERS[k][1]) for k in people)
