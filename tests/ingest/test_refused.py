"""A record the database refuses (a foreign key whose account was deleted while the ingest ran,
after the roster was read) stops the run at that record with one clear line naming the file
and the record's position, never a traceback with SQL and its values; everything stored
before it stays, on both backends and on both PostgreSQL paths (COPY and INSERT). Likewise a
source that breaks part-way: what was read before the break is stored."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import delete, func, select, text
from typer.testing import CliRunner

import netral.ingest.pipeline as pipeline
from netral.ingest import RecordRefused, ingest_records
from netral.store.models import Account, Detection, IngestRun, Item

BUDI = {"platform": "twitter", "handle": "budi"}
ANI = {"platform": "instagram", "handle": "ani.l"}
FIRST_ANI = 130  # mid-batch: batches of 100, the refused record is the 31st of the second


def _records(n: int = 260):
    for i in range(n):
        who = ANI if i >= FIRST_ANI and i % 2 == 0 else BUDI
        yield f"line {i + 1}", {**who, "id": f"r{i}", "text": f"Rapat koordinasi ke-{i}"}


def _account_deleted_after_roster_read(monkeypatch, engine, handle: str = "ani.l") -> None:
    """Someone deletes an account right after the run read the roster."""
    real = pipeline.load_accounts

    def load_then_delete(conn):
        accounts = real(conn)
        with engine.begin() as other:
            other.execute(delete(Account).where(Account.handle == handle))
        return accounts

    monkeypatch.setattr(pipeline, "load_accounts", load_then_delete)


def _stored(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Item.external_id)).scalars(), key=lambda e: int(e[1:]))


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "insert"])
@pytest.mark.parametrize("scan", [False, True], ids=["no-scan", "scan"])
def test_a_refused_record_stops_the_run_there_and_keeps_what_came_before(
    roster_engine, detector, monkeypatch, copy, scan
):
    if not copy:
        monkeypatch.setattr(pipeline, "COPY_MIN", 10**9)
    _account_deleted_after_roster_read(monkeypatch, roster_engine)
    with pytest.raises(RecordRefused) as caught:
        ingest_records(
            roster_engine,
            _records(),
            source="kumpulan.jsonl",
            scan=scan,
            detector=detector if scan else None,
            sample_rate=0.0,
            batch_size=100,
        )
    err = caught.value
    assert (err.source, err.position) == ("kumpulan.jsonl", f"line {FIRST_ANI + 1}")
    assert "foreign key" in err.reason.lower() and "INSERT" not in err.reason
    # the first batch and the records of the second before the refused one are stored
    assert _stored(roster_engine) == [f"r{i}" for i in range(FIRST_ANI)]
    assert err.report is not None and err.report.items_new == FIRST_ANI
    with roster_engine.connect() as conn:
        counts = conn.execute(select(IngestRun.counts)).scalar_one()
        scanned = conn.scalar(select(func.count()).select_from(Detection))
    counts = counts if isinstance(counts, dict) else orjson.loads(counts)
    assert counts["items_new"] == FIRST_ANI and counts["aborted"].startswith("RecordRefused")
    assert scanned == (FIRST_ANI if scan else 0) == err.report.scanned
    # the account restored (roster import), a re-run stores the rest and nothing twice
    monkeypatch.undo()
    with roster_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (agency_id, staff_id, platform, handle, "
                "account_type, active, created_at) SELECT agency_id, staff_id, "
                "'instagram', 'ani.l', account_type, active, created_at FROM accounts "
                "WHERE handle = 'budi' AND platform = 'twitter'"
            )
        )
    again = ingest_records(roster_engine, _records(), source="kumpulan.jsonl", scan=False)
    assert again.items_new == 260 - FIRST_ANI and again.items_existing == FIRST_ANI
    assert _stored(roster_engine) == [f"r{i}" for i in range(260)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_command_names_file_and_line_in_one_line(roster_engine, db_url, tmp_path, monkeypatch, lang):
    from netral.cli import app

    src = tmp_path / "kumpulan.jsonl"
    src.write_bytes(b"".join(orjson.dumps(r) + b"\n" for _, r in _records()))
    _account_deleted_after_roster_read(monkeypatch, roster_engine)
    args = ["ingest", str(src), "--db", db_url, "--no-scan", "--no-capture", "--batch-size", "100"]
    res = CliRunner().invoke(app, [*args, "--lang", lang] if lang == "en" else args)
    assert res.exit_code == 4, res.output
    assert not isinstance(res.exception, RecordRefused), res.exception
    out = res.output
    assert "Traceback" not in out and "INSERT" not in out and "Rapat" not in out
    assert f"{src}: line {FIRST_ANI + 1}: " in out
    assert (
        f"{FIRST_ANI} item baru sebelumnya sudah tersimpan"
        if lang == "id"
        else f"{FIRST_ANI} new items before it are stored"
    ) in out
    assert len(_stored(roster_engine)) == FIRST_ANI


def test_an_item_purged_while_its_batch_is_scanned_is_stored_again(roster_engine, detector, monkeypatch):
    """PostgreSQL (SQLite has one writer: the purge waits for the batch): the purge commits
    between the batch's look-up of an item and its detection; the detection's foreign key
    refuses the batch, which is stored again record by record, the purged item anew."""
    if roster_engine.dialect.name != "postgresql":
        pytest.skip("a concurrent delete inside a batch needs PostgreSQL's row locks")
    ingest_records(roster_engine, _records(FIRST_ANI), source="a", scan=False)
    real, purged = pipeline._scan_rows, []

    def purge_once_then_scan(conn, rows, ctx, report):
        if not purged:
            with roster_engine.begin() as other:
                other.execute(delete(Item).where(Item.external_id == "r7"))
            purged.append(True)
        return real(conn, rows, ctx, report)

    monkeypatch.setattr(pipeline, "_scan_rows", purge_once_then_scan)
    rep = ingest_records(
        roster_engine, _records(FIRST_ANI), source="a", detector=detector, sample_rate=0.0, batch_size=100
    )
    assert purged and rep.items_new == 1 and rep.items_existing == FIRST_ANI - 1
    assert _stored(roster_engine) == [f"r{i}" for i in range(FIRST_ANI)]
    with roster_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Detection)) == FIRST_ANI


def _lines() -> list[bytes]:
    return [orjson.dumps(r) for _, r in _records()]


def test_a_json_array_broken_in_the_middle_keeps_the_records_before_the_break(
    roster_engine, db_url, tmp_path
):
    """The records of the batch under way when the array broke were dropped with the error
    (and a re-run broke at the same place): they are stored, the error names the record."""
    from netral.cli import app

    src = tmp_path / "kumpulan.json"
    src.write_bytes(b"[" + b",".join(_lines()[:FIRST_ANI]) + b', {"platform": "twit\n]]')
    args = ["ingest", str(src), "--db", db_url, "--no-scan", "--no-capture", "--batch-size", "100"]
    res = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert res.exit_code == 2, res.output
    assert f"{src}: $[{FIRST_ANI}]: invalid JSON" in res.output and "Traceback" not in res.output
    assert f"{FIRST_ANI} new items before it are stored" in res.output
    assert _stored(roster_engine) == [f"r{i}" for i in range(FIRST_ANI)]


def test_broken_lines_in_the_middle_of_a_jsonl_cost_only_those_lines(roster_engine, tmp_path):
    from netral.ingest import ingest_source

    lines = _lines()
    broken = {
        40: lines[40][:25],  # cut off
        41: b"\xff\xfe bukan UTF-8 {",
        150: lines[150].replace(b"Rapat", b"Ra\x00pat"),  # a raw NUL byte: not JSON
        259: lines[259][:-3],  # the last line, cut off by a collector that died
    }
    src = tmp_path / "kumpulan.jsonl"
    src.write_bytes(b"\n".join(broken.get(i, ln) for i, ln in enumerate(lines)))
    rep = ingest_source(roster_engine, str(src), scan=False, batch_size=100)
    assert sorted(p for p, _ in rep.errors) == sorted(f"line {i + 1}" for i in broken)
    assert rep.items_new == 260 - len(broken)
    assert _stored(roster_engine) == [f"r{i}" for i in range(260) if i not in broken]
