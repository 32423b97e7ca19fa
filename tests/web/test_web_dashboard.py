"""The dashboard's figures (issue 15, problem 5): aggregated in the database, equal to a
plain count over every finding, cached per scope, and fresh after every change — a decision
in this process at once, a change by another process on the next validation."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select, update
from web_seed import take

from netral.review import stats
from netral.review.authz import principal_for
from netral.review.zones import local
from netral.store.base import make_sessionmaker
from netral.store.models import Finding, Unit
from netral.store.types import utcnow


def _reference(db, p) -> dict:
    """What the dashboard must say, counted the slow obvious way over every finding."""
    from netral.review.authz import scope_findings

    rows = db.scalars(scope_findings(select(Finding), p)).all()
    units = {u.id: u.path for u in db.scalars(select(Unit))}
    out: dict[str, Counter] = {k: Counter() for k in
                               ("by_status", "by_platform", "by_kind", "by_unit", "by_target",
                                "over_time")}
    for f in rows:
        out["by_status"][f.status] += 1
        out["by_platform"][f.item.platform] += 1
        out["by_kind"][f.item.kind] += 1
        unit = f.staff.unit_id if f.staff else None
        out["by_unit"][units.get(unit, "—") if unit else "—"] += 1
        labels = {t["label"] for t in (f.detection.result or {}).get("targets", [])}
        for label in labels or {"—"}:
            out["by_target"][label] += 1
        day = local(f.item.created_at or f.created_at, p.zone).date().isoformat()
        out["over_time"][day] += 1
    return {k: dict(v) for k, v in out.items()} | {"total": len(rows)}


@pytest.mark.parametrize("username", ["a_supervisor", "a_unitreviewer", "b_auditor"])
def test_figures_equal_a_plain_count(app, world, username):
    stats.invalidate()
    with make_sessionmaker(app.state.engine)() as db:
        p = principal_for(db, world.users[username])
        got = stats.dashboard(db, p)
        want = _reference(db, p)
    assert got["total"] == want["total"] > 0
    for key in ("by_status", "by_platform", "by_kind", "by_unit", "by_target"):
        assert dict(got[key]) == want[key], key
    assert dict(got["over_time"]) == want["over_time"]


def test_cached_until_something_changes(app, world, login, monkeypatch):
    calls = []
    real = stats.compute
    monkeypatch.setattr(stats, "compute", lambda *a, **k: calls.append(1) or real(*a, **k))
    stats.invalidate()
    c = login("a_supervisor")
    first = c.get("/api/v1/dashboard").json()
    for _ in range(5):
        assert c.get("/api/v1/dashboard").json() == first
        assert c.get("/dashboard").status_code == 200
    assert len(calls) == 1  # eleven views, one computation
    # a decision invalidates at once (this process)
    fid = take(world)
    r = login("a_reviewer").post(f"/api/v1/findings/{fid}/confirm", json={"reason": "uji"})
    assert r.status_code == 200
    after = c.get("/api/v1/dashboard").json()
    assert len(calls) == 2
    before_s, after_s = dict(first["by_status"]), dict(after["by_status"])
    assert after_s.get("confirmed", 0) == before_s.get("confirmed", 0) + 1


def test_another_process_change_shows_after_revalidation(app, world, login, monkeypatch):
    c = login("a_supervisor")
    stats.invalidate()
    first = dict(c.get("/api/v1/dashboard").json()["by_status"])
    fid = take(world)
    # another worker or program changes a finding: no in-process invalidation happens
    with make_sessionmaker(app.state.engine)() as db:
        db.execute(update(Finding).where(Finding.id == fid).values(
            status="dismissed", version=Finding.version + 1, updated_at=utcnow()))
        db.commit()
    monkeypatch.setattr(stats, "REVALIDATE_SECONDS", 0.0)
    now = dict(c.get("/api/v1/dashboard").json()["by_status"])
    assert now.get("dismissed", 0) == first.get("dismissed", 0) + 1


def test_scopes_never_share_an_entry(app, world, login):
    stats.invalidate()
    whole = login("a_supervisor").get("/api/v1/dashboard").json()["total"]
    unit = login("a_unitreviewer").get("/api/v1/dashboard").json()["total"]
    other = login("b_supervisor").get("/api/v1/dashboard").json()["total"]
    assert 0 < unit < whole and other != whole
    assert login("a_supervisor").get("/api/v1/dashboard").json()["total"] == whole
