"""Jinja2 environment (autoescaping on) and the page renderer."""

from __future__ import annotations

import time
from functools import lru_cache, partial
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import SQLAlchemyError

from netral.review.zones import DEFAULT_ZONE
from netral.store.models import CASE_FLOW, SanctionType
from netral.web import wording
from netral.web.deps import csrf_token, lang_of, optional_principal, session_of
from netral.web.i18n import LANGS, translate

_UNSET = object()


def http_url(value: Any) -> str | None:
    """Only http(s) links are rendered (never javascript:, data: …)."""
    v = str(value or "").strip()
    return v if v.lower().startswith(("http://", "https://")) else None


@lru_cache(maxsize=1)
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("netral.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.filters["http_url"] = http_url
    wording.install(e)
    e.globals.update(case_flow=[s.value for s in CASE_FLOW],
                     sanction_types=[s.value for s in SanctionType], langs=LANGS)
    return e


def flash(request: Request, kind: str, key: str, **kw: Any) -> None:
    session_of(request)["flash"] = [kind, key, {k: str(v) for k, v in kw.items()}]


def offer_undo(request: Request, token: str, until: float, message: str) -> None:
    """Show an "undo" button with the next page's message until ``until`` (epoch seconds)."""
    session_of(request)["undo"] = {"token": token, "until": until, "message": message}


def _principal(request: Request):
    """The signed-in person, also on pages no route dependency ran for (an unknown address's
    404 is rendered by the app's error handler): a signed-in person sees their own header
    there, not "Masuk" as if signed out (issue 15, problem 6)."""
    user = getattr(request.state, "principal", _UNSET)
    if user is not _UNSET:
        return user
    maker = getattr(request.app.state, "sessionmaker", None)
    user = None
    if maker is not None and session_of(request).get("uid") is not None:
        try:
            with maker() as db:
                user = optional_principal(request, db)
        except SQLAlchemyError:  # the page reports a database failure itself
            user = None
    request.state.principal = user
    return user


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = lang_of(request)
    session = session_of(request)
    fl = session.pop("flash", None)
    undo = session.pop("undo", None)
    if isinstance(undo, dict) and float(undo.get("until") or 0) > time.time():
        undo = {**undo, "left": max(1, int(float(undo["until"]) - time.time()))}
    else:
        undo = None
    t = partial(translate, lang=lang)
    user = _principal(request)
    context = {
        "request": request,
        "t": t,
        "lang": lang,
        "csrf": csrf_token(request),
        "user": user,
        "zone": getattr(user, "zone", None) or DEFAULT_ZONE,
        "undo": undo,
        "flash": (fl[0], translate(fl[1], lang, **(fl[2] if len(fl) > 2 else {}))) if fl else None,
        "path": request.url.path,
        "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **ctx,
    }
    html = env().get_template(name).render(context)
    return HTMLResponse(html, status_code=status_code)
