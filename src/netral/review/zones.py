"""Indonesia's three time zones, as an agency's people read times: WIB, WITA, WIT.

Times are stored in UTC; every time shown to an agency's people is in the agency's zone
(``agency_settings.timezone``, WIB unless set) and says which zone it is in. Indonesia has
kept fixed offsets without daylight saving since 1988, so fixed offsets are exact for every
date netral deals with and need no time-zone database on the server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

DEFAULT_ZONE = "WIB"
# zone -> (hours east of UTC, the IANA name people may know it by)
ZONES: dict[str, tuple[int, str]] = {
    "WIB": (7, "Asia/Jakarta"),
    "WITA": (8, "Asia/Makassar"),
    "WIT": (9, "Asia/Jayapura"),
}


def tzinfo(zone: str | None) -> timezone:
    hours, _ = ZONES.get(zone or DEFAULT_ZONE, ZONES[DEFAULT_ZONE])
    return timezone(timedelta(hours=hours), zone if zone in ZONES else DEFAULT_ZONE)


def check_zone(zone: str) -> str:
    if zone not in ZONES:
        raise ValueError(f"unknown time zone {zone!r} (expected one of {', '.join(ZONES)})")
    return zone


def local(dt: datetime | None, zone: str | None) -> datetime | None:
    """``dt`` (aware, or naive UTC) in the zone."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(tzinfo(zone))


def day_bounds(start: date | None, end: date | None, zone: str | None
               ) -> tuple[datetime | None, datetime | None]:
    """The UTC instants a local-day range [start, end] covers: [start 00:00, end+1 00:00)."""
    tz = tzinfo(zone)
    lo = datetime.combine(start, time.min, tz).astimezone(UTC) if start else None
    hi = (datetime.combine(end + timedelta(days=1), time.min, tz).astimezone(UTC)
          if end else None)
    return lo, hi
