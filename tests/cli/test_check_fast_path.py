"""`netral check`'s fast path (issue 15): a plain command line is parsed from the same
parameter table typer's command is made from and answered without importing typer; anything
else goes to typer. Both must give the same output and exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import netral
from netral.cli import app
from netral.cli.check import PARAMS, parse

SRC = Path(netral.__file__).resolve().parents[1]
TEXT = "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran"


def test_typer_command_is_made_from_the_table() -> None:
    import typer

    from netral.cli.check import register

    sub = typer.Typer()
    register(sub)
    cmd = typer.main.get_group(sub).commands["check"]  # as netral.cli._app.LazyGroup takes it
    got = {p.name: (tuple(p.opts), p.default) for p in cmd.params}
    want = {p.name: (p.flags or (p.name,), p.default) for p in PARAMS}
    assert got == want


@pytest.mark.parametrize("args", [
    [TEXT], [TEXT, "--json"], ["--json", TEXT], [TEXT, "--kind", "comment"],
    [TEXT, "-k", "bio"], [TEXT, "--kind=share", "--lang=en"], [TEXT, "--date", "2024-01-20"],
    [TEXT, "--account", "official", "--employee", "pppk", "--pack", "pemilu-2024"],
    ["Timnas AMIN Kabupaten", "--kind", "follow", "--json"],
])
def test_plain_command_lines_answer_as_typer_does(args: list[str], tmp_path: Path) -> None:
    assert parse(args) is not None
    typer_out = CliRunner().invoke(app, ["check", *args])
    fast = subprocess.run([sys.executable, "-m", "netral.cli", "check", *args],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "80"},
                          timeout=120)
    assert fast.returncode == typer_out.exit_code
    if "--json" in args:
        assert fast.stdout == typer_out.stdout


@pytest.mark.parametrize("args", [
    ["--help"], [TEXT, "--help"], [TEXT, "--lang", "fr"], [TEXT, "--kind"], [TEXT, "extra"],
    ["--", TEXT], [TEXT, "-kpost"], [TEXT, "--json=yes"], [TEXT, "--kind", "a", "--kind", "b"],
    [TEXT, "--unknown", "x"], [TEXT, "--kind", "--json"],
])
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    assert parse(args) is None


def test_errors_found_by_the_command_exit_the_same_way(tmp_path: Path) -> None:
    for args in (["   "], [TEXT, "--account", "x"], ["--file", str(tmp_path / "absent.txt")]):
        typer_out = CliRunner().invoke(app, ["check", *args])
        fast = subprocess.run([sys.executable, "-m", "netral.cli", "check", *args],
                              capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
        assert fast.returncode == typer_out.exit_code == 2
        assert fast.stderr.startswith("netral:")


def test_a_plain_check_imports_no_typer(tmp_path: Path) -> None:
    probe = ("import sys; sys.argv = ['netral', 'check', sys.argv[1]]\n"
             "from netral.cli import main\n"
             "try:\n    main()\nexcept SystemExit as e:\n"
             "    print('typer' in sys.modules, e.code)")
    out = subprocess.run([sys.executable, "-c", probe, TEXT], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False 1"
