"""The store commands through the real CLI (Typer app), on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import orjson
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.cli import app
from netral.store.base import make_engine
from netral.store.models import Case, CaseStatus, Finding, Staff, User

runner = CliRunner()

GOOD = "198501012010011001,Budi,Analis,PNS,Sekretariat,twitter,budi\n"
BAD = "123,Salah,Analis,PNS,Sekretariat,twitter,budi2\n"
HEADER = "NIP,nama,jabatan,kelas,unit,platform,akun\n"


def _run(*args: str):
    res = runner.invoke(app, list(args))
    res.text = " ".join(res.output.split())  # Rich wraps long lines
    return res


def test_db_upgrade_and_check(empty_db_url):
    res = _run("db", "upgrade", "--db", empty_db_url)
    assert res.exit_code == 0, res.output
    from netral.store.migrate import head_revision

    assert head_revision() in res.text
    res = _run("db", "check", "--db", empty_db_url, "--lang", "en")
    assert res.exit_code == 0 and "matches the models" in res.text


def test_commands_refuse_unmigrated_database(empty_db_url, tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text("{}\n")
    res = _run("ingest", str(src), "--db", empty_db_url, "--no-scan")
    assert res.exit_code == 2
    assert "netral db upgrade" in res.text and "Traceback" not in res.text


def test_roster_import_cli_dry_run_and_errors(db_url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    res = _run(
        "roster",
        "import",
        str(bad),
        "--db",
        db_url,
        "--agency",
        "a",
        "--dry-run",
        "--create-units",
        "--lang",
        "en",
    )
    assert res.exit_code == 2
    assert "Row" in res.text and "NIP must be 18 digits" in res.text
    assert "Dry run" in res.text
    res = _run("roster", "import", str(bad), "--db", db_url, "--agency", "a", "--create-units")
    assert res.exit_code == 2 and "dibatalkan" in res.text
    res = _run(
        "roster",
        "import",
        str(bad),
        "--db",
        db_url,
        "--agency",
        "a",
        "--create-units",
        "--skip-invalid",
        "--json",
    )
    assert res.exit_code == 0, res.output
    data = orjson.loads(res.stdout)
    assert data["applied"] and data["counts"]["staff_created"] == 1
    assert [(p["row"], p["code"]) for p in data["problems"]] == [(3, "nip_length")]
    res = _run("roster", "import", str(tmp_path / "missing.csv"), "--db", db_url)
    assert res.exit_code == 2 and "missing.csv" in res.text


def test_ingest_cli_errors_are_clear(db_url, tmp_path):
    res = _run("ingest", str(tmp_path / "nope.jsonl"), "--db", db_url, "--no-scan")
    assert res.exit_code == 2 and "nope.jsonl" in res.text and "Traceback" not in res.text
    res = _run("ingest", "x", "--connector", "myspace", "--db", db_url, "--no-scan")
    assert res.exit_code == 2 and "activitypub" in res.text
    weird = tmp_path / "data.xml"
    weird.write_text("<x/>")
    res = _run("ingest", str(weird), "--db", db_url, "--no-scan", "--lang", "en")
    assert res.exit_code == 2 and "unknown file type" in res.text


@pytest.mark.slow
def test_demo_seed_purge_rescan(db_url):
    t0 = time.perf_counter()
    res = _run("demo-seed", "--db", db_url, "--json")
    elapsed = time.perf_counter() - t0
    assert res.exit_code == 0, res.output
    summary = orjson.loads(res.stdout)
    assert summary["totals"]["staff"] == 44 and summary["totals"]["users"] == 5
    assert summary["ingest"]["unmatched"] == 10
    assert summary["review"]["confirmed"] > 0 and summary["review"]["cases"] == 1
    print(f"demo-seed took {elapsed:.1f}s")
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            counts = (
                conn.scalar(select(func.count()).select_from(Staff)),
                conn.scalar(select(func.count()).select_from(Finding)),
                conn.scalar(select(func.count()).select_from(User)),
            )
            case = conn.execute(select(Case.status, Case.due_at)).one()
        assert case.status == CaseStatus.CLARIFICATION.value and case.due_at is not None
        from argon2 import PasswordHasher

        from netral.demo.seed import DEMO_USERS

        with engine.connect() as conn:
            h = conn.scalar(select(User.password_hash).where(User.username == "reviewer"))
        assert h.startswith("$argon2") and PasswordHasher().verify(h, DEMO_USERS["reviewer"][0])
        # seeding again changes nothing
        res = _run("demo-seed", "--db", db_url, "--json")
        assert res.exit_code == 0
        assert orjson.loads(res.stdout)["ingest"]["items_new"] == 0
        with engine.connect() as conn:
            assert counts == (
                conn.scalar(select(func.count()).select_from(Staff)),
                conn.scalar(select(func.count()).select_from(Finding)),
                conn.scalar(select(func.count()).select_from(User)),
            )
    finally:
        engine.dispose()
    res = _run("purge", "--db", db_url, "--lang", "en")
    assert res.exit_code == 0 and "dry run" in res.text and "pemkab-contoh" in res.text
    res = _run("rescan", "--db", db_url, "--agency", "pemkab-contoh", "--json")
    assert res.exit_code == 0 and orjson.loads(res.stdout)["scanned"] == 0
    res = _run("rescan", "--db", db_url, "--agency", "tidak-ada")
    assert res.exit_code == 2
