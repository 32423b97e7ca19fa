"""What the terminal shows (issue 15, problem 2): no text lost to Rich markup, `--version`,
`--lang` limited to id/en, a verdict headline that is never cut, a scan progress bar with a
percentage and an ETA."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import netral
from netral.cli import app

SRC = Path(netral.__file__).resolve().parents[1]
ROOT = SRC.parent
runner = CliRunner()


def netral_cli(*args: str, env: dict[str, str] | None = None,
               timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "netral.cli", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_uncertain_legal_points_reach_the_terminal() -> None:
    """The README's promise: points marked uncertain are shown as [belum pasti]."""
    result = netral.check("Timnas AMIN Kabupaten", kind="follow")
    assert any("[belum pasti]" in r.rule_ref for r in result.reasons)
    res = runner.invoke(app, ["check", "Timnas AMIN Kabupaten", "--kind", "follow"])
    assert res.exit_code == 1
    assert "[belum pasti]" in res.stdout
    en = runner.invoke(app, ["check", "Timnas AMIN Kabupaten", "--kind", "follow", "--lang", "en"])
    assert "[uncertain]" in en.stdout


def test_square_brackets_in_the_users_text_are_kept() -> None:
    text = "Coblos [bold]nomor 2[/bold] ya, [red]pasti menang[/] #PrabowoGibran"
    res = runner.invoke(app, ["check", text])
    assert res.exit_code == 1
    assert text in res.stdout


def test_version() -> None:
    proc = netral_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"netral {netral.__version__}"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{netral.__version__}"' in pyproject


@pytest.mark.parametrize("args", [
    ["check", "Ayo coblos nomor 2"],
    ["check-image", "poster.png"],
    ["audit", "ekspor.zip"],
    ["demo-export", "demo"],
    ["db", "check"],
    ["evidence", "verify", "paket.zip"],
    ["spark-scan", "posts.jsonl", "-o", "hasil"],
])
def test_unknown_language_is_refused(args: list[str]) -> None:
    res = runner.invoke(app, [*args, "--lang", "fr"])
    assert res.exit_code == 2
    out = flat(res.output)
    assert "--lang" in out and "'fr'" in out and "id atau en" in out


def test_verdict_headline_is_whole_at_80_columns() -> None:
    text = ("Relawan Ganjar-Mahfud Kecamatan Sukamaju mengajak warga datang ke TPS dan "
            "coblos nomor 3, salam tiga jari! #GanjarMahfud2024")
    summary = netral.check(text).summary
    assert len(summary) > 80
    proc = netral_cli("check", text, env={"COLUMNS": "80"})
    assert proc.returncode == 1, proc.stderr
    assert flat(summary) in flat(proc.stdout)
    assert "…" not in proc.stdout.splitlines()[0]


def test_the_whole_post_shows_at_80_columns() -> None:
    # the post's panel wrapped nothing before: a soft-wrapping console cropped it to the first
    # line, so the highlighted call at the end of a long post was never on screen
    text = ("Ini unggahan yang panjang tentang kegiatan kantor minggu ini, rapat koordinasi dan "
            "pelayanan warga di kelurahan, lalu di ujungnya ajakan: coblos nomor 3 ya!")
    proc = netral_cli("check", text, env={"COLUMNS": "80"})
    assert proc.returncode == 1, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("│")]
    assert len(rows) >= 2 and all(len(line) <= 80 for line in rows)
    assert "coblos nomor 3 ya!" in flat(" ".join(line.strip("│ ") for line in rows))


def test_scan_progress_shows_percentage_and_eta(tmp_path: Path) -> None:
    posts = tmp_path / "posts.jsonl"
    texts = ["Coblos nomor 3 ya!", "Selamat pagi rekan-rekan", "Jadwal pemungutan suara 14 Feb"]
    posts.write_text("".join(json.dumps({"id": i, "text": texts[i % 3]}) + "\n"
                             for i in range(3000)), encoding="utf-8")
    # a terminal, as the user has: Rich draws the live bar on stderr
    proc = netral_cli("scan", str(posts), "-o", str(tmp_path / "out.jsonl"),
                      env={"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "160"})
    assert proc.returncode == 0, proc.stderr
    bar = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", proc.stderr)
    assert re.search(r"\b100%", bar), bar[-2000:]
    assert "sisa / ETA" in bar
    assert "3,000 baris" in bar


def test_every_command_is_registered_by_the_module_the_map_names() -> None:
    """The lazy command table (netral.cli.COMMANDS) matches what each module registers."""
    import importlib

    import typer

    from netral.cli import COMMANDS

    for module in set(COMMANDS.values()):
        sub = typer.Typer()
        importlib.import_module(f"netral.cli.{module}").register(sub)
        registered = {c.name for c in sub.registered_commands} | \
                     {g.name for g in sub.registered_groups}
        assert registered == {n for n, m in COMMANDS.items() if m == module}, module
