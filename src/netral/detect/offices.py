"""Office holders who are not contestants at a text's date (guideline points 8 and 11).

Praise, thanks or complaints addressed to a president, minister, governor or mayor about the
job are netral when the person is not then a contestant (DECISIONS.md 29, 32, 88; guideline
point 8: an office holder's work outside a campaign call). The packs know the races and their
periods but not who holds which office when; this table does, for the office holders the
training texts name most (public record: terms as reported by the press, from inauguration to
the end of the term or resignation).

A person counts as a contestant from the day a party declared them its hopeful or, failing
that, from registration with the KPU, to the inauguration of the race's winners (the result and
the court dispute included): in that span a text about them is read as talk of the race.

``office_only`` is the combiner's column: the text is dated, names at least one of these office
holders in office at that date, and names none of them while a contestant. Undated texts are
assumed nothing.
"""

from __future__ import annotations

import re
from datetime import date

_D = date.fromisoformat
_OPEN = date(9999, 12, 31)

# person: (spelling pattern, terms in office, spans as declared hopeful or contestant)
_TABLE: dict[str, tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    # mayor of Solo 2005-2012, governor of DKI 2012-2014, president 2014-2024
    "jokowi": (r"jokowi|joko\s*widodo|\bjkw\b|pakde", (("2005-07-28", "2024-10-20"),),
               (("2012-03-19", "2012-10-15"), ("2014-03-14", "2014-10-20"),
                ("2018-08-04", "2019-10-20"))),
    # minister of defence 2019-2024, president from 20 Oct 2024
    "prabowo": (r"prabowo|\bwowo\b", (("2019-10-23", "9999-12-31"),),
                (("2014-05-18", "2014-10-20"), ("2018-08-04", "2019-10-20"),
                 ("2022-08-12", "2024-10-20"))),
    # mayor of Solo 2021-2024, vice-president from 20 Oct 2024
    "gibran": (r"gibran", (("2021-02-26", "2024-07-16"), ("2024-10-20", "9999-12-31")),
               (("2020-09-04", "2021-02-26"), ("2023-10-22", "2024-10-20"))),
    # minister of education 2014-2016, governor of DKI 2017-2022
    "anies": (r"anies|\banis\s+baswedan", (("2014-10-27", "2016-07-27"),
                                           ("2017-10-16", "2022-10-16")),
              (("2016-09-21", "2017-10-16"), ("2022-10-03", "2024-10-20"))),
    # governor of Central Java 2013-2023
    "ganjar": (r"ganjar", (("2013-08-23", "2023-09-05"),),
               (("2018-01-08", "2018-09-05"), ("2023-04-21", "2024-10-20"))),
    # coordinating minister for politics, law and security 2019 - 1 Feb 2024
    "mahfud": (r"mahfud", (("2019-10-23", "2024-02-01"),), (("2023-10-18", "2024-10-20"),)),
    # mayor of Bandung 2013-2018, governor of West Java 2018-2023
    "ridwan_kamil": (r"ridwan\s*kamil|kang\s+emil", (("2013-09-16", "2023-09-05"),),
                     (("2018-01-08", "2018-09-05"), ("2024-08-27", "2025-02-20"))),
    # governor of DKI 2014-2017
    "ahok": (r"ahok|basuki\s+tjahaja", (("2014-11-19", "2017-05-09"),),
             (("2016-09-21", "2017-10-16"),)),
    # vice-governor of DKI 2017-2018, minister of tourism 2020-2024
    "sandiaga": (r"sandiaga|\bsandi\b|sandiuno", (("2017-10-16", "2018-08-10"),
                                                  ("2020-12-23", "2024-10-20")),
                 (("2016-09-21", "2017-10-16"), ("2018-08-04", "2019-10-20"))),
    # vice-president 2019-2024
    "maruf": (r"ma'?ruf\s+amin|kyai\s+ma'?ruf", (("2019-10-20", "2024-10-20"),),
              (("2018-08-04", "2019-10-20"),)),
    # minister of social affairs 2014-2018, governor of East Java 2019-2024
    "khofifah": (r"khofifah", (("2014-10-27", "2018-01-17"), ("2019-02-13", "2024-02-13")),
                 (("2018-01-08", "2019-02-13"), ("2024-08-27", "2025-02-20"))),
    # minister of state-owned enterprises from 2019
    "erick": (r"erick\s*thohir", (("2019-10-23", "9999-12-31"),), ()),
    # mayor of Medan 2021-2024
    "bobby": (r"bobby\s*nasution|\bbobby\b", (("2021-02-26", "2024-09-01"),),
              (("2020-09-04", "2021-02-26"), ("2024-08-27", "2025-02-20"))),
}


def _spans(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[date, date], ...]:
    return tuple((_D(a), _OPEN if b == "9999-12-31" else _D(b)) for a, b in pairs)


OFFICE_HOLDERS: dict[str, tuple[re.Pattern[str], tuple[tuple[date, date], ...],
                                tuple[tuple[date, date], ...]]] = {
    k: (re.compile(p, re.IGNORECASE), _spans(office), _spans(race))
    for k, (p, office, race) in _TABLE.items()
}
# one search tells whether any of them is named at all (most texts name none)
_ANY = re.compile("|".join(f"(?:{p})" for p, _, _ in _TABLE.values()), re.IGNORECASE)


def _within(day: date, spans: tuple[tuple[date, date], ...]) -> bool:
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
