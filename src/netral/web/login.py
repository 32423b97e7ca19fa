"""Signing in and out (shared by the login page and ``/api/v1/auth``)."""

from __future__ import annotations

from fastapi import HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.store import audit
from netral.store.models import User
from netral.store.types import utcnow
from netral.web.authz import Principal, principal_for
from netral.web.deps import session_of
from netral.web.security import new_csrf_token, verify_password


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
    s = session_of(request)
    lang = s.get("lang")
    s.clear()  # new session on sign-in (no fixation)
    s.update({"uid": p.id, "ver": p.session_ver, "csrf": new_csrf_token()})
    if lang:
        s["lang"] = lang
    request.state.principal = p
    return p


def logout_user(request: Request) -> None:
    s = session_of(request)
    lang = s.get("lang")
    s.clear()
    if lang:
        s["lang"] = lang
