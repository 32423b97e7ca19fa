"""The dashboard page reused for a moment (issue 17): the same page for the same session and
figures, never across sessions, never with a one-time message, never after a change made
through this server, and a signed-out or revoked session is refused."""

from __future__ import annotations

from sqlalchemy import select, update
from web_helpers import ApiClient
from web_seed import take

import netral.web.deps as deps
import netral.web.pages as pages
from netral.review import stats
from netral.store.base import make_sessionmaker
from netral.store.models import User, WebSession
from netral.store.types import utcnow


def _counting_render(monkeypatch) -> list[str]:
    rendered: list[str] = []
    real = pages.render

    def counting(request, name, *a, **kw):
        rendered.append(name)
        return real(request, name, *a, **kw)

    monkeypatch.setattr(pages, "render", counting)
    return rendered


def test_same_session_same_figures_same_page(app, world, monkeypatch):
    stats.invalidate()
    rendered = _counting_render(monkeypatch)
    c = ApiClient(app, "a_supervisor")
    first = c.http.get("/dashboard")
    assert first.status_code == 200
    for _ in range(4):
        assert c.http.get("/dashboard").text == first.text
    assert rendered == ["dashboard.html"]  # five views, one render
    other = ApiClient(app, "a_supervisor")  # another session: its own page (its CSRF token)
    assert other.http.get("/dashboard").status_code == 200
    assert rendered == ["dashboard.html"] * 2
    assert c.http.get("/dashboard?start=2024-01-01").status_code == 200  # another address
    assert len(rendered) == 3


def test_a_decision_through_this_server_shows_at_once(app, world, monkeypatch):
    stats.invalidate()
    rendered = _counting_render(monkeypatch)
    c = ApiClient(app, "a_supervisor")
    c.http.get("/dashboard")
    fid = take(world)
    r = ApiClient(app, "a_reviewer").post(f"/api/v1/findings/{fid}/dismiss",
                                          json={"reason": "uji"})
    assert r.status_code == 200
    c.http.get("/dashboard")
    assert rendered == ["dashboard.html"] * 2  # rendered again with the new figures


def test_signed_out_or_revoked_sessions_are_refused(app, world, monkeypatch):
    c = ApiClient(app, "a_auditor")
    saved = dict(c.http.cookies)
    assert c.http.get("/dashboard").status_code == 200
    assert c.post("/api/v1/auth/logout", json={}).status_code == 200
    thief = ApiClient(app)
    thief.http.cookies.update(saved)
    page = thief.http.get("/dashboard", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]

    # revoked by another process (no request through this server): refused once the
    # moment the check is trusted for has passed
    c = ApiClient(app, "a_auditor")
    assert c.http.get("/dashboard").status_code == 200
    with make_sessionmaker(app.state.engine)() as db:
        uid = db.scalar(select(User.id).where(User.username == "a_auditor"))
        db.execute(update(WebSession).where(WebSession.user_id == uid)
                   .values(revoked_at=utcnow()))
        db.commit()
    monkeypatch.setattr(deps, "PRINCIPAL_SECONDS", 0.0)
    page = c.http.get("/dashboard", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]
