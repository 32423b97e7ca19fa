"""Alembic environment for netral (packaged: ``netral db upgrade`` works from an install).

The target metadata is ``netral.store.base.Base.metadata`` with every model module imported:
the store's core tables and, when present, the evidence tables (``netral.evidence.models``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from netral.store import append_only
from netral.store.base import make_engine
from netral.store.migrate import append_only_providers, target_metadata

config = context.config


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        user_module_prefix="netral_types.",
        template_args={
            "append_only_tables": repr(sorted(append_only.APPEND_ONLY_TABLES)),
            "append_only_providers": repr(append_only_providers()),
        },
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata(),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    engine.pool = pool.NullPool(engine.pool._creator)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
