"""The dashboard page as last rendered for one session, reused for a moment.

The dashboard's figures are cached already (``netral.review.stats``), but 50 supervisors
reloading it back to back still cost a template render each (a third of the page's time,
issue 17). The page depends on the figures, the session (its CSRF token, its signed-in
person), the language and the address, and on one-time messages (flash, undo) the render
consumes: it is reused only for the same session, language, address and figures object, only
when no one-time message is waiting, and for at most ``PAGE_SECONDS``.

:func:`fresh_page` answers from the event loop itself, with no thread and no database: only
a page rendered under ``PAGE_SECONDS`` ago for a session checked in the database under
``netral.web.deps.PRINCIPAL_SECONDS`` ago. Any state-changing request made through this server
forgets every page (``netral.web.recent``), so a decision shows at once
here; one made elsewhere (another worker, the CLI, ingest) shows within a second, as the
figures' own cache allows (``netral.review.stats.REVALIDATE_SECONDS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from netral.web.deps import csrf_token, lang_of, principal_fresh, session_of
from netral.web.recent import recent

PAGE_SECONDS = 1.0
_MAX = 512


def _pages(request: Request) -> dict[tuple, tuple[float, Any, bytes]]:
    return recent(request.app.state, "recent_pages")


def _key(request: Request, user_id: object) -> tuple:
    return (user_id, session_of(request).get("csrf"), lang_of(request), request.url.path,
            request.url.query)


def fresh_page(request: Request) -> HTMLResponse | None:
    """The page for this request if :func:`cached_page` rendered it a moment ago for this
    session, and the session itself was checked a moment ago; else None (no side effect)."""
    session = session_of(request)
    uid = session.get("uid")
    if not isinstance(uid, int) or session.get("flash") or session.get("undo"):
        return None
    if not principal_fresh(request):
        return None
    hit = _pages(request).get(_key(request, uid))
    if hit is None or time.monotonic() - hit[0] >= PAGE_SECONDS:
        return None
    return HTMLResponse(hit[2])


def cached_page(request: Request, user_id: int, data: Any,
                render: Callable[[], HTMLResponse]) -> HTMLResponse:
    """``render()``'s page, or the same page rendered under a second ago for this session and
    this ``data`` (the figures object itself, not an equal one)."""
    session = session_of(request)
    if session.get("flash") or session.get("undo"):
        return render()  # a one-time message: shown once, never cached
    csrf_token(request)  # the page holds it: make sure it exists before the key is taken
    key = _key(request, user_id)
    pages = _pages(request)
    hit = pages.get(key)
    now = time.monotonic()
    if hit is not None and hit[1] is data and now - hit[0] < PAGE_SECONDS:
        return HTMLResponse(hit[2])
    response = render()
    if response.status_code == 200:
        if len(pages) >= _MAX:
            pages.clear()
        pages[key] = (now, data, bytes(response.body))
    return response
