"""Signing in and out (shared by the login page and ``/api/v1/auth``)."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from netral.review.authz import Principal, principal_for
from netral.review.passwords import verify_password
from netral.store import audit
from netral.store.models import User, WebSession
from netral.store.types import utcnow
from netral.web.deps import session_key, session_of
from netral.web.security import new_csrf_token


class LoginFailed(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=401, detail="bad_credentials")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def login_user(request: Request, db: Session, username: str, password: str) -> Principal:
    limiter = request.app.state.login_limiter
    name = (username or "").strip()
    keys = (f"ip:{client_ip(request)}", f"user:{name.lower()}")
    if limiter.blocked(*keys):
        raise HTTPException(status_code=429, detail="rate_limited")
    user = db.scalars(select(User).where(User.username == name)).first()
    ok = verify_password(user.password_hash if user else None, password or "")
    p = principal_for(db, user.id) if (ok and user is not None) else None
    if p is None:
        limiter.failure(*keys)
        audit.record(db, "auth.login_failed", actor=name[:128] or "?",
                     agency_id=user.agency_id if user else None,
                     details={"ip": client_ip(request)})
        db.commit()
        raise LoginFailed()
    limiter.success(*keys)
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
