"""A civil servant announcing their own run for office (netral.detect.candidacy, SKB point D).
All texts are made up; parties come from the shipped packs, regions and people are invented."""

from __future__ import annotations

import pytest

import netral
from netral.detect.detector import get_detector


def _own_run(text: str, kind: str = "post") -> bool:
    doc = get_detector().document(text, kind=kind, model_p=0.5)
    return any(e.category == "pencalonan" for e in doc.evidence)


@pytest.mark.parametrize("text", [
    "Mohon doa restu, saya maju sebagai caleg DPRD dapil 3 Kabupaten Sukamaju",
    "Insya Allah saya nyaleg tahun depan, mohon dukungannya",
    "Bismillah, saya resmi mendaftar sebagai bakal calon anggota DPRD dari Partai Gerindra",
    "Mohon ijin dan doanya, saya dicalonkan Partai Golkar untuk DPRD Kabupaten Sukamaju",
    "Aku mencalonkan diri jadi cabup Sukamaju, doakan ya",
    "Kami siap maju di Pilkada Sukamaju 2024",
])
def test_the_writer_announcing_a_run_is_skb_point_d(text: str) -> None:
    assert _own_run(text)
    r = netral.check(text, when="2023-10-03")
    assert r.verdict == "kampanye"
    assert any(x.category == "pencalonan" and x.rule == "skb-d" for x in r.reasons)


@pytest.mark.parametrize("text", [
    # a relative's run: a plea for votes, read by the support rules, not the writer's candidacy
    "Titip ya bu, adik saya nyaleg DPRD dari Golkar, mohon doanya",
    "Saya tidak akan nyaleg, fokus kerja melayani warga saja",
    "Kalau saya jadi bupati nanti jalan desa ini saya perbaiki",
    "Saya jadi calon pengantin bulan depan, mohon doanya",
    "Saya jadi anggota koperasi pegawai sejak 2019",
    "Katanya dia mau maju di pilkada, saya dengar dari teman",
    "Partai kami mencalonkan Pak Budi sebagai calon bupati",
    # a news report quoting a candidate's announcement
    "\"Saya maju sebagai caleg karena ingin membangun desa,\" kata Budi kepada wartawan",
])
def test_other_runs_musings_and_reports_are_not_the_writers_candidacy(text: str) -> None:
    assert not _own_run(text)


def test_a_share_is_not_the_sharers_own_candidacy() -> None:
    # sharing a candidate's announcement promotes the candidate (SKB B), read by other rules
    assert not _own_run("Mohon doa restu, saya maju sebagai caleg DPRD dapil 3", kind="share")


@pytest.mark.parametrize(("lang", "label", "mark", "advice"), [
    ("id", "pencalonan diri", "[belum pasti]", "mengundurkan diri"),
    ("en", "own candidacy", "[uncertain]", "must resign"),
])
def test_the_reason_cites_skb_point_d_and_says_what_to_do(lang: str, label: str, mark: str,
                                                           advice: str) -> None:
    # the medium-penalty article is cited by the press only (domain reference §1.3): uncertain
    r = netral.check("Insya Allah saya nyaleg DPRD dapil 2, mohon doanya", lang=lang)
    reason = next(x for x in r.reasons if x.category == "pencalonan")
    assert reason.rule == "skb-d" and reason.uncertain
    assert "huruf D" in reason.rule_ref and reason.rule_ref.endswith(mark)
    assert label in r.summary
    assert advice in reason.advice
