"""Shared database fixtures.

``db_engine`` is parametrised over SQLite (a fresh file per test) and PostgreSQL (a fresh
schema per test inside a database created for this test session and dropped at its end), and
yields an Engine with the Alembic migrations applied. ``db_url`` gives the same database as a
URL string (for subprocesses and CLI tests); ``db_session`` a Session on it.

PostgreSQL is found at ``NETRAL_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). When it does not answer, the
PostgreSQL variants are skipped with a loud warning, never silently.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_schema import pg_schema_url
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory):
    """Tests never write into the real user data directory (database, evidence store, keys):
    NETRAL_DATA_DIR points at a temporary folder unless the caller set it."""
    if os.environ.get("NETRAL_DATA_DIR"):
        yield
        return
    from netral.config import get_settings

    os.environ["NETRAL_DATA_DIR"] = str(tmp_path_factory.mktemp("netral-data"))
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.pop("NETRAL_DATA_DIR", None)
        get_settings.cache_clear()


def _pg_server_url() -> str:
    return os.environ.get("NETRAL_TEST_POSTGRES_URL") or PG_DEFAULT


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A PostgreSQL database of our own for this test session (per xdist worker)."""
    server = make_url(_pg_server_url())
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # the server is down or refuses us
        admin.dispose()
        first = str(exc).splitlines()[0] if str(exc) else ""
        msg = (
            f"PostgreSQL at {server.render_as_string()} did not answer "
            f"({exc.__class__.__name__}: {first}); PostgreSQL tests SKIPPED"
        )
        warnings.warn(msg, stacklevel=1)
        print(f"\n!!! {msg} !!!\n")
        pytest.skip(msg)
    name = f"netral_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fresh_url(kind: str, request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'netral.db'}"
        return
    with pg_schema_url(request.getfixturevalue("pg_database_url"), "t") as url:
        yield url


DB_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="pg", marks=pytest.mark.postgres),
]


@pytest.fixture(params=DB_KINDS)
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def empty_db_url(db_kind, request, tmp_path) -> Iterator[str]:
    """A URL to an empty database (no migrations applied) of the parametrised kind."""
    yield from _fresh_url(db_kind, request, tmp_path)


@pytest.fixture
def db_url(empty_db_url) -> str:
    """A URL to a fresh, migrated database (SQLite file or PostgreSQL schema)."""
    from netral.store.migrate import upgrade

    upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def db_engine(db_url) -> Iterator[Engine]:
    """An Engine on a fresh, migrated database; parametrised over SQLite and PostgreSQL."""
    from netral.store.base import make_engine

    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def db_session(db_engine):
    from netral.store.base import make_sessionmaker

    with make_sessionmaker(db_engine)() as session:
        yield session


# Real hand photos (tests/fixtures/images/real/*.jpg) are copies of a public data set: they are
# rebuilt by tools/images/collect_real.py and not committed (see that folder's README). Tests
# that read them skip loudly where they are absent.
_REAL_PHOTO = Path(__file__).parent / "fixtures" / "images" / "real" / "subhih_two.jpg"
_REAL_PHOTO_DIRS = ("images", "web", "audit", "ingest")


def _reads_real_photos(item) -> bool:
    import inspect

    if Path(str(item.fspath)).parent.name not in _REAL_PHOTO_DIRS:
        return False
    try:
        source = inspect.getsource(item.obj)
    except (OSError, TypeError):
        return False
    return "subhih" in source or "REAL /" in source or "(HAND)" in source


# The texts of the real labelled corpus (data/corpus/corpus.jsonl) are third parties' posts:
# tools/corpus/rebuild.py rebuilds them from their public sources and they are not committed.
# Tests marked `real_corpus` need the whole corpus and skip loudly where it is absent.
_REAL_CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "corpus.jsonl"


def pytest_collection_modifyitems(config, items):
    if not _REAL_CORPUS.exists():
        corpus_skip = pytest.mark.skip(
            reason="LOUD SKIP: the real corpus' texts are not here (data/corpus/corpus.jsonl; "
                   "rebuild them with tools/corpus/rebuild.py --mirror DIR, see "
                   "data/corpus/SOURCES.md); this test did not run")
        for item in items:
            if item.get_closest_marker("real_corpus"):
                item.add_marker(corpus_skip)
    if _REAL_PHOTO.exists():
        return
    skip = pytest.mark.skip(reason="LOUD SKIP: the real hand photos are not here "
                                   "(tests/fixtures/images/real/README.md says how to rebuild "
                                   "them); this test did not run")
    for item in items:
        if _reads_real_photos(item):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where browser tests leave their screenshots (``NETRAL_ARTIFACTS``/screenshots)."""
    root = Path(os.environ.get("NETRAL_ARTIFACTS") or "ci-artifacts") / "screenshots"
    root.mkdir(parents=True, exist_ok=True)
    return root
