"""A rescan reads items, judges them, then writes their verdicts: an item deleted in between
(retention, an administrator) is left out and the rest of its batch written; a record the
database refuses for another reason stops the run naming that item in one line, never a
traceback, the verdicts written before it kept (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy import exc as sa_exc
from typer.testing import CliRunner

import netral.ingest.pipeline as pipeline
from netral.ingest import RecordRefused, ingest_records, rescan
from netral.store.models import Detection, Item

N = 130


def _records():
    for i in range(N):
        yield f"line {i + 1}", {"platform": "twitter", "handle": "budi", "id": f"r{i}",
                                "text": f"Rapat koordinasi ke-{i}"}


def _stored(engine) -> None:
    ingest_records(engine, _records(), source="a", scan=False)


def _detected(engine) -> list[str]:
    """External ids of the items with a verdict, in the order a rescan reads them (by id)."""
    with engine.connect() as conn:
        q = select(Item.external_id).join(Detection, Detection.item_id == Item.id)
        return list(conn.execute(q.order_by(Item.id)).scalars())


def _order(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(Item.external_id).order_by(Item.id)).scalars())


def test_an_item_deleted_while_its_batch_is_judged_is_left_out(roster_engine, detector,
                                                               monkeypatch):
    _stored(roster_engine)
    real, deleted = pipeline._start_scan, []

    def judge_then_delete(conn, rows, ctx, report, **kw):
        scan = real(conn, rows, ctx, report, **kw)
        if not deleted:  # after the batch was read, before its verdicts are written
            with roster_engine.begin() as other:
                other.execute(delete(Item).where(Item.external_id == "r7"))
            deleted.append(True)
        return scan

    monkeypatch.setattr(pipeline, "_start_scan", judge_then_delete)
    rep = rescan(roster_engine, detector=detector, batch_size=100)
    assert deleted and rep.records == N and rep.scanned == N - 1
    assert _detected(roster_engine) == [e for e in _order(roster_engine) if e != "r7"]


def _refuse_item(monkeypatch, external_id: str) -> None:
    """The database refuses one item's verdict (a constraint other than a deleted row)."""
    real = pipeline._finish_scan

    def finish(conn, scan, ctx, report):
        if scan is not None and any(r.external_id == external_id for r in scan.todo):
            raise sa_exc.IntegrityError("INSERT INTO detections …", {},
                                        Exception("CHECK constraint failed: verdict"))
        return real(conn, scan, ctx, report)

    monkeypatch.setattr(pipeline, "_finish_scan", finish)


def test_a_refused_item_stops_the_rescan_naming_it(roster_engine, detector, monkeypatch):
    _stored(roster_engine)
    order = _order(roster_engine)
    _refuse_item(monkeypatch, order[110])  # in the second batch of 100
    with pytest.raises(RecordRefused) as caught:
        rescan(roster_engine, detector=detector, batch_size=100)
    err = caught.value
    assert err.position == f"item twitter:{order[110]}" and "INSERT" not in err.reason
    # the first batch and the items of the second before the refused one are written
    assert _detected(roster_engine) == order[:110]
    assert err.report is not None and err.report.scanned == 110
    monkeypatch.undo()  # a re-run continues there
    again = rescan(roster_engine, detector=detector, batch_size=100)
    assert again.scanned == N - 110 and len(_detected(roster_engine)) == N
    with roster_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Detection)) == N


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_command_says_it_in_one_line(roster_engine, db_url, monkeypatch, lang):
    from netral.cli import app

    _stored(roster_engine)
    refused = _order(roster_engine)[3]
    _refuse_item(monkeypatch, refused)
    args = ["rescan", "--db", db_url, "--batch-size", "100", "--workers", "1"]
    res = CliRunner().invoke(app, [*args, "--lang", lang] if lang == "en" else args)
    assert res.exit_code == 4, res.output
    assert not isinstance(res.exception, RecordRefused), res.exception
    out = res.output
    assert "Traceback" not in out and "INSERT" not in out
    assert f"item twitter:{refused}: " in out
    assert ("3 item sebelumnya sudah tersimpan hasilnya" if lang == "id"
            else "3 items before it have their results stored") in out

