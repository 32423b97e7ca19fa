"""Users of the monitoring tool: list, create, change or reset a password, change a role or
unit, deactivate, delete. The pages, the JSON API and ``netral user`` all call these.

Scope (issue 14): an administrator manages the users of their own agency; one bound to a
unit manages only the users bound to that unit's subtree, never agency-wide users, and can
give them only units of that subtree. A global administrator (no agency) manages everyone;
the command line acts as one (:func:`operator`). Nobody changes their own role or unit,
deactivates or deletes themselves, or resets their own password without giving the current
one (:func:`netral.web.login.change_password`): an administrator cannot lock the agency out
by a slip. Every change is in the audit log; a reset password, a deactivation and a role or
unit change end the user's sessions on the server.
"""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from netral.review.authz import Conflict, NotFound, Principal, agency_of, scope_managed_users
from netral.review.passwords import hash_password
from netral.store import audit
from netral.store.models import (
    Case,
    CaseEvent,
    Finding,
    LabelledFeedback,
    Role,
    Unit,
    User,
    WebSession,
)
from netral.store.types import utcnow

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
ROLES = tuple(r.value for r in Role)
UNSET: Any = object()


def operator() -> Principal:
    """The person at the server's command line: a global administrator, named in the log
    as ``cli:<login name>``."""
    try:
        who = getpass.getuser()
    except Exception:  # no login name in a container: still say it came from the CLI
        who = "?"
    return Principal(id=0, username=f"cli:{who}", display_name=f"cli:{who}", role=Role.ADMIN,
                     agency_id=None, unit_id=None, unit_path=None)


def _audit(db: Session, p: Principal, action: str, u: User, **details: Any) -> None:
    audit.record(db, action, actor=p.username, actor_id=p.id if p.id > 0 else None,
                 agency_id=u.agency_id, object_type="user", object_id=u.id,
                 details={"username": u.username, **details})


def user_dict(u: User) -> dict[str, Any]:
    return {"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
            "agency_id": u.agency_id, "unit_id": u.unit_id,
            "unit": u.unit.path if u.unit else None, "active": u.active,
            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None}


def list_users(db: Session, p: Principal) -> list[dict[str, Any]]:
    p.require("admin")
    stmt = scope_managed_users(select(User), p).order_by(User.username)
    return [user_dict(u) for u in db.scalars(stmt)]


def get_managed_user(db: Session, p: Principal, user_id: int) -> User:
    p.require("admin")
    u = db.scalars(scope_managed_users(select(User).where(User.id == user_id), p)).first()
    if u is None:
        raise NotFound("user")
    return u


def find_user(db: Session, username: str) -> User:
    u = db.scalars(select(User).where(User.username == username)).first()
    if u is None:
        raise NotFound("user")
    return u


def check_password(password: str, username: str) -> None:
    """Raise ``ValueError("password_weak")`` for a password netral will not accept."""
    if not MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD or "\x00" in password \
            or password.strip().lower() == (username or "").strip().lower():
        raise ValueError("password_weak")


def _unit_for(db: Session, p: Principal, agency_id: int | None, unit_id: int | None) -> int | None:
    """The unit a user of ``agency_id`` may be given by ``p`` (None: agency-wide)."""
    if unit_id is None:
        if p.unit_path:  # a unit-bound administrator gives no agency-wide scope
            raise NotFound("unit")
        return None
    unit = db.get(Unit, unit_id)
    if unit is None or agency_id is None or unit.agency_id != agency_id:
        raise NotFound("unit")
    if p.unit_path and not (unit.path == p.unit_path or unit.path.startswith(p.unit_path + "/")):
        raise NotFound("unit")
    return unit.id


def revoke_sessions(db: Session, user_id: int, keep: str | None = None) -> int:
    """End the user's sessions on the server (all but the one whose key is ``keep``)."""
    stmt = update(WebSession).where(WebSession.user_id == user_id,
                                    WebSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(WebSession.id != keep)
    return db.execute(stmt.values(revoked_at=utcnow())).rowcount or 0


def create_user(db: Session, p: Principal, *, username: str, password: str, role: str,
                display_name: str = "", unit_id: int | None = None,
                agency_id: int | None = None, global_admin: bool = False) -> dict[str, Any]:
    p.require("admin")
    if global_admin:  # only from a global administrator (the CLI), and only as an admin
        if not p.is_global or role != Role.ADMIN or agency_id is not None or unit_id is not None:
            raise ValueError("global_admin_only_admin")
        agency = None
    else:
        agency = agency_of(p, agency_id)
        if agency is None:
            raise ValueError("agency_required")
    if unit_id is None and p.unit_path:
        unit_id = p.unit_id  # a unit-bound admin creates users inside its own subtree
    unit = _unit_for(db, p, agency, unit_id) if agency is not None else None
    check_password(password, username)
    if db.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict("username_taken")
    u = User(username=username, display_name=display_name, password_hash=hash_password(password),
             role=Role(role).value, agency_id=agency, unit_id=unit, active=True)
    db.add(u)
    db.flush()
    _audit(db, p, "user.create", u, role=u.role, unit_id=unit)
    return user_dict(u)


def reset_password(db: Session, p: Principal, user_id: int, new_password: str) -> dict[str, Any]:
    """An administrator sets another user's password; that user's sessions end."""
    u = get_managed_user(db, p, user_id)
    if u.id == p.id:
        raise Conflict("user_self_password")
    check_password(new_password, u.username)
    u.password_hash = hash_password(new_password)
    n = revoke_sessions(db, u.id)
    _audit(db, p, "user.password_reset", u, sessions_revoked=n)
    db.flush()
    return user_dict(u)


def set_own_password(db: Session, p: Principal, new_password: str,
                     keep_session: str | None) -> User:
    """The signed-in user's new password (the caller checked the current one); every other
    session of the user ends."""
    u = db.get(User, p.id)
    if u is None:
        raise NotFound("user")
    check_password(new_password, u.username)
    u.password_hash = hash_password(new_password)
    n = revoke_sessions(db, u.id, keep=keep_session)
    _audit(db, p, "user.password_change", u, sessions_revoked=n)
    db.flush()
    return u


def update_user(db: Session, p: Principal, user_id: int, *, role: str | None = None,
                active: bool | None = None, unit_id: Any = UNSET,
                display_name: str | None = None) -> dict[str, Any]:
    """Change a user's role, unit, display name or active flag (only what is given)."""
    u = get_managed_user(db, p, user_id)
    changes: dict[str, Any] = {}
    if role is not None and role != u.role:
        if u.agency_id is None:
            raise Conflict("user_global_admin")  # a user without agency must stay admin
        changes["role"] = Role(role).value
    if unit_id is not UNSET and unit_id != u.unit_id:
        if u.agency_id is None:
            raise Conflict("user_global_admin")
        changes["unit_id"] = _unit_for(db, p, u.agency_id, unit_id)
    if active is not None and bool(active) != u.active:
        changes["active"] = bool(active)
    if display_name is not None and display_name != u.display_name:
        changes["display_name"] = display_name
    if not changes:
        return user_dict(u)
    if u.id == p.id and set(changes) - {"display_name"}:
        raise Conflict("user_self")
    before = {k: getattr(u, k) for k in changes}
    for k, v in changes.items():
        setattr(u, k, v)
    revoked = 0
    if set(changes) & {"role", "unit_id", "active"}:
        revoked = revoke_sessions(db, u.id)  # the user signs in again under the new terms
    _audit(db, p, "user.update", u, before=before, after=changes, sessions_revoked=revoked)
    db.flush()
    db.refresh(u)
    return user_dict(u)


def has_history(db: Session, user_id: int) -> bool:
    """Whether reviews, cases, notes or labelled feedback name the user: such a user is
    deactivated, never deleted, so the record keeps who did what."""
    checks = [
        exists().where(or_(Finding.assigned_to_id == user_id, Finding.reviewer_id == user_id)),
        exists().where(or_(Case.opened_by_id == user_id, Case.recommended_by_id == user_id)),
        exists().where(CaseEvent.actor_id == user_id),
        exists().where(LabelledFeedback.user_id == user_id),
    ]
    return any(db.scalar(select(c)) for c in checks)


def delete_user(db: Session, p: Principal, user_id: int) -> dict[str, Any]:
    u = get_managed_user(db, p, user_id)
    if u.id == p.id:
        raise Conflict("user_self")
    if has_history(db, u.id):
        raise Conflict("user_has_history")
    out = user_dict(u)
    _audit(db, p, "user.delete", u, role=u.role)
    db.execute(delete(WebSession).where(WebSession.user_id == u.id))
    db.delete(u)
    db.flush()
    return out
