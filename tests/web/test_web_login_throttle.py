"""Failed sign-ins (issue 14): counted in the database, per name and address, per address and
per name; an attacker locks out only himself; an insider's own sign-in does not reset the
count of their address; every worker and a restarted server see the same counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from web_seed import PASSWORD

from netral.store.base import make_sessionmaker
from netral.store.models import LoginThrottle
from netral.web import throttle
from netral.web.app import create_app
from netral.web.config import WebConfig


@pytest.fixture
def clock(monkeypatch):
    now = [datetime(2026, 12, 6, 12, 0, tzinfo=UTC)]
    monkeypatch.setattr(throttle, "utcnow", lambda: now[0])
    return now


@pytest.fixture
def apps(web_db):
    """Apps on one database (as workers of one server, or a server before and after a
    restart), with small limits: 3 per name and address, 8 per address."""
    url = web_db[0]
    made = []

    secret = "one-server-" + uuid.uuid4().hex  # the workers of one server share the key

    def make():
        app = create_app(config=WebConfig(database_url=url, secret_key=secret,
                                          login_max_failures=3,
                                          login_max_failures_per_address=8))
        made.append(app)
        return app

    first = make()
    with make_sessionmaker(first.state.engine)() as db:
        db.execute(delete(LoginThrottle))
        db.commit()
    yield make
    for app in made:
        app.state.engine.dispose()


def _from(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def _login(c: TestClient, user: str, password: str = PASSWORD):
    return c.post("/api/v1/auth/login", json={"username": user, "password": password})


def test_an_attacker_locks_out_only_himself(apps, clock):
    app = apps()
    office, attacker = _from(app, "10.0.0.7"), _from(app, "203.0.113.66")
    assert _login(office, "a_admin").status_code == 200  # the admin's usual address
    for _ in range(3):
        assert _login(attacker, "a_admin", "tebakan-salah").status_code == 401
    r = _login(attacker, "a_admin")
    assert r.status_code == 429  # refused before the password is even checked
    assert 1 <= int(r.headers["retry-after"]) <= 300
    # the real admin is not locked out, nor is anyone else behind the attacker's address
    assert _login(office, "a_admin").status_code == 200
    assert _login(attacker, "a_auditor").status_code == 200
    # a new address for the attacked name waits a little (progressive delay), not 5 minutes
    hotel = _from(app, "198.51.100.9")
    r = _login(hotel, "a_admin")
    assert r.status_code == 429 and int(r.headers["retry-after"]) <= 60
    clock[0] += timedelta(seconds=int(r.headers["retry-after"]))
    assert _login(hotel, "a_admin").status_code == 200
    # the attacker's own lock ends with its window
    assert _login(attacker, "a_admin").status_code == 429
    clock[0] += timedelta(seconds=301)
    assert _login(attacker, "a_admin").status_code == 200


def test_an_insiders_own_sign_in_does_not_reset_the_address_count(apps, clock):
    app = apps()
    insider = _from(app, "10.9.9.9")
    victims = ["a_supervisor", "a_reviewer", "a_auditor", "a_supervisor2", "a_admin",
               "a_unitreviewer", "b_admin", "b_reviewer"]
    for name in victims:  # one guess per account (password spraying) ...
        assert _login(insider, "a_reviewer2").status_code == 200  # ... with own logins between
        assert _login(insider, name, "Password123!").status_code == 401
    r = _login(insider, "a_reviewer2")
    assert r.status_code == 429  # 8 failures from this address in the window: no more tries
    page = insider.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    r = insider.post("/login", data={"username": "a_reviewer2", "password": PASSWORD,
                                     "csrf_token": token})
    assert r.status_code == 429 and "retry-after" in r.headers
    assert 'content-security-policy' in r.headers
    # other addresses are untouched
    assert _login(_from(app, "10.9.9.10"), "a_reviewer2").status_code == 200


def test_the_counts_are_shared_by_workers_and_survive_a_restart(apps, clock):
    worker1, worker2 = apps(), apps()
    assert _login(_from(worker1, "192.0.2.5"), "a_auditor", "salah-1").status_code == 401
    assert _login(_from(worker2, "192.0.2.5"), "a_auditor", "salah-2").status_code == 401
    assert _login(_from(worker1, "192.0.2.5"), "a_auditor", "salah-3").status_code == 401
    assert _login(_from(worker2, "192.0.2.5"), "a_auditor").status_code == 429
    worker1.state.engine.dispose()
    restarted = apps()
    assert _login(_from(restarted, "192.0.2.5"), "a_auditor").status_code == 429
    with make_sessionmaker(restarted.state.engine)() as db:
        rows = db.scalars(select(LoginThrottle)).all()
    assert {r.scope for r in rows} >= {"pair", "address", "account"}
    for r in rows:  # names and addresses are not stored readably
        assert len(r.key) == 64 and "a_auditor" not in r.key and "192.0.2.5" not in r.key


def test_the_per_name_delay_grows_and_is_capped(apps, clock):
    app = apps()
    waits = []
    for i in range(12):  # a guess from a new address each time (a botnet)
        c = _from(app, f"198.18.0.{i + 1}")
        r = _login(c, "a_supervisor2", "salah")
        if r.status_code == 429:
            waits.append(int(r.headers["retry-after"]))
            clock[0] += timedelta(seconds=waits[-1])
            assert _login(c, "a_supervisor2", "salah").status_code == 401
        else:
            assert r.status_code == 401
    assert waits == sorted(waits) and waits[0] <= 2 and max(waits) == 60
