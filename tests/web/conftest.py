"""Fixtures for the web tests: a migrated, seeded database per module (SQLite, and PostgreSQL
when it answers), the app on it, and logged-in API clients."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from web_seed import PASSWORD, World, seed

from netral.store.base import make_engine
from netral.store.migrate import upgrade
from netral.web.app import create_app
from netral.web.config import WebConfig


def _module_db(kind: str, request, tmp_path_factory) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'netral.db'}"
        return
    base = request.getfixturevalue("pg_database_url")
    schema = f"web_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
               .render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def pytest_collection_modifyitems(config, items):
    """Label the PostgreSQL variants (marks on fixture params do not reach the items)."""
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here) and \
                getattr(getattr(item, "callspec", None), "params", {}).get("web_db") == "postgresql":
            item.add_marker(pytest.mark.postgres)


# Each test module gets its own seeded database per kind (and per xdist worker); tests take
# untouched findings with ``web_seed.take`` so they do not depend on each other's order.
@pytest.fixture(scope="module", params=[
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="pg"),
])
def web_db(request, tmp_path_factory) -> Iterator[tuple[str, World]]:
    for url in _module_db(request.param, request, tmp_path_factory):
        upgrade(url)
        engine = make_engine(url)
        try:
            world = seed(engine)
            yield url, world
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory) -> Iterator[tuple[str, World]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('websq') / 'netral.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        yield url, seed(engine)
    finally:
        engine.dispose()


def make_app(url: str, **overrides):
    cfg = WebConfig(database_url=url, secret_key="test-secret-" + uuid.uuid4().hex, **overrides)
    return create_app(config=cfg)


@pytest.fixture(scope="module")
def app(web_db):
    url, _ = web_db
    application = make_app(url, login_max_failures=1000)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def world(web_db) -> World:
    return web_db[1]


class ApiClient:
    """A TestClient signed in through the API, sending the CSRF header on every call."""

    def __init__(self, app, username: str | None = None, password: str = PASSWORD):
        self.http = TestClient(app, base_url="http://testserver")
        self.csrf = ""
        if username:
            r = self.http.post("/api/v1/auth/login",
                               json={"username": username, "password": password})
            assert r.status_code == 200, r.text
            self.csrf = r.json()["csrf_token"]

    def request(self, method: str, url: str, **kw):
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.http.request(method, url, headers=headers, **kw)

    def get(self, url: str, **kw):
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw):
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw):
        return self.request("PUT", url, **kw)


@pytest.fixture(scope="module")
def login(app):
    cache: dict[str, ApiClient] = {}

    def _login(username: str | None) -> ApiClient:
        if username is None:
            return ApiClient(app)
        if username not in cache:
            cache[username] = ApiClient(app, username)
        return cache[username]

    return _login
