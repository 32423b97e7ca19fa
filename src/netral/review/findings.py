"""The review queue's findings: what a finding looks like to the pages and the API, the list
a principal may see, and the decisions on one finding (claim, assign, confirm, dismiss,
escalate).

Each function takes the database session and the acting :class:`Principal`, checks the
permission, works only on rows inside the principal's scope, writes an audit-log entry for
every change and leaves the commit to the caller's request scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from netral.review.authz import (
    Conflict,
    Forbidden,
    NotFound,
    Principal,
    scope_findings,
    scope_users,
)
from netral.review.changes import (
    OPEN_FINDING,
    compare_and_set,
    decided_by,
    iso,
    log_action,
    require_open,
)
from netral.store.models import (
    FeedbackLabel,
    Finding,
    FindingStatus,
    LabelledFeedback,
    Role,
    Staff,
    User,
)
from netral.store.types import utcnow


def evidence_status(db: Session, item_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Per item: whether evidence was captured (from :mod:`netral.evidence`, when present)."""
    from netral.review import evidence as review_evidence

    return review_evidence.status_for_items(db, item_ids)


def finding_dict(f: Finding, evidence: dict[str, Any] | None = None) -> dict[str, Any]:
    item = f.item
    result = f.detection.result if f.detection is not None else {}
    return {
        "id": f.id,
        "agency_id": f.agency_id,
        "status": f.status,
        "risk_score": round(float(f.risk_score or 0.0), 4),
        "sampled_as_netral": bool(f.sampled_as_netral),
        "assigned_to": f.assigned_to.username if f.assigned_to else None,
        "reviewer": f.reviewer.username if f.reviewer else None,
        "reason": f.reason,
        "created_at": iso(f.created_at),
        "reviewed_at": iso(f.reviewed_at),
        "staff": (
            {
                "id": f.staff.id,
                "nip": f.staff.nip,
                "name": f.staff.name,
                "unit": f.staff.unit.path if f.staff.unit else None,
            }
            if f.staff
            else None
        ),
        "item": {
            "id": item.id,
            "platform": item.platform,
            "kind": item.kind,
            "handle": item.handle,
            "text": item.text,
            "url": item.url,
            "created_at": iso(item.created_at),
        },
        "detection": {
            "verdict": f.detection.verdict if f.detection else None,
            "score": f.detection.score if f.detection else None,
            "detector_version": f.detection.detector_version if f.detection else None,
            "pack_version": f.detection.pack_version if f.detection else None,
            "result": result,
        },
        "evidence": evidence or {"captured": False},
    }


def finding_query(p: Principal):
    return scope_findings(
        select(Finding).options(
            selectinload(Finding.item),
            selectinload(Finding.detection),
            selectinload(Finding.staff).selectinload(Staff.unit),
            selectinload(Finding.assigned_to),
            selectinload(Finding.reviewer),
        ),
        p,
    )


def list_findings(
    db: Session,
    p: Principal,
    *,
    status: str | None = "open",
    mine: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Finding], int]:
    p.require("read")
    stmt = finding_query(p)
    if status == "open":
        stmt = stmt.where(Finding.status.in_([s.value for s in OPEN_FINDING]))
    elif status:
        stmt = stmt.where(Finding.status == status)
    if mine:
        stmt = stmt.where(Finding.assigned_to_id == p.id)
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    stmt = stmt.order_by(Finding.risk_score.desc(), Finding.id.asc()).limit(limit).offset(offset)
    return list(db.scalars(stmt)), int(total)


def claim(db: Session, p: Principal, f: Finding) -> Finding:
    p.require("review")
    require_open(f)
    if f.assigned_to_id not in (None, p.id):
        raise Conflict(decided_by(f))
    status = FindingStatus.CLAIMED.value if f.status == FindingStatus.NEW else f.status
    compare_and_set(db, f, assigned_to_id=p.id, status=status)
    log_action(db, p, "finding.claim", f, f.agency_id)
    return f


def assign(db: Session, p: Principal, f: Finding, user_id: int | None) -> Finding:
    p.require("assign")
    require_open(f)
    if user_id is not None:
        target = db.scalars(
            scope_users(select(User).where(User.id == user_id), p).where(
                User.agency_id == f.agency_id, User.active.is_(True)
            )
        ).first()
        if target is None or target.role not in (Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER):
            raise NotFound("user")
    status = (FindingStatus.CLAIMED.value if f.status == FindingStatus.NEW and user_id is not None
              else f.status)
    compare_and_set(db, f, assigned_to_id=user_id, status=status)
    log_action(db, p, "finding.assign", f, f.agency_id, assigned_to=user_id)
    return f


def _feedback(db: Session, p: Principal, f: Finding, label: str, reason: str) -> None:
    det = f.detection
    db.add(
        LabelledFeedback(
            agency_id=f.agency_id,
            item_id=f.item_id,
            finding_id=f.id,
            text=f.item.text if f.item else "",
            kind=f.item.kind if f.item else "post",
            label=label,
            predicted=det.verdict if det else None,
            reason=reason,
            detector_version=det.detector_version if det else None,
            pack_version=det.pack_version if det else None,
            user_id=p.id,
        )
    )


# why a reviewer may not decide an escalated finding (the web says it in words: i18n.forbidden_text)
ESCALATED = "escalated findings are decided by a supervisor"


def _decide(db: Session, p: Principal, f: Finding, status: FindingStatus, reason: str) -> Finding:
    p.require("review")
    require_open(f)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason_required")
    if f.status == FindingStatus.ESCALATED and not p.can("assign"):
        raise Forbidden(ESCALATED)
    compare_and_set(db, f, status=status.value, reviewer_id=p.id, reason=reason,
                     reviewed_at=utcnow())
    label = FeedbackLabel.KAMPANYE if status == FindingStatus.CONFIRMED else FeedbackLabel.NETRAL
    _feedback(db, p, f, label.value, reason)
    log_action(db, p, f"finding.{'confirm' if status == FindingStatus.CONFIRMED else 'dismiss'}",
           f, f.agency_id, reason=reason)
    return f


def confirm(db: Session, p: Principal, f: Finding, reason: str) -> Finding:
    return _decide(db, p, f, FindingStatus.CONFIRMED, reason)


def dismiss(db: Session, p: Principal, f: Finding, reason: str) -> Finding:
    return _decide(db, p, f, FindingStatus.DISMISSED, reason)


def escalate(db: Session, p: Principal, f: Finding, reason: str) -> Finding:
    p.require("review")
    require_open(f)
    if f.status == FindingStatus.ESCALATED:
        raise Conflict(decided_by(f))
    compare_and_set(db, f, status=FindingStatus.ESCALATED.value, assigned_to_id=None,
                     reason=(reason or "").strip() or None)
    log_action(db, p, "finding.escalate", f, f.agency_id, reason=f.reason)
    return f


FINDING_ACTIONS = ("claim", "assign", "confirm", "dismiss", "escalate")


def finding_action(
    db: Session, p: Principal, f: Finding, action: str, *, reason: str = "",
    user_id: int | None = None,
) -> Finding:
    if action == "claim":
        return claim(db, p, f)
    if action == "assign":
        return assign(db, p, f, user_id)
    if action == "confirm":
        return confirm(db, p, f, reason)
    if action == "dismiss":
        return dismiss(db, p, f, reason)
    if action == "escalate":
        return escalate(db, p, f, reason)
    raise ValueError(f"unknown action {action!r}")


def bulk_action(
    db: Session, p: Principal, ids: Sequence[int], action: str, *, reason: str = "",
    user_id: int | None = None,
) -> dict[str, Any]:
    """Apply one action to many findings; each one is checked on its own. The answer counts
    what was done and carries the token to undo it (netral.review.bulk)."""
    from netral.review import bulk

    return bulk.apply(db, p, ids, action, reason=reason, user_id=user_id).to_dict()


def reviewers(db: Session, p: Principal, agency_id: int | None) -> list[User]:
    stmt = scope_users(select(User), p).where(
        User.active.is_(True), User.role.in_([Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER])
    )
    if agency_id is not None:
        stmt = stmt.where(User.agency_id == agency_id)
    return list(db.scalars(stmt.order_by(User.username)))
