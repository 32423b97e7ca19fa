"""Issue 17: ingest on PostgreSQL loads new items by COPY into a staging table and one
``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``; batches are stored by a writer thread
while the next one is read. The stored rows, the counts and the scan are the same as the
row-by-row ``INSERT … ON CONFLICT`` path (which SQLite keeps), on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text

import netral.ingest.pipeline as pipeline
from netral.ingest import ingest_records
from netral.store.models import Detection, Finding, Item

COLUMNS = ("platform", "external_id", "kind", "agency_id", "account_id", "handle", "text",
           "created_at", "url", "media", "raw", "content_hash", "collected_at", "collector",
           "source")


def _records(n: int):
    for i in range(n):
        rec = {
            "platform": "twitter" if i % 2 else "instagram",
            "handle": "@Budi" if i % 2 else "ani.l",
            "id": f"c{i}",
            "kind": ["post", "comment", "share"][i % 3],
            "text": ["Rapat koordinasi bidang {i} berjalan lancar",
                     "Ayo coblos nomor 2! #PrabowoGibran {i}",
                     "Kopi pagi ☕ — ‘kutip’ \\ garis miring \"petik\" {i}",
                     ""][i % 4].format(i=i),
            "created_at": [f"2024-01-{1 + i % 28:02d}T08:00:00+07:00",
                           f"2024-02-{1 + i % 28:02d} 10:00:00", None, 1705708800 + i][i % 4],
            "url": f"https://x.example/p/{i}" if i % 3 else None,
            "media": [f"https://x.example/m/{i}.jpg"] if i % 5 == 0 else [],
            "collector": "uji/1.0" if i % 7 == 0 else "",
            "collected_at": "2024-03-01T00:00:00Z",  # else the ingest time: differs per run
        }
        if i % 11 == 0:
            rec["raw"] = {"nested": {"é": [1, 2.5, None, True]}, "n": i}
        yield f"line {i}", rec
    yield "dup", {"platform": "twitter", "handle": "budi", "id": "c1", "text": "again"}
    yield "unmatched", {"platform": "twitter", "handle": "orang_lain", "id": "u1", "text": "x"}
    yield "bad", {"platform": "friendster", "handle": "budi", "id": "b1", "text": "x"}


def _items(engine) -> dict:
    cols = [getattr(Item, c) for c in COLUMNS]
    with engine.connect() as conn:
        rows = {r.external_id: tuple(r) for r in conn.execute(select(*cols))}
        if engine.dialect.name == "postgresql":  # the JSON text itself, not only its value
            raw = dict(conn.execute(text("SELECT external_id, raw::text || media::text "
                                         "FROM items")).all())
            rows = {k: (*v, raw[k]) for k, v in rows.items()}
    return rows


def _counts(rep) -> dict:
    c = rep.counts()
    c.pop("batches")
    return {**c, "errors": sorted(rep.errors), "unmatched": dict(rep.unmatched_accounts)}


@pytest.mark.parametrize("scan", [False, True], ids=["no-scan", "scan"])
def test_copy_path_stores_what_the_insert_path_stores(roster_engine, detector, monkeypatch,
                                                      scan):
    kw = dict(source="uji.jsonl", scan=scan, detector=detector if scan else None,
              sample_rate=0.0, batch_size=70)
    copied = ingest_records(roster_engine, _records(200), **kw)
    first = _items(roster_engine)
    with roster_engine.connect() as conn:
        dets = sorted(conn.execute(select(Item.external_id, Detection.verdict, Detection.score)
                                   .join(Detection, Detection.item_id == Item.id)).all())
    assert copied.items_new == 200 and copied.duplicates == 1 and copied.unmatched == 1
    assert copied.batches == 3 and bool(dets) is scan
    with roster_engine.begin() as conn:
        for table in (Finding, Detection, Item):
            conn.execute(delete(table))
    monkeypatch.setattr(pipeline, "COPY_MIN", 10**9)  # the INSERT path, as before issue 17
    inserted = ingest_records(roster_engine, _records(200), **kw)
    assert _items(roster_engine) == first
    assert _counts(inserted) == _counts(copied)
    with roster_engine.connect() as conn:
        assert sorted(conn.execute(select(Item.external_id, Detection.verdict, Detection.score)
                                   .join(Detection, Detection.item_id == Item.id)).all()) == dets
    again = ingest_records(roster_engine, _records(200), **kw)
    assert again.items_new == 0 and again.items_existing == 200


@pytest.mark.parametrize("scan", [False, True], ids=["no-scan", "scan"])
def test_rows_a_concurrent_run_stored_first_count_as_existing(roster_engine, detector,
                                                              monkeypatch, scan):
    """The look-up before the insert missed them (another run committed in between): the
    insert skips them, counts them as existing, and the scan still finds their ids. Without
    a scan PostgreSQL copies straight into items: the unique key stops that COPY and the
    batch goes the ON CONFLICT way instead, leaving the stored rows as they were."""
    ingest_records(roster_engine, _records(120), source="a", scan=False)
    before = _items(roster_engine)
    real = pipeline._item_ids
    calls = {"n": 0}

    def blind_first(conn, keys):  # the first look-up of each batch sees nothing stored
        calls["n"] += 1
        return {} if calls["n"] % 2 else real(conn, keys)

    monkeypatch.setattr(pipeline, "_item_ids", blind_first)
    rep = ingest_records(roster_engine, _records(120), source="a", scan=scan,
                         detector=detector if scan else None, sample_rate=0.0, batch_size=500)
    assert rep.items_new == 0 and rep.items_existing == 120
    assert [p for p, _ in rep.errors] == ["bad"]
    assert rep.scanned + rep.not_scannable == (120 if scan else 0)
    assert _items(roster_engine) == before


def test_a_batch_half_stored_by_another_run_adds_only_the_rest(roster_engine, monkeypatch):
    """The same race with part of a batch: the rows the other run stored stay as it stored
    them, the others are added, with the same values as an ingest without the race."""
    ingest_records(roster_engine, _records(200), source="a", scan=False)
    whole = _items(roster_engine)
    with roster_engine.begin() as conn:
        conn.execute(delete(Item).where(Item.external_id.in_([f"c{i}" for i in range(0, 200, 2)])))
    monkeypatch.setattr(pipeline, "_item_ids", lambda conn, keys: {})
    rep = ingest_records(roster_engine, _records(200), source="a", scan=False, batch_size=500)
    assert rep.items_new == 100 and rep.items_existing == 100
    assert _items(roster_engine) == whole


def test_an_error_while_storing_ends_the_run_with_whole_batches(roster_engine, monkeypatch):
    real = pipeline._store_batch
    seen = {"n": 0}

    def fail_second(conn, batch, *a):
        seen["n"] += 1
        if seen["n"] == 2:
            raise RuntimeError("disk full (simulated)")
        return real(conn, batch, *a)

    monkeypatch.setattr(pipeline, "_store_batch", fail_second)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_records(roster_engine, _records(200), source="a", scan=False, batch_size=60)
    with roster_engine.connect() as conn:
        assert conn.scalar(select(Item.id).order_by(Item.id.desc()).limit(1)) is not None
        n = len(conn.execute(select(Item.id)).all())
        run = conn.execute(text("SELECT counts FROM ingest_runs")).scalar_one()
    assert n == 60  # the first batch only: the failed one rolled back whole
    run = run if isinstance(run, dict) else __import__("json").loads(run)
    assert run["aborted"].startswith("RuntimeError") and run["items_new"] == 60


UNSTORABLE = {  # text a collector can hand over that a text column cannot hold as it is
    "nul": ("sebelum\x00sesudah", "sebelum\ufffdsesudah"),  # PostgreSQL refuses NUL in text
    "lone-surrogate": ("emoji terpotong \ud83d di sini", "emoji terpotong \ufffd di sini"),
}


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "insert"])
def test_a_record_with_text_no_column_can_hold_does_not_stop_the_ingest(roster_engine,
                                                                        monkeypatch, copy):
    """A NUL (a JSON ``\\u0000``) or half of an escaped emoji (``\\ud83d``) in one record used
    to stop the whole ingest with a traceback: PostgreSQL refuses NUL in text, and a lone
    surrogate is not UTF-8 (the content hash, then both engines). The character becomes
    U+FFFD, the same on both engines and both PostgreSQL paths; the raw record keeps it in
    its JSON escape where JSON can."""
    if not copy:
        monkeypatch.setattr(pipeline, "COPY_MIN", 10**9)

    def records():
        yield from _records(60)
        for name, (raw_text, _) in UNSTORABLE.items():
            yield name, {"platform": "twitter", "handle": "@Budi", "id": f"x-{name}",
                         "text": raw_text, "url": f"https://x.example/{raw_text}",
                         "collector": f"uji{raw_text}"}

    rep = ingest_records(roster_engine, records(), source="uji\udcff.jsonl", scan=False)
    assert rep.items_new == 60 + len(UNSTORABLE) and [p for p, _ in rep.errors] == ["bad"]
    with roster_engine.connect() as conn:
        got = {r.external_id: r for r in conn.execute(
            select(Item.external_id, Item.text, Item.url, Item.collector, Item.source, Item.raw)
            .where(Item.external_id.like("x-%")))}
    for name, (_raw, stored) in UNSTORABLE.items():
        row = got[f"x-{name}"]
        assert (row.text, row.url, row.collector, row.source) == (
            stored, f"https://x.example/{stored}", f"uji{stored}", "uji\ufffd.jsonl")
    assert got["x-nul"].raw["text"] == "sebelum\x00sesudah"  # JSON holds NUL as \u0000


def test_a_lock_timeout_in_the_copy_is_named_busy_like_any_other(roster_engine):
    """The COPY paths call psycopg's cursor directly, so their errors are the driver's own,
    not SQLAlchemy's wrapped ones: a lock that times out during the COPY (a concurrent run
    holding the same keys) must still read as "busy" (one line, exit 4), not a traceback."""
    if roster_engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from datetime import UTC, datetime

    from psycopg.errors import LockNotAvailable  # the driver's own, unwrapped

    from netral.store.errors import classify, describe
    from netral.store.sql import copy_insert_new

    table = Item.__table__
    now = datetime(2024, 3, 1, tzinfo=UTC)
    rows = [{"platform": "twitter", "external_id": f"k{i}", "kind": "post", "agency_id": None,
             "account_id": None, "handle": "budi", "text": "x", "created_at": None, "url": None,
             "media": [], "raw": {}, "content_hash": "0" * 64, "collected_at": now,
             "collector": "", "source": "uji"} for i in range(3)]
    with roster_engine.connect() as holder:
        holder.begin()
        holder.execute(table.insert(), rows[1:2])  # not committed: the key is held
        with roster_engine.begin() as conn, pytest.raises(LockNotAvailable) as caught:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            copy_insert_new(conn, table, rows, ["platform", "external_id"])
        holder.rollback()
    assert classify(caught.value) == "busy", repr(caught.value)
    assert "lock" in describe(caught.value)


def _odd_ids():
    """Records whose external id is not stored as it comes: NUL, half an emoji, too long."""
    for i, ext in enumerate(["a\x00b", "\x00", "emoji \ud83d terpotong", "x" * 600 + "\x00"]):
        yield f"odd {i}", {"platform": "twitter", "handle": "@Budi", "id": ext, "text": "x"}


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "insert"])
def test_an_external_id_with_a_nul_is_found_again_on_a_rerun(roster_engine, monkeypatch, copy):
    """Each id is stored in one form (``netral.ingest.schema.external_id``), the form the
    re-run looks for: nothing is stored twice, on either engine or PostgreSQL path."""
    if not copy:
        monkeypatch.setattr(pipeline, "COPY_MIN", 10**9)

    def records():
        yield from _records(60)
        yield from _odd_ids()

    first = ingest_records(roster_engine, records(), source="a", scan=False)
    again = ingest_records(roster_engine, records(), source="a", scan=False)
    assert first.items_new == 64 and (again.items_new, again.items_existing) == (0, 64)
    with roster_engine.connect() as conn:
        ids = set(conn.execute(select(Item.external_id)).scalars())
    assert len(ids) == 64 and {"a\ufffdb", "\ufffd", "emoji \ufffd terpotong", "x" * 512} <= ids


def test_an_item_sqlite_stored_with_a_nul_before_is_not_stored_twice(roster_engine, monkeypatch):
    """Before ingest made ids storable SQLite kept the NUL, and a re-run (looking for U+FFFD)
    stored the item a second time; migration 0011 gives the old ids the new form."""
    if roster_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL never stored a NUL in text")
    from alembic import command

    import netral.ingest.schema as schema
    from netral.store.migrate import alembic_config, upgrade

    with roster_engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "0010")
    with monkeypatch.context() as m:  # the id rule of before: the NUL kept (a lone surrogate
        # never reached the database: the driver cannot encode it)
        m.setattr(schema, "external_id", lambda value: schema._SURROGATE.sub("\ufffd", str(value)[:512]))
        ingest_records(roster_engine, _odd_ids(), source="a", scan=False)
    with roster_engine.connect() as conn:
        assert "a\x00b" in set(conn.execute(select(Item.external_id)).scalars())
    upgrade(roster_engine)
    again = ingest_records(roster_engine, _odd_ids(), source="a", scan=False)
    assert (again.items_new, again.items_existing) == (0, 4)
