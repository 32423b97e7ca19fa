"""Assigning the course to units and tracking completion, scoped exactly as findings are.

Roles: viewing completion needs ``read`` (admin, supervisor, reviewer, auditor); assigning
needs ``assign`` (admin, supervisor). A unit-bound user sees and assigns only within the unit
subtree; an assignment or unit outside the scope is *not found*, never *forbidden*
(:mod:`netral.review.authz`). What is kept of a person: completion time and final score.
Completions are recorded through personal links only (:mod:`netral.course.links`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.course.models import CourseAssignment, CourseCompletion
from netral.review.authz import NotFound, Principal, agency_of, scope_staff, scope_units
from netral.store import audit
from netral.store.models import Staff, Unit
from netral.store.types import utcnow

MIN_QUESTIONS = 10  # a completion needs a full round


def scope_assignments(stmt, p: Principal):
    """Assignments of the user's agency whose unit lies in the user's unit subtree."""
    stmt = stmt.join(Unit, Unit.id == CourseAssignment.unit_id)
    if p.agency_id is not None:
        stmt = stmt.where(CourseAssignment.agency_id == p.agency_id)
    if p.unit_path:
        stmt = stmt.where(Unit.subtree_clause(p.unit_path))
    return stmt


def assign(db: Session, p: Principal, unit_id: int, deadline: date,
           agency_id: int | None = None) -> CourseAssignment:
    p.require("assign")
    agency = agency_of(p, agency_id)
    stmt = scope_units(select(Unit).where(Unit.id == unit_id), p)
    if agency is not None:
        stmt = stmt.where(Unit.agency_id == agency)
    unit = db.scalars(stmt).first()
    if unit is None:
        raise NotFound("unit")
    if deadline < utcnow().date():
        raise ValueError("course_deadline_past")
    row = CourseAssignment(agency_id=unit.agency_id, unit_id=unit.id, deadline=deadline,
                           code=secrets.token_urlsafe(12), created_by_id=p.id)
    db.add(row)
    db.flush()
    audit.record(db, "course.assign", actor=p.username, actor_id=p.id,
                 agency_id=unit.agency_id, object_type="course_assignment", object_id=row.id,
                 details={"unit": unit.path, "deadline": deadline.isoformat()})
    return row


def new_certificate() -> str:
    """A certificate's verification code: 64 random bits, 16 hex digits."""
    return secrets.token_hex(8).upper()


def certificate(db: Session, code: str) -> CourseCompletion | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 32:
        return None
    return db.scalars(select(CourseCompletion).where(CourseCompletion.certificate == code)).first()


@dataclass(frozen=True, slots=True)
class UnitProgress:
    assignment_id: int
    code: str
    unit: str
    deadline: date
    staff: int
    completed: int
    average: float | None

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.staff) if self.staff else 0


def staff_of(a: CourseAssignment, p: Principal):
    """Active staff of the assignment's unit subtree, within the user's scope."""
    return scope_staff(
        select(Staff.id).join(Unit, Unit.id == Staff.unit_id)
        .where(Staff.agency_id == a.agency_id, Staff.active.is_(True),
               Unit.subtree_clause(a.unit.path)), p)


def progress(db: Session, p: Principal, agency_id: int | None = None) -> list[UnitProgress]:
    """Completion and average score per assigned unit, in the user's scope."""
    p.require("read")
    agency = agency_of(p, agency_id)
    stmt = scope_assignments(select(CourseAssignment), p)
    if agency is not None:
        stmt = stmt.where(CourseAssignment.agency_id == agency)
    out = []
    for a in db.scalars(stmt.order_by(CourseAssignment.deadline, Unit.path)):
        staff_ids = staff_of(a, p).subquery()
        total = db.scalar(select(func.count()).select_from(staff_ids)) or 0
        done, avg = db.execute(
            select(func.count(CourseCompletion.id), func.avg(CourseCompletion.score))
            .where(CourseCompletion.assignment_id == a.id,
                   CourseCompletion.staff_id.in_(select(staff_ids.c.id)))).one()
        out.append(UnitProgress(a.id, a.code, a.unit.path, a.deadline, total, done or 0,
                                None if avg is None else round(float(avg), 1)))
    return out


@dataclass(frozen=True, slots=True)
class PersonRow:
    unit: str
    deadline: date
    nip: str
    name: str
    completed_at: datetime | None
    score: int | None


def people(db: Session, p: Principal, assignment_id: int) -> list[PersonRow]:
    """Who of the assigned unit completed, when and with which score (the CSV export)."""
    p.require("read")
    a = db.scalars(scope_assignments(
        select(CourseAssignment).where(CourseAssignment.id == assignment_id), p)).first()
    if a is None:
        raise NotFound("assignment")
    rows = db.execute(
        select(Staff.nip, Staff.name, Unit.path, CourseCompletion.completed_at,
               CourseCompletion.score)
        .join(Unit, Unit.id == Staff.unit_id)
        .outerjoin(CourseCompletion, (CourseCompletion.staff_id == Staff.id)
                   & (CourseCompletion.assignment_id == a.id))
        .where(Staff.id.in_(staff_of(a, p)))
        .order_by(Unit.path, Staff.name)).all()
    return [PersonRow(r.path, a.deadline, r.nip, r.name, r.completed_at, r.score) for r in rows]


def assignment(db: Session, p: Principal, assignment_id: int) -> CourseAssignment:
    a = db.scalars(scope_assignments(
        select(CourseAssignment).where(CourseAssignment.id == assignment_id), p)).first()
    if a is None:
        raise NotFound("assignment")
    return a
