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
