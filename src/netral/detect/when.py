"""The date of an act, as every entry point (text, image, batch, API) accepts it."""

from __future__ import annotations

from datetime import date, datetime


def parse_when(when: date | datetime | str | None) -> date | None:
    """The date of an act from a date, datetime or ISO string; ValueError if unreadable."""
    if when is None or when == "":
        return None
    # datetime first: it is also a date, and its time of day must not leak into comparisons
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    text = str(when).strip()
    try:
        # Python 3.11 fromisoformat accepts "Z" itself; the replace keeps older spellings working
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        # "2024-01-10 pagi" and other trailing noise: the leading date still counts
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"tanggal tidak dikenali / unrecognised date: {when!r}") from None
