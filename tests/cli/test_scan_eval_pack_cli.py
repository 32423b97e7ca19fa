"""`netral scan`, `netral eval` and `netral pack` from the command line."""

import csv
import json
from pathlib import Path

import orjson
from typer.testing import CliRunner

from netral.cli import app

runner = CliRunner()

POSTS = [
    {"id": "a1", "text": "Ayo coblos nomor 2!", "author": "x"},
    {"id": "a2", "text": "Selamat pagi, apel pagi pukul 07.30", "kind": "post"},
    {"id": "a3", "text": "", "created_at": "2024-01-03"},
    {"id": "a4", "text": "Relawan AMIN merapat", "kind": "follow"},
    {"id": "a5", "text": "Coblos 03 ya", "kind": "retweet"},
    {"id": "a6", "text": "=HYPERLINK(\"x\") jangan pilih 01", "created_at": "2024-01-05T10:00:00Z"},
]


def _write_jsonl(path: Path, rows: list[dict], junk: bool = True) -> None:
    with path.open("wb") as fh:
        for i, r in enumerate(rows):
            fh.write(orjson.dumps(r) + b"\n")
            if junk and i == 1:
                fh.write(b'{"id": "broken", "text": \n')  # malformed line 3
                fh.write(b"[1, 2, 3]\n")


def test_scan_jsonl_streams_and_reports_bad_lines(tmp_path: Path) -> None:
    src, out = tmp_path / "posts.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, POSTS)
    res = runner.invoke(app, ["scan", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"{src}:3" in res.output  # file and line of the malformed record
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in rows] == [p["id"] for p in POSTS]
    by_id = {r["id"]: r for r in rows}
    assert by_id["a1"]["verdict"] == "kampanye"
    assert by_id["a2"]["verdict"] == "netral"
    assert by_id["a3"]["error"] == "empty_text"
    assert by_id["a4"]["verdict"] == "kampanye" and by_id["a4"]["rules"] == ["skb-f"]
    assert by_id["a5"]["error"].startswith("invalid_record")
    assert by_id["a1"]["reasons"][0]["text"]


def test_scan_two_workers_gives_identical_rows(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    rows = [{"id": str(i), "text": t["text"] + f" {i}"} for i in range(1200) for t in POSTS[:2]]
    _write_jsonl(src, rows, junk=False)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert runner.invoke(app, ["scan", str(src), "-o", str(one)]).exit_code == 0
    assert runner.invoke(app, ["scan", str(src), "-o", str(two), "--workers", "2"]).exit_code == 0
    assert one.read_bytes() == two.read_bytes()


def test_scan_csv_in_and_out_escapes_formulas(tmp_path: Path) -> None:
    src, out = tmp_path / "posts.csv", tmp_path / "out.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "text", "kind", "created_at", "author"])
        w.writeheader()
        for p in POSTS:
            w.writerow({k: p.get(k, "") for k in w.fieldnames})
    res = runner.invoke(app, ["scan", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(POSTS)
    assert all(not r["reasons"].startswith(("=", "+", "-", "@")) for r in rows)


def test_scan_rejects_unknown_format_and_missing_text_column(tmp_path: Path) -> None:
    bad = tmp_path / "posts.xml"
    bad.write_text("<x/>")
    assert runner.invoke(app, ["scan", str(bad), "-o", str(tmp_path / "o.jsonl")]).exit_code == 2
    nocol = tmp_path / "posts.csv"
    nocol.write_text("id,body\n1,halo\n")
    res = runner.invoke(app, ["scan", str(nocol), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "text" in res.output


def test_eval_json(tmp_path: Path) -> None:
    src = tmp_path / "lab.jsonl"
    src.write_bytes(b"\n".join(orjson.dumps(r) for r in [
        {"text": "Ayo coblos nomor 2, lanjutkan!", "label": "kampanye"},
        {"text": "Jadwal pemungutan suara 14 Februari", "label": "netral"},
        {"text": "Coblos 01 AMIN!", "label": "kampanye"},
        {"text": "Selamat hari guru", "label": "netral", "hard_negative": True},
    ]))
    res = runner.invoke(app, ["eval", str(src), "--json"])
    assert res.exit_code == 0, res.output
    m = json.loads(res.stdout)
    assert m["n"] == 4 and m["precision"] == 1.0 and m["recall"] == 1.0 and m["f1"] == 1.0


def test_eval_reports_bad_file(tmp_path: Path) -> None:
    src = tmp_path / "lab.jsonl"
    src.write_text('{"text": "x", "label": "maybe"}\n')
    res = runner.invoke(app, ["eval", str(src)])
    assert res.exit_code == 2 and ":1:" in res.output


def test_pack_list_show_validate_import(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    from netral.config import get_settings
    from netral.packs import load_pack

    get_settings.cache_clear()
    load_pack.cache_clear()
    try:
        res = runner.invoke(app, ["pack", "list"])
        assert res.exit_code == 0 and "pemilu-2024" in res.stdout
        res = runner.invoke(app, ["pack", "show", "pemilu-2019"])
        assert res.exit_code == 0 and "Jokowi" in res.stdout
        csv_path = tmp_path / "pilbup.csv"
        csv_path.write_text(
            "kind,number,name,short_name,aliases,slogans_hashtags,contest\n"
            "pair,1,Budi Santoso – Siti Aminah,Budi-Siti,Budi Santoso;Siti Aminah,#BudiSiti,pilbup-x\n"
            "pair,2,Agus Salim – Rina Wati,Agus-Rina,Agus Salim;Rina Wati,#AgusRina,pilbup-x\n",
            encoding="utf-8")
        assert runner.invoke(app, ["pack", "validate", str(csv_path)]).exit_code == 0
        res = runner.invoke(app, ["pack", "import", str(csv_path), "--name", "pilbup-x-2029",
                                  "--title", "Pilbup X 2029", "--election-date", "2029-11-28",
                                  "--campaign-start", "2029-09-25", "--campaign-end", "2029-11-24"])
        assert res.exit_code == 0, res.output
        assert "pilbup-x-2029" in runner.invoke(app, ["pack", "list"]).stdout
        # the new election is live for the detector without touching code
        from netral.detect.detector import Detector
        from netral.packs import load_packs

        det = Detector(load_packs(("pilbup-x-2029",)))
        r = det.check("Ayo coblos Budi Santoso nomor 1!")
        assert r.verdict.value == "kampanye" and r.targets[0].id.startswith("pilbup-x-2029/")
        bad = tmp_path / "bad.csv"
        bad.write_text("kind,number,name,short_name,aliases,slogans_hashtags\npair,,X,X,X,\n")
        res = runner.invoke(app, ["pack", "validate", str(bad)])
        assert res.exit_code == 1 and ":2:" in res.stdout
    finally:
        get_settings.cache_clear()
        load_pack.cache_clear()
