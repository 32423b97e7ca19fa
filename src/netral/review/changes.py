"""How every change to a finding or a case is written: one compare-and-set on the row's
version (the second of two people acting at once gets a 409 naming what the first did) and one
audit-log entry per change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from netral.review.authz import Conflict, Principal
from netral.store import audit
from netral.store.models import Case, Finding, FindingStatus
from netral.store.types import utcnow

OPEN_FINDING = (FindingStatus.NEW, FindingStatus.CLAIMED, FindingStatus.ESCALATED)


def log_action(db: Session, p: Principal, action: str, obj: Any, agency_id: int | None, **details):
    audit.record(
        db,
        action,
        actor=p.username,
        actor_id=p.id,
        agency_id=agency_id,
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details=details,
    )


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def require_open(f: Finding) -> None:
    if f.status not in OPEN_FINDING:
        raise Conflict(decided_by(f))


def decided_by(f: Finding) -> str:
    """Who did what to a finding, for the 409 of the person who came second."""
    who = f.reviewer.username if f.reviewer is not None else None
    if f.status in (FindingStatus.CONFIRMED, FindingStatus.DISMISSED) and who:
        when = f.reviewed_at.isoformat(timespec="seconds") if f.reviewed_at else "?"
        return f"finding {f.id} is already {f.status} by {who} at {when}"
    if f.status == FindingStatus.ESCALATED:
        return f"finding {f.id} is escalated to a supervisor"
    holder = f.assigned_to.username if f.assigned_to is not None else None
    if holder:
        return f"finding {f.id} is {f.status}, held by {holder}"
    return f"finding {f.id} is {f.status}"


def compare_and_set(db: Session, obj: Finding | Case, **values: Any) -> None:
    """Write ``values`` to ``obj``'s row only if nobody changed it since it was read.

    One conditional ``UPDATE … WHERE id = :id AND version = :read`` decides, inside the
    database, which of two concurrent requests wins (sync endpoints run in parallel threads,
    and several workers or servers may share the database). The loser changes nothing and
    gets a :class:`Conflict` naming the state the winner left. The caller writes its audit
    and feedback rows only after this returned, so a lost race leaves no trace but the 409.
    """
    model = type(obj)
    read_version = obj.version
    res = db.execute(
        update(model)
        .where(model.id == obj.id, model.version == read_version)
        .values(version=read_version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.expire(obj)
    if res.rowcount != 1:
        db.refresh(obj)
        if isinstance(obj, Finding):
            raise Conflict(decided_by(obj) + " (changed meanwhile)")
        raise Conflict(f"case {obj.id} moved to {obj.status} meanwhile")
    db.refresh(obj)
    from netral.review import stats

    stats.invalidate(obj.agency_id)  # the dashboard's figures of this agency changed
