"""One review action on many findings, and taking it back within a short window.

A reviewer who confirms twelve findings at once should hear "12 findings confirmed", and a
wrong key or a wrong selection should cost one click to take back, not twelve requests to a
supervisor. Each action on a set of findings (the queue's bulk bar and its per-row buttons)
writes a :class:`~netral.store.models.ReviewUndo` record holding, per finding, the state
before and the version the action left.

What an undo may do follows the review rules:

* only the person who acted, within :data:`UNDO_SECONDS`, and only once;
* a finding is restored only if nobody changed it since (its version is still the one the
  action left): a colleague's later decision, a supervisor's assignment or a case opened on a
  confirmed finding (opening a case bumps the version) is never overwritten — that finding
  stays as it is and the answer says why;
* the labelled-feedback row a confirmation or dismissal wrote is removed with it (the
  reviewer withdrew that label; it must not train the detector), and the audit log keeps
  both the decision and its undo (``finding.undo``), so nothing disappears from the record.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from netral.review.authz import Conflict, Forbidden, NotFound, Principal, get_finding
from netral.review.changes import compare_and_set, decided_by, log_action
from netral.review.findings import finding_action
from netral.store.models import Case, CaseFinding, CaseStatus, Finding, LabelledFeedback, ReviewUndo
from netral.store.types import utcnow

UNDO_SECONDS = 60
ACTIONS = ("claim", "assign", "confirm", "dismiss", "escalate")
_STATE = ("status", "assigned_to_id", "reviewer_id", "reason", "reviewed_at")


@dataclass
class BulkResult:
    action: str
    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    undo_token: str | None = None
    undo_until: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "count": len(self.done),
            "done": self.done,
            "failed": self.failed,
            "undo": ({"token": self.undo_token, "until": self.undo_until.isoformat(),
                      "seconds": UNDO_SECONDS} if self.undo_token and self.undo_until
                     else None),
        }


@dataclass
class UndoResult:
    action: str
    restored: list[int] = field(default_factory=list)
    kept: dict[int, dict[str, str]] = field(default_factory=dict)  # id -> {code, detail}

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "count": len(self.restored), "restored": self.restored,
                "kept": self.kept}


def _state(f: Finding) -> dict[str, Any]:
    out = {k: getattr(f, k) for k in _STATE}
    out["reviewed_at"] = f.reviewed_at.isoformat() if f.reviewed_at else None
    return out


def _permission(action: str) -> str:
    return "assign" if action == "assign" else "review"


def apply(db: Session, p: Principal, ids: Sequence[int], action: str, *, reason: str = "",
          user_id: int | None = None) -> BulkResult:
    """Apply one action to many findings; each one is checked on its own. What was done can
    be undone with :func:`undo` and the returned token within :data:`UNDO_SECONDS`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    res = BulkResult(action)
    entries: list[dict[str, Any]] = []
    agencies: set[int] = set()
    # Ascending id order: two overlapping bulk actions then lock shared rows in the same
    # order and wait for each other instead of deadlocking (PostgreSQL).
    for fid in sorted({int(i) for i in ids}):
        try:
            f = get_finding(db, p, fid)
            before = _state(f)
            finding_action(db, p, f, action, reason=reason, user_id=user_id)
            db.flush()
        except NotFound:
            res.failed[fid] = "not_found"
            continue
        except Forbidden as exc:
            # e.g. an escalated finding in a reviewer's selection: that one is refused,
            # the others still go through
            res.failed[fid] = f"forbidden: {exc}"
            continue
        except (Conflict, ValueError) as exc:
            res.failed[fid] = str(exc)
            continue
        feedback = None
        if action in ("confirm", "dismiss"):
            feedback = db.scalar(select(func.max(LabelledFeedback.id)).where(
                LabelledFeedback.finding_id == f.id, LabelledFeedback.user_id == p.id))
        entries.append({"id": f.id, "version": f.version, "before": before,
                        "feedback": feedback})
        agencies.add(f.agency_id)
        res.done.append(fid)
    if not res.done and res.failed and all(v == "not_found" for v in res.failed.values()):
        raise NotFound("finding")
    if not res.done and res.failed and all(v.startswith("forbidden") for v in res.failed.values()):
        raise Forbidden(next(iter(res.failed.values())).removeprefix("forbidden: "))
    if entries:
        now = utcnow()
        rec = ReviewUndo(id=secrets.token_urlsafe(24), user_id=p.id,
                         agency_id=next(iter(agencies)) if len(agencies) == 1 else None,
                         action=action, entries=entries, created_at=now,
                         expires_at=now + timedelta(seconds=UNDO_SECONDS))
        db.add(rec)
        db.flush()
        res.undo_token, res.undo_until = rec.id, rec.expires_at
    return res


def _why_kept(db: Session, f: Finding) -> dict[str, str]:
    """Why a finding changed since the action: in a case, or someone acted on it."""
    case_id = db.scalar(select(CaseFinding.case_id).join(Case, Case.id == CaseFinding.case_id)
                        .where(CaseFinding.finding_id == f.id,
                               Case.status != CaseStatus.CLOSED.value)
                        .order_by(CaseFinding.case_id.desc()))
    if case_id is not None:
        return {"code": "in_case", "detail": str(case_id)}
    return {"code": "changed", "detail": decided_by(f)}


def undo(db: Session, p: Principal, token: str) -> UndoResult:
    """Take back the action recorded under ``token`` where the review rules allow it."""
    rec = db.get(ReviewUndo, token) if token else None
    if rec is None or rec.user_id != p.id:
        raise NotFound("undo")  # someone else's action is not revealed
    p.require(_permission(rec.action))
    if rec.undone_at is not None:
        raise Conflict("undo_done")
    if utcnow() >= rec.expires_at:
        raise Conflict(f"undo_expired:{UNDO_SECONDS}")
    # claim the record first: of two undo clicks racing, one restores, the other gets 409
    won = db.execute(update(ReviewUndo).where(ReviewUndo.id == rec.id,
                                              ReviewUndo.undone_at.is_(None))
                     .values(undone_at=utcnow()).execution_options(synchronize_session=False))
    if won.rowcount != 1:
        raise Conflict("undo_done")
    out = UndoResult(rec.action)
    for entry in rec.entries:
        fid = int(entry["id"])
        try:
            f = get_finding(db, p, fid)
        except NotFound:
            out.kept[fid] = {"code": "not_found", "detail": ""}
            continue
        if f.version != entry["version"]:
            out.kept[fid] = _why_kept(db, f)
            continue
        before = dict(entry["before"])
        at = before.get("reviewed_at")
        before["reviewed_at"] = datetime.fromisoformat(at) if at else None
        try:
            compare_and_set(db, f, **before)
        except Conflict:  # changed between our read and the write
            out.kept[fid] = _why_kept(db, f)
            continue
        if entry.get("feedback"):
            db.execute(delete(LabelledFeedback).where(
                LabelledFeedback.id == int(entry["feedback"]),
                LabelledFeedback.finding_id == fid))
        log_action(db, p, "finding.undo", f, f.agency_id, undone=rec.action,
                   status=f.status)
        out.restored.append(fid)
    db.flush()
    return out
