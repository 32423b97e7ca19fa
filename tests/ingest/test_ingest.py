"""Ingestion on real databases with the real detector: matching, scanning, findings,
idempotency, rescans that keep history, the self-audit export."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.ingest import ingest_source, rescan
from netral.ingest.schema import content_hash
from netral.store.base import make_sessionmaker
from netral.store.models import AuditLog, Detection, Finding, IngestRun, Item, Staff

CAMPAIGN = "Ayo coblos nomor 2 tanggal 14 Februari! Prabowo-Gibran satu putaran #PrabowoGibran"
NEUTRAL = "Rapat koordinasi penyusunan anggaran berjalan lancar hari ini"


def _records() -> list[dict]:
    return [
        {
            "platform": "twitter",
            "handle": "@Budi",
            "id": "t1",
            "text": CAMPAIGN,
            "created_at": "2024-01-20T08:00:00+07:00",
            "url": "https://x.example/budi/t1",
        },
        {
            "platform": "twitter",
            "handle": "budi",
            "id": "t2",
            "text": NEUTRAL,
            "created_at": "2024-01-21T08:00:00Z",
        },
        {
            "platform": "instagram",
            "account": "ani.l",
            "external_id": "ig1",
            "kind": "comment",
            "text": "Dukung terus Ganjar-Mahfud, sat set! #GanjarMahfud",
            "created_at": 1705708800,
        },
        {
            "platform": "x",
            "handle": "budi",
            "id": "t3",
            "kind": "like",
            "target": "TKN Prabowo-Gibran",
            "text": "",
            "created_at": "2024-01-22 10:00:00",
        },
        # not on the roster: counted, not stored
        {"platform": "twitter", "handle": "orang_lain", "id": "o1", "text": CAMPAIGN},
        {"platform": "twitter", "handle": "orang_lain", "id": "o2", "text": NEUTRAL},
        # invalid records
        {"platform": "friendster", "handle": "budi", "id": "bad1", "text": "x"},
        {"platform": "twitter", "id": "bad2", "text": "no handle"},
        {"platform": "twitter", "handle": "budi", "id": "bad3", "created_at": "kemarin"},
        {"platform": "twitter", "handle": "budi", "id": "bad4", "kind": "dance", "text": "x"},
        # duplicate of t1 inside the same source
        {"platform": "twitter", "handle": "budi", "id": "t1", "text": CAMPAIGN},
        # no id: derived from the content, stable across runs
        {
            "platform": "twitter",
            "handle": "budi",
            "text": "Selamat pagi rekan-rekan",
            "created_at": "2024-01-23T06:00:00Z",
        },
    ]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    with path.open("wb") as f:
        for r in records:
            f.write(orjson.dumps(r) + b"\n")
        f.write(b"{not json\n")
    return path


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {
            "items": conn.execute(
                select(
                    Item.platform,
                    Item.external_id,
                    Item.kind,
                    Item.text,
                    Item.content_hash,
                    Item.account_id,
                    Item.created_at,
                ).order_by(Item.platform, Item.external_id)
            ).all(),
            "detections": conn.execute(
                select(
                    Item.external_id,
                    Detection.verdict,
                    Detection.score,
                    Detection.detector_version,
                    Detection.pack_version,
                )
                .join(Item, Item.id == Detection.item_id)
                .order_by(Item.external_id)
            ).all(),
            "findings": conn.execute(
                select(
                    Item.external_id,
                    Finding.status,
                    Finding.risk_score,
                    Finding.sampled_as_netral,
                    Finding.staff_id,
                )
                .join(Item, Item.id == Finding.item_id)
                .order_by(Item.external_id)
            ).all(),
        }


def test_ingest_jsonl_matches_scans_flags_and_is_idempotent(roster_engine, detector, tmp_path):
    src = _write_jsonl(tmp_path / "collected.jsonl", _records())
    report = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0, batch_size=3)
    assert report.records == 13
    assert report.invalid == 5  # 4 bad records + 1 line of broken JSON
    assert {p for p, _ in report.errors} >= {"line 7", "line 8", "line 9", "line 10", "line 13"}
    assert report.duplicates == 1
    assert report.unmatched == 2 and report.unmatched_accounts == {"twitter:orang_lain": 2}
    assert report.items_new == 5 and report.items_existing == 0
    assert report.scanned == 5
    snap = _snapshot(roster_engine)
    ids = sorted(r.external_id for r in snap["items"])
    assert ids[:4] == ["ig1", "sha256:" + ids[1][7:], "t1", "t2"] and ids[4] == "t3"
    assert len(ids[1]) == len("sha256:") + 64
    items = {r.external_id: r for r in snap["items"]}
    assert items["t3"].kind == "like" and "TKN Prabowo-Gibran" in items["t3"].text
    assert items["t1"].created_at.isoformat() == "2024-01-20T01:00:00+00:00"
    assert items["t1"].content_hash == content_hash(_records()[0])
    verdicts = {r.external_id: r.verdict for r in snap["detections"]}
    assert verdicts["t1"] == "kampanye" and verdicts["t2"] == "netral"
    flagged = {e for e, v in verdicts.items() if v != "netral"}
    assert report.flagged == len(flagged) >= 2
    assert {r.external_id for r in snap["findings"]} == flagged
    with make_sessionmaker(roster_engine)() as s:
        ani = s.scalar(select(Staff.id).where(Staff.name == "Ani Lestari"))
    assert {r.staff_id for r in snap["findings"] if r.external_id == "ig1"} == {ani}

    again = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0)
    assert again.items_new == 0 and again.scanned == 0 and again.findings_new == 0
    assert again.items_existing == 5 and again.already_scanned == 5
    assert _snapshot(roster_engine) == snap
    with roster_engine.connect() as conn:
        assert (
            conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "ingest.run"))
            == 2
        )


def test_csv_source_and_netral_sampling(roster_engine, detector, tmp_path):
    path = tmp_path / "collected.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["platform", "handle", "external_id", "kind", "text", "created_at", "url", "media", "raw"])
        for i in range(40):
            w.writerow(
                [
                    "twitter",
                    "budi",
                    f"c{i}",
                    "post",
                    f"{NEUTRAL} {i}",
                    "2024-02-01T00:00:00Z",
                    "",
                    "a.jpg | b.jpg",
                    orjson.dumps({"n": i}).decode(),
                ]
            )
    # every netral item is sampled for review at rate 1.0
    report = ingest_source(roster_engine, str(path), detector=detector, sample_rate=1.0)
    assert report.items_new == 40 and report.flagged == 0
    assert report.sampled == report.findings_new == 40
    with make_sessionmaker(roster_engine)() as s:
        item = s.scalar(select(Item).where(Item.external_id == "c7"))
        assert item.media == ["a.jpg", "b.jpg"] and item.raw == {"n": 7}
        assert item.content_hash == content_hash({"n": 7})
        assert (
            s.scalar(select(func.count()).select_from(Finding).where(Finding.sampled_as_netral.is_(True)))
            == 40
        )


def test_rescan_with_other_pack_version_keeps_history(roster_engine, detector, tmp_path):
    import netral

    src = _write_jsonl(tmp_path / "c.jsonl", _records()[:4])
    ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0)
    older = netral.get_detector(["pemilu-2019"])
    report = rescan(roster_engine, detector=older, sample_rate=0.0)
    assert report.records == 4 and report.scanned == 4
    assert report.pack_version.startswith("pemilu-2019@")
    with roster_engine.connect() as conn:
        per_item = conn.execute(select(Detection.item_id, func.count()).group_by(Detection.item_id)).all()
    assert {n for _, n in per_item} == {2}
    # a second rescan with the same versions finds nothing to do
    assert rescan(roster_engine, detector=older, sample_rate=0.0).records == 0


def test_self_audit_json_report_is_accepted(roster_engine, detector, tmp_path):
    from netral.cli import app

    runner = CliRunner()
    export = tmp_path / "export"
    res = runner.invoke(app, ["demo-export", str(export)])
    assert res.exit_code == 0, res.output
    twitter = next(p for p in export.iterdir() if "twitter" in p.name.lower())
    report_path = tmp_path / "audit.json"
    res = runner.invoke(
        app, ["audit", str(twitter), "--format", "json", "--include-all", "-o", str(report_path)]
    )
    assert res.exit_code in (0, 1), res.output
    doc = orjson.loads(report_path.read_bytes())
    n_items = len(doc["items"])
    assert n_items > 0
    report = ingest_source(roster_engine, str(report_path), handle="budi", detector=detector, sample_rate=0.0)
    assert report.invalid == 0 and report.unmatched == 0
    assert report.items_new + report.duplicates == n_items
    flagged_in_audit = sum(1 for f in doc["items"] if f["verdict"] != "netral")
    assert report.flagged == flagged_in_audit
    again = ingest_source(roster_engine, str(report_path), handle="budi", detector=detector)
    assert again.items_new == 0


def test_a_detector_fault_on_one_item_costs_only_that_item(roster_engine, detector, tmp_path,
                                                            monkeypatch):
    """Issue 13: a bug in the detector on one item (not a ValueError) is recorded against that
    item, every other item is stored and judged, and the run ends with its counts."""
    records = _records()
    poison = records[2]["text"]  # a campaign comment: it passes the pre-filter, reaches _judge
    assert sum(r.get("text") == poison for r in records) == 1
    real_judge = detector._judge

    def judge(nt, *args, **kwargs):
        if nt.original == poison:
            raise RuntimeError("simulated detector fault")
        return real_judge(nt, *args, **kwargs)

    monkeypatch.setattr(detector, "_judge", judge)
    src = _write_jsonl(tmp_path / "collected.jsonl", records)
    report = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0,
                           batch_size=50)
    assert report.items_new == 5
    assert report.scanned == 4  # every item but the poisoned one has its verdict
    faults = [(p, m) for p, m in report.errors if "simulated detector fault" in m]
    assert len(faults) == 1 and faults[0][0].startswith("item ")
    with roster_engine.connect() as conn:
        run = conn.execute(select(IngestRun.finished_at, IngestRun.counts)).one()
    assert run.finished_at is not None and run.counts["scanned"] == 4
    # the faulty item is stored without a verdict, so the next rescan (detector mended) picks
    # up exactly that one item
    monkeypatch.setattr(detector, "_judge", real_judge)
    from netral.ingest.pipeline import rescan

    again = rescan(roster_engine, detector=detector, sample_rate=0.0)
    assert again.records == 1 and again.scanned == 1 and not again.errors


def test_an_aborted_run_still_records_how_it_ended(roster_engine, detector, tmp_path):
    """Issue 19: a run stopped by an error keeps finished_at and says why in its counts."""
    def records():
        yield "line 1", _records()[0]
        raise KeyboardInterrupt

    from netral.ingest.pipeline import ingest_records

    with pytest.raises(KeyboardInterrupt):
        ingest_records(roster_engine, records(), source="test", detector=detector, batch_size=1)
    with roster_engine.connect() as conn:
        run = conn.execute(select(IngestRun.finished_at, IngestRun.counts)).one()
    assert run.finished_at is not None and run.counts["aborted"].startswith("KeyboardInterrupt")


def test_concurrent_capture_runs_capture_each_item_once(roster_engine, detector, tmp_path):
    """Issue 19: two runs capturing the pending findings at once (two `netral ingest` of the
    same file) put exactly one capture per item in the append-only ledger."""
    import threading

    from netral.cli.store import _capture_pending
    from netral.evidence.models import LedgerEntry

    src = _write_jsonl(tmp_path / "collected.jsonl", _records())
    report = ingest_source(roster_engine, str(src), detector=detector, sample_rate=0.0)
    assert report.flagged >= 2
    start = threading.Barrier(3)
    counts: list[int] = []

    def run():
        start.wait()
        counts.append(_capture_pending(roster_engine, "en"))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    with roster_engine.connect() as conn:
        per_item = conn.execute(
            select(LedgerEntry.item_id, func.count()).where(LedgerEntry.kind == "capture")
            .group_by(LedgerEntry.item_id)).all()
    assert per_item and all(n == 1 for _, n in per_item), per_item
    assert sum(counts) == len(per_item) == report.flagged


def test_two_ingests_of_the_same_records_in_opposite_orders_both_finish(roster_engine, detector,
                                                                         tmp_path):
    """Issue 19: no deadlock on PostgreSQL (rows are inserted in key order), and items_new
    counts the rows each run really inserted (together exactly the records)."""
    import threading

    base = _records()[0]
    records = [{**base, "id": f"r{i:04d}", "text": f"Rapat koordinasi ke-{i} hari ini"}
               for i in range(3000)]
    a = _write_jsonl(tmp_path / "a.jsonl", records)
    b = _write_jsonl(tmp_path / "b.jsonl", list(reversed(records)))
    start = threading.Barrier(2)
    reports: list = []
    errors: list = []

    def run(path):
        start.wait()
        try:
            reports.append(ingest_source(roster_engine, str(path), scan=False, batch_size=500))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in (a, b)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    assert not errors, errors
    assert sum(r.items_new for r in reports) == len(records)
    with roster_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Item)
                           .where(Item.external_id.like("r%"))) == len(records)


def test_ingest_exit_code_and_json_say_when_captures_failed(roster_engine, db_url, tmp_path,
                                                            monkeypatch):
    """Issue 19: `netral ingest` exits 3 and reports the number of failed captures (full disk,
    lost connection) so a scheduled job can tell that evidence is missing."""
    import netral.evidence.capture as capture
    from netral.cli import app

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(capture, "capture_item", no_space)
    src = _write_jsonl(tmp_path / "collected.jsonl", _records())
    res = CliRunner().invoke(app, ["ingest", str(src), "--db", db_url, "--json",
                                   "--sample-rate", "0"])
    assert res.exit_code == 3, res.output
    doc = orjson.loads(res.stdout[res.stdout.index("{"):res.stdout.rindex("}") + 1])
    assert doc["capture_failed"] == doc["flagged"] >= 2 and doc["captured"] == 0


def test_a_csv_that_is_not_utf8_is_a_source_error_naming_the_line(tmp_path):
    """A spreadsheet's Latin-1 export used to end `netral ingest` in a UnicodeDecodeError
    traceback; it is a SourceError (the command's one-line refusal) naming file and line."""
    from netral.ingest.readers import SourceError, read_csv

    path = tmp_path / "latin.csv"
    path.write_bytes(b"platform,handle,id,text\ntwitter,budi,1,kopi\ntwitter,budi,2,caf\xe9\n")
    with pytest.raises(SourceError) as caught:
        list(read_csv(path))
    assert str(caught.value) == (f"{path}: line 3: not UTF-8 (byte 0xe9); save the CSV as "
                                 "UTF-8")
