"""Campaign-team membership and candidate banners (netral.detect.roles, issue 10's second
rules pass). All texts are made up; names of real contestants come from the shipped packs,
regions and local candidates are invented."""

from __future__ import annotations

import pytest

import netral
from netral.detect.detector import get_detector


def _notes(text: str, kind: str = "post") -> list[tuple[str, bool, str]]:
    doc = get_detector().document(text, kind=kind, model_p=0.5)
    return [(e.category, e.strong, e.note) for e in doc.evidence]


def _verdict(text: str, kind: str = "post") -> str:
    return str(netral.check(text, kind=kind).verdict)


@pytest.mark.parametrize("bio", [
    "Jurkam paslon nomor 3 Pilgub Jateng",
    "Timses cabup Budi Santoso 2024 | ayah dua anak",
    "Tim Kampanye Daerah Prabowo-Gibran Jawa Tengah",
    "Staf kelurahan. Tim Ahli Pemenangan Paslon 02 Pilbup Sukamaju",
    "Saksi paslon 01 kecamatan Sukamaju",
])
def test_a_campaign_team_role_in_a_bio_is_membership(bio: str) -> None:
    assert ("tim_kampanye", True, "tim_kampanye") in _notes(bio, "bio")
    assert _verdict(bio, "bio") == "kampanye"


def test_the_writer_saying_they_are_on_the_team_is_membership() -> None:
    text = "Alhamdulillah sekarang saya jurkam paslon 2, mohon doanya"
    assert ("tim_kampanye", True, "tim_kampanye") in _notes(text)
    assert _verdict(text) != "netral"


@pytest.mark.parametrize("text", [
    "Tim pemenangan paslon 02 melaporkan dugaan pelanggaran ke Bawaslu",
    "Tim kampanye paslon 01 menilai debat semalam kurang substansial",
])
def test_a_team_reported_on_is_news(text: str) -> None:
    assert not any(note == "tim_kampanye" for _, _, note in _notes(text))
    assert _verdict(text) == "netral"


@pytest.mark.parametrize("text", [
    "Dulu beliau sempat jadi timses cabup Budi, sekarang pensiun",
    "Relawan bencana dari kecamatan Sukamaju tiba di lokasi banjir",
    "Saksi mata melihat kejadian itu pukul tujuh pagi",
])
def test_roles_of_others_or_outside_campaigns_are_not_membership(text: str) -> None:
    assert not any(note == "tim_kampanye" for _, _, note in _notes(text))


@pytest.mark.parametrize("bio", ["ASN | tim ahli bupati bidang ekonomi",
                                 "Ketua tim pemenangan lomba 17an RT 05"])
def test_a_team_without_a_contestant_is_not_a_campaign_team(bio: str) -> None:
    assert _verdict(bio, "bio") == "netral"


@pytest.mark.parametrize("text", [
    "MENGABDI\nSITI RAHAYU, S.H.\nCALON BUPATI SUKAMAJU\nPERIODE 2025-2030",
    "Bakal calon wali kota Sukamaju periode 2025-2030, siap melayani",
    "Calon Wakil Gubernur Jawa Tengah, amanah dan merakyat",
    "BERSAMA\nMENGABDI UNTUK NEGERI\nAHMAD LUTHFI",
])
def test_a_candidate_banner_is_a_campaign_prop(text: str) -> None:
    assert ("atribut_gestur", True, "alat_peraga") in _notes(text)
    assert _verdict(text) != "netral"


@pytest.mark.parametrize("text", [
    "KPU tetapkan calon wakil bupati Sukamaju periode 2025-2030",
    "Calon bupati Sukamaju periode 2025-2030 resmi mendaftar ke KPU",
    "Debat calon gubernur periode 2025-2030 digelar malam ini",
    "Pak lurah sudah 30 tahun mengabdi di desa kami",
])
def test_headlines_about_candidates_and_plain_service_stay_netral(text: str) -> None:
    assert not any(note == "alat_peraga" for _, _, note in _notes(text))
    assert _verdict(text) == "netral"


@pytest.mark.parametrize("text", [
    # a good wish to the new office holder: the commonest reply under an official's post
    "selamat untuk bapak prabowo smoga amanah",
    "Selamat Pak Gubernur, semoga amanah",
    "Semoga para cawapres berhati amanah ..",
    "@prabowo Selamat bertugas pak, moga jadi presiden yang amanah",
    # a reply that answers: "amanah" in talk, not a banner's slogan
    "@warga123 @ganjarpranowo pejabat amanah itu langka, banyak yg serakah",
    # an election body's own post on the candidates ("#KPUMelayani" is no campaign slogan)
    "Masukan warga untuk daftar calon anggota DPRD 2024 #KPUSukamaju #KPUMelayani",
])
def test_a_wish_or_an_election_bodys_post_is_no_banner(text: str) -> None:
    assert not any(note == "alat_peraga" for _, _, note in _notes(text))


@pytest.mark.parametrize(("lang", "label", "mark"), [
    ("id", "tim kampanye/pemenangan", "[belum pasti]"),
    ("en", "campaign or winning team", "[uncertain]"),
])
def test_a_campaign_team_reason_cites_skb_point_i(lang: str, label: str, mark: str) -> None:
    # its own category: the explanation names the winning-team rule (SKB I), not party
    # membership (SKB E, dismissal); the penalty level is cut off in the source, so uncertain
    r = netral.check("Guru honorer | Jurkam paslon nomor 3 Pilbup Sukamaju", kind="bio", lang=lang)
    reason = next(x for x in r.reasons if x.category == "tim_kampanye")
    assert reason.rule == "skb-i" and reason.uncertain
    assert "huruf I" in reason.rule_ref and reason.rule_ref.endswith(mark)
    assert label in r.summary
