"""SQL statements that differ between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Connection, MetaData, Table
from sqlalchemy.types import TypeDecorator


class JSONText(TypeDecorator):
    """A JSON column written from JSON text the caller serialised already (with orjson, much
    faster than the column's own ``json.dumps`` of a dict): bound as is, with the column's
    ``::JSON`` cast on PostgreSQL; read back as the JSON column reads."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect):
        return None


def json_text_table(table: Table, columns: tuple[str, ...]) -> Table:
    """A copy of ``table`` (for inserts only) whose ``columns`` take JSON text."""
    return Table(table.name, MetaData(), *(
        Column(c.name, JSONText() if c.name in columns else c.type, primary_key=c.primary_key)
        for c in table.columns))


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
