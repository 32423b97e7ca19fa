"""Retention and purge of collected items (UU 27/2022 PDP: data minimisation).

Rules, per agency (``agency_settings``; defaults when an agency has no settings row):

* **never flagged** — an item without any finding is deleted ``retention_unflagged_days``
  (default 30) after it was collected;
* **resolved** — an item whose finding was dismissed (and is in no case), or whose cases are
  all closed, is deleted ``retention_resolved_days`` (default 365) after the dismissal or the
  closing of the last case;
* **held** — an item whose finding is still under review (new, claimed, confirmed,
  escalated) or is linked to an open case is never deleted.

Deleting an item deletes its detections and findings (database cascades). Cases and their
events stay (the case record itself is not personal content), as do labelled-feedback examples
(reviewer-labelled training texts) and the append-only evidence ledger, which holds hashes,
not contents. ``purge(dry_run=True)`` only counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.engine import Engine

from netral.store import audit
from netral.store.base import make_sessionmaker
from netral.store.models import (
    Agency,
    AgencySettings,
    Case,
    CaseFinding,
    CaseStatus,
    Finding,
    FindingStatus,
    Item,
)
from netral.store.types import utcnow

DEFAULT_UNFLAGGED_DAYS = 30
DEFAULT_RESOLVED_DAYS = 365
DELETE_CHUNK = 500


@dataclass(slots=True)
class AgencyPurge:
    agency_id: int
    code: str
    unflagged_days: int
    resolved_days: int
    unflagged: int = 0
    resolved: int = 0
    held_review: int = 0
    held_open_case: int = 0
    kept_recent: int = 0

    @property
    def total(self) -> int:
        return self.unflagged + self.resolved


@dataclass(slots=True)
class PurgeReport:
    dry_run: bool
    at: datetime
    agencies: list[AgencyPurge] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(a.total for a in self.agencies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "at": self.at.isoformat(),
            "total": self.total,
            "agencies": [
                {
                    "agency": a.code,
                    "unflagged_days": a.unflagged_days,
                    "resolved_days": a.resolved_days,
                    "purge_unflagged": a.unflagged,
                    "purge_resolved": a.resolved,
                    "held_review": a.held_review,
                    "held_open_case": a.held_open_case,
                    "kept_recent": a.kept_recent,
                }
                for a in self.agencies
            ],
        }


def _open_case_link():
    """Condition: the finding is linked to a case that is not closed."""
    return (
        select(CaseFinding.finding_id)
        .join(Case, Case.id == CaseFinding.case_id)
        .where(CaseFinding.finding_id == Finding.id, Case.status != CaseStatus.CLOSED.value)
        .exists()
    )


def _any_case_link():
    return select(CaseFinding.finding_id).where(CaseFinding.finding_id == Finding.id).exists()


def _last_case_close():
    return (
        select(func.max(Case.closed_at))
        .join(CaseFinding, CaseFinding.case_id == Case.id)
        .where(CaseFinding.finding_id == Finding.id)
        .scalar_subquery()
    )


def candidates(session, agency_id: int, unflagged_days: int, resolved_days: int, now: datetime):
    """(unflagged ids, resolved ids, held-review count, held-open-case count, kept-recent)."""
    cut_unflagged = now - timedelta(days=unflagged_days)
    cut_resolved = now - timedelta(days=resolved_days)
    no_finding = ~exists().where(Finding.item_id == Item.id)
    unflagged = session.scalars(
        select(Item.id).where(
            Item.agency_id == agency_id, no_finding, Item.collected_at < cut_unflagged
        )
    ).all()
    recent_unflagged = session.scalar(
        select(func.count(Item.id)).where(
            Item.agency_id == agency_id, no_finding, Item.collected_at >= cut_unflagged
        )
    )
    dismissed_free = and_(
        Finding.status == FindingStatus.DISMISSED.value,
        ~_any_case_link(),
        func.coalesce(Finding.reviewed_at, Finding.updated_at) < cut_resolved,
    )
    closed_only = and_(
        _any_case_link(),
        ~_open_case_link(),
        _last_case_close() < cut_resolved,
    )
    resolved = session.scalars(
        select(Finding.item_id).where(Finding.agency_id == agency_id, dismissed_free | closed_only)
    ).all()
    held_case = session.scalar(
        select(func.count(Finding.id)).where(Finding.agency_id == agency_id, _open_case_link())
    )
    held_review = session.scalar(
        select(func.count(Finding.id)).where(
            Finding.agency_id == agency_id,
            Finding.status != FindingStatus.DISMISSED.value,
            ~_any_case_link(),
        )
    )
    return list(unflagged), list(resolved), held_review or 0, held_case or 0, recent_unflagged or 0


def purge(
    engine: Engine,
    *,
    dry_run: bool = True,
    agency_code: str | None = None,
    now: datetime | None = None,
    actor: str = "cli",
) -> PurgeReport:
    """Apply (or, with ``dry_run``, count) the retention rules; one transaction per agency."""
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run, at=now)
    Session = make_sessionmaker(engine)
    with Session() as session:
        q = select(Agency).order_by(Agency.id)
        if agency_code:
            q = q.where(Agency.code == agency_code)
        agencies = session.scalars(q).all()
        if agency_code and not agencies:
            raise KeyError(agency_code)
        settings = {s.agency_id: s for s in session.scalars(select(AgencySettings)).all()}
    for agency in agencies:
        s = settings.get(agency.id)
        ap = AgencyPurge(
            agency.id,
            agency.code,
            s.retention_unflagged_days if s else DEFAULT_UNFLAGGED_DAYS,
            s.retention_resolved_days if s else DEFAULT_RESOLVED_DAYS,
        )
        with Session() as session:
            unflagged, resolved, ap.held_review, ap.held_open_case, ap.kept_recent = candidates(
                session, agency.id, ap.unflagged_days, ap.resolved_days, now
            )
            ap.unflagged, ap.resolved = len(unflagged), len(resolved)
            if not dry_run and (unflagged or resolved):
                ids = sorted(set(unflagged) | set(resolved))
                for i in range(0, len(ids), DELETE_CHUNK):
                    session.execute(delete(Item).where(Item.id.in_(ids[i : i + DELETE_CHUNK])))
                audit.record(
                    session,
                    "retention.purge",
                    actor=actor,
                    agency_id=agency.id,
                    object_type="agency",
                    object_id=agency.id,
                    details={
                        "unflagged": ap.unflagged,
                        "resolved": ap.resolved,
                        "unflagged_days": ap.unflagged_days,
                        "resolved_days": ap.resolved_days,
                    },
                )
                session.commit()
        report.agencies.append(ap)
    return report
