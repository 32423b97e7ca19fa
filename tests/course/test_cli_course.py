"""`netral course export | validate | import`: the bank as JSONL, an agency's own items."""

from __future__ import annotations

from typer.testing import CliRunner

from netral.cli import app

runner = CliRunner()


def test_export_validate_import(tmp_path, monkeypatch):
    out = tmp_path / "bank.jsonl"
    r = runner.invoke(app, ["course", "export", "-o", str(out)])
    assert r.exit_code == 0, r.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 80
    assert runner.invoke(app, ["course", "validate", str(out)]).exit_code == 0
    mine = tmp_path / "mine.jsonl"
    mine.write_text("\n".join(x.replace('"id": "q0', '"id": "agency-0') for x in lines[:2]) + "\n",
                    encoding="utf-8")
    target = tmp_path / "agency.jsonl"
    monkeypatch.setenv("NETRAL_COURSE_ITEMS", str(target))
    r = runner.invoke(app, ["course", "import", str(mine)])
    assert r.exit_code == 0, r.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    r = runner.invoke(app, ["course", "import", str(mine)])  # the same ids again
    assert r.exit_code == 2 and "agency-001" in r.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2  # nothing half-imported


def test_bad_line_is_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('\n{"id": "x", "act": "post"}\n', encoding="utf-8")
    r = runner.invoke(app, ["course", "validate", str(bad)])
    assert r.exit_code == 2 and f"{bad}:2 (x): missing" in r.output
    assert "Traceback" not in r.output
