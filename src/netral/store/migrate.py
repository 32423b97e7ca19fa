"""Schema migrations (Alembic), usable from an installed package.

``upgrade(url)`` brings a database to the newest schema; ``drift(engine)`` lists differences
between the models and the database (empty when the migration matches the models).
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection, Engine

from netral.store.base import Base, make_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Modules whose tables live on Base.metadata; optional ones are imported when installed.
MODEL_MODULES = ["netral.store.models", "netral.course.models"]
OPTIONAL_MODEL_MODULES = ["netral.evidence.models"]


def _model_modules() -> list[Any]:
    modules = [importlib.import_module(name) for name in MODEL_MODULES]
    for name in OPTIONAL_MODEL_MODULES:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None:
            continue
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def target_metadata() -> MetaData:
    _model_modules()
    return Base.metadata


def append_only_providers() -> list[str]:
    """``"module:function"`` of optional model modules that make their own tables append-only
    (a function ``append_only_statements(dialect) -> list[str]``)."""
    return [
        f"{m.__name__}:append_only_statements"
        for m in _model_modules()
        if m.__name__ != "netral.store.models" and hasattr(m, "append_only_statements")
    ]


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _engine(target: str | Engine | None) -> tuple[Engine, bool]:
    if isinstance(target, Engine):
        return target, False
    return make_engine(target), True


def upgrade(target: str | Engine | None = None, revision: str = "head") -> str | None:
    """Apply migrations up to ``revision``; returns the resulting revision id."""
    engine, owned = _engine(target)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(connection=conn), revision)
        return current_revision(engine)
    finally:
        if owned:
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def drift(engine: Engine) -> list[Any]:
    """Differences between the models and the database schema (``alembic check``)."""
    metadata = target_metadata()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, metadata)
