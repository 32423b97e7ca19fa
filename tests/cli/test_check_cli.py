"""`netral check` as a user runs it: exit codes, JSON, bad input."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from netral.cli import app

runner = CliRunner()


def test_kampanye_exit_1_and_json() -> None:
    res = runner.invoke(app, ["check", "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran", "--json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data["verdict"] == "kampanye"
    assert any(t["id"] == "pemilu-2024/pair-2" for t in data["targets"])


def test_netral_exit_0_and_rich_output() -> None:
    res = runner.invoke(app, ["check", "Jadwal pemungutan suara 14 Februari 2024, "
                                       "jangan lupa datang ke TPS ya"])
    assert res.exit_code == 0
    assert "NETRAL" in res.stdout


def test_english_and_file_input(tmp_path) -> None:
    f = tmp_path / "draft.txt"
    f.write_text("Coblos 03 Ganjar-Mahfud!", encoding="utf-8")
    res = runner.invoke(app, ["check", "--file", str(f), "--lang", "en"])
    assert res.exit_code == 1
    assert "Advice" in res.stdout


def test_stdin_dash() -> None:
    res = runner.invoke(app, ["check", "-", "--json"], input="Selamat pagi rekan-rekan")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["verdict"] == "netral"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (b"   \n", "kosong"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "biner"),
        (b"Ayo coblos \xff\xfe nomor 2", "UTF-8"),
    ],
)
def test_bad_input_is_a_clear_error_without_traceback(tmp_path, data: bytes, message: str) -> None:
    f = tmp_path / "in.txt"
    f.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "netral.cli", "check", "--file", str(f)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_5mb_line_is_handled(tmp_path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(("kerja bakti minggu pagi " * 220_000) + "coblos nomor 2", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "netral.cli", "check", "--file", str(f), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1)
    assert "Traceback" not in proc.stderr
    assert "100,000" in proc.stderr  # the user is told only the start was checked
    assert json.loads(proc.stdout)["verdict"] in ("netral", "tinjau", "kampanye")


def test_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["check", "halo", "--kind", "retweet"]).exit_code == 2
    assert runner.invoke(app, ["check", "halo", "--date", "besok"]).exit_code == 2
    assert runner.invoke(app, ["check", "halo", "--account", "dinas"]).exit_code == 2
