"""Cases along the official flow (finding, clarification, recommendation to the PPK,
sanction, closed): opening one from confirmed findings, moving it a step, notes, deadlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netral.review.agency import agency_settings
from netral.review.authz import (
    Conflict,
    Forbidden,
    Principal,
    get_finding,
    scope_cases,
)
from netral.review.changes import compare_and_set, iso, log_action
from netral.review.findings import finding_query
from netral.store.models import (
    CASE_FLOW,
    AgencySettings,
    Case,
    CaseEvent,
    CaseFinding,
    CaseStatus,
    Finding,
    FindingStatus,
    SanctionType,
    Staff,
)
from netral.store.types import utcnow


def _step_days(st: AgencySettings, status: str) -> int | None:
    return {
        CaseStatus.FINDING: 7,
        CaseStatus.CLARIFICATION: st.clarification_days,
        CaseStatus.RECOMMENDATION: st.ppk_deadline_days,
        CaseStatus.SANCTION: 14,
    }.get(CaseStatus(status))


def is_overdue(c: Case, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return c.status != CaseStatus.CLOSED and c.due_at is not None and c.due_at < now


def case_dict(c: Case, *, full: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": c.id,
        "agency_id": c.agency_id,
        "title": c.title,
        "status": c.status,
        "sanction_type": c.sanction_type,
        "sanction_note": c.sanction_note,
        "ppk": c.ppk,
        "due_at": iso(c.due_at),
        "overdue": is_overdue(c),
        "opened_at": iso(c.opened_at),
        "closed_at": iso(c.closed_at),
        "staff": (
            {"id": c.staff.id, "nip": c.staff.nip, "name": c.staff.name,
             "unit": c.staff.unit.path if c.staff.unit else None}
            if c.staff else None
        ),
        "finding_ids": [f.id for f in c.findings],
        "next_status": next_status(c),
    }
    if full:
        d["events"] = [
            {
                "id": e.id,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "details": e.details,
                "actor": e.actor.username if e.actor else None,
                "created_at": iso(e.created_at),
            }
            for e in c.events
        ]
    return d


def next_status(c: Case) -> str | None:
    i = CASE_FLOW.index(CaseStatus(c.status))
    return CASE_FLOW[i + 1].value if i + 1 < len(CASE_FLOW) else None


def list_cases(db: Session, p: Principal, *, status: str | None = None) -> list[Case]:
    p.require("read")
    stmt = scope_cases(
        select(Case).options(
            selectinload(Case.staff).selectinload(Staff.unit), selectinload(Case.findings)
        ),
        p,
    )
    if status == "open":
        stmt = stmt.where(Case.status != CaseStatus.CLOSED.value)
    elif status and status != "all":
        stmt = stmt.where(Case.status == status)
    return list(db.scalars(stmt.order_by(Case.due_at.is_(None), Case.due_at, Case.id)))


def open_case(
    db: Session, p: Principal, finding_ids: Sequence[int], *, title: str = "",
    ppk: str | None = None,
) -> Case:
    p.require("case_manage")
    if not finding_ids:
        raise ValueError("finding_required")
    findings = [get_finding(db, p, int(i)) for i in sorted({int(i) for i in finding_ids})]
    for f in findings:
        if f.status != FindingStatus.CONFIRMED:
            raise Conflict(f"finding {f.id} is not confirmed")
    _require_no_open_case(db, findings)
    staff_ids = {f.staff_id for f in findings}
    if len(staff_ids) != 1:
        raise Conflict("all findings of a case must concern the same staff member")
    agency_id = findings[0].agency_id
    st = agency_settings(db, agency_id)
    staff = findings[0].staff
    case = Case(
        agency_id=agency_id,
        staff_id=findings[0].staff_id,
        title=(title or "").strip()[:255]
        or (f"Netralitas ASN: {staff.name}" if staff else f"Temuan #{findings[0].id}"),
        status=CaseStatus.FINDING.value,
        ppk=(ppk or st.ppk),
        opened_by_id=p.id,
        due_at=utcnow() + timedelta(days=_step_days(st, CaseStatus.FINDING) or 7),
    )
    # One open case per finding: bumping each finding's version makes two concurrent
    # "open case" requests for the same finding collide here; the loser gets 409.
    for f in findings:
        compare_and_set(db, f)
    db.add(case)
    db.flush()
    for f in findings:
        db.add(CaseFinding(case_id=case.id, finding_id=f.id))
    db.add(CaseEvent(case_id=case.id, from_status=None, to_status=CaseStatus.FINDING.value,
                     note=None, details={"findings": [f.id for f in findings]}, actor_id=p.id))
    log_action(db, p, "case.open", case, agency_id, findings=[f.id for f in findings])
    db.flush()
    db.refresh(case)
    return case


def _require_no_open_case(db: Session, findings: Sequence[Finding]) -> None:
    """A finding belongs to at most one case that is not closed (see docs/concurrency.md)."""
    rows = db.execute(
        select(CaseFinding.finding_id, Case.id)
        .join(Case, Case.id == CaseFinding.case_id)
        .where(CaseFinding.finding_id.in_([f.id for f in findings]),
               Case.status != CaseStatus.CLOSED.value)
        .order_by(CaseFinding.finding_id)
    ).first()
    if rows is not None:
        raise Conflict(f"finding {rows[0]} is already in open case {rows[1]}")


def transition(
    db: Session, p: Principal, c: Case, to_status: str, *, note: str = "",
    sanction_type: str | None = None, ppk: str | None = None, from_status: str | None = None,
) -> Case:
    """Move a case one step along the official flow (or close it early with a note).

    ``from_status`` is the status the user saw when deciding; if the case has moved since
    (a colleague acted first), the request is refused rather than applied to a state its
    author never saw."""
    p.require("case_manage")
    try:
        target = CaseStatus(to_status)
    except ValueError as exc:
        raise ValueError(f"unknown status {to_status!r}") from exc
    if from_status and from_status != c.status:
        raise Conflict(f"case {c.id} is now {c.status}, not {from_status}")
    if c.status == CaseStatus.CLOSED:
        raise Conflict("case is closed")
    note = (note or "").strip()
    nxt = next_status(c)
    if target.value != nxt and target != CaseStatus.CLOSED:
        raise Conflict(f"a case in {c.status} moves to {nxt}, not {target.value}")
    if target == CaseStatus.CLOSED and nxt != CaseStatus.CLOSED.value and not note:
        raise ValueError("note_required")
    details: dict[str, Any] = {}
    values: dict[str, Any] = {"status": target.value}
    if target == CaseStatus.RECOMMENDATION:
        if not note:
            raise ValueError("note_required")
        confirmers = {f.reviewer_id for f in c.findings if f.reviewer_id is not None}
        if p.id in confirmers:
            raise Forbidden("two_person_rule")
        values["recommended_by_id"] = p.id
        values["ppk"] = ppk.strip()[:255] if ppk else c.ppk
        details["ppk"] = values["ppk"]
    if target == CaseStatus.SANCTION:
        try:
            values["sanction_type"] = SanctionType(sanction_type or "").value
        except ValueError as exc:
            raise ValueError("sanction_type_required") from exc
        values["sanction_note"] = note or None
        details["sanction_type"] = values["sanction_type"]
    st = agency_settings(db, c.agency_id)
    before = c.status
    if target == CaseStatus.CLOSED:
        values.update(closed_at=utcnow(), due_at=None)
    else:
        days = _step_days(st, target)
        values["due_at"] = utcnow() + timedelta(days=days) if days else None
    compare_and_set(db, c, **values)
    db.add(CaseEvent(case_id=c.id, from_status=before, to_status=target.value,
                     note=note or None, details=details, actor_id=p.id))
    log_action(db, p, "case.transition", c, c.agency_id, from_status=before,
           to_status=target.value, **details)
    db.flush()
    db.refresh(c)
    return c


def add_note(db: Session, p: Principal, c: Case, note: str) -> CaseEvent:
    p.require("case_note")
    note = (note or "").strip()
    if not note:
        raise ValueError("note_required")
    ev = CaseEvent(case_id=c.id, from_status=c.status, to_status=None, note=note, actor_id=p.id)
    db.add(ev)
    log_action(db, p, "case.note", c, c.agency_id)
    db.flush()
    db.refresh(c)
    return ev


def case_findings(db: Session, p: Principal, c: Case) -> list[Finding]:
    ids = [f.id for f in c.findings]
    if not ids:
        return []
    return list(db.scalars(finding_query(p).where(Finding.id.in_(ids))))
