"""Signing in and out (shared by the login page and ``/api/v1/auth``)."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netral.review.authz import Principal, principal_for, session_version
from netral.review.passwords import verify_password
from netral.store import audit
from netral.store.models import User, WebSession
from netral.store.types import utcnow
from netral.web.deps import session_key, session_of
from netral.web.security import new_csrf_token
from netral.web.throttle import LoginThrottled


class LoginFailed(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=401, detail="bad_credentials")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def login_user(request: Request, db: Session, username: str, password: str) -> Principal:
    throttle = request.app.state.login_throttle
    name = (username or "").strip()
    address = client_ip(request)
    try:
        throttle.check(db, name, address)
    except LoginThrottled as exc:
        raise HTTPException(status_code=429, detail="rate_limited",
                            headers={"Retry-After": str(exc.retry_after)}) from None
    # a NUL cannot be in a user name, and PostgreSQL refuses it in a query (was a 500)
    user = db.scalars(select(User).where(User.username == name)).first() \
        if "\x00" not in name else None
    ok = verify_password(user.password_hash if user else None, password or "")
    p = principal_for(db, user.id) if (ok and user is not None) else None
    if p is None:
        throttle.failure(db, name, address)
        audit.record(db, "auth.login_failed", actor=name.replace("\x00", "\ufffd")[:128] or "?",
                     agency_id=user.agency_id if user else None,
                     details={"ip": client_ip(request)})
        db.commit()
        raise LoginFailed()
    throttle.success(db, name, address)
    user.last_login_at = utcnow()
    audit.record(db, "auth.login", actor=p.username, actor_id=p.id, agency_id=p.agency_id,
                 object_type="user", object_id=p.id)
    token = secrets.token_urlsafe(32)
    db.add(WebSession(id=session_key(token), user_id=p.id, created_at=utcnow()))
    s = session_of(request)
    lang = s.get("lang")
    s.clear()  # new session on sign-in (no fixation)
    s.update({"uid": p.id, "ver": p.session_ver, "sid": token, "csrf": new_csrf_token()})
    if lang:
        s["lang"] = lang
    request.state.principal = p
    return p


def logout_user(request: Request, db: Session) -> None:
    """Sign out: the session is revoked on the server, so a copy of the cookie is worthless."""
    s = session_of(request)
    token = s.get("sid")
    if isinstance(token, str):
        db.execute(update(WebSession).where(WebSession.id == session_key(token),
                                            WebSession.revoked_at.is_(None))
                   .values(revoked_at=utcnow()))
        db.commit()
    lang = s.get("lang")
    s.clear()
    if lang:
        s["lang"] = lang


def logout_everywhere(request: Request, db: Session, p: Principal) -> int:
    """Revoke every session of the signed-in user (this one too); returns how many."""
    n = db.execute(update(WebSession).where(WebSession.user_id == p.id,
                                            WebSession.revoked_at.is_(None))
                   .values(revoked_at=utcnow())).rowcount or 0
    audit.record(db, "auth.logout_everywhere", actor=p.username, actor_id=p.id,
                 agency_id=p.agency_id, object_type="user", object_id=p.id,
                 details={"sessions": n})
    db.commit()
    logout_user(request, db)
    return n


def change_password(request: Request, db: Session, p: Principal, current: str,
                    new: str) -> None:
    """The signed-in user changes their own password, giving the current one.

    A wrong current password counts as a failed sign-in of that name from this address
    (someone holding a stolen session cannot guess on). Every other session of the user
    ends; this one goes on with the new password's session version."""
    from netral.review import useradmin

    throttle = request.app.state.login_throttle
    address = client_ip(request)
    try:
        throttle.check(db, p.username, address)
    except LoginThrottled as exc:
        raise HTTPException(status_code=429, detail="rate_limited",
                            headers={"Retry-After": str(exc.retry_after)}) from None
    user = db.get(User, p.id)
    if user is None or not verify_password(user.password_hash, current or ""):
        throttle.failure(db, p.username, address)
        audit.record(db, "user.password_change_failed", actor=p.username, actor_id=p.id,
                     agency_id=p.agency_id, object_type="user", object_id=p.id,
                     details={"ip": address})
        db.commit()
        raise ValueError("password_wrong")
    s = session_of(request)
    token = s.get("sid")
    user = useradmin.set_own_password(db, p, new, session_key(token) if token else None)
    s["ver"] = session_version(user.password_hash)
