"""The single migration builds the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from netral.store.base import make_engine
from netral.store.migrate import current_revision, drift, head_revision, target_metadata, upgrade


def test_upgrade_reaches_head_without_drift(db_engine):
    assert current_revision(db_engine) == head_revision()
    assert drift(db_engine) == []
    tables = set(inspect(db_engine).get_table_names())
    assert set(target_metadata().tables) <= tables


def test_upgrade_is_repeatable(db_url):
    # Running the upgrade again on a migrated database changes nothing and does not fail.
    assert upgrade(db_url) == head_revision()
    engine = make_engine(db_url)
    try:
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_empty_database_shows_drift(empty_db_url):
    # The drift check is not vacuous: an unmigrated database differs from the models.
    engine = make_engine(empty_db_url)
    try:
        assert len(drift(engine)) >= len(target_metadata().tables)
    finally:
        engine.dispose()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only(db_engine, statement):
    with db_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, details) "
                "VALUES (CURRENT_TIMESTAMP, 'tester', 'test.insert', '{}')"
            )
        )
    with pytest.raises(Exception, match="append-only") as excinfo, db_engine.begin() as conn:
        conn.execute(text(statement))
    assert "rejected" in str(excinfo.value)
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["tester"]


def test_course_links_migration_down_and_up(db_url):
    """0009 (personal course links) sits on 0008 and can be undone and redone on both engines."""
    from alembic import command

    from netral.store.migrate import alembic_config

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0008")
        assert current_revision(engine) == "0008"
        tables = set(inspect(engine).get_table_names())
        assert "course_links" not in tables and "course_assignments" in tables
        assert upgrade(engine) == head_revision()
        cols = {c["name"] for c in inspect(engine).get_columns("course_links")}
        assert cols == {"id", "assignment_id", "staff_id", "token_hash", "created_by_id",
                        "created_at", "revoked_at"}
        uniques = inspect(engine).get_unique_constraints("course_links")
        indexes = inspect(engine).get_indexes("course_links")
        assert any(u["column_names"] == ["token_hash"] for u in uniques) or \
            any(i["column_names"] == ["token_hash"] and i["unique"] for i in indexes)
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_items_agency_index_migration_down_and_up(db_url):
    """0010 drops ix_items_agency_id (ix_items_agency_created leads with agency_id) and its
    downgrade brings it back, on both engines; no drift from the models either way up."""
    from alembic import command

    from netral.store.migrate import alembic_config

    def items_indexes(engine) -> dict[str, list[str]]:
        return {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("items")}

    engine = make_engine(db_url)
    try:
        assert "ix_items_agency_id" not in items_indexes(engine)
        assert items_indexes(engine)["ix_items_agency_created"] == ["agency_id", "created_at"]
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0009")
        assert current_revision(engine) == "0009"
        assert items_indexes(engine)["ix_items_agency_id"] == ["agency_id"]
        assert upgrade(engine) == head_revision()
        assert "ix_items_agency_id" not in items_indexes(engine)
        assert drift(engine) == []
    finally:
        engine.dispose()


# ids as SQLite stored them before ingest made ids storable -> the ids after migration 0011
NUL_IDS = {
    "a\x00b": "a\ufffdb",
    "\x00": "\ufffd",
    "c\x00": "c\x00",  # "c\ufffd" is another item's id already: it keeps its NUL
    "c\ufffd": "c\ufffd",
    "x\x00\ufffd": "x\ufffd\ufffd",  # the first of two ids with the same new form gets it
    "x\ufffd\x00": "x\ufffd\x00",
    "tanpa-nul": "tanpa-nul",
}


def test_external_ids_sqlite_stored_with_a_nul_take_the_form_ingest_gives_them(db_url):
    """0011: SQLite kept a NUL in an external id where ingest now stores U+FFFD, so a re-run
    of the same source did not find the item and stored it again. The ids get the new form
    once (unless another item of the platform holds it); PostgreSQL never held a NUL in text,
    its ids are left as they are. The downgrade keeps the ids; up again changes nothing."""
    from alembic import command

    from netral.store.migrate import alembic_config

    engine = make_engine(db_url)
    sqlite = engine.dialect.name == "sqlite"
    ids = NUL_IDS if sqlite else {k: v for k, v in NUL_IDS.items() if "\x00" not in k}

    def stored() -> dict[str, str]:  # each inserted id -> the id its row holds now
        with engine.connect() as conn:
            now = dict(conn.execute(text("SELECT id, external_id FROM items")).all())
        return {orig: now[n] for n, orig in enumerate(ids, start=1)}

    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0010")
            for n, ext in enumerate(ids, start=1):
                conn.execute(
                    text(
                        "INSERT INTO items (id, platform, external_id, kind, handle, "
                        "text, media, raw, content_hash, collected_at, collector, "
                        "source) VALUES (:n, 'twitter', :e, 'post', 'budi', '', '[]', "
                        "'{}', '', CURRENT_TIMESTAMP, '', '')"
                    ),
                    {"n": n, "e": ext},
                )
        assert upgrade(engine) == head_revision()
        assert stored() == ids
        with engine.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0010")
        assert stored() == ids
        assert upgrade(engine) == head_revision() and stored() == ids
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_items_agency_index_downgrade_runs_in_the_callers_transaction(db_url):
    """0010's downgrade builds the index as every migration here builds one: inside the one
    transaction ``netral db upgrade`` (and the caller of ``alembic_config(connection=…)``)
    runs the migrations in. Not ``CREATE INDEX CONCURRENTLY``: PostgreSQL refuses it inside a
    transaction, and Alembic's autocommit block fails on a connection whose transaction the
    caller began. Rolled back, the downgrade leaves nothing behind."""
    from alembic import command

    from netral.store.migrate import alembic_config

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            outer = conn.begin()
            command.downgrade(alembic_config(connection=conn), "0009")
            names = {i["name"] for i in inspect(conn).get_indexes("items")}
            assert "ix_items_agency_id" in names
            outer.rollback()
        assert current_revision(engine) == head_revision()
        assert "ix_items_agency_id" not in {i["name"] for i in inspect(engine).get_indexes("items")}
    finally:
        engine.dispose()
