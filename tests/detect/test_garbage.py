"""Random text is never campaign content. 98,000 random letters, digits, '#' and '@' came out
kampanye at 0.92: the normaliser split random tokens at their digits ("a8ht6u8" -> a, 8, ht, 6,
u, 8), a two- or three-letter party acronym among the pieces ("ht", "pks", "pan") counted as
an election term, that opened the model's domain gate, and the model, reading noise, scored it
high. Now a short piece of a glued token counts only when the rest of the token reads as words
(or the writer marked it with capitals or a separator), and in a text swamped by unknown words
a name counts only with known words around it; the model is not asked about such a text."""

from __future__ import annotations

import base64
import random
import string

import pytest

import netral
from netral.detect import domain
from netral.detect.result import Verdict

ALNUM = string.ascii_lowercase + string.digits


def _garbage(n: int, seed: int, alphabet: str = ALNUM, tagged: float = 0.3,
             lengths: tuple[int, int] = (3, 12)) -> str:
    """Random tokens, a share of them with a '#' or '@' in front, ``n`` characters."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n:
        tok = "".join(rng.choice(alphabet) for _ in range(rng.randint(*lengths)))
        p = rng.random()
        if p < tagged / 2:
            tok = "#" + tok
        elif p < tagged:
            tok = "@" + tok
        out.append(tok)
        size += len(tok) + 1
    return " ".join(out)[:n]


@pytest.fixture(scope="module")
def det():
    return netral.get_detector()


@pytest.mark.parametrize(("n", "seed", "alphabet", "tagged", "lengths"), [
    (300, 1, ALNUM, 0.3, (3, 12)),
    (3_000, 1, ALNUM, 0.3, (3, 12)),
    (98_000, 1, ALNUM, 0.3, (3, 12)),  # the case found by hand: kampanye 0.92
    (98_000, 3, ALNUM, 0.3, (3, 12)),  # a whole random "abp" (a camp's name) among them
    (30_000, 4, ALNUM, 1.0, (3, 12)),  # every token a tag or a handle
    (30_000, 5, string.ascii_uppercase + string.digits, 0.3, (3, 12)),  # "RK8", "1PS"
    (12_000, 6, string.ascii_letters + string.digits, 0.3, (2, 12)),  # "#NvHtSQgT2P"
    (4_000, 7, ALNUM, 0.3, (1, 4)),  # short tokens: "abp1", "tp5s"
])
def test_random_text_is_netral(det, n, seed, alphabet, tagged, lengths):
    res = det.check(_garbage(n, seed, alphabet, tagged, lengths))
    assert res.verdict is Verdict.NETRAL, (res.verdict, res.score)


def test_a_base64_blob_is_netral(det):
    blob = bytes(random.Random(8).getrandbits(8) for _ in range(30_000))
    one_line = base64.b64encode(blob).decode()
    lines = "\n".join(base64.b64encode(blob[i:i + 57]).decode() for i in range(0, len(blob), 57))
    for text in (one_line, lines):
        res = det.check(text)
        assert res.verdict is Verdict.NETRAL, (res.verdict, res.score)


def test_a_lone_name_in_noise_is_no_evidence(det):
    text = _garbage(3_000, 9, tagged=0) + " PKS " + _garbage(3_000, 10, tagged=0)
    doc = det.document(text[:3_500])
    assert doc.noise and not doc.in_domain and not doc.ent_hits
    assert det.check(text).verdict is Verdict.NETRAL


def test_a_campaign_call_pasted_into_noise_is_still_read(det):
    # the model is not asked about the noise, but the words around the call are words
    text = (_garbage(1_500, 11, tagged=0) + " Ayo coblos PKS nomor 8 pada 14 Februari! "
            + _garbage(1_500, 12, tagged=0))
    doc = det.document(text)
    assert doc.noise and not doc.in_domain
    assert any(h.entry.entity == "party-8" for h in doc.ent_hits)
    assert det.check(text).verdict is Verdict.KAMPANYE


@pytest.mark.parametrize("piece", ["a8ht6u8", "#pan1t0b", "x9pks3q", "#NvHtSQgT2P"])
def test_a_chance_acronym_inside_a_random_token_is_no_hit(det, piece):
    doc = det.document(f"kemarin saya lihat {piece} di jalan")
    assert not doc.ent_hits, [(h.entry.group, h.entry.entity) for h in doc.ent_hits]


@pytest.mark.parametrize(("text", "entity"), [
    ("Ayo dukung PKS di pemilu 2024, coblos nomor 8!", "party-8"),
    ("Besok kita ke TPS ya #PilihPKS", "party-8"),
    ("Besok kita ke TPS ya #pilihpks", "party-8"),
    ("Semangat kawan #PKS2024", "party-8"),
    ("Coblos PAN nomor 12, bersama kita menang", "party-12"),
    ("joget gemoy adalah solusi tepat #Te12dePAN", "party-12"),
    ("ayo dukung PKS-PD di pileg nanti, partai yg amanah", "party-8"),
    ("Anak muda pilih PSI! #PSIMenang", "party-15"),
    ("Insya Allah #HaqqulYaqinAMIN", "pair-1"),
])
def test_a_real_short_acronym_still_counts(det, text, entity):
    doc = det.document(text, when="2024-01-20")
    assert entity in {h.entry.entity for h in doc.ent_hits}
    assert not doc.noise


@pytest.mark.parametrize("text", [
    "Ayo dukung PKS di pemilu 2024, coblos nomor 8!",
    "Coblos PAN nomor 12, bersama kita menang",
    "Anak muda pilih PSI! #PSIMenang",
])
def test_a_real_call_with_a_short_acronym_is_still_kampanye(det, text):
    assert det.check(text, when="2024-01-20").verdict is Verdict.KAMPANYE


def test_real_indonesian_text_is_not_noise(det):
    text = ("KPU menetapkan daftar calon tetap anggota DPR pada hari Senin. Komisioner "
            "menyampaikan bahwa seluruh berkas telah diperiksa dan masyarakat dapat "
            "memberikan tanggapan selama sepuluh hari ke depan.")
    assert not domain.swamped(det.normaliser.normalise(text))


def test_a_long_text_leaves_no_short_last_piece():
    # a last piece of a few characters (" @flexvyhjbltf abt") is judged alone and says nothing
    from netral.detect.segments import SEGMENT, segments

    for n in (SEGMENT + 10, 2 * SEGMENT - 1, 3 * SEGMENT + 200, 25_003):
        text = _garbage(n, n, tagged=0)
        pieces = segments(text)
        assert "".join(p for _, p in pieces) == text
        assert all(SEGMENT // 4 <= len(p) <= SEGMENT for _, p in pieces), [len(p) for _, p in pieces]
