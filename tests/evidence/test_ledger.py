"""The hash-chained ledger in a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from netral.evidence.canonical import ZERO_HASH, entry_hash
from netral.evidence.heads import make_head
from netral.evidence.ledger import Ledger
from netral.evidence.models import (
    append_only_installed,
    append_only_statements,
    drop_append_only_statements,
)


def _fill(session, n=5):
    led = Ledger(session)
    for i in range(n):
        led.append("note", {"n": i, "text": f"entry {i}"}, item_id=i)
    session.commit()
    return led


def test_entries_chain_to_each_other(db_session):
    led = _fill(db_session)
    rows = list(led.links())
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev == ZERO_HASH
    for a, b in itertools.pairwise(rows):
        assert b.prev == a.entry_hash
    for r in rows:
        assert entry_hash(r.seq, r.prev, r.time, r.body_sha256) == r.entry_hash
    report = led.verify()
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.facts["entries"] == 5
    assert led.tip() == (5, rows[-1].entry_hash)


def test_append_many_matches_append(db_session):
    led = Ledger(db_session)
    led.append_many(("note", {"n": i}, None) for i in range(250))
    db_session.commit()
    assert led.count() == 250
    assert led.verify().ok


@pytest.mark.parametrize("stmt", [
    "UPDATE evidence_ledger SET body = '{}' WHERE seq = 2",
    "DELETE FROM evidence_ledger WHERE seq = 5",
    "UPDATE evidence_heads SET signature = signature",
    "DELETE FROM evidence_heads",
])
def test_triggers_refuse_update_and_delete(db_session, signing_key, stmt):
    _fill(db_session)
    make_head(db_session, signing_key)
    db_session.commit()
    assert all(append_only_installed(db_session.connection()).values())
    with pytest.raises(DBAPIError) as exc_info:
        db_session.execute(text(stmt))
        db_session.flush()
    assert "append-only" in str(exc_info.value)
    db_session.rollback()
    assert Ledger(db_session).count() == 5
    assert Ledger(db_session).verify().ok


def test_truncate_refused_on_postgresql(db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    _fill(db_session)
    with pytest.raises(DBAPIError, match="append-only"):
        db_session.execute(text("TRUNCATE evidence_ledger CASCADE"))
    db_session.rollback()
    assert Ledger(db_session).count() == 5


def _tamper(session, *stmts):
    """Bypass the triggers the way an attacker with DDL rights would, then restore them."""
    conn = session.connection()
    dialect = conn.dialect.name
    for s in drop_append_only_statements(dialect):
        conn.exec_driver_sql(s)
    for s in stmts:
        conn.exec_driver_sql(s)
    for s in append_only_statements(dialect):
        conn.exec_driver_sql(s)
    session.commit()


def _codes_for(report):
    return {(p.code, p.target) for p in report.errors}


def test_verify_names_altered_entry(db_session):
    led = _fill(db_session, 6)
    _tamper(db_session, "UPDATE evidence_ledger SET body = '{\"n\":99}' WHERE seq = 3")
    report = led.verify()
    assert not report.ok
    assert ("entry_body_altered", "entry 3") in _codes_for(report)
    assert {p.target for p in report.errors} == {"entry 3"}


def test_verify_names_deleted_entry(db_session):
    led = _fill(db_session, 6)
    _tamper(db_session, "DELETE FROM evidence_ledger WHERE seq = 4")
    report = led.verify()
    assert ("entry_missing", "entry 4") in _codes_for(report)


def test_verify_names_reordered_entries(db_session):
    led = _fill(db_session, 6)
    # swap the contents of entries 2 and 3 (keeping their seq numbers)
    cols = "time, prev_hash, body_sha256, entry_hash, kind, item_id, body"
    _tamper(
        db_session,
        f"CREATE TABLE tmp_swap AS SELECT seq, {cols} FROM evidence_ledger WHERE seq IN (2, 3)",
        "DELETE FROM evidence_ledger WHERE seq IN (2, 3)",
        f"INSERT INTO evidence_ledger (seq, {cols}) SELECT 5 - seq, {cols} FROM tmp_swap",
        "DROP TABLE tmp_swap",
    )
    report = led.verify()
    assert not report.ok
    targets = {p.target for p in report.errors}
    assert {"entry 2", "entry 3"} <= targets


def test_rewritten_chain_is_caught_by_signed_head(db_session, signing_key):
    """Altering an entry and recomputing every later hash still breaks the signed head."""
    led = _fill(db_session, 4)
    make_head(db_session, signing_key)
    db_session.commit()
    rows = list(led.links())
    from netral.evidence.canonical import canonical_json, sha256_hex

    body = canonical_json({"n": 1, "text": "forged"}).decode()
    prev = rows[0].entry_hash
    stmts = []
    for r in rows[1:]:
        b = body if r.seq == 2 else r.body.decode()
        bsha = sha256_hex(b.encode())
        h = entry_hash(r.seq, prev, r.time, bsha)
        stmts.append(
            f"UPDATE evidence_ledger SET body = '{b}', body_sha256 = '{bsha}', "
            f"prev_hash = '{prev}', entry_hash = '{h}' WHERE seq = {r.seq}"
        )
        prev = h
    _tamper(db_session, *stmts)
    report = led.verify()
    assert ("head_chain_mismatch", "head 4") in _codes_for(report)


def test_head_signature_and_statement(db_session, signing_key):
    _fill(db_session, 3)
    head = make_head(db_session, signing_key)
    db_session.commit()
    assert head.seq == 3
    assert make_head(db_session, signing_key).id == head.id  # reused: nothing new to sign
    _tamper(db_session, "UPDATE evidence_heads SET signature = "
            + ("X'" + "00" * 64 + "'" if db_session.get_bind().dialect.name == "sqlite"
               else "'\\x" + "00" * 64 + "'::bytea"))
    report = Ledger(db_session).verify()
    assert ("head_signature_invalid", "head 3") in _codes_for(report)


def test_concurrent_appenders_never_fork_the_chain(db_url, db_session):
    """Three processes append at once; the chain stays one line with no gaps."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from netral.store.base import make_engine, make_sessionmaker\n"
        "from netral.evidence.ledger import Ledger\n"
        "S = make_sessionmaker(make_engine(sys.argv[1]))\n"
        "for i in range(40):\n"
        "    with S() as s:\n"
        "        Ledger(s).append('note', {'w': sys.argv[2], 'i': i})\n"
        "        s.commit()\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url, w],
                              stderr=subprocess.PIPE, text=True) for w in "abc"]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errs
    report = Ledger(db_session).verify()
    assert report.ok and report.facts["entries"] == 120
