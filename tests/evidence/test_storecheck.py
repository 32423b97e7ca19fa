"""The evidence store check (issue 19): stale temporary files of killed writes, objects no
capture refers to, and objects a capture refers to that are missing."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import orjson
from typer.testing import CliRunner

from netral.evidence.capture import capture_item
from netral.evidence.storecheck import check_store, sweep_temp

from .conftest import seed_items

OLD = time.time() - 2 * 3600


def _age(path, when=OLD):
    os.utime(path, (when, when))


def test_stale_temp_unreferenced_and_missing(db_session, tmp_path, file_store, signing_key):
    ids = seed_items(db_session, tmp_path, n=2)
    entry = capture_item(db_session, ids[0], file_store)
    db_session.commit()
    assert check_store(db_session, file_store).clean
    cited = [f["sha256"] for f in orjson.loads(entry.body)["files"]]
    # a write killed mid-way, an orphan of a crash before the ledger commit, a fresh orphan
    shard = file_store.path_for(cited[0]).parent
    stale = shard / ".tmp-killed"
    stale.write_bytes(b"x" * 100)
    _age(stale)
    live = shard / ".tmp-writing-now"
    live.write_bytes(b"y")
    orphan = file_store.put(b"orphan of a crash")
    _age(file_store.path_for(orphan))
    fresh = file_store.put(b"blob of a capture still running")
    # one cited blob lost from disk
    lost = file_store.path_for(cited[-1])
    os.chmod(lost, 0o644)
    lost.unlink()

    report = check_store(db_session, file_store)
    assert report.stale_temp == [str(stale.relative_to(file_store.root))]
    assert report.unreferenced == [orphan] and fresh not in report.unreferenced
    assert report.missing == [cited[-1]] and not report.clean
    assert stale.exists()  # a check alone removes nothing

    fixed = check_store(db_session, file_store, fix=True)
    assert fixed.removed == 2 and not stale.exists() and not file_store.has(orphan)
    assert live.exists() and file_store.has(fresh)  # nothing younger than an hour is touched
    assert check_store(db_session, file_store).missing == [cited[-1]]


def test_sweep_before_capture_only_takes_old_temp_files(file_store):
    file_store.put(b"a blob")
    shard = next((file_store.root / "objects").glob("*/*"))
    old, new = shard / ".tmp-old", shard / ".tmp-new"
    old.write_bytes(b"1")
    new.write_bytes(b"2")
    _age(old)
    assert sweep_temp(file_store).removed == 1 and not old.exists() and new.exists()
    assert sweep_temp(file_store, min_age=timedelta(0)).removed == 1


def test_cli_check_store(db_url, tmp_path, monkeypatch):
    from netral.cli import app
    from netral.evidence.filestore import FileStore

    monkeypatch.setenv("NETRAL_EVIDENCE_DIR", str(tmp_path / "store"))
    store = FileStore(tmp_path / "store")
    orphan = store.put(b"orphan")
    _age(store.path_for(orphan))
    res = CliRunner().invoke(app, ["evidence", "check-store", "--db", db_url, "--json"])
    assert res.exit_code == 1 and orjson.loads(res.stdout)["unreferenced"] == [orphan]
    res = CliRunner().invoke(app, ["evidence", "check-store", "--db", db_url, "--fix"])
    assert res.exit_code == 0 and not store.has(orphan)
    res = CliRunner().invoke(app, ["evidence", "check-store", "--db", db_url])
    assert res.exit_code == 0 and "bersih" in res.stdout
