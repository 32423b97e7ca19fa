"""Personal check tokens (issue 16): the browser extension's key to the agency server.

A token opens ``POST /api/v1/check`` and ``/api/v1/check-image`` and nothing else (scope
``check``). The server keeps only the SHA-256 of the token; the plain token is shown once, when
it is made. Anyone signed in manages their own tokens; an administrator also lists and revokes
those of the agency's users and may issue one for a user of the agency. ``netral token`` does
the same from the command line for the operator.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.review.authz import NotFound, Principal, scope_users
from netral.store import audit
from netral.store.models import ApiToken, User
from netral.store.types import utcnow

PREFIX = "ntl_"
SCOPE_CHECK = "check"
MAX_NAME = 100
# how stale ``last_used_at`` may get: refreshing it on every check would write to the database
# once per typing pause of every user
LAST_USED_GRANULARITY = timedelta(minutes=10)


def token_hash(token: str) -> str:
    """What the server stores: the SHA-256 of the token (the token is 256 random bits, so no
    slow hash is needed to resist guessing)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token(prefix: str = PREFIX) -> str:
    """256 random bits, URL-safe; ``prefix`` tells token kinds apart (the course's personal
    links use their own, :mod:`netral.course.links`)."""
    return prefix + secrets.token_urlsafe(32)


def token_dict(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "prefix": t.prefix,
        "scope": t.scope,
        "user_id": t.user_id,
        "username": t.user.username if t.user is not None else None,
        "created_by": t.created_by,
        "created_at": _iso(t.created_at),
        "last_used_at": _iso(t.last_used_at),
        "revoked_at": _iso(t.revoked_at),
        "active": t.revoked_at is None,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValueError("token_name")
    return name[:MAX_NAME]


def issue(db: Session, user: User, name: str, *, created_by: str) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the plain token (shown once, never
    stored)."""
    plain = new_token()
    row = ApiToken(user_id=user.id, name=_clean_name(name), token_hash=token_hash(plain),
                   prefix=plain[: len(PREFIX) + 6], scope=SCOPE_CHECK, created_by=created_by)
    db.add(row)
    db.flush()
    db.refresh(row)
    return row, plain


def _log(db: Session, actor: str, actor_id: int | None, action: str, t: ApiToken,
         agency_id: int | None) -> None:
    # the log names the token by its id, name and prefix; the token itself is never written
    audit.record(db, action, actor=actor, actor_id=actor_id, agency_id=agency_id,
                 object_type="api_token", object_id=t.id,
                 details={"name": t.name, "prefix": t.prefix, "user_id": t.user_id})


def _visible(p: Principal):
    """Tokens the principal may see: their own; an administrator's agency's users' too."""
    stmt = select(ApiToken).join(User, ApiToken.user_id == User.id)
    if p.can("admin"):
        return scope_users(stmt, p)
    return stmt.where(ApiToken.user_id == p.id)


def list_tokens(db: Session, p: Principal) -> list[dict[str, Any]]:
    rows = db.scalars(_visible(p).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc()))
    return [token_dict(t) for t in rows]


def create_token(db: Session, p: Principal, name: str,
                 user_id: int | None = None) -> tuple[dict[str, Any], str]:
    """A token for the principal, or (administrators) for a user of their agency."""
    target_id = p.id if user_id is None else user_id
    if target_id != p.id:
        p.require("admin")
    user = db.scalar(scope_users(select(User), p).where(User.id == target_id)) \
        if target_id != p.id else db.get(User, p.id)
    if user is None or not user.active:
        raise NotFound("user")
    row, plain = issue(db, user, name, created_by=p.username)
    _log(db, p.username, p.id, "token.create", row, user.agency_id)
    return token_dict(row), plain


def revoke_token(db: Session, p: Principal, token_id: int) -> dict[str, Any]:
    row = db.scalar(_visible(p).where(ApiToken.id == token_id))
    if row is None:
        raise NotFound("token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        _log(db, p.username, p.id, "token.revoke", row, row.user.agency_id)
    return token_dict(row)


def revoke_by_id(db: Session, token_id: int, *, actor: str) -> ApiToken | None:
    """The operator's revoke (``netral token revoke``): no principal, any token."""
    row = db.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        _log(db, actor, None, "token.revoke", row, row.user.agency_id)
    return row


def authenticate(db: Session, plain: str) -> ApiToken | None:
    """The live token row for ``plain`` (its user active), or ``None``.

    Refreshes ``last_used_at`` at most every :data:`LAST_USED_GRANULARITY`: that timestamp is
    the only thing a check writes, and never anything of the draft."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(plain)))
    if row is None or row.revoked_at is not None or row.scope != SCOPE_CHECK:
        return None
    user = row.user
    if user is None or not user.active or (user.agency_id is None and user.role != "admin"):
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_GRANULARITY:
        row.last_used_at = now
    return row
