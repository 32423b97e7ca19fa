"""Evidence tables: the hash-chained ledger and the signed/timestamped chain heads.

Both tables are append-only. The database enforces it: triggers refuse UPDATE and DELETE on
SQLite; on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE and the privileges to do so
are revoked from PUBLIC. :func:`append_only_statements` gives the DDL for Alembic migrations;
``Base.metadata.create_all`` installs the same triggers through ``after_create`` events.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from netral.store.base import Base
from netral.store.types import BigIntPK, UTCDateTime, utcnow

APPEND_ONLY_TABLES = ("evidence_ledger", "evidence_heads")
PG_FUNCTION = "netral_evidence_append_only"


class LedgerEntry(Base):
    """One ledger entry. ``entry_hash`` = sha256(canonical {v, seq, prev, time, body_sha256});
    ``body`` is the canonical JSON whose sha256 is ``body_sha256``."""

    __tablename__ = "evidence_ledger"

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=False)
    time: Mapped[str] = mapped_column(String(32), nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    body_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    entry_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    # Convenience index for "entries about this item"; the body is the authoritative record.
    item_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (Index("ix_evidence_ledger_item_id", "item_id"),)


class ChainHead(Base):
    """A signed (and, when a TSA is configured, RFC 3161-timestamped) statement of the ledger
    head at ``seq``. ``statement`` holds the exact bytes that were signed and stamped."""

    __tablename__ = "evidence_heads"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("evidence_ledger.seq"), nullable=False, index=True
    )
    entry_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    statement: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    signature: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    public_key_pem: Mapped[str] = mapped_column(Text, nullable=False)
    key_fingerprint: Mapped[str] = mapped_column(String(80), nullable=False)
    tsa_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    tsr: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    tsa_chain_pem: Mapped[str | None] = mapped_column(Text, nullable=True)
    tsa_gen_time: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


def append_only_statements(dialect: str) -> list[str]:
    """DDL that makes the evidence tables append-only on ``dialect`` ("sqlite"|"postgresql").

    Idempotent (safe to run twice). No ``%`` or ``:name`` in the text, so it can go through
    ``op.execute`` / ``text()`` unchanged.
    """
    out: list[str] = []
    if dialect == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                out.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} "
                    f"BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only, {op} refused'); END"
                )
    elif dialect == "postgresql":
        out.append(
            f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', "
            "MESSAGE = TG_TABLE_NAME || ' is append-only, ' || TG_OP || ' refused'; "
            "END $$"
        )
        for table in APPEND_ONLY_TABLES:
            out.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            out.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
            )
            out.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            out.append(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
            out.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC")
    return out


def drop_append_only_statements(dialect: str) -> list[str]:
    """Reverse of :func:`append_only_statements` (for a migration's downgrade)."""
    out: list[str] = []
    if dialect == "sqlite":
        for table in APPEND_ONLY_TABLES:
            out += [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]
    elif dialect == "postgresql":
        for table in APPEND_ONLY_TABLES:
            out.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            out.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        out.append(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    return out


def install_append_only(conn: Connection) -> None:
    """Install (or re-install) the append-only triggers on an existing database."""
    for stmt in append_only_statements(conn.dialect.name):
        conn.exec_driver_sql(stmt)


def append_only_installed(conn: Connection) -> dict[str, bool]:
    """Which evidence tables have their append-only triggers in place."""
    found: dict[str, bool] = {}
    for table in APPEND_ONLY_TABLES:
        if conn.dialect.name == "sqlite":
            n = conn.execute(
                text(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = :t AND name IN (:a, :b)"
                ),
                {"t": table, "a": f"{table}_no_update", "b": f"{table}_no_delete"},
            ).scalar_one()
            found[table] = n == 2
        elif conn.dialect.name == "postgresql":
            n = conn.execute(
                text(
                    "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE c.oid = to_regclass(:t) AND t.tgname IN (:a, :b)"
                ),
                {"t": table, "a": f"{table}_append_only", "b": f"{table}_no_truncate"},
            ).scalar_one()
            found[table] = n == 2
        else:
            found[table] = False
    return found


def _attach_ddl_events() -> None:
    # create_all() (tests, quick setups) gets the same triggers as the Alembic migration.
    ledger, heads = LedgerEntry.__table__, ChainHead.__table__
    for dialect in ("sqlite", "postgresql"):
        stmts = append_only_statements(dialect)
        if dialect == "sqlite":
            per_table = {t: [s for s in stmts if f" ON {t} " in s] for t in APPEND_ONLY_TABLES}
        else:
            func, rest = stmts[0], stmts[1:]
            per_table = {t: [s for s in rest if f" ON {t}" in s] for t in APPEND_ONLY_TABLES}
            per_table["evidence_ledger"] = [func, *per_table["evidence_ledger"]]
        for table, tbl_stmts in ((ledger, per_table["evidence_ledger"]),
                                 (heads, per_table["evidence_heads"])):
            for s in tbl_stmts:
                event.listen(table, "after_create", DDL(s).execute_if(dialect=dialect))


_attach_ddl_events()
