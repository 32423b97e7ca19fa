"""What a plain core install (`pip install netral`, no extras) can do (issue 15, problems 2
and 8): `check`, `scan` and `audit` work; commands of an extra that is not installed end in
one line that names the extra, never a traceback.

The core install is emulated by running the CLI with the extras' modules made unfindable
(``without_extras.py``); ``make test`` from a fresh clone and bench/bench_install_size.py
check real installs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import netral

RUNNER = Path(__file__).with_name("without_extras.py")
SRC = Path(netral.__file__).resolve().parents[1]


def run(*args: str, blocked: str = "extras", cwd: Path | None = None,
        timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "120"}
    return subprocess.run([sys.executable, str(RUNNER), blocked, *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=timeout)


def one_clear_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_check_scan_and_audit_run_on_the_core(tmp_path: Path) -> None:
    proc = run("check", "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran", "--json")
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["verdict"] == "kampanye"
    assert result["model_score"] > 0.5  # the text model ran, on numpy alone

    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(
        ["Coblos nomor 3 ya!", "Selamat pagi rekan-rekan", "Jadwal pemungutan suara 14 Feb"])),
        encoding="utf-8")
    proc = run("scan", str(posts), "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(rows) == 3 and rows[0]["verdict"] == "kampanye"

    proc = run("demo-export", str(tmp_path / "demo"))
    assert proc.returncode == 0, proc.stderr
    proc = run("audit", str(tmp_path / "demo"), "-o", str(tmp_path / "laporan.html"))
    assert proc.returncode == 1, proc.stderr  # the demo export has findings
    assert (tmp_path / "laporan.html").stat().st_size > 10_000
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [["check", "--image", "x.png"], ["check-image", "x.png"]])
def test_pictures_without_the_images_extra_say_so_in_one_line(args: list[str]) -> None:
    line = one_clear_line(run(*args))
    assert "pip install 'netral[images]'" in line


def test_image_support_missing_is_named_even_when_pillow_is_there() -> None:
    line = one_clear_line(run("check-image", "x.png", blocked="pytesseract,cv2,imagehash"))
    assert "pytesseract" in line and "pip install 'netral[images]'" in line


@pytest.mark.parametrize(("args", "extra"), [
    (["serve"], "web"),
    (["db", "upgrade"], "web"),
    (["evidence", "verify", "paket.zip"], "web"),
    (["ingest", "collected.jsonl"], "web"),
])
def test_agency_commands_without_the_web_extra_name_it(args: list[str], extra: str) -> None:
    line = one_clear_line(run(*args))
    assert f"pip install 'netral[{extra}]'" in line


def test_spark_without_pyspark_prints_the_whole_install_hint(tmp_path: Path) -> None:
    """Rich markup used to eat '[spark]': the hint read pip install 'netral'."""
    posts = tmp_path / "p.jsonl"
    posts.write_text('{"text": "x"}\n', encoding="utf-8")
    for args in (["spark-scan", str(posts), "-o", str(tmp_path / "o")],
                 ["scan", "--engine", "spark", str(posts), "-o", str(tmp_path / "o2")]):
        proc = run(*args, blocked="pyspark,pyarrow")
        assert proc.returncode == 2
        assert "pip install 'netral[spark]'" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_help_lists_every_command_on_the_core() -> None:
    proc = run("--help")
    assert proc.returncode == 0, proc.stderr
    for name in ("check", "scan", "audit", "serve", "evidence", "spark-scan", "check-image"):
        assert name in proc.stdout
