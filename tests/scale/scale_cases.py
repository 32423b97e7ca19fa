"""Mixed input for the engine-equivalence tests: real-looking posts plus every bad case."""

from __future__ import annotations

from typing import Any

from netral.scale.synth import generate_posts

# Longer than netral.scale.rows.MAX_TEXT_CHARS (cut, row says "truncated"), with a cue at the start.
HUGE_TEXT = "Ayo coblos nomor 2, lanjutkan! " + "rapat koordinasi pelayanan publik " * 3600

EDGE_RECORDS: list[dict[str, Any]] = [
    {"id": "e1", "text": "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran", "author": "budi"},
    {"id": "e2", "text": "Jadwal pemungutan suara 14 Februari 2024, jangan lupa datang ke TPS ya"},
    {"id": "e3", "text": "pr4b0w0 g1br4n no 2", "author": "budi", "agency": "Kemenkeu"},
    {"id": "e4", "text": "p r a b o w o presidenku ✌️✌️ #PrabowoGibran2024", "kind": "share"},
    {"id": "e5", "text": "a.n.i.e.s presiden!!! ☝️ pilihhhh 01", "created_at": "2024-01-10"},
    {"id": "e6", "text": "g4nj4r m4hfud sat set 🤟🤟🤟", "kind": "comment"},
    {"id": "e7", "text": "", "author": "kosong"},
    {"id": "e8", "text": None, "author": "kosong"},
    {"id": "e9", "text": "    \n\t  "},
    {"id": "e10"},
    {"id": "e11", "text": HUGE_TEXT, "author": "panjang", "created_at": "2024-02-01T08:00:00"},
    {"id": "e12", "text": "✌️✌️✌️ 😍🇮🇩 #Ganjar2024 💯", "kind": "bio"},
    {"id": "e13", "text": "Ingat, ASN wajib netral! Jangan ikut kampanye ya", "kind": "post"},
    {"id": "e14", "text": "nyoblos paslon nomer 02 yuk", "kind": "like"},
    {"id": "e15", "text": "Dukung Prabowo", "kind": "follow", "author": "x"},
    {"id": "e16", "text": "Ayo coblos nomor 1", "kind": "nonsense-kind"},
    {"id": "e17", "text": "Ayo coblos nomor 3", "created_at": "bukan-tanggal"},
    {"id": 18, "text": 2024, "author": "angka"},
    {"id": None, "text": "Pilih 03 ya, Ganjar–Mahfud 🤟", "author": "tanpa-id"},
    {"id": "e20", "text": "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ coblos 𝐏𝐑𝐀𝐁𝐎𝐖𝐎 𝟐"},
    {"id": "e21", "text": "ＡＹＯ ＣＯＢＬＯＳ ＮＯＭＯＲ ２", "kind": "message"},
    {"id": "e22", "text": "#AniesPresiden #Ganjar2024 #PrabowoGibran2024", "kind": "join"},
]

MALFORMED_LINES = [
    '{"id": "m1", "text": "kutipan tidak ditutup',
    "[1, 2, 3]",
    '"hanya string"',
    "{not json at all}",
]


def mixed_records(n_synth: int = 240) -> list[dict[str, Any]]:
    return EDGE_RECORDS + list(generate_posts(n_synth, seed=7))
