"""Append-only tables: triggers that reject UPDATE and DELETE on SQLite and PostgreSQL.

Used by the initial migration for ``audit_log`` (and by the evidence ledger, which lists its
own tables in :data:`APPEND_ONLY_TABLES` through :func:`register`). The same statements run on
``metadata.create_all`` through DDL events, so a database built either way is protected.
"""

from __future__ import annotations

import importlib

from sqlalchemy import DDL, Table, event

APPEND_ONLY_TABLES: list[str] = ["audit_log"]


def register(table_name: str) -> None:
    """Declare another table append-only (call at import time of its models module)."""
    if table_name not in APPEND_ONLY_TABLES:
        APPEND_ONLY_TABLES.append(table_name)


def ddl_statements(table: str, dialect: str) -> list[str]:
    """SQL statements creating the append-only triggers for ``table`` on ``dialect``."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS trg_{table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE rejected'); END",
            f"CREATE TRIGGER IF NOT EXISTS trg_{table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE rejected'); END",
        ]
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION netral_reject_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP; END; "
            "$$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS trg_{table}_no_change ON {table}",
            f"CREATE TRIGGER trg_{table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION netral_reject_change()",
            # TRUNCATE bypasses row triggers; reject it too.
            f"DROP TRIGGER IF EXISTS trg_{table}_no_truncate ON {table}",
            f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION netral_reject_change()",
        ]
    raise ValueError(f"unsupported database dialect: {dialect}")


def install(op, tables: list[str] | None = None, providers: list[str] = ()) -> None:
    """Create the triggers inside an Alembic migration (``op`` is ``alembic.op``).

    ``providers`` names other modules' DDL functions as ``"module:function"``; each is called
    with the dialect name and returns statements (the evidence ledger uses this)."""
    dialect = op.get_bind().dialect.name
    for table in tables or APPEND_ONLY_TABLES:
        for stmt in ddl_statements(table, dialect):
            op.execute(stmt)
    for spec in providers:
        module, func = spec.split(":")
        for stmt in getattr(importlib.import_module(module), func)(dialect):
            op.get_bind().exec_driver_sql(stmt)


def attach(table: Table) -> None:
    """Make ``metadata.create_all`` install the triggers for ``table`` too."""
    for dialect in ("sqlite", "postgresql"):
        for stmt in ddl_statements(table.name, dialect):
            ddl = DDL(stmt.replace("%", "%%")).execute_if(dialect=dialect)
            event.listen(table, "after_create", ddl)
