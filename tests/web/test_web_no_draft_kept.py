"""Issue 16: a draft checked through any door of the server — the extension's token call, the
check page, the installed app's share target, the picture check — reaches no database, log,
cache or evidence store.

Two ways: a real ``netral serve`` process whose every output is captured to a file, and the
app in-process with every logger (SQLAlchemy's statement and parameter log included) at
DEBUG. A unique marker in each draft must not appear in any of them, nor in any byte of the
database file, the data, cache and evidence directories."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import free_port, make_app, poster
from web_seed import PASSWORD

from netral.extension import extension_id

EXT = f"chrome-extension://{extension_id()}"


def _grep_tree(root: Path, needle: bytes) -> list[str]:
    hits = []
    for p in root.rglob("*"):
        if p.is_file():
            try:
                if needle in p.read_bytes():
                    hits.append(str(p))
            except OSError:
                continue
    return hits


def _seed_user_and_token(url: str) -> str:
    from argon2 import PasswordHasher

    from netral.review.tokens import issue
    from netral.store.base import make_engine, make_sessionmaker
    from netral.store.migrate import upgrade
    from netral.store.models import Agency, User

    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            agency = Agency(code="uji", name="Instansi Uji")
            db.add(agency)
            db.flush()
            pw = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
            user = User(username="pegawai", password_hash=pw, role="reviewer",
                        agency_id=agency.id)
            db.add(user)
            db.flush()
            _row, plain = issue(db, user, "laptop", created_by="test")
            db.commit()
            return plain
    finally:
        engine.dispose()


def _drafts(marker: str) -> dict[str, str]:
    return {door: f"Ayo coblos nomor 2 {door} {marker}" for door in
            ("extension", "page", "share", "image")}


def _send_everything(base: str, client, token: str, marker: str) -> None:
    d = _drafts(marker)
    r = client.post(f"{base}/api/v1/check", json={"text": d["extension"], "kind": "comment"},
                    headers={"Origin": EXT, "Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["verdict"] == "kampanye", r.text[:300]
    home = client.get(f"{base}/")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    r = client.post(f"{base}/check", data={"csrf_token": csrf, "text": d["page"], "kind": "post"})
    assert r.status_code == 200 and 'data-verdict="kampanye"' in r.text
    r = client.post(f"{base}/share", data={"text": d["share"]})
    assert r.status_code == 200 and 'data-verdict="kampanye"' in r.text
    r = client.post(f"{base}/api/v1/check-image", data={"text": d["image"]},
                    files={"file": ("p.png", poster(), "image/png")})
    assert r.status_code in (200, 503), r.text[:300]  # 503: no Tesseract on this machine
    # failures must not echo the draft into a log either
    r = client.post(f"{base}/api/v1/check", json={"text": d["extension"], "kind": "nope"})
    assert r.status_code == 422 and marker not in r.text
    r = client.post(f"{base}/api/v1/check", json={"text": d["extension"]},
                    headers={"Origin": EXT, "Authorization": "Bearer ntl_revoked"})
    assert r.status_code == 401


@pytest.mark.slow
def test_netral_serve_keeps_no_draft(tmp_path):
    marker = "ZZDRAF" + uuid.uuid4().hex.upper()
    data, ev = tmp_path / "data", tmp_path / "evidence"
    from netral.config import get_settings

    cache = get_settings().cache_dir  # the shared model cache (scanned too)
    url = f"sqlite:///{tmp_path / 'netral.db'}"
    token = _seed_user_and_token(url)
    port = free_port()
    env = {**os.environ, "NETRAL_DATA_DIR": str(data), "NETRAL_EVIDENCE_DIR": str(ev),
           "NETRAL_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "netral.cli", "serve", "--port", str(port),
                                 "--db", url], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/offline", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("netral serve did not start:\n" + log.read_text()[-2000:])
            time.sleep(0.5)
        with httpx.Client(timeout=60) as client:
            _send_everything(base, client, token, marker)
    finally:
        proc.terminate()  # the server this test started, by its own handle
        proc.wait(timeout=30)
    needle = marker.encode()
    assert log.read_bytes().strip(), "the server's output was captured"
    assert needle not in log.read_bytes()
    for p in tmp_path.glob("netral.db*"):  # the database and its journal/WAL files
        assert needle not in p.read_bytes(), p
    assert _grep_tree(data, needle) == [] and _grep_tree(ev, needle) == []
    if cache.is_dir():
        assert _grep_tree(cache, needle) == []


def test_every_logger_at_debug_sees_no_draft(sqlite_db, caplog, tmp_path):
    from netral.review.tokens import issue
    from netral.store.base import make_sessionmaker
    from netral.store.models import User

    marker = "ZZDRAF" + uuid.uuid4().hex.upper()
    app = make_app(sqlite_db[0])
    try:
        with make_sessionmaker(app.state.engine)() as db:
            user = db.query(User).filter_by(username="a_reviewer").one()
            _row, token = issue(db, user, "debug", created_by="test")
            db.commit()
        loggers = ["", "sqlalchemy.engine", "uvicorn", "uvicorn.access", "fastapi", "netral",
                   "httpx", "multipart"]
        saved = {n: logging.getLogger(n).level for n in loggers}
        for n in loggers:
            logging.getLogger(n).setLevel(logging.DEBUG)
        try:
            with caplog.at_level(logging.DEBUG):
                _send_everything("http://testserver", TestClient(app), token, marker)
        finally:
            for n, level in saved.items():
                logging.getLogger(n).setLevel(level)
        text = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
        assert any("SELECT" in r.getMessage() for r in caplog.records), \
            "the SQL log was on (the token lookup is logged), so the test can see statements"
        assert marker not in text
    finally:
        app.state.engine.dispose()
