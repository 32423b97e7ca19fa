"""Deterministic synthetic posts for the Spark benchmark and tests (not training data).

A mix shaped like a monitoring feed: mostly everyday and official posts, some neutral election
information and news, some campaign posts (clean, obfuscated, emoji, hashtags), and a small
share of bad records (empty/null/whitespace text, non-string text, unknown kinds).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

PAIRS = [
    ("1", "01", "Anies", "Muhaimin", "#AniesMuhaimin2024", "Perubahan", "☝️"),
    ("2", "02", "Prabowo", "Gibran", "#PrabowoGibran2024", "Lanjutkan", "✌️"),
    ("3", "03", "Ganjar", "Mahfud", "#GanjarMahfud2024", "Sat Set", "🤟"),
]
OBFUSCATED = [
    "4nies",
    "an1es",
    "pr4b0w0",
    "g1br4n",
    "g4nj4r",
    "m4hfud",
    "p r a b o w o",
    "a.n.i.e.s",
]

CAMPAIGN = [
    "Ayo coblos nomor {n}, {slogan}! {tag}",
    "Dukung {a}–{b} jadi presiden dan wakil presiden 2024 {emoji}",
    "Jangan lupa tanggal 14 pilih paslon {nn} ya gaes {emoji}{emoji}",
    "{a} {b} menang satu putaran!!! {tag}",
    "Saatnya {slogan_lower}, pilih {a} {emoji}",
    "mari menangkan {obf} no {n} di TPS kita",
    "coblosss {nn}!!! {obf} presidenku",
    "Salam {n} jari buat {a} dari kami keluarga besar kantor {emoji}",
]
NEUTRAL_ELECTION = [
    "Jadwal pemungutan suara 14 Februari 2024, jangan lupa datang ke TPS ya",
    "Ayo gunakan hak pilihmu, jangan golput! Cek DPT di situs KPU",
    "KPU menetapkan tiga pasangan calon presiden, debat pertama digelar bulan depan",
    "Bawaslu mengingatkan ASN wajib menjaga netralitas selama masa kampanye",
    "Pengamat: debat capres semalam membahas ekonomi dan lapangan kerja",
    "Pemilu damai, beda pilihan tetap saudara 🇮🇩",
]
EVERYDAY = [
    "Selamat pagi rekan-rekan, jangan lupa apel pukul 07.30 di halaman kantor",
    "Alhamdulillah pelayanan KTP elektronik di kecamatan hari ini lancar 🙏",
    "Rapat koordinasi penanganan stunting bersama dinas kesehatan",
    "Macet parah di jalan raya pagi ini, hati-hati berkendara",
    "Selamat ulang tahun ibu, semoga sehat selalu ❤️",
    "Info lowongan PPPK tahun ini sudah dibuka, cek laman resmi BKN",
    "Nasi goreng kambing dekat kantor enak banget 😋",
    "Kegiatan donor darah memperingati HUT Korpri",
]
AGENCIES = [
    "Kemenkeu",
    "Kemendagri",
    "Kemenkes",
    "BKN",
    "Pemprov Jawa Tengah",
    "Pemkab Sleman",
    "Pemkot Surabaya",
    "Pemkab Gowa",
    "Pemprov Aceh",
    "Pemkot Medan",
]
KINDS = ["post"] * 14 + ["comment"] * 3 + ["share"] * 2 + ["like", "bio"]
START = date(2023, 11, 1)


def _campaign(rng: random.Random) -> str:
    n, nn, a, b, tag, slogan, emoji = rng.choice(PAIRS)
    return rng.choice(CAMPAIGN).format(
        n=n,
        nn=nn,
        a=a,
        b=b,
        tag=tag,
        slogan=slogan,
        slogan_lower=slogan.lower(),
        emoji=emoji,
        obf=rng.choice(OBFUSCATED),
    )


def _text(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.20:
        return _campaign(rng)
    if r < 0.35:
        return rng.choice(NEUTRAL_ELECTION)
    if r < 0.985:
        return rng.choice(EVERYDAY) + ("" if rng.random() < 0.7 else f" #{rng.randint(1, 999)}")
    return rng.choice([None, "", "   ", "✌️✌️", 2024])  # bad or odd records


def generate_posts(n: int, seed: int = 2024, authors: int = 5_000) -> Iterator[dict[str, Any]]:
    """``n`` post records {id, text, kind, created_at, author, agency}, deterministic per seed."""
    rng = random.Random(seed)
    for i in range(n):
        day = START + timedelta(days=rng.randrange(120))
        yield {
            "id": f"p{i}",
            "text": _text(rng),
            "kind": rng.choice(KINDS),
            "created_at": f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00",
            "author": f"asn{rng.randrange(authors):05d}",
            "agency": rng.choice(AGENCIES),
        }
