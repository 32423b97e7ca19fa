"""Fixtures for the web tests: a migrated, seeded database per module (SQLite, and PostgreSQL
when it answers), the app on it, and logged-in API clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_launch import chromium
from pg_schema import pg_schema_url
from web_helpers import ApiClient, make_app
from web_seed import World, seed

from netral.store.base import make_engine
from netral.store.migrate import upgrade


def _module_db(kind: str, request, tmp_path_factory) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'netral.db'}"
        return
    with pg_schema_url(request.getfixturevalue("pg_database_url"), "web") as url:
        yield url


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


@pytest.fixture(scope="module")
def app(web_db):
    url, _ = web_db
    application = make_app(url, login_max_failures=1000)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def world(web_db) -> World:
    return web_db[1]


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


# --------------------------------------------------------------------------- browser tests

@pytest.fixture(scope="module")
def live(sqlite_db, tmp_path_factory):
    """(base_url, world) of a uvicorn server running the app on a seeded SQLite database."""
    from web_helpers import live_server, make_app

    url, world = sqlite_db
    ev = tmp_path_factory.mktemp("evidence")
    saved = {k: os.environ.get(k) for k in ("NETRAL_EVIDENCE_DIR", "NETRAL_EVIDENCE_KEY")}
    os.environ["NETRAL_EVIDENCE_DIR"] = str(ev / "store")
    os.environ["NETRAL_EVIDENCE_KEY"] = str(ev / "keys" / "evidence.pem")
    from netral.evidence.keys import generate_key

    generate_key(ev / "keys" / "evidence.pem")  # what `netral evidence keygen` does
    app = make_app(url)
    try:
        with live_server(app) as base:
            yield base, world
    finally:
        app.state.engine.dispose()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def browser():
    with chromium("browser tests") as b:
        yield b
