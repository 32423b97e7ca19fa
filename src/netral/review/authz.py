"""Who may do what, and on which rows.

Every query for agency data goes through the ``scope_*`` helpers here: they restrict it to the
user's agency and, when the user is bound to a unit, to that unit's subtree. Objects outside
the scope are reported as *not found* (404), never as *forbidden*, so their existence does not
leak across agencies. A role that lacks a permission gets 403.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Select, String, and_, cast, or_, select
from sqlalchemy.orm import Session

from netral.review.zones import DEFAULT_ZONE
from netral.store.models import (
    Account,
    Agency,
    AgencySettings,
    AuditLog,
    Case,
    Finding,
    LabelledFeedback,
    Role,
    Staff,
    Unit,
    User,
)

# permission -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER, Role.AUDITOR}),
    "review": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER}),
    "assign": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "case_note": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER}),
    "case_manage": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "roster": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "audit": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AUDITOR}),
    "admin": frozenset({Role.ADMIN}),
}


class Forbidden(Exception):
    """The user's role does not allow the action (HTTP 403)."""


class NotFound(Exception):
    """No such object in the user's scope (HTTP 404)."""


class Conflict(Exception):
    """The action does not fit the object's current state (HTTP 409)."""


@dataclass(frozen=True, slots=True)
class Principal:
    id: int
    username: str
    display_name: str
    role: str
    agency_id: int | None  # None: global administrator
    unit_id: int | None
    unit_path: str | None
    session_ver: str = ""  # changes when the password changes: old sessions stop working
    agency_name: str | None = None  # shown in the header: who am I, where am I
    zone: str = "WIB"  # the agency's time zone (netral.review.zones) for every time shown

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS.get(permission, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(permission)

    @property
    def is_global(self) -> bool:
        return self.agency_id is None and self.role == Role.ADMIN

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "agency_id": self.agency_id,
            "unit_id": self.unit_id,
            "unit_path": self.unit_path,
            "agency_name": self.agency_name,
            "zone": self.zone,
        }


def principal_for(db: Session, user_id: int) -> Principal | None:
    # one query, plain columns (no ORM entity to build), for the user, the unit, the
    # agency's name and its time zone: this runs on every signed-in request
    row = db.execute(
        select(User.id, User.username, User.display_name, User.role, User.agency_id,
               User.unit_id, User.active, User.password_hash, Unit.path, Agency.name,
               AgencySettings.timezone)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .outerjoin(AgencySettings, AgencySettings.agency_id == User.agency_id)
        .where(User.id == user_id)
    ).first()
    if row is None or not row.active:
        return None
    if row.agency_id is None and row.role != Role.ADMIN:
        return None  # only an administrator may be unscoped
    return Principal(
        id=row.id,
        username=row.username,
        display_name=row.display_name or row.username,
        role=row.role,
        agency_id=row.agency_id,
        unit_id=row.unit_id,
        unit_path=row.path,
        session_ver=session_version(row.password_hash),
        agency_name=row.name,
        zone=row.timezone or DEFAULT_ZONE,
    )


def session_version(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def agency_of(p: Principal, requested: int | None = None) -> int | None:
    """The agency a request works on: the user's own; a global admin may pick one."""
    if p.agency_id is not None:
        if requested is not None and requested != p.agency_id:
            raise NotFound("agency")
        return p.agency_id
    return requested


def _staff_in_scope(p: Principal):
    """Sub-select of staff ids inside the user's unit subtree."""
    return (
        select(Staff.id)
        .join(Unit, Staff.unit_id == Unit.id)
        .where(Unit.agency_id == p.agency_id, Unit.subtree_clause(p.unit_path))
    )


def _by_staff(stmt: Select, p: Principal, agency_col, staff_col) -> Select:
    """Rows of ``p``'s agency, and for a unit-bound user only those whose staff member is in
    the unit subtree: the one rule for findings, cases, staff and accounts."""
    if p.agency_id is not None:
        stmt = stmt.where(agency_col == p.agency_id)
    if p.unit_path:
        stmt = stmt.where(staff_col.in_(_staff_in_scope(p)))
    return stmt


def scope_findings(stmt: Select, p: Principal) -> Select:
    return _by_staff(stmt, p, Finding.agency_id, Finding.staff_id)


def scope_cases(stmt: Select, p: Principal) -> Select:
    return _by_staff(stmt, p, Case.agency_id, Case.staff_id)


def scope_staff(stmt: Select, p: Principal) -> Select:
    return _by_staff(stmt, p, Staff.agency_id, Staff.id)


def scope_accounts(stmt: Select, p: Principal) -> Select:
    return _by_staff(stmt, p, Account.agency_id, Account.staff_id)


def scope_units(stmt: Select, p: Principal) -> Select:
    if p.agency_id is not None:
        stmt = stmt.where(Unit.agency_id == p.agency_id)
    if p.unit_path:
        stmt = stmt.where(Unit.subtree_clause(p.unit_path))
    return stmt


def scope_users(stmt: Select, p: Principal) -> Select:
    if p.agency_id is not None:
        stmt = stmt.where(User.agency_id == p.agency_id)
    return stmt


def _units_in_scope(p: Principal):
    """Sub-select of unit ids inside the user's unit subtree."""
    return select(Unit.id).where(Unit.agency_id == p.agency_id, Unit.subtree_clause(p.unit_path))


def scope_managed_users(stmt: Select, p: Principal) -> Select:
    """The users ``p`` may see and manage: an administrator bound to a unit only the users bound
    to that unit's subtree, never agency-wide ones (issue 14; :mod:`netral.review.useradmin`)."""
    if p.agency_id is not None:
        stmt = stmt.where(User.agency_id == p.agency_id)
    if p.unit_path:
        stmt = stmt.where(User.unit_id.in_(_units_in_scope(p)))
    return stmt


def scope_audit(stmt: Select, p: Principal) -> Select:
    """A unit-bound user sees the log of the findings, cases, staff and accounts of the unit
    subtree, and what the user did; agency-wide entries (settings, users, roster imports,
    ingest runs, other units' work) stay with the agency's unbound roles (issue 14)."""
    if p.agency_id is not None:
        stmt = stmt.where(AuditLog.agency_id == p.agency_id)
    if p.unit_path:
        staff = _staff_in_scope(p)
        as_text = {  # object_id is text: compare with the ids as text on both engines
            "finding": select(cast(Finding.id, String)).where(Finding.staff_id.in_(staff)),
            "case": select(cast(Case.id, String)).where(Case.staff_id.in_(staff)),
            "staff": select(cast(Staff.id, String)).where(Staff.id.in_(staff)),
            "account": select(cast(Account.id, String)).where(Account.staff_id.in_(staff)),
        }
        stmt = stmt.where(or_(
            AuditLog.actor_id == p.id,
            *[and_(AuditLog.object_type == t, AuditLog.object_id.in_(ids))
              for t, ids in as_text.items()],
        ))
    return stmt


def scope_feedback(stmt: Select, p: Principal) -> Select:
    """Labelled feedback holds full post texts and reviewers' reasons: a unit-bound user sees
    only that of findings about staff of the unit subtree (issue 14)."""
    if p.agency_id is not None:
        stmt = stmt.where(LabelledFeedback.agency_id == p.agency_id)
    if p.unit_path:
        stmt = stmt.where(LabelledFeedback.finding_id.in_(
            select(Finding.id).where(Finding.staff_id.in_(_staff_in_scope(p)))))
    return stmt


def get_finding(db: Session, p: Principal, finding_id: int) -> Finding:
    row = db.scalars(scope_findings(select(Finding).where(Finding.id == finding_id), p)).first()
    if row is None:
        raise NotFound("finding")
    return row


def get_case(db: Session, p: Principal, case_id: int) -> Case:
    row = db.scalars(scope_cases(select(Case).where(Case.id == case_id), p)).first()
    if row is None:
        raise NotFound("case")
    return row


def get_staff(db: Session, p: Principal, staff_id: int) -> Staff:
    row = db.scalars(scope_staff(select(Staff).where(Staff.id == staff_id), p)).first()
    if row is None:
        raise NotFound("staff")
    return row


def get_user(db: Session, p: Principal, user_id: int) -> User:
    row = db.scalars(scope_users(select(User).where(User.id == user_id), p)).first()
    if row is None:
        raise NotFound("user")
    return row
