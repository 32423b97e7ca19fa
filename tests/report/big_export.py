"""A generated export with 500+ findings, for the report's grouping, phone layout and size tests.

One JSON Lines file of the generic format (``platform`` and ``kind`` per record), written from
templates: campaign posts, comments and chat messages, many of them cross-posted to several
platforms (the duplicates the report folds into one card), likes, follows, group joins and
bios naming campaign accounts, and everyday posts that stay unflagged. Fully synthetic; the
seed makes it the same on every run.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

PAIRS = [
    ("01", "satu", "Anies-Muhaimin", "#AMIN", "timnas.amin"),
    ("02", "dua", "Prabowo-Gibran", "#PrabowoGibran2024", "tkn.prabowogibran"),
    ("03", "tiga", "Ganjar-Mahfud", "#GanjarMahfud2024", "tpn.ganjarmahfud"),
]
OWN_TEXT = [
    "Ayo coblos nomor {n} {name} tanggal 14 Februari! {tag}",
    "Pilih {name} nomor {n}, {place} {tag}",
    "{name} menang satu putaran! Salam {word} jari {tag}",
    "Jangan lupa coblos no {n} ya {place}, {name} pasti menang",
    "Dukung {name} nomor urut {n} {place} {tag}",
]
PLACES = ["dari Semarang", "bareng keluarga", "warga Kendal", "untuk Indonesia", "dari kantor",
          "teman-teman Solo", "di Tembalang", "se-Jawa Tengah", "dari Salatiga", "guys",
          "demi anak cucu", "mulai sekarang", "wahai netizen", "dari Magelang", "kawan-kawan"]
EVERYDAY = ["Rapat koordinasi hari ini berjalan lancar.", "Selamat pagi, semangat bekerja!",
            "Libur panjang bareng keluarga di pantai.", "Terima kasih atas kerja samanya."]
OWN_PLATFORMS = ["twitter", "facebook", "instagram", "tiktok", "mastodon", "threads"]
CHATS = ["whatsapp", "telegram"]
START = datetime(2023, 11, 28, tzinfo=UTC)


def _when(rng: random.Random) -> str:
    return (START + timedelta(minutes=rng.randrange(0, 75 * 24 * 60))).isoformat()


def records(seed: int = 15) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []

    def add(platform: str, kind: str, text: str, target: str | None = None) -> None:
        rec = {"platform": platform, "kind": kind, "text": text, "created_at": _when(rng)}
        if target:
            rec["target"] = target
        if platform in OWN_PLATFORMS and kind in ("post", "comment"):
            rec["url"] = f"https://example.org/{platform}/status/{len(out) + 1000}"
        out.append(rec)

    # own words: 150 distinct texts, each on 1-4 platforms (cross-posting)
    for i in range(150):
        n, word, name, tag, _ = PAIRS[i % 3]
        text = OWN_TEXT[i % len(OWN_TEXT)].format(n=n, word=word, name=name, tag=tag,
                                                  place=PLACES[(i // 5) % len(PLACES)])
        if i >= 75:
            text += f" ({i})"  # same template, another day: a different text
        for platform in rng.sample(OWN_PLATFORMS, rng.choice((1, 1, 2, 3, 4))):
            add(platform, rng.choice(("post", "post", "comment")), text)
    # borderline remarks about a contestant (detector says "needs review") on platforms where a
    # post can be made private
    for i in range(24):
        who = ("Anies", "Prabowo", "Ganjar", "Mas Gibran")[i % 4]
        add(("instagram", "facebook", "tiktok")[i % 3], "post",
            f"{who} jago ngomong ya" + (f", {PLACES[i % len(PLACES)]}" if i >= 4 else ""))
    # chat messages in campaign groups
    for i in range(60):
        n, _, name, tag, _ = PAIRS[i % 3]
        add(CHATS[i % 2], "message", f"Besok kumpul ya, coblos {n} {name}! {tag} ({i})",
            target=f"Relawan {name} Kec. {PLACES[i % len(PLACES)].split()[-1]}")
    # likes and follows of campaign accounts and posts, joins of campaign groups, bios
    for i in range(120):
        n, _, name, tag, handle = PAIRS[i % 3]
        platform = OWN_PLATFORMS[i % 4]
        if i % 3 == 0:
            add(platform, "like", f"Coblos {name} nomor {n} tanggal 14 Februari! {tag} #{i}",
                target=handle)
        elif i % 3 == 1:
            add(platform, "follow", "", target=f"relawan.{handle}.{i}")
        else:
            add(platform, "like", "", target=f"{handle}.{i}")
    for i in range(30):
        n, _, name, _, _ = PAIRS[i % 3]
        add(["facebook", "telegram", "whatsapp"][i % 3], "join", "",
            target=f"Relawan {name} {PLACES[i % len(PLACES)].split()[-1]} {i}")
    for i in range(12):
        n, _, name, tag, _ = PAIRS[i % 3]
        add(OWN_PLATFORMS[i % 6], "bio", f"ASN. Relawan {name} nomor {n} {tag}")
    for i in range(80):
        add(OWN_PLATFORMS[i % 6], "post", f"{EVERYDAY[i % 4]} ({i})")
    return out


def write_big_export(root: Path, seed: int = 15) -> Path:
    """Write the export (one .jsonl file) under ``root`` and return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    lines = b"\n".join(orjson.dumps(r) for r in records(seed))
    (root / "riwayat-rina.jsonl").write_bytes(lines + b"\n")
    return root
