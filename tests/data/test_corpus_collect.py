"""tools/corpus/collect.py --add-batch numbers a new batch after the highest id of the pool: a
withdrawn source leaves a gap in the pool that a run from scratch numbers across, so counting
the pool's lines would reuse ids that labels already refer to."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "corpus"))

import collect  # noqa: E402

# made-up rows (not from any source)
ROWS = [
    ["KPU tetapkan jadwal debat calon gubernur pekan depan"],
    ["Harga beras di pasar induk turun dua hari berturut-turut"],
    ["Bawaslu minta aparatur desa menjaga netralitas selama kampanye"],
]


def _source(commit: str, **extra: object) -> dict:
    return {
        "id": "s",
        "repo": "o/r",
        "commit": commit,
        "path": "f.csv",
        "format": "csv",
        "text": "judul",
        "licence": "none",
        "election": "x",
        "cap": 10,
        **extra,
    }


def test_add_batch_numbers_after_the_highest_pool_id(tmp_path: Path, monkeypatch, git_snapshot) -> None:
    commit = git_snapshot(tmp_path / "mirror", "judul", [r[0] for r in ROWS])
    spec = {"sources": [{**_source(commit), "batch": 7}]}
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(spec))
    monkeypatch.setattr(collect, "HERE", tmp_path)
    # a pool of two rows whose ids have a gap (the rows of a withdrawn source in between)
    pool = [
        {"id": "real-00001", "text": "Satu teks lama tentang pemilu yang sudah dilabeli"},
        {"id": "real-00005", "text": "Teks lama kedua tentang pemilihan kepala daerah"},
    ]
    (tmp_path / "pool.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in pool))
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "collect.py",
            "--mirror",
            str(tmp_path / "mirror"),
            "--out",
            str(out),
            "--add-batch",
            "7",
            "--pool",
            str(tmp_path / "pool.jsonl"),
        ],
    )
    assert collect.main() == 0
    ids = [orjson.loads(x)["id"] for x in out.read_bytes().splitlines()]
    assert ids == [f"real-{n:05d}" for n in range(6, 6 + len(ROWS))]


def test_json_records_are_rows_numbered_from_one() -> None:
    # made-up transcript (not from any source): records under a dotted key, flat objects
    blob = orjson.dumps(
        {
            "meta": {"title": "x"},
            "data": {
                "transkrip": [
                    {"id": 7, "speaker": "Moderator", "teks": "Silakan waktu Anda dua menit"},
                    {"id": 8, "speaker": "Calon", "teks": None, "live": True, "tags": {"a": 1}},
                ]
            },
        }
    )
    src = {"format": "json", "records": "data.transkrip", "text": "teks"}
    rows = collect.rows_from(src, blob)
    assert [r["_row"] for r in rows] == ["1", "2"]
    assert rows[0]["teks"] == "Silakan waktu Anda dua menit" and rows[0]["id"] == "7"
    assert rows[1]["teks"] == ""
    # other values as the JSON they were written in, not Python's spelling of them
    assert rows[1]["live"] == "true" and rows[1]["tags"] == '{"a":1}'
