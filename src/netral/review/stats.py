"""The dashboard's figures: aggregated in the database, kept per scope until something changes.

Every signed-in person opens the dashboard first, and 50 of them at once used to make the
server read every finding with its whole detection JSON, per request (820 ms p50 at 50
clients, issue 15). Now:

* the counts are ``GROUP BY`` queries; the contestants named in the detections are read with
  the database's JSON table functions (``json_each`` on SQLite, ``json_array_elements`` on
  PostgreSQL) instead of parsing every detection in Python;
* the result is kept in memory per scope (agency, unit subtree, period, time zone) and
  reused while the agency's findings and cases are unchanged: a validator query reads the
  newest ``updated_at`` of both (indexed, ``ix_findings_agency_updated`` and
  ``ix_cases_agency_updated``). Every change of a finding or a case sets ``updated_at`` —
  decisions, undo, cases, ingest's inserts, sampling — so another worker's or another
  program's change shows within :data:`REVALIDATE_SECONDS`. Every state change made
  through :mod:`netral.review.changes` (decisions, undo, cases, sampling) calls
  :func:`invalidate` for its agency, so in this process it shows at once; entries also
  expire after :data:`TTL_SECONDS` (deleted rows and "overdue", which changes with the
  clock alone).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, cast, func, select, true
from sqlalchemy.orm import Session

from netral.review.authz import Principal, agency_of, scope_cases, scope_findings
from netral.review.zones import ZONES, day_bounds
from netral.store.models import Case, CaseStatus, Detection, Finding, Item, Staff, Unit
from netral.store.types import utcnow

TTL_SECONDS = 30.0
# An entry validated this recently is served without asking the database again: 50 people
# opening the dashboard at once cost one validator query per second, not one per view.
# Decisions in this process invalidate at once; another worker's show within this delay.
REVALIDATE_SECONDS = 1.0
MAX_ENTRIES = 512
NO_VALUE = "—"

_lock = threading.Lock()
# key -> (validator, when last validated, when computed, figures)
_cache: dict[tuple, tuple[tuple, float, float, dict[str, Any]]] = {}


def invalidate(agency_id: int | None = None) -> None:
    """Forget the cached figures of an agency (all agencies when ``None``)."""
    with _lock:
        for key in [k for k in _cache if agency_id is None or k[0] in (agency_id, None)]:
            del _cache[key]


def act_time():
    """When the act happened (the item's own time; when it was flagged if unknown)."""
    return func.coalesce(Item.created_at, Finding.created_at)


def in_period(stmt, start: date | None, end: date | None, zone: str):
    """Restrict a statement joined with ``Item`` to acts on local days [start, end]."""
    lo, hi = day_bounds(start, end, zone)
    if lo is not None:
        stmt = stmt.where(act_time() >= lo)
    if hi is not None:
        stmt = stmt.where(act_time() < hi)
    return stmt


def _local_day(expr, zone: str, dialect: str):
    hours = ZONES[zone][0] if zone in ZONES else 7
    if dialect == "sqlite":  # naive UTC text: shift, then take the date part
        return func.date(expr, f"+{hours} hours")
    # PostgreSQL: timestamptz -> UTC wall time, shifted to the zone, as a date
    return cast(func.timezone("UTC", expr, type_=DateTime()) + timedelta(hours=hours), Date)


def _targets(db: Session, base, dialect: str) -> tuple[list[dict[str, Any]], int]:
    """(target id, label, findings naming it) and the number of findings naming any."""
    if dialect == "sqlite":
        each = func.json_each(Detection.result, "$.targets").table_valued("value").alias("t")
        tid = func.json_extract(each.c.value, "$.id")
        label = func.json_extract(each.c.value, "$.label")
    else:
        each = func.json_array_elements(Detection.result["targets"]).table_valued(
            "value").alias("t")
        tid = each.c.value.op("->>")("id")
        label = each.c.value.op("->>")("label")
    inner = base.join(Detection, Detection.id == Finding.detection_id).join(each, true())
    rows = db.execute(
        inner.with_only_columns(tid.label("id"), func.max(label).label("label"),
                                func.count(func.distinct(Finding.id)))
        .group_by(tid)
    ).all()
    named = db.scalar(inner.with_only_columns(func.count(func.distinct(Finding.id)))) or 0
    out = [{"id": i, "label": lab or i, "n": int(n)} for i, lab, n in rows if i]
    out.sort(key=lambda t: (-t["n"], t["label"]))
    return out, int(named)


def _validator(db: Session, agency: int | None) -> tuple:
    """The newest change of the agency's findings and cases: one indexed round trip."""
    f = select(func.max(Finding.updated_at))
    c = select(func.max(Case.updated_at))
    if agency is not None:
        f = f.where(Finding.agency_id == agency)
        c = c.where(Case.agency_id == agency)
    row = db.execute(select(f.scalar_subquery(), c.scalar_subquery())).one()
    return tuple(row)


def compute(db: Session, p: Principal, agency: int | None, start: date | None,
            end: date | None) -> dict[str, Any]:
    """The dashboard's figures, straight from the database."""
    dialect = db.get_bind().dialect.name
    zone = p.zone
    base = scope_findings(select(Finding.id).join(Item, Item.id == Finding.item_id), p)
    if agency is not None:
        base = base.where(Finding.agency_id == agency)
    base = in_period(base, start, end, zone)

    by_status: Counter[str] = Counter()
    by_platform: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    unit_counts: Counter[int | None] = Counter()
    grouped = base.outerjoin(Staff, Staff.id == Finding.staff_id).with_only_columns(
        Finding.status, Item.platform, Item.kind, Staff.unit_id, func.count()
    ).group_by(Finding.status, Item.platform, Item.kind, Staff.unit_id)
    for status, platform, kind, unit_id, n in db.execute(grouped):
        by_status[status] += n
        by_platform[platform or NO_VALUE] += n
        by_kind[kind or NO_VALUE] += n
        unit_counts[unit_id] += n
    total = sum(by_status.values())
    known = [u for u in unit_counts if u is not None]
    paths = {i: path for i, path in db.execute(
        select(Unit.id, Unit.path).where(Unit.id.in_(known)))} if known else {}
    by_unit: Counter[str] = Counter()
    for unit_id, n in unit_counts.items():
        by_unit[paths.get(unit_id, NO_VALUE) if unit_id else NO_VALUE] += n

    day = _local_day(act_time(), zone, dialect)
    over_time = sorted(
        (str(d), int(n)) for d, n in db.execute(
            base.with_only_columns(day.label("day"), func.count()).group_by(day)) if d)

    targets, named = _targets(db, base, dialect) if total else ([], 0)
    by_target = [(t["label"], t["n"]) for t in targets]
    if total - named:
        by_target.append((NO_VALUE, total - named))
    by_target.sort(key=lambda kv: (-kv[1], kv[0]))

    cases = scope_cases(select(func.count()).select_from(Case), p).where(
        Case.status != CaseStatus.CLOSED.value)
    if agency is not None:
        cases = cases.where(Case.agency_id == agency)
    open_cases = db.scalar(cases) or 0
    overdue = db.scalar(cases.where(Case.due_at.is_not(None), Case.due_at < utcnow())) or 0

    from netral.review.dashboard import campaign_periods

    if over_time:
        first, last = date.fromisoformat(over_time[0][0]), date.fromisoformat(over_time[-1][0])
    else:
        first, last = start, end
    return {
        "agency_id": agency,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "zone": zone,
        "total": total,
        "over_time": over_time,
        "by_unit": by_unit.most_common(),
        "by_platform": by_platform.most_common(),
        "by_kind": by_kind.most_common(),
        "by_target": by_target,
        "targets": targets,
        "by_status": by_status.most_common(),
        "campaign_periods": [
            {"start": s.isoformat(), "end": e.isoformat(), "label": lab}
            for s, e, lab in campaign_periods(first, last)
        ],
        "open_cases": int(open_cases),
        "overdue_cases": int(overdue),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def dashboard(db: Session, p: Principal, *, agency_id: int | None = None,
              start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """The figures of the principal's scope, from the cache while nothing changed."""
    p.require("read")
    agency = agency_of(p, agency_id)
    # the scope decides what is counted: never share an entry between different scopes
    key = (agency, p.agency_id, p.unit_path, start, end, p.zone if p.zone in ZONES else None)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[1] < REVALIDATE_SECONDS:
        return hit[3]
    valid = _validator(db, agency)
    if hit is not None and hit[0] == valid and now - hit[2] < TTL_SECONDS:
        with _lock:
            _cache[key] = (valid, now, hit[2], hit[3])
        return hit[3]
    data = compute(db, p, agency, start, end)
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            _cache.pop(next(iter(_cache)))
        _cache[key] = (valid, now, now, data)
    return data
