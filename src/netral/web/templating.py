"""Jinja2 environment (autoescaping on) and the page renderer."""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from netral.store.models import CASE_FLOW, SanctionType
from netral.web.deps import csrf_token, lang_of, session_of
from netral.web.i18n import LANGS, translate


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
    e.globals.update(case_flow=[s.value for s in CASE_FLOW],
                     sanction_types=[s.value for s in SanctionType], langs=LANGS)
    return e


def flash(request: Request, kind: str, key: str, **kw: Any) -> None:
    session_of(request)["flash"] = [kind, key, {k: str(v) for k, v in kw.items()}]


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = lang_of(request)
    fl = session_of(request).pop("flash", None)
    t = partial(translate, lang=lang)
    context = {
        "request": request,
        "t": t,
        "lang": lang,
        "csrf": csrf_token(request),
        "user": getattr(request.state, "principal", None),
        "flash": (fl[0], translate(fl[1], lang, **(fl[2] if len(fl) > 2 else {}))) if fl else None,
        "path": request.url.path,
        "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **ctx,
    }
    html = env().get_template(name).render(context)
    return HTMLResponse(html, status_code=status_code)
