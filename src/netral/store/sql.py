"""SQL statements that differ between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from sqlalchemy import Connection, Table


def insert_ignore(conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> None:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` on SQLite and PostgreSQL."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(table).on_conflict_do_nothing(index_elements=keys), rows)
