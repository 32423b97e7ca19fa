"""Remote data never names a local file (issue 14, High).

A feed's enclosures, an ActivityPub attachment or a collector record's ``media`` are written by
strangers. On main 2f19f83 an RSS ``<enclosure url="file:///proc/self/environ"/>`` ingested with
default capture put the process environment, the evidence signing key and (on SQLite) the
database into the bundle an auditor downloads. These tests run the same attack through the CLI
and check the bundle byte by byte, then the gate's rules one by one."""

from __future__ import annotations

import json
import os
import zipfile

import pytest
from typer.testing import CliRunner

from netral.cli import app
from netral.evidence.media import MAX_MEDIA_BYTES, classify, read_media

SECRET = b"-----SECRET-MARKER-6b1f-----"

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Blog Citra</title><link>{base}/blog/citra</link>
<item><title>Pilihan saya</title><link>{base}/blog/citra/2</link><guid>{base}/blog/citra/2</guid>
<pubDate>Tue, 23 Jan 2024 08:00:00 +0700</pubDate>
<description>Ayo coblos nomor 3, Ganjar-Mahfud sat set! #GanjarMahfud</description>
{enclosures}</item></channel></rss>"""


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Key, store and a planted secret in the data directory the process really uses."""
    from netral.config import get_settings

    data = tmp_path / "data"
    monkeypatch.setenv("NETRAL_DATA_DIR", str(data))
    monkeypatch.delenv("NETRAL_EVIDENCE_KEY", raising=False)
    monkeypatch.delenv("NETRAL_EVIDENCE_DIR", raising=False)
    monkeypatch.delenv("NETRAL_TSA_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    (data / "web-secret.key").parent.mkdir(parents=True, exist_ok=True)
    (data / "web-secret.key").write_bytes(SECRET)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(SECRET)
    yield tmp_path
    get_settings.cache_clear()


def _run(*args: str):
    r = CliRunner().invoke(app, list(args))
    assert "Traceback" not in r.output, r.output
    return r


def _bundle_bytes(path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return b"".join(zf.read(n) for n in zf.namelist())


def _hostile_refs(env) -> list[str]:
    data = env / "data"
    return [
        "file:///proc/self/environ",
        "file:///etc/passwd",
        "/etc/passwd",
        str(data / "keys" / "evidence-ed25519.pem"),
        f"file://{data / 'keys' / 'evidence-ed25519.pem'}",
        str(data / "web-secret.key"),
        "../outside.txt",
        "media/../../outside.txt",
        "..\\outside.txt",
        "~/.ssh/id_rsa",
        "C:/Windows/win.ini",
    ]


def test_feed_enclosures_naming_local_files_never_reach_a_bundle(env, roster_engine, db_url,
                                                                  http_server):
    base = http_server.base
    enclosures = "".join(f'<enclosure url="{r}" type="image/jpeg" length="1"/>'
                         for r in _hostile_refs(env))
    http_server.routes["/blog/citra"] = ("application/rss+xml",
                                         FEED.format(base=base, enclosures=enclosures).encode())
    assert _run("evidence", "keygen").exit_code == 0
    key = (env / "data" / "keys" / "evidence-ed25519.pem").read_bytes()
    r = _run("ingest", f"{base}/blog/citra", "--connector", "rss", "--platform", "rss",
             "--handle", "http://127.0.0.1/blog/citra", "--db", db_url, "--json")
    assert r.exit_code in (0, 1), r.output
    assert _run("evidence", "capture", "--flagged", "--db", db_url).exit_code in (0, 1)
    out = env / "bundle.zip"
    r = _run("evidence", "export", "--all", "--no-timestamp", str(out), "--db", db_url)
    assert r.exit_code == 0, r.output
    blob = _bundle_bytes(out)
    assert key not in blob and b"PRIVATE KEY" not in blob
    assert SECRET not in blob and b"root:x:0:0" not in blob
    assert os.environ.get("NETRAL_DATA_DIR", "").encode() + b"\x00" not in blob
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert not [n for n in names if "/media/" in n], names
        metas = [json.loads(zf.read(n)) for n in names if n.endswith("meta.json")]
    refused = {m["ref"]: m["why"] for meta in metas for m in meta["media_not_fetched"]}
    assert set(_hostile_refs(env)) <= set(refused), refused
    assert _run("evidence", "verify", str(out)).exit_code == 0


def test_collector_media_only_from_its_media_folder(env, roster_engine, db_url):
    """A collector JSONL may name pictures in the ``media/`` folder beside it; anything else,
    including a link planted in that folder, is refused and said why."""
    collector = env / "collector"
    (collector / "media" / "sub").mkdir(parents=True)
    (collector / "media" / "foto.jpg").write_bytes(b"\xff\xd8\xffREAL-PHOTO\xff\xd9")
    (collector / "media" / "sub" / "dua.jpg").write_bytes(b"\xff\xd8\xffSECOND\xff\xd9")
    (collector / "media" / "kunci.jpg").symlink_to(env / "data" / "web-secret.key")
    (collector / "media" / "lewat").symlink_to(env, target_is_directory=True)
    (collector / "outside.jpg").write_bytes(SECRET)
    os.mkfifo(collector / "media" / "pipa.jpg")
    refs = ["media/foto.jpg", "sub/dua.jpg", "media/kunci.jpg", "media/lewat/outside.txt",
            "outside.jpg", "media/pipa.jpg", *_hostile_refs(env)]
    rec = {"platform": "twitter", "handle": "@budi", "id": "m-1",
           "text": "Ayo coblos nomor 2! #PrabowoGibran", "created_at": "2024-01-20T01:00:00Z",
           "media": refs}
    src = collector / "collected.jsonl"
    src.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    assert _run("evidence", "keygen").exit_code == 0
    r = _run("ingest", str(src), "--db", db_url)
    assert r.exit_code in (0, 1), r.output
    assert _run("evidence", "capture", "--flagged", "--db", db_url).exit_code in (0, 1)
    out = env / "bundle.zip"
    assert _run("evidence", "export", "--all", "--no-timestamp", str(out),
                "--db", db_url).exit_code == 0
    blob = _bundle_bytes(out)
    assert SECRET not in blob and b"PRIVATE KEY" not in blob and b"root:x:0:0" not in blob
    with zipfile.ZipFile(out) as zf:
        media = sorted(n.rsplit("/", 1)[1] for n in zf.namelist() if "/media/" in n)
        [meta] = [json.loads(zf.read(n)) for n in zf.namelist() if n.endswith("meta.json")]
    assert media == ["01-foto.jpg", "02-dua.jpg"]
    why = {m["ref"]: m["why"] for m in meta["media_not_fetched"]}
    assert "symbolic link" in why["media/kunci.jpg"]
    assert "symbolic link" in why["media/lewat/outside.txt"]
    assert "not a regular file" in why["media/pipa.jpg"]
    assert "not found" in why["outside.jpg"]


def test_gate_rules(tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    (root / "a.jpg").write_bytes(b"x")
    data = tmp_path / "data"
    (data / "keys").mkdir(parents=True)
    (data / "keys" / "k.pem").write_bytes(SECRET)
    assert classify("a.jpg", root, []).readable
    assert classify({"path": "media/a.jpg"}, root, []).readable
    assert classify({"url": "https://cdn.example/a.jpg"}, root, []).remote
    assert not classify("a.jpg", None, []).readable  # remote source: no local folder at all
    assert "NUL" in classify("a\x00.jpg", root, []).refused
    assert "media folder itself" in classify("media", root, []).refused
    # a media folder that reaches into netral's own data is refused by the protected list
    assert "own data" in classify("keys/k.pem", data, [data.resolve()]).refused
    # the media folder itself may not be a link
    link_root = tmp_path / "linked"
    link_root.symlink_to(root, target_is_directory=True)
    assert "symbolic link" in classify("a.jpg", link_root, []).refused
    big = root / "big.jpg"
    with big.open("wb") as fh:
        fh.truncate(MAX_MEDIA_BYTES + 1)
    assert "MiB" in classify("big.jpg", root, []).refused
    assert read_media(root / "a.jpg") == b"x"
