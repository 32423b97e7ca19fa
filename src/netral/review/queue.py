"""The review queue for a day's work: filters, order, counts per status and pages.

A reviewer works through the queue the way people work through mail or tickets: narrowed to
a unit, a platform, a contestant, a period or a score band, in the order that suits the day,
a page at a time, and always able to see how many findings wait in each status. The filter
is plain data (:class:`QueueFilter`) that travels in the page's URL and in the API's query,
so a filtered view can be bookmarked, shared and reloaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from netral.review.authz import NotFound, Principal, scope_findings, scope_units
from netral.review.stats import act_time, in_period
from netral.store.models import Detection, Finding, FindingStatus, Item, Staff, Unit

OPEN = (FindingStatus.NEW.value, FindingStatus.CLAIMED.value, FindingStatus.ESCALATED.value)
STATUSES = ("open", *OPEN, FindingStatus.CONFIRMED.value, FindingStatus.DISMISSED.value, "all")
SORTS = ("risk", "risk_asc", "newest", "oldest", "unit", "platform", "status")
PER_PAGE = (25, 50, 100)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the queue shows and in which order (every field has a URL parameter)."""

    status: str = "open"  # open (new, claimed, escalated), all, or one status
    mine: bool = False  # only findings assigned to me
    unit: int | None = None  # a unit and everything below it
    platform: str | None = None
    target: str | None = None  # a contestant's id, e.g. "pemilu-2024/pair-2"
    start: date | None = None  # act date, in the agency's time zone
    end: date | None = None
    min_score: float | None = None
    max_score: float | None = None
    sort: str = "risk"
    per_page: int = 25

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> QueueFilter:
        """From URL/query parameters; a bad value raises ``ValueError`` naming the parameter."""

        def text(name: str) -> str | None:
            v = params.get(name)
            v = str(v).strip() if v is not None else ""
            return v or None

        def number(name: str, kind: type, lo: float, hi: float):
            v = text(name)
            if v is None:
                return None
            try:
                n = kind(v)
            except ValueError as exc:
                raise ValueError(f"{name}: {v!r} is not a number") from exc
            if not lo <= n <= hi:
                raise ValueError(f"{name}: {v} is outside {lo}–{hi}")
            return n

        def day(name: str) -> date | None:
            v = text(name)
            if v is None:
                return None
            try:
                return date.fromisoformat(v)
            except ValueError as exc:
                raise ValueError(f"{name}: {v!r} is not a date (YYYY-MM-DD)") from exc

        status = text("status") or "open"
        if status not in STATUSES:
            raise ValueError(f"status: {status!r} (expected one of {', '.join(STATUSES)})")
        sort = text("sort") or "risk"
        if sort not in SORTS:
            raise ValueError(f"sort: {sort!r} (expected one of {', '.join(SORTS)})")
        per_page = number("per_page", int, 1, 100) or 25
        return cls(
            status=status,
            mine=(text("mine") or "").lower() in ("1", "true", "on", "yes"),
            unit=number("unit", int, 1, 2**62),
            platform=text("platform"),
            target=text("target"),
            start=day("start"),
            end=day("end"),
            min_score=number("min_score", float, 0.0, 1.0),
            max_score=number("max_score", float, 0.0, 1.0),
            sort=sort,
            per_page=per_page,
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The URL parameters of this filter (defaults left out), with ``changes`` applied."""
        flt = replace(self, **changes) if changes else self
        default = QueueFilter()
        out: dict[str, str] = {}
        for f in fields(flt):
            v = getattr(flt, f.name)
            if v == getattr(default, f.name) or v is None:
                continue
            out[f.name] = ("true" if v else "") if isinstance(v, bool) else str(v)
        return out

    @property
    def narrowed(self) -> bool:
        """Whether anything besides status, order and page size narrows the list."""
        return bool(self.params(status="open", sort="risk", per_page=25))


def _unit_path(db: Session, p: Principal, unit_id: int) -> str:
    path = db.scalar(scope_units(select(Unit.path).where(Unit.id == unit_id), p))
    if path is None:
        raise NotFound("unit")
    return path


def _filtered(db: Session, p: Principal, flt: QueueFilter, stmt, *, status: bool = True):
    """``stmt`` (a select over findings joined with items) narrowed by ``flt``."""
    stmt = scope_findings(stmt, p)
    if status:
        if flt.status == "open":
            stmt = stmt.where(Finding.status.in_(OPEN))
        elif flt.status != "all":
            stmt = stmt.where(Finding.status == flt.status)
    if flt.mine:
        stmt = stmt.where(Finding.assigned_to_id == p.id)
    if flt.unit is not None:
        path = _unit_path(db, p, flt.unit)
        stmt = stmt.where(Finding.staff_id.in_(
            select(Staff.id).join(Unit, Unit.id == Staff.unit_id)
            .where(Unit.agency_id == Staff.agency_id, Unit.subtree_clause(path))))
    if flt.platform:
        stmt = stmt.where(Item.platform == flt.platform)
    if flt.target:
        # the contestant's id, quoted, inside the detection's JSON (ids are plain ASCII)
        stmt = stmt.where(Finding.detection_id.in_(
            select(Detection.id).where(Detection.item_id == Finding.item_id,
                                       cast(Detection.result, String).contains(
                                           f'"{flt.target}"', autoescape=True))))
    if flt.min_score is not None:
        stmt = stmt.where(Finding.risk_score >= flt.min_score)
    if flt.max_score is not None:
        stmt = stmt.where(Finding.risk_score <= flt.max_score)
    return in_period(stmt, flt.start, flt.end, p.zone)


def _order(stmt, sort: str):
    if sort == "risk_asc":
        return stmt.order_by(Finding.risk_score.asc(), Finding.id.asc())
    if sort == "newest":
        return stmt.order_by(act_time().desc(), Finding.id.desc())
    if sort == "oldest":
        return stmt.order_by(act_time().asc(), Finding.id.asc())
    if sort == "unit":
        unit_path = select(Unit.path).join(Staff, Staff.unit_id == Unit.id).where(
            Staff.id == Finding.staff_id).scalar_subquery()
        return stmt.order_by(unit_path.is_(None), unit_path, Finding.risk_score.desc(),
                             Finding.id.asc())
    if sort == "platform":
        return stmt.order_by(Item.platform, Finding.risk_score.desc(), Finding.id.asc())
    if sort == "status":
        return stmt.order_by(Finding.status, Finding.risk_score.desc(), Finding.id.asc())
    return stmt.order_by(Finding.risk_score.desc(), Finding.id.asc())


def _base():
    return select(Finding).join(Item, Item.id == Finding.item_id)


@dataclass
class QueuePage:
    rows: list[Finding]
    total: int  # findings matching the filter, all pages
    page: int
    pages: int
    counts: dict[str, int]  # per status (and "open", "all") under the other filters


def status_counts(db: Session, p: Principal, flt: QueueFilter) -> dict[str, int]:
    stmt = _filtered(db, p, flt, select(Finding.status, func.count()).join(
        Item, Item.id == Finding.item_id), status=False).group_by(Finding.status)
    counts = {s: 0 for s in STATUSES}
    for status, n in db.execute(stmt):
        counts[status] = int(n)
    counts["open"] = sum(counts[s] for s in OPEN)
    counts["all"] = sum(counts[s] for s in STATUSES if s not in ("open", "all"))
    return counts


def _slice(db: Session, p: Principal, flt: QueueFilter, limit: int, offset: int
           ) -> list[Finding]:
    stmt = _order(_filtered(db, p, flt, _base()), flt.sort).options(
        selectinload(Finding.item),
        selectinload(Finding.detection),
        selectinload(Finding.staff).selectinload(Staff.unit),
        selectinload(Finding.assigned_to),
        selectinload(Finding.reviewer),
    ).limit(limit).offset(offset)
    return list(db.scalars(stmt))


def rows(db: Session, p: Principal, flt: QueueFilter, *, limit: int, offset: int
         ) -> tuple[list[Finding], int, dict[str, int]]:
    """(findings of the slice, how many match, counts per status) — the API's listing."""
    p.require("read")
    counts = status_counts(db, p, flt)
    return _slice(db, p, flt, limit, offset), counts[flt.status], counts


def page(db: Session, p: Principal, flt: QueueFilter, number: int = 1) -> QueuePage:
    """One page of the queue with the counts per status (a page past the end shows the
    last one)."""
    p.require("read")
    counts = status_counts(db, p, flt)
    total = counts[flt.status]
    pages = max(1, -(-total // flt.per_page))
    number = min(max(number, 1), pages)
    found = _slice(db, p, flt, flt.per_page, (number - 1) * flt.per_page)
    return QueuePage(found, total, number, pages, counts)


def next_after(db: Session, p: Principal, flt: QueueFilter, finding: Finding) -> int | None:
    """The id of the finding that follows ``finding`` in the queue's order (the next one to
    review once this one is decided), or None at the end. Only risk order has a cheap
    "after this row" condition; other orders take the first remaining open finding."""
    stmt = _filtered(db, p, replace(flt, status="open"), select(Finding.id).join(
        Item, Item.id == Finding.item_id)).where(Finding.id != finding.id)
    if flt.sort == "risk":
        score = finding.risk_score or 0.0
        stmt = stmt.where(or_(Finding.risk_score < score,
                              and_(Finding.risk_score == score, Finding.id > finding.id)))
    nxt = db.scalar(_order(stmt, flt.sort).limit(1))
    if nxt is None and flt.sort == "risk":  # wrap around to what is left above
        nxt = db.scalar(_order(_filtered(db, p, replace(flt, status="open"), select(
            Finding.id).join(Item, Item.id == Finding.item_id)).where(
                Finding.id != finding.id), flt.sort).limit(1))
    return nxt


def filter_options(db: Session, p: Principal, targets: list[dict[str, Any]]
                   ) -> dict[str, Any]:
    """What the filter controls offer: units and platforms in scope, contestants named."""
    units = list(db.execute(scope_units(select(Unit.id, Unit.path), p).order_by(Unit.path)))
    platforms = list(db.scalars(scope_findings(
        select(Item.platform).join(Finding, Finding.item_id == Item.id), p)
        .distinct().order_by(Item.platform)))
    return {"units": [{"id": i, "path": path} for i, path in units],
            "platforms": [x for x in platforms if x],
            "targets": [{"id": t["id"], "label": t["label"]} for t in targets]}

