"""A real ``netral ingest`` process killed with SIGKILL mid-run and restarted ends with
exactly the same database as an uninterrupted run (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select, text

from netral.evidence.models import LedgerEntry
from netral.store.base import make_engine
from netral.store.migrate import upgrade
from netral.store.models import Account, Detection, Finding, Item, Staff, Unit

N_RECORDS = 800
BATCH = 25
HANDLES = [
    ("twitter", "budi"),
    ("mastodon", "budi@sosial.example"),
    ("instagram", "ani.l"),
    ("twitter", "tidak_terdaftar"),
]
TEXTS = [
    "Ayo coblos nomor {n}! Menangkan paslon {n} #PrabowoGibran",
    "Rapat koordinasi bidang {n} berjalan lancar",
    "Laporan keuangan semester sudah diunggah ({n})",
    "Selamat hari guru untuk semua pendidik ({n})",
    "Jangan lupa datang ke TPS, gunakan hak pilih Anda ({n})",
]


def _source(path: Path) -> Path:
    with path.open("wb") as f:
        for i in range(N_RECORDS):
            platform, handle = HANDLES[i % len(HANDLES)]
            rec = {
                "platform": platform,
                "handle": handle,
                "id": f"k{i:06d}",
                "kind": "comment" if i % 11 == 0 else "post",
                "text": TEXTS[i % len(TEXTS)].format(n=i % 3 + 1),
                "created_at": f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                "collected_at": "2024-02-01T00:00:00Z",
            }
            f.write(orjson.dumps(rec) + b"\n")
    return path


def _netral() -> str:
    exe = Path(sys.executable).with_name("netral")
    assert exe.exists(), f"console script missing: {exe}"
    return str(exe)


def _cmd(src: Path, url: str) -> list[str]:
    return [
        _netral(),
        "ingest",
        str(src),
        "--db",
        url,
        "--batch-size",
        str(BATCH),
        "--sample-rate",
        "0.05",
        "--json",
    ]


def _dump(url: str) -> dict:
    """Everything ingestion derives, keyed by natural keys (surrogate ids and run times
    differ legitimately: PostgreSQL sequences are not rolled back)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "items": conn.execute(
                    select(
                        Item.platform,
                        Item.external_id,
                        Item.kind,
                        Item.text,
                        Item.created_at,
                        Item.collected_at,
                        Item.content_hash,
                        Item.raw,
                        Item.handle,
                        Account.handle.label("acc"),
                        Item.source,
                    )
                    .join(Account, Account.id == Item.account_id)
                    .order_by(Item.platform, Item.external_id)
                ).all(),
                "detections": conn.execute(
                    select(
                        Item.platform,
                        Item.external_id,
                        Detection.detector_version,
                        Detection.pack_version,
                        Detection.verdict,
                        Detection.score,
                        Detection.result,
                    )
                    .join(Item, Item.id == Detection.item_id)
                    .order_by(Item.platform, Item.external_id)
                ).all(),
                "findings": conn.execute(
                    select(
                        Item.platform,
                        Item.external_id,
                        Finding.status,
                        Finding.risk_score,
                        Finding.sampled_as_netral,
                        Staff.nip,
                        Detection.pack_version,
                    )
                    .join(Item, Item.id == Finding.item_id)
                    .join(Detection, Detection.id == Finding.detection_id)
                    .outerjoin(Staff, Staff.id == Finding.staff_id)
                    .order_by(Item.platform, Item.external_id)
                ).all(),
                "captured": conn.execute(
                    select(Item.platform, Item.external_id, func.count(LedgerEntry.seq))
                    .join(Item, Item.id == LedgerEntry.item_id)
                    .where(LedgerEntry.kind == "capture")
                    .group_by(Item.platform, Item.external_id)
                    .order_by(Item.platform, Item.external_id)
                ).all(),
                "counts": {
                    t.__tablename__: conn.scalar(select(func.count()).select_from(t))
                    for t in (Item, Detection, Finding, Staff, Account, Unit)
                },
            }
    finally:
        engine.dispose()


def _prepare(url: str, roster: Path) -> None:
    from netral.store.base import make_sessionmaker
    from netral.store.roster import import_roster

    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        assert import_roster(s, roster, agency_code="uji", create_units=True).applied
    engine.dispose()


def _second_url(db_url: str, tmp_path: Path) -> tuple[str, callable]:
    """A second empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'second.db'}", lambda: None
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    u = make_url(db_url)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(u.set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    url = u.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), drop


def _count_items(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Item))
    except Exception:
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
def test_sigkill_mid_run_then_restart_equals_uninterrupted(empty_db_url, roster_csv, tmp_path, monkeypatch):
    src = _source(tmp_path / "source.jsonl")
    env = {**os.environ, "NETRAL_DATA_DIR": str(tmp_path / "data")}
    ref_url = empty_db_url
    kill_url, cleanup = _second_url(ref_url, tmp_path)
    try:
        _prepare(ref_url, roster_csv)
        _prepare(kill_url, roster_csv)

        # The uninterrupted reference run: the same command, in this process.
        from typer.testing import CliRunner

        from netral.cli import app
        from netral.config import get_settings

        monkeypatch.setenv("NETRAL_DATA_DIR", env["NETRAL_DATA_DIR"])
        get_settings.cache_clear()
        try:
            done = CliRunner().invoke(app, _cmd(src, ref_url)[1:])
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
        assert done.exit_code == 0, done.output
        first = orjson.loads(done.stdout)
        assert first["items_new"] == N_RECORDS * 3 // 4 and first["flagged"] > 0

        proc = subprocess.Popen(
            _cmd(src, kill_url), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 120
        seen = 0
        while time.monotonic() < deadline and proc.poll() is None:
            seen = _count_items(kill_url)
            if seen >= 5 * BATCH:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        killed_at = _count_items(kill_url)
        assert 0 < killed_at < N_RECORDS * 3 // 4, killed_at  # really mid-run
        # only whole batches were committed (every 4th record is not on the roster)
        whole = {sum(1 for i in range(k * BATCH) if i % 4 != 3) for k in range(N_RECORDS)}
        assert killed_at in whole, killed_at

        resumed = subprocess.run(_cmd(src, kill_url), env=env, capture_output=True, timeout=600)
        assert resumed.returncode == 0, resumed.stderr.decode()
        again = orjson.loads(resumed.stdout)
        assert again["items_existing"] == killed_at
        assert again["items_new"] == N_RECORDS * 3 // 4 - killed_at

        assert _dump(kill_url) == _dump(ref_url)
        # the killed run does not stay "running" forever: the restart closed it as aborted
        from sqlalchemy import select as _select

        from netral.store.base import make_engine
        from netral.store.models import IngestRun

        engine = make_engine(kill_url)
        try:
            with engine.connect() as conn:
                runs = conn.execute(_select(IngestRun.finished_at, IngestRun.counts)
                                    .order_by(IngestRun.id)).all()
        finally:
            engine.dispose()
        assert all(finished for finished, _ in runs)
        assert [c.get("aborted", "").split(":")[0] for _, c in runs][-2:] == ["interrupted", ""]

    finally:
        cleanup()
