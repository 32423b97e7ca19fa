"""The detector's one door: ``judge_many`` with a request per item gives what ``check`` gives
for each, validates once with stable error codes, and isolates a failing item (issue 13)."""

from __future__ import annotations

import pytest

import netral
from netral.detect.request import Request, RequestError

REQUESTS = [
    Request("Ayo coblos nomor 2, Prabowo-Gibran!", "post", "2024-01-10"),
    Request("Salam #PrabowoGibran2024 dari Dinas Kominfo. Layanan KTP buka Sabtu.", "share",
            "2024-01-10", account="official", boilerplate=("Salam dari Dinas Kominfo",)),
    Request("Dukung Anies!", "comment", None, employee="pejabat"),
    Request("@tkn.prabowo_gibran (tkn prabowo gibran)", "follow", "2019-03-01", employee="pppk"),
    Request("Rapat koordinasi anggaran hari ini", "message", None, employee="non_asn"),
    Request("coblos 02 " * 600, "post", None, lang="en"),  # longer than a segment
]


def test_judge_many_equals_check_per_item():
    det = netral.get_detector()
    many = det.judge_many(REQUESTS)
    for req, res in zip(REQUESTS, many, strict=True):
        one = det.check(req.text, req.kind, req.lang, when=req.when, account=req.account,
                        employee=req.employee, boilerplate=req.boilerplate)
        assert res.to_dict() == one.to_dict()


@pytest.mark.parametrize(("req", "code"), [
    (Request("x", "dance"), "unknown_kind"),
    (Request("x", when="kemarin sore"), "bad_date"),
    (Request("x", account="dinas"), "unknown_account"),
    (Request("x", employee="honorer"), "unknown_employee"),
])
def test_bad_requests_have_codes_and_do_not_stop_the_batch(req, code):
    det = netral.get_detector()
    out = det.judge_many([req, Request("Ayo coblos nomor 2!")])
    assert isinstance(out[0], RequestError) and out[0].code == code
    assert out[1].flagged
    with pytest.raises(ValueError):
        det.check(req.text, req.kind, when=req.when, account=req.account, employee=req.employee)


def test_an_unexpected_failure_costs_only_its_item(monkeypatch):
    det = netral.get_detector()
    real = det._judge

    def judge(nt, *args, **kwargs):
        if "meledak" in nt.original:
            raise RuntimeError("boom")
        return real(nt, *args, **kwargs)

    monkeypatch.setattr(det, "_judge", judge)
    out = det.judge_many([Request("coblos 02 meledak"), Request("Ayo coblos nomor 2!")])
    assert isinstance(out[0], RuntimeError) and out[1].flagged
    with pytest.raises(RuntimeError):
        det.check("coblos 02 meledak")
