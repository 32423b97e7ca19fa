"""Issue 17: the faster rescan (batches read, judged on the worker pool and written with
overlap; results written as orjson text) stores exactly what the old one stored: for every
item, the verdict, score and ``Result.to_dict()`` the detector gives the same request, and
the same findings, on one process and on the pool, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import orjson
import pytest
from sqlalchemy import delete, select

from netral.detect import judge as judge_mod
from netral.detect.request import Request
from netral.ingest import ingest_records, rescan
from netral.store.models import Detection, Finding, Item

TEXTS = [
    "Rapat koordinasi bidang {n} berjalan lancar hari ini",
    "Ayo coblos nomor {k}! #PrabowoGibran {n}",
    "Jangan lupa datang ke TPS, gunakan hak pilih ({n})",
    "Dukung terus Ganjar-Mahfud, sat set! #GanjarMahfud {n}",
    "Info pelayanan posyandu minggu ke-{n}",
    "Hari ini saya hadir di kampanye akbar paslon {k}, luar biasa! {n}",
    "",  # nothing to judge
]
HANDLES = ["budi", "ani.l"]
PLATFORMS = {"budi": "twitter", "ani.l": "instagram"}


def _records(n: int):
    for i in range(n):
        handle = HANDLES[i % 2]
        yield f"r{i}", {
            "platform": PLATFORMS[handle], "handle": handle, "id": f"s{i}",
            "kind": "comment" if i % 5 == 0 else "post",
            "text": TEXTS[i % len(TEXTS)].format(n=i, k=i % 3 + 1),
            "created_at": f"2024-{1 + i % 3:02d}-{1 + i % 27:02d}T08:00:00+07:00",
        }


def _stored(engine) -> tuple[dict, set]:
    with engine.connect() as conn:
        dets = {r.item_id: (r.verdict, r.score, r.result) for r in conn.execute(
            select(Detection.item_id, Detection.verdict, Detection.score, Detection.result))}
        findings = {tuple(r) for r in conn.execute(
            select(Finding.item_id, Finding.staff_id, Finding.risk_score,
                   Finding.sampled_as_netral))}
    return dets, findings


def _expected(engine, detector) -> dict:
    """What the old rescan stored: Result.to_dict() of the detector's own judgement."""
    with engine.connect() as conn:
        items = conn.execute(select(Item.id, Item.kind, Item.text, Item.created_at)).all()
    items = [i for i in items if (i.text or "").strip()]
    from netral.ingest.pipeline import load_accounts

    with engine.connect() as conn:
        accounts = load_accounts(conn)
    acc = {info.account_id: info for info in accounts.values()}
    with engine.connect() as conn:
        account_of = dict(conn.execute(select(Item.id, Item.account_id)).all())
    reqs = [Request(i.text, i.kind, i.created_at, acc[account_of[i.id]].account_type,
                    acc[account_of[i.id]].employee_class) for i in items]
    results = detector.judge_many(reqs)
    return {i.id: (str(r.verdict), float(r.score), orjson.loads(orjson.dumps(r.to_dict())))
            for i, r in zip(items, results, strict=True)}


@pytest.mark.parametrize("pool", [False, True], ids=["one-process", "pool"])
def test_rescan_stores_what_the_detector_says(roster_engine, detector, monkeypatch, pool):
    n = 280
    rep = ingest_records(roster_engine, _records(n), source="t", scan=False)
    assert rep.items_new == n
    if pool:  # the worker pool from the first batch on (normally after 5,000 judgements)
        monkeypatch.setattr(judge_mod, "WARM_UP", 0)
        monkeypatch.setattr(judge_mod, "BATCH_MIN", 1)
    got = rescan(roster_engine, detector=detector, sample_rate=0.1, batch_size=60,
                 workers=0 if pool else 1)
    assert got.records == n and got.scanned == n - n // len(TEXTS)
    assert got.not_scannable == n // len(TEXTS) and not got.errors
    assert got.batches == -(-n // 60) and got.images_note == ""  # no media: no probe
    dets, findings = _stored(roster_engine)
    expected = _expected(roster_engine, detector)
    assert dets.keys() == expected.keys()
    for item_id, (verdict, score, result) in expected.items():
        assert dets[item_id] == (verdict, score, result), item_id
    flagged = {i for i, (v, _s, _r) in dets.items() if v != "netral"}
    assert got.flagged == len(flagged) > 0
    assert flagged <= {f[0] for f in findings}
    assert got.findings_new == len(findings) and got.sampled == len(findings) - len(flagged)
    # a second rescan judges nothing again (items without text are read again, as before)
    again = rescan(roster_engine, detector=detector, workers=0 if pool else 1)
    assert again.scanned == 0 and again.records == again.not_scannable == n // len(TEXTS)


def test_rescan_on_the_pool_equals_one_process(roster_engine, detector, monkeypatch):
    ingest_records(roster_engine, _records(210), source="t", scan=False)
    rescan(roster_engine, detector=detector, sample_rate=0.05, batch_size=50, workers=1)
    one = _stored(roster_engine)
    with roster_engine.begin() as conn:
        conn.execute(delete(Finding))
        conn.execute(delete(Detection))
    monkeypatch.setattr(judge_mod, "WARM_UP", 0)
    monkeypatch.setattr(judge_mod, "BATCH_MIN", 1)
    rescan(roster_engine, detector=detector, sample_rate=0.05, batch_size=50, workers=0)
    assert _stored(roster_engine) == one


def test_the_compact_detection_is_the_results_to_dict(detector):
    from netral.detect.compact import detection

    texts = [t.format(n=7, k=2) for t in TEXTS if t] + ["x" * 30_000 + " coblos 02"]
    for res in detector.judge_many([Request(t, "post", datetime(2024, 1, 5)) for t in texts]):
        verdict, score, text = detection(res)
        assert orjson.dumps(res) == orjson.dumps(res.to_dict())
        assert (verdict, score, orjson.loads(text)) == (str(res.verdict), res.score,
                                                          orjson.loads(orjson.dumps(res.to_dict())))


def test_compact_results_through_the_pool_equal_those_judged_here(detector, monkeypatch):
    from netral.detect.compact import detection, flagged_only

    monkeypatch.setattr(judge_mod, "WARM_UP", 0)
    monkeypatch.setattr(judge_mod, "BATCH_MIN", 1)
    reqs = [Request(TEXTS[i % len(TEXTS)].format(n=i % 40, k=i % 3 + 1), "post",
                    datetime(2024, 1, 1 + i % 20)) for i in range(400)]
    reqs.append(Request("x", "dance"))  # a bad request keeps its error in its place
    here = detector.judge_many(reqs)
    for compact in (detection, flagged_only):
        pooled = judge_mod.submit(reqs, detector, workers=2, compact=compact).result()
        local = judge_mod.submit(reqs, detector, workers=1, compact=compact).result()
        assert len(pooled) == len(local) == len(reqs)
        for h, p, q in zip(here, pooled, local, strict=True):
            if isinstance(h, Exception):
                assert type(p) is type(h) and type(q) is type(h)
                continue
            want = compact(h)
            if compact is flagged_only and h.flagged:
                assert p.to_dict() == q.to_dict() == h.to_dict()
            else:
                assert p == q == want
