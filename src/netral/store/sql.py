"""SQL statements that differ between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from sqlalchemy import Connection, Table


def insert_ignore(conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> int:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` on SQLite and PostgreSQL; returns how many
    rows were really inserted (a concurrent writer may have inserted the others).

    Rows go in sorted by their key: two transactions inserting overlapping keys then take the
    unique-index locks in the same order and cannot deadlock (issue 19)."""
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    ordered = sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys))
    stmt = insert(table).on_conflict_do_nothing(index_elements=keys)
    pk = list(table.primary_key.columns)
    if not pk:
        conn.execute(stmt, ordered)
        return len(ordered)
    return len(conn.execute(stmt.returning(pk[0]), ordered).all())
