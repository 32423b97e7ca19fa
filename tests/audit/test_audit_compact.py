"""Issue 17: the self-audit takes netral judgements back from the worker pool as 2-field
tuples (``netral.detect.compact.flagged_only``) and sends requests as plain tuples; the report is
the same as when every whole ``Result`` comes back (``--include-all``), on the demo export,
in this process and on the pool."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

import netral.detect.judge as judge_mod
from netral.audit import AuditOptions, run_audit
from netral.demo.export import write_demo_export
from netral.detect.request import Request


def _report(rep) -> tuple:
    return ([(f.item.platform, f.item.kind, f.checked_text, f.verdict, f.score, f.result)
             for f in rep.findings],
            rep.counts, rep.scanned, rep.judged, rep.disclaimer, rep.detector_version)


def test_compact_results_give_the_same_report_as_whole_ones(tmp_path, monkeypatch):
    root = write_demo_export(tmp_path / "export")
    whole = run_audit([root], AuditOptions(include_all=True, images=False, workers=1))
    compact = run_audit([root], AuditOptions(images=False, workers=1))
    assert _report(compact) == _report(whole) and compact.findings and compact.disclaimer
    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)  # the pool from the start
    monkeypatch.setattr(judge_mod, "BATCH_MIN", 1)
    try:
        pooled = run_audit([root], AuditOptions(images=False, workers=2))
    finally:
        judge_mod.shutdown()
    assert _report(pooled) == _report(whole)


def test_an_audit_with_nothing_flagged_still_has_its_disclaimer(tmp_path):
    data = tmp_path / "x" / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_text(
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "created_at": '
        '"Fri Dec 01 02:00:00 +0000 2023", "full_text": "Rapat koordinasi lancar", '
        '"entities": {}}}]', encoding="utf-8")
    rep = run_audit([tmp_path / "x"], AuditOptions(images=False, workers=1))
    whole = run_audit([tmp_path / "x"], AuditOptions(images=False, workers=1, include_all=True))
    assert rep.judged == 1 and not rep.findings
    assert rep.disclaimer and rep.disclaimer == whole.items[0].result["disclaimer"]


def test_requests_cross_to_the_workers_as_tuples_whole():
    r = Request("teks", "comment", datetime(2024, 1, 2, 3, 4), "official", "pppk",
                ("frasa baku",), "en")
    assert len(judge_mod._as_tuple(r)) == len(fields(Request))
    assert Request(*judge_mod._as_tuple(r)) == r



def test_the_reader_judges_a_batch_itself_when_the_pool_queue_is_full(tmp_path, monkeypatch):
    """Rather than wait for a full pool queue, the reading process judges the next batch
    itself: the same findings, every item judged once."""
    import json

    from netral.audit import pipeline as audit_pipeline

    texts = [("Ayo coblos no. 2 tgl 14 Feb! #PrabowoGibran2024 " if i % 40 == 0 else
              "Rapat koordinasi hari ini berjalan lancar ") + str(i) for i in range(1_200)]
    recs = [{"tweet": {"id_str": str(i), "created_at": "Fri Dec 01 02:00:00 +0000 2023",
                       "full_text": t, "entities": {}}} for i, t in enumerate(texts)]
    data = tmp_path / "x" / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(recs))
    here = run_audit([tmp_path / "x"], AuditOptions(images=False, workers=1))
    monkeypatch.setattr(audit_pipeline._Judge, "BATCH", 100)
    monkeypatch.setattr(audit_pipeline._Judge, "IN_FLIGHT", 1)
    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)
    monkeypatch.setattr(judge_mod, "BATCH_MIN", 1)
    asked: list[int] = []
    real_submit = judge_mod.submit

    def submit(requests, detector, **kw):
        asked.append(kw["workers"])
        return real_submit(requests, detector, **kw)

    monkeypatch.setattr(judge_mod, "submit", submit)
    try:
        pooled = run_audit([tmp_path / "x"], AuditOptions(images=False, workers=2))
    finally:
        judge_mod.shutdown()
    assert _report(pooled) == _report(here) and len(here.findings) == 30
    assert 1 in asked and 2 in asked  # judged here while the pool (starting up) had a queue
