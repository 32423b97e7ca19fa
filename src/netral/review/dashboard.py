"""The dashboard's figures and the campaign periods its charts shade."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from netral.review.authz import Principal


def dashboard(db: Session, p: Principal, *, agency_id: int | None = None,
              start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Findings of a period by day, unit, platform, kind, contestant and status; open and
    overdue cases (aggregated in the database and cached per scope: netral.review.stats)."""
    from netral.review import stats

    return stats.dashboard(db, p, agency_id=agency_id, start=start, end=end)


def campaign_periods(start: date | None = None, end: date | None = None
                     ) -> list[tuple[date, date, str]]:
    """Campaign periods of the shipped knowledge packs (for shading charts)."""
    from netral.packs.periods import campaign_periods as pack_periods

    periods = pack_periods()
    if start and end:
        periods = [x for x in periods if not (x[1] < start or x[0] > end)]
    return periods


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)") from exc
