"""Request-scoped dependencies: database session, language, signed-in principal, CSRF."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.review.authz import Principal, principal_for
from netral.store.models import WebSession
from netral.store.types import utcnow
from netral.web.i18n import pick_lang
from netral.web.security import CSRF_FIELD, CSRF_HEADER, csrf_ok, new_csrf_token


class LoginRequired(Exception):
    """No valid session: 401 on the API, a redirect to the login page elsewhere."""


class CsrfFailed(Exception):
    """Missing or wrong CSRF token (HTTP 403)."""


def get_db(request: Request) -> Iterator[Session]:
    maker = request.app.state.sessionmaker
    with maker() as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


def session_of(request: Request) -> dict:
    return request.scope.setdefault("session", {})


def csrf_token(request: Request) -> str:
    s = session_of(request)
    if not s.get("csrf"):
        s["csrf"] = new_csrf_token()
    return s["csrf"]


def lang_of(request: Request) -> str:
    return pick_lang(None, session_of(request).get("lang"), request.app.state.config.lang)


def session_key(token: str) -> str:
    """What the server stores of a session token: its SHA-256 (a leaked table signs no one in)."""
    return hashlib.sha256(token.encode()).hexdigest()


def optional_principal(request: Request, db: Session) -> Principal | None:
    s = session_of(request)
    uid, token = s.get("uid"), s.get("sid")
    if not isinstance(uid, int):
        return None
    p = principal_for(db, uid)
    live = None
    if p is not None and isinstance(token, str) and s.get("ver") == p.session_ver:
        # the row must exist, belong to this user, be unrevoked and younger than the cookie's
        # own lifetime: the server, not the browser, decides when a session ends
        oldest = utcnow() - timedelta(seconds=request.app.state.session_max_age)
        live = db.scalar(select(WebSession.id).where(
            WebSession.id == session_key(token), WebSession.user_id == uid,
            WebSession.revoked_at.is_(None), WebSession.created_at >= oldest))
    if live is None:
        s.pop("uid", None)
        s.pop("sid", None)
        return None
    return p


def require_principal(request: Request, db: Session) -> Principal:
    p = optional_principal(request, db)
    if p is None:
        raise LoginRequired()
    request.state.principal = p
    return p


async def check_form_csrf(request: Request) -> None:
    form = await request.form()
    if not csrf_ok(session_of(request), form.get(CSRF_FIELD)):
        raise CsrfFailed()


def check_header_csrf(request: Request) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not csrf_ok(session_of(request), request.headers.get(CSRF_HEADER)):
        raise CsrfFailed()


# The parameter types every route declares (pages, the review queue, the JSON API, the install
# page): one database session per request, committed at its end; the signed-in principal (401
# on the API, a redirect to the login page elsewhere: see the app's handler of LoginRequired);
# the form's CSRF check.
DB = Annotated[Session, Depends(get_db, scope="function")]


def signed_in(request: Request, db: DB) -> Principal:
    return require_principal(request, db)


Me = Annotated[Principal, Depends(signed_in)]
CSRF = Depends(check_form_csrf)
