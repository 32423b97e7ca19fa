"""Request-scoped dependencies: database session, language, signed-in principal, CSRF."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from netral.web.authz import Principal, principal_for
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


def optional_principal(request: Request, db: Session) -> Principal | None:
    uid = session_of(request).get("uid")
    if not isinstance(uid, int):
        return None
    p = principal_for(db, uid)
    if p is None or session_of(request).get("ver") != p.session_ver:
        session_of(request).pop("uid", None)
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
