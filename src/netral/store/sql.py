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


def by_key(rows: list[dict], keys: list[str]) -> list[dict]:
    """``rows`` in the order of their key as text (code-point order, which is UTF-8 byte order:
    ``COLLATE "C"`` on PostgreSQL). Every client-side insert path sorts with this one key, so
    two transactions writing overlapping keys take the unique-index locks in the same order and
    cannot deadlock (issue 19)."""
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys))


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
    ordered = by_key(rows, keys)
    stmt = insert(table).on_conflict_do_nothing(index_elements=keys)
    pk = list(table.primary_key.columns)
    if not pk:
        conn.execute(stmt, ordered)
        return len(ordered)
    return len(conn.execute(stmt.returning(pk[0]), ordered).all())


def copy_insert_ignore(conn: Connection, table: Table, rows: list[dict], keys: list[str]
                       ) -> dict[tuple, int]:
    """PostgreSQL only: what :func:`insert_ignore` does, for many rows at the price of a bulk
    load. The rows go by ``COPY`` (psycopg 3) into a temporary staging table, then one
    ``INSERT … SELECT … ORDER BY keys ON CONFLICT (keys) DO NOTHING RETURNING``: no SQL text
    with thousands of parameters for the driver to build and the server to parse (the
    multi-row INSERT spent most of an ingest there). Values are converted as the table's
    columns would bind them (JSON as ``json.dumps`` text, aware datetimes in UTC), so the
    stored rows are the same. Rows go in sorted by key in byte order, as ``insert_ignore``
    sorts them (issue 19). Returns {key values: primary key} of the rows really inserted."""
    if not rows:
        return {}
    names = list(rows[0])
    cols = [table.c[n] for n in names]
    convert = [_bind_for_copy(c, conn.dialect) for c in cols]
    pk = next(iter(table.primary_key.columns)).name
    stage = f"netral_stage_{table.name}"
    quoted = ", ".join(f'"{n}"' for n in names)
    order = ", ".join(f'"{k}" COLLATE "C"' if _is_text(table.c[k]) else f'"{k}"' for k in keys)
    dbapi = conn.connection.driver_connection
    with dbapi.cursor() as cur:
        cur.execute(f'CREATE TEMP TABLE "{stage}" ON COMMIT DROP AS '
                    f'SELECT {quoted} FROM "{table.name}" WITH NO DATA')
        _copy_rows(cur, stage, names, convert, rows)
        key_list = ", ".join(f'"{k}"' for k in keys)
        cur.execute(f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM "{stage}" '
                    f'ORDER BY {order} ON CONFLICT ({key_list}) DO NOTHING '
                    f'RETURNING {key_list}, "{pk}"')
        out = {tuple(row[:-1]): row[-1] for row in cur.fetchall()}
        cur.execute(f'DROP TABLE "{stage}"')
    return out


def copy_insert_new(conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> int:
    """PostgreSQL only: store rows the caller has just looked up as absent, by ``COPY``
    straight into ``table`` (no staging table, no ``INSERT … SELECT``, no speculative insertion
    for ``ON CONFLICT``: the server's work per row is the heap, the indexes and the foreign-key
    checks). Rows go in sorted by key in byte order, as :func:`insert_ignore` sorts them, so
    concurrent writers take the unique-index locks in the same order (issue 19). Should a
    concurrent writer have stored one of these keys since the look-up, the ``COPY`` is undone
    (a savepoint) and the rows go through :func:`copy_insert_ignore` instead: the same rows end
    up stored either way. Returns how many rows were inserted; for callers that need no ids."""
    if not rows:
        return 0
    from psycopg.errors import UniqueViolation

    names = list(rows[0])
    convert = [_bind_for_copy(table.c[n], conn.dialect) for n in names]
    ordered = by_key(rows, keys)
    try:
        with conn.begin_nested(), conn.connection.driver_connection.cursor() as cur:
            _copy_rows(cur, table.name, names, convert, ordered)
    except UniqueViolation:  # the savepoint is rolled back already
        return len(copy_insert_ignore(conn, table, rows, keys))
    return len(ordered)


def _copy_rows(cur, table_name: str, names: list[str], convert: list, rows: list[dict]) -> None:
    from operator import itemgetter

    quoted = ", ".join(f'"{n}"' for n in names)
    # one C call takes a row's values; only the columns that convert are touched in Python
    get = itemgetter(*names) if len(names) > 1 else (lambda r, _n=names[0]: (r[_n],))
    converting = [(i, f) for i, f in enumerate(convert) if f is not None]
    with cur.copy(f'COPY "{table_name}" ({quoted}) FROM STDIN') as copy:
        write = copy.write_row
        for r in rows:
            values = list(get(r))
            for i, f in converting:
                v = values[i]
                if v is not None:
                    values[i] = f(v)
            write(values)


def _is_text(col: Column) -> bool:
    from sqlalchemy import String

    return isinstance(col.type, String)


def _bind_for_copy(col: Column, dialect):
    """The conversion a column's type applies before the driver sees a value (None: none)."""
    import json

    typ = col.type
    if isinstance(typ, TypeDecorator) and not isinstance(typ, JSONText):
        return lambda v, _t=typ: _t.process_bind_param(v, dialect)
    if isinstance(typ, JSON):
        return json.dumps  # what SQLAlchemy's JSON column serialises with by default
    return None
