"""``netral evidence …`` end to end on SQLite and PostgreSQL: keygen, capture, timestamp (local
TSA), export, verify, ledger verify — and the exit statuses."""

from __future__ import annotations

import zipfile

import orjson
import pytest
import typer
from typer.testing import CliRunner

from netral.cli.evidence import register

from .conftest import seed_items


@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:  # keep "evidence" as a sub-command
        pass

    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, ["evidence", *map(str, args)])

    return run


@pytest.fixture
def env(tmp_path, monkeypatch, local_tsa):
    monkeypatch.setenv("NETRAL_EVIDENCE_KEY", str(tmp_path / "keys" / "agency.pem"))
    monkeypatch.setenv("NETRAL_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("NETRAL_TSA_URL", local_tsa.url)
    monkeypatch.setenv("NETRAL_TSA_CA", str(local_tsa.chain_pem))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_full_cli_flow(cli, env, db_url, db_session):
    from netral.store.models import Case, CaseFinding, Finding, Item

    r = cli("keygen")
    assert r.exit_code == 0, r.output
    assert (env / "keys" / "agency.pem").exists() and (env / "keys" / "agency.pub.pem").exists()
    assert "sha256:" in r.output
    assert cli("keygen").exit_code == 2  # never overwrites silently

    ids = seed_items(db_session, env, 3)
    agency_id = db_session.get(Item, ids[0]).agency_id
    f = Finding(agency_id=agency_id, item_id=ids[0])
    db_session.add(f)
    db_session.flush()
    case = Case(agency_id=agency_id, title="Unggahan ajakan memilih")
    db_session.add(case)
    db_session.flush()
    db_session.add(CaseFinding(case_id=case.id, finding_id=f.id))
    db_session.commit()

    r = cli("capture", "--flagged", "--db", db_url, "--json")
    assert r.exit_code == 0, r.output
    assert [d["item"] for d in orjson.loads(r.output)] == [ids[0]]
    r = cli("capture", "--item", ids[1], "--db", db_url)
    assert r.exit_code == 0, r.output
    assert f"Butir {ids[1]} direkam" in r.output

    r = cli("timestamp", "--db", db_url, "--json")
    assert r.exit_code == 0, r.output
    out = orjson.loads(r.output)
    assert out["seq"] == 2 and out["timestamped"] is True

    bundle = env / "semua.zip"
    r = cli("export", bundle, "--all", "--db", db_url)
    assert r.exit_code == 0, r.output
    r = cli("verify", bundle)
    assert r.exit_code == 0, r.output
    assert "SAH" in r.output
    r = cli("verify", bundle, "--lang", "en", "--json")
    assert r.exit_code == 0 and orjson.loads(r.output)["ok"] is True

    r = cli("export", env / "kasus.zip", "--case", case.id, "--db", db_url, "--json")
    assert r.exit_code == 0, r.output
    assert orjson.loads(r.output)["items"] == 1

    # item 3 has no evidence: refused, unless asked to capture it first
    r = cli("export", env / "b3.zip", "--item", ids[2], "--db", db_url)
    assert r.exit_code == 1 and str(ids[2]) in r.output
    r = cli("export", env / "b3.zip", "--item", ids[2], "--capture-missing", "--db", db_url)
    assert r.exit_code == 0, r.output
    assert cli("verify", env / "b3.zip").exit_code == 0

    r = cli("ledger", "verify", "--db", db_url)
    assert r.exit_code == 0, r.output
    assert "3 entri" in r.output

    # alter one evidence file: exit 1, the file is named
    with zipfile.ZipFile(bundle) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    victim = f"items/{ids[1]}/2/text.txt"
    files[victim] = files[victim].replace(b"coblos", b"cobloz")
    bad = env / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    r = cli("verify", bad, "--lang", "en")
    assert r.exit_code == 1
    assert victim in r.output and "ALTERED" in r.output


def test_usage_errors(cli, env, db_url):
    assert cli("verify", env / "nope.zip").exit_code == 2
    assert cli("export", env / "x.zip", "--db", db_url).exit_code == 2  # no scope
    r = cli("export", env / "x.zip", "--all", "--db", db_url)
    assert r.exit_code == 2 and "keygen" in r.output  # no key yet
    cli("keygen")
    r = cli("export", env / "x.zip", "--case", 999, "--db", db_url)
    assert r.exit_code == 1 and "999" in r.output
    r = cli("capture", "--item", 999, "--db", db_url)
    assert r.exit_code == 1 and "999" in r.output
    assert cli("timestamp", "--db", db_url).exit_code == 1  # empty ledger


def test_timestamp_without_tsa_only_signs(cli, env, db_url, db_session, monkeypatch):
    monkeypatch.delenv("NETRAL_TSA_URL")
    cli("keygen")
    ids = seed_items(db_session, env, 1, media=False)
    assert cli("capture", "--item", ids[0], "--db", db_url).exit_code == 0
    r = cli("timestamp", "--db", db_url, "--json")
    assert r.exit_code == 0 and orjson.loads(r.output)["timestamped"] is False
    bundle = env / "b.zip"
    assert cli("export", bundle, "--all", "--db", db_url).exit_code == 0
    assert cli("verify", bundle).exit_code == 0  # valid, with a warning
    r = cli("verify", bundle, "--require-timestamp", "--lang", "en")
    assert r.exit_code == 1 and "timestamp" in r.output


def test_unreachable_tsa_is_a_clear_error(cli, env, db_url, db_session, monkeypatch):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("NETRAL_TSA_URL", f"http://127.0.0.1:{port}/tsa")
    cli("keygen")
    ids = seed_items(db_session, env, 1, media=False)
    assert cli("capture", "--item", ids[0], "--db", db_url).exit_code == 0
    r = cli("export", env / "b.zip", "--all", "--db", db_url, "--lang", "en")
    assert r.exit_code == 1 and "--no-timestamp" in r.output and "Traceback" not in r.output
    assert not (env / "b.zip").exists()
    r = cli("export", env / "b.zip", "--all", "--no-timestamp", "--db", db_url)
    assert r.exit_code == 0, r.output
    assert cli("verify", env / "b.zip").exit_code == 0


def test_purge_command(cli, env, db_url, db_session):
    from sqlalchemy import delete

    from netral.store.models import Item

    cli("keygen")
    ids = seed_items(db_session, env, 2, media=False)
    for i in ids:
        assert cli("capture", "--item", i, "--db", db_url).exit_code == 0
    db_session.execute(delete(Item).where(Item.id == ids[0]))
    db_session.commit()
    r = cli("purge", "--db", db_url, "--json")
    assert r.exit_code == 0 and orjson.loads(r.output)["dry_run"] is True
    assert orjson.loads(r.output)["blobs"] == 3
    r = cli("purge", "--apply", "--db", db_url, "--lang", "en")
    assert r.exit_code == 0 and "Deleted 3 evidence files" in r.output
    assert cli("ledger", "verify", "--db", db_url).exit_code == 0


def test_installed_command_verifies_offline(tmp_path, local_tsa, monkeypatch):
    """The real `netral` entry point (all command groups loaded) checks a bundle with no
    database configured, and exits 1 with a named cause for an altered one."""
    import subprocess
    import sys

    from netral.store.base import make_engine, make_sessionmaker
    from netral.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    from netral.evidence.bundle import Scope, export_bundle
    from netral.evidence.capture import capture_item
    from netral.evidence.filestore import FileStore
    from netral.evidence.keys import generate_key

    store = FileStore(tmp_path / "ev")
    key = generate_key(tmp_path / "k.pem")
    with make_sessionmaker(engine)() as s:
        ids = seed_items(s, tmp_path, 1, media=False)
        capture_item(s, ids[0], store)
        export_bundle(s, tmp_path / "b.zip", Scope("all"), store=store, key=key)
        s.commit()
    engine.dispose()
    env = {"NETRAL_DATABASE_URL": "sqlite:////nonexistent/dir/never.db", "COLUMNS": "200",
           "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-c", "from netral.cli import main; main()", "evidence", "verify"]
    r = subprocess.run([*cmd, str(tmp_path / "b.zip")], capture_output=True, text=True,
                       env=env, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["ringkasan.txt"] = files["ringkasan.txt"].replace(b"Butir", b"Barang", 1)
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    r = subprocess.run([*cmd, str(tmp_path / "bad.zip")], capture_output=True, text=True,
                       env=env, check=False)
    assert r.returncode == 1 and "ringkasan.txt" in r.stdout and "Traceback" not in r.stderr


def test_export_is_audited_with_its_agency(cli, env, db_url, db_session):
    from sqlalchemy import select

    from netral.store.models import AuditLog, Item

    cli("keygen")
    ids = seed_items(db_session, env, 1, media=False)
    assert cli("export", env / "b.zip", "--item", ids[0], "--capture-missing", "--no-timestamp",
               "--db", db_url).exit_code == 0
    db_session.expire_all()
    rows = db_session.execute(select(AuditLog.action, AuditLog.agency_id, AuditLog.object_id)
                              .order_by(AuditLog.id)).all()
    agency = db_session.get(Item, ids[0]).agency_id
    assert ("evidence.capture", agency, str(ids[0])) in rows
    assert ("evidence.export", agency, str(ids[0])) in rows
