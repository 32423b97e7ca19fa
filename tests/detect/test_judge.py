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
    real_pool = judge_mod._judge_in_pool

    def spy(requests, pack_key, workers, use_model):
        used.append(len(requests))
        return real_pool(requests, pack_key, workers, use_model)

    monkeypatch.setattr(judge_mod, "_judge_in_pool", spy)
    try:
        out = judge(reqs, det, workers=2)
    finally:
        judge_mod.shutdown()
    assert used == [600] and _sig(out) == expected


def test_small_runs_and_hand_built_detectors_stay_in_process(monkeypatch):
    from netral.detect.detector import Detector
    from netral.packs import load_packs

    monkeypatch.setattr(judge_mod, "_asked", 0)
    monkeypatch.setattr(judge_mod, "_judge_in_pool", lambda *a: pytest.fail("pool used"))
    judge(_requests(300), get_detector(), workers=2)  # not warmed up yet
    monkeypatch.setattr(judge_mod, "_asked", judge_mod.WARM_UP)
    judge(_requests(300), Detector(load_packs(None)), workers=2)  # cannot be rebuilt
