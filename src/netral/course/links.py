"""Personal completion links (issue 18, second pass): one per staff member and assignment.

ASN have no accounts in netral. A unit-wide link with a NIP let anyone holding the link and a
colleague's NIP record a completion for them; a personal link closes that. The token is 256
random bits (guessing is infeasible, so no rate limit is needed) and only its SHA-256 is stored,
with the pattern and helpers of the extension's check tokens (:mod:`netral.review.tokens`).

* issuing needs ``assign`` and covers the active staff of the assignment's unit subtree that
  lie in the supervisor's own scope; a foreign assignment or person is *not found*;
* re-issuing a person's link revokes the earlier one; revoking ends it;
* a link works until the assignment's deadline plus :data:`GRACE` (late completions are
  still recorded, and the CSV shows them as not on time);
* every issue, re-issue and revocation is in the audit log; the token never is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.course.models import CourseAssignment, CourseCompletion, CourseLink
from netral.course.tracking import MIN_QUESTIONS, assignment, new_certificate, staff_of
from netral.review.authz import NotFound, Principal
from netral.review.tokens import new_token, token_hash
from netral.store import audit
from netral.store.models import Staff, Unit
from netral.store.types import utcnow

PREFIX = "ntk_"
GRACE = timedelta(days=14)
MAX_TOKEN = 100


def expires_on(a: CourseAssignment) -> date:
    """The last day a link of ``a`` works."""
    return a.deadline + GRACE


def link_path(plain: str) -> str:
    return f"/kursus/saya/{plain}"


@dataclass(frozen=True, slots=True)
class Issued:
    """A link just made: the plain token exists only here (and in what it is written to)."""
    staff_id: int
    name: str
    nip: str
    unit: str
    token: str


def _make(db: Session, a: CourseAssignment, staff: Staff, p: Principal) -> Issued:
    plain = new_token(PREFIX)
    db.add(CourseLink(assignment_id=a.id, staff_id=staff.id, token_hash=token_hash(plain),
                      created_by_id=p.id))
    return Issued(staff.id, staff.name, staff.nip, staff.unit.path if staff.unit else "", plain)


def _revoke_active(db: Session, assignment_id: int, staff_ids) -> int:
    rows = db.scalars(select(CourseLink).where(
        CourseLink.assignment_id == assignment_id, CourseLink.staff_id.in_(staff_ids),
        CourseLink.revoked_at.is_(None))).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    return len(rows)


def _people(db: Session, a: CourseAssignment, p: Principal) -> list[Staff]:
    return list(db.scalars(
        select(Staff).join(Unit, Unit.id == Staff.unit_id)
        .where(Staff.id.in_(staff_of(a, p))).order_by(Unit.path, Staff.name)))


def _active_ids(db: Session, assignment_id: int) -> set[int]:
    return set(db.scalars(select(CourseLink.staff_id).where(
        CourseLink.assignment_id == assignment_id, CourseLink.revoked_at.is_(None))))


def _live(a: CourseAssignment) -> None:
    if utcnow().date() > expires_on(a):
        raise ValueError("course_link_assignment_over")


def issue_links(db: Session, p: Principal, assignment_id: int, *,
                replace: bool = False) -> list[Issued]:
    """Links for the people of the assignment (within the supervisor's scope) who have no live
    link yet; with ``replace`` for everyone, the earlier links revoked."""
    p.require("assign")
    a = assignment(db, p, assignment_id)
    _live(a)
    people = _people(db, a, p)
    if replace:
        revoked = _revoke_active(db, a.id, [s.id for s in people])
    else:
        revoked = 0
        have = _active_ids(db, a.id)
        people = [s for s in people if s.id not in have]
    out = [_make(db, a, s, p) for s in people]
    db.flush()
    audit.record(db, "course.links_issue", actor=p.username, actor_id=p.id,
                 agency_id=a.agency_id, object_type="course_assignment", object_id=a.id,
                 details={"issued": len(out), "revoked": revoked, "replace": replace})
    return out


def _person(db: Session, a: CourseAssignment, p: Principal, staff_id: int) -> Staff:
    staff = db.scalars(select(Staff).where(Staff.id == staff_id,
                                           Staff.id.in_(staff_of(a, p)))).first()
    if staff is None:
        raise NotFound("staff")
    return staff


def reissue_link(db: Session, p: Principal, assignment_id: int, staff_id: int) -> Issued:
    """A new link for one person; their earlier link stops working."""
    p.require("assign")
    a = assignment(db, p, assignment_id)
    staff = _person(db, a, p, staff_id)
    _live(a)
    revoked = _revoke_active(db, a.id, [staff.id])
    out = _make(db, a, staff, p)
    db.flush()
    audit.record(db, "course.link_reissue", actor=p.username, actor_id=p.id,
                 agency_id=a.agency_id, object_type="course_assignment", object_id=a.id,
                 details={"staff_id": staff.id, "revoked": revoked})
    return out


def revoke_link(db: Session, p: Principal, assignment_id: int, staff_id: int) -> int:
    """End a person's link (e.g. sent to the wrong address); returns how many were live."""
    p.require("assign")
    a = assignment(db, p, assignment_id)
    staff = _person(db, a, p, staff_id)
    revoked = _revoke_active(db, a.id, [staff.id])
    audit.record(db, "course.link_revoke", actor=p.username, actor_id=p.id,
                 agency_id=a.agency_id, object_type="course_assignment", object_id=a.id,
                 details={"staff_id": staff.id, "revoked": revoked})
    return revoked


@dataclass(frozen=True, slots=True)
class LinkState:
    staff_id: int
    name: str
    nip: str
    unit: str
    issued_at: datetime | None  # of the live link
    revoked: bool  # had a link, none live now
    completed_at: datetime | None


def link_states(db: Session, p: Principal, assignment_id: int) -> tuple[CourseAssignment,
                                                                         list[LinkState]]:
    """Per person of the assignment (in scope): live link since when, completed when."""
    p.require("read")
    a = assignment(db, p, assignment_id)
    people = _people(db, a, p)
    links: dict[int, list[CourseLink]] = {}
    for row in db.scalars(select(CourseLink).where(CourseLink.assignment_id == a.id)):
        links.setdefault(row.staff_id, []).append(row)
    done = dict(db.execute(select(CourseCompletion.staff_id, CourseCompletion.completed_at)
                           .where(CourseCompletion.assignment_id == a.id)).all())
    out = []
    for s in people:
        rows = links.get(s.id, [])
        live = [r for r in rows if r.revoked_at is None]
        out.append(LinkState(s.id, s.name, s.nip, s.unit.path if s.unit else "",
                             max((r.created_at for r in live), default=None),
                             bool(rows) and not live, done.get(s.id)))
    return a, out


def resolve(db: Session, plain: str) -> CourseLink | None:
    """The live link for ``plain``, or ``None`` — wrong, revoked, expired, or its person no
    longer active on the roster of the unit subtree all look the same to the caller."""
    plain = str(plain or "")
    if not plain.startswith(PREFIX) or len(plain) > MAX_TOKEN:
        return None
    row = db.scalars(select(CourseLink).where(CourseLink.token_hash == token_hash(plain))).first()
    if row is None or row.revoked_at is not None:
        return None
    a, staff = row.assignment, row.staff
    if utcnow().date() > expires_on(a) or not staff.active or staff.agency_id != a.agency_id:
        return None
    if staff.unit is None or not (staff.unit.path == a.unit.path
                                  or staff.unit.path.startswith(a.unit.path + "/")):
        return None
    return row


def completion_of(db: Session, link: CourseLink) -> CourseCompletion | None:
    return db.scalars(select(CourseCompletion).where(
        CourseCompletion.assignment_id == link.assignment_id,
        CourseCompletion.staff_id == link.staff_id)).first()


def record_completion(db: Session, plain: str, score: int, answered: int) -> CourseCompletion:
    """The person of the personal link completes the course: the completion is bound to them,
    whoever typed what. Only the final score is stored; a later completion replaces the
    earlier one (with a new certificate code)."""
    if answered < MIN_QUESTIONS:
        raise ValueError("course_round_unfinished")
    link = resolve(db, plain)
    if link is None:
        raise ValueError("course_link_invalid")
    row = completion_of(db, link)
    if row is None:
        row = CourseCompletion(assignment_id=link.assignment_id, staff_id=link.staff_id)
        db.add(row)
    row.score = max(0, min(100, int(score)))
    row.completed_at = utcnow()
    row.certificate = new_certificate()
    db.flush()
    return row
