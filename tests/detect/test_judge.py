"""netral.detect.judge: the same results as Detector.judge_many, judged once per distinct
request, on worker processes for long runs, with one error policy."""

from __future__ import annotations

import pickle

import pytest

import netral.detect.judge as judge_mod
from netral.detect.detector import get_detector
from netral.detect.judge import judge
from netral.detect.request import Request, RequestError

TEXTS = ["Ayo coblos nomor 2, lanjutkan!", "Selamat pagi, rapat jam 9", "Jangan pilih 01 AMIN",
         "Jadwal pemungutan suara 14 Februari", "@tkn.prabowo_gibran", "Info TPS 05"]


def _requests(n: int) -> list[Request]:
    kinds = ["post", "comment", "follow", "post", "like", "post"]
    return [Request(f"{TEXTS[i % len(TEXTS)]} #{i // 3}", kinds[i % len(kinds)], "2024-01-20")
            for i in range(n)]


def _sig(results):
    return [(r.verdict, r.score, [(x.start, x.end, x.category) for x in r.reasons])
            if not isinstance(r, Exception) else type(r).__name__ for r in results]


def test_same_as_judge_many_and_duplicates_judged_once(monkeypatch):
    det = get_detector()
    reqs = _requests(30) * 3  # every request three times
    calls: list[int] = []
    real = det.judge_many

    def counting(requests, **kw):
        calls.append(len(requests))
        return real(requests, **kw)

    monkeypatch.setattr(det, "judge_many", counting)
    out = judge(reqs, det)
    assert calls == [30]  # 90 requests, 30 distinct: one call of 30
    assert _sig(out) == _sig(real(reqs))
    assert out[0] is not out[30]  # duplicates get their own Result object


def test_bad_requests_keep_their_place():
    det = get_detector()
    out = judge([Request("Ayo coblos 02"), Request("x", kind="tweet"), Request("halo")], det)
    assert isinstance(out[1], RequestError) and out[1].code == "unknown_kind"
    assert not isinstance(out[0], Exception) and not isinstance(out[2], Exception)


def test_request_errors_cross_process_boundaries():
    err = pickle.loads(pickle.dumps(RequestError("bad_date", "not a date")))
    assert err.code == "bad_date" and str(err) == "not a date"


def test_long_runs_use_worker_processes_with_identical_results(monkeypatch):
    det = get_detector()
    reqs = _requests(600)
    expected = _sig(det.judge_many(reqs))
    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)  # a long run is under way
    used: list[int] = []
    real_pool = judge_mod._submit_to_pool

    def spy(requests, pack_key, workers, use_model, *rest):
        used.append(len(requests))
        return real_pool(requests, pack_key, workers, use_model, *rest)

    monkeypatch.setattr(judge_mod, "_submit_to_pool", spy)
    try:
        out = judge(reqs, det, workers=2)
    finally:
        judge_mod.shutdown()
    assert used == [600] and _sig(out) == expected


def test_small_runs_and_hand_built_detectors_stay_in_process(monkeypatch):
    from netral.detect.detector import Detector
    from netral.packs import load_packs

    monkeypatch.setattr(judge_mod, "_asked", 0)
    monkeypatch.setattr(judge_mod, "_submit_to_pool", lambda *a: pytest.fail("pool used"))
    judge(_requests(300), get_detector(), workers=2)  # not warmed up yet
    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)
    judge(_requests(300), Detector(load_packs(None)), workers=2)  # cannot be rebuilt


def test_one_day_is_one_request_and_a_memo_remembers_across_calls(monkeypatch):
    from datetime import datetime

    from netral.detect.judge import Memo

    det = get_detector()
    morning = Request("Ayo coblos nomor 2, lanjutkan!", "post", datetime(2024, 1, 20, 8, 0))
    evening = Request("Ayo coblos nomor 2, lanjutkan!", "post", datetime(2024, 1, 20, 21, 0))
    calls: list[int] = []
    real = det.judge_many

    def counting(requests, **kw):
        calls.append(len(requests))
        return real(requests, **kw)

    monkeypatch.setattr(det, "judge_many", counting)
    memo = Memo(size=2)
    first = judge([morning, evening], det, memo=memo)
    assert calls == [1]  # the detector reads only the day: one judgement for both
    again = judge([evening, Request("halo", "post")], det, memo=memo)
    assert calls == [1, 1]  # the evening post came from the memo
    assert _sig(again[:1]) == _sig(first[:1]) == _sig(real([evening]))
    judge([Request("a"), Request("b")], det, memo=memo)
    assert len(memo) == 2  # bounded: the oldest were forgotten


def test_a_dead_worker_pool_costs_no_result(monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    det = get_detector()
    reqs = _requests(400)
    expected = _sig(det.judge_many(reqs))

    def broken(requests, pack_key, workers, use_model, *rest):
        f: Future = Future()
        f.set_exception(BrokenProcessPool("a worker was killed"))
        return [(f, list(requests))]

    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)
    monkeypatch.setattr(judge_mod, "_pool_broken", False)
    monkeypatch.setattr(judge_mod, "_submit_to_pool", broken)
    assert _sig(judge(reqs, det, workers=2)) == expected
    assert judge_mod._pool_broken  # later batches are judged here at once
    monkeypatch.setattr(judge_mod, "_submit_to_pool", lambda *a: pytest.fail("pool used"))
    assert _sig(judge(reqs, det, workers=2)) == expected
