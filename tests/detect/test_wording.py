"""Verdict wording and the borderline cases of issue 15, problem 3: a netral verdict that saw
something says what and why it stayed low; attacks read as attacks; everyday words do not
lower a score on their own; a photo with a candidate is at least for review."""

from __future__ import annotations

import re

import pytest

import netral
from netral.detect import combine, context, media
from netral.detect.result import Verdict

CAMPAIGN = "2024-01-20"


def test_a_clean_text_is_not_called_safe():
    r = netral.check("Selamat pagi semua, semangat kerja hari ini!")
    assert r.verdict is Verdict.NETRAL
    assert "Aman" not in r.summary + r.advice
    r_en = netral.check("Selamat pagi semua, semangat kerja hari ini!", lang="en")
    assert "safe" not in (r_en.summary + r_en.advice).lower()


@pytest.mark.parametrize("text, noticed, why", [
    ("Prabowo datang ke Solo hari ini", "«Prabowo»", "hanya penyebutan"),
    ("Survei terbaru: elektabilitas Prabowo-Gibran unggul - Kompas.com", "«Prabowo-Gibran»",
     "pemberitaan"),
])
def test_a_netral_verdict_with_weak_evidence_says_what_was_noticed_and_why_it_stayed_low(
        text, noticed, why):
    r = netral.check(text, when=CAMPAIGN)
    assert r.verdict is Verdict.NETRAL
    assert noticed in r.summary and why in r.summary and "Skor tetap rendah" in r.summary
    assert "Aman" not in r.advice
    en = netral.check(text, when=CAMPAIGN, lang="en")
    assert "Noticed:" in en.summary and "stayed low" in en.summary


def test_an_attack_is_explained_as_an_attack():
    r = netral.check("Dasar Gibran anak haram konstitusi, jangan dipilih!", when=CAMPAIGN)
    assert r.flagged and "(diserang)" in r.summary
    assert all(t.stance == "oppose" for t in r.targets)


def test_sarcastic_praise_is_an_attack_and_plain_praise_with_a_but_is_support():
    sarcasm = netral.check("Wah hebat ya 02, janji makan siang gratis tapi anggaran dipotong "
                           "semua. Mantap sekali 👏", when=CAMPAIGN)
    assert sarcasm.flagged and sarcasm.reasons[0].category == "serangan"
    assert "(diserang)" in sarcasm.summary
    praise = netral.check("Hebat Anies, programnya jelas tapi sayang belum banyak yang tahu",
                          when=CAMPAIGN)
    assert praise.reasons[0].category == "dukungan"


def test_melanggar_in_an_attack_is_not_a_neutrality_reminder():
    r = netral.check("Jangan pilih capres yang melanggar HAM! Ingat 98.")
    assert r.flagged
    assert "pengingat_netralitas" not in {m.category for m in r.mitigations}
    assert r.reasons[0].category == "serangan"
    # a real reminder still lowers
    reminder = netral.check("Ingat, ASN dilarang ikut kampanye. Pelanggaran netralitas ada "
                            "sanksinya. Jangan pilih-pilih di grup kantor ya")
    assert "pengingat_netralitas" in {m.category for m in reminder.mitigations}


@pytest.mark.parametrize("text, group", [
    ("Di kantor kami semua pilih 02, ayo menangkan!", "kedinasan"),
    ("Pemkab sepi, semua dukung 02 pokoknya!", "kedinasan"),
    ("Kata ibuku Prabowo-Gibran paling cocok. Pilih 02!", "berita"),
])
def test_a_single_everyday_word_does_not_lower_a_score(text, group):
    r = netral.check(text, when=CAMPAIGN)
    assert group not in {m.category for m in r.mitigations}, r.mitigations
    assert r.verdict is Verdict.KAMPANYE


def test_a_reported_statement_is_still_reporting():
    r = netral.check("Partai Gelora nyatakan dukung Prabowo-Gibran, kata Fahri")
    assert "berita" in {m.category for m in r.mitigations}


@pytest.mark.parametrize("text", [
    "foto bareng Mas Gibran di acara kemarin",
    "Selfie sama Ganjar tadi pagi!",
    "Foto bersama Pak Anies waktu CFD",
])
def test_a_photo_with_a_candidate_is_at_least_for_review(text):
    r = netral.check(text, when=CAMPAIGN)
    assert r.flagged, (text, r.score)
    assert r.reasons[0].category == "atribut_gestur"


def test_a_news_photo_caption_is_not_a_photo_with_a_candidate():
    assert not netral.check("FOTO: Gibran meninjau banjir di Solo").flagged


def test_media_outlets_come_from_one_data_file():
    # both stages read data/media.yaml; a bare everyday word ("antara") is not an outlet
    assert context._MEDIA_MARK.search("Prabowo unggul di survei - Kompas.com")
    assert combine._MEDIA.search("baca di kompas tadi")
    assert not combine._MEDIA.search("di antara kita semua")
    assert "beritasatu" in media.NAMES and "beritasatu" not in media.BARE_NAMES
    assert re.fullmatch(media.NAMES, "cnbc indonesia", re.I)
