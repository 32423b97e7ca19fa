"""Hostile and odd exports (issue 14, self-audit): each ends quickly in bounded memory, keeps
the report for what is readable, and names the bad file and why. Inputs are built here,
synthetically; the WhatsApp chat is a real sample (tests/fixtures/exports/real/whatsapp,
Pustur/whatsapp-chat-parser, MIT)."""

from __future__ import annotations

import json
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from netral.audit import run_audit
from netral.audit.pipeline import AuditOptions

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "real"
CHAT = (REAL / "whatsapp" / "pustur_short_chat_ddmmyyyy_24h_multiline.txt").read_bytes()
PFX = b"window.YTD.tweets.part0 = "
SRC = Path(__file__).resolve().parents[2] / "src"


def _tweets(n: int, text: str = "tweet nomor {i}") -> bytes:
    return PFX + json.dumps([{"tweet": {
        "id_str": str(i), "created_at": "Fri Dec 01 02:00:00 +0000 2023",
        "full_text": text.format(i=i), "entities": {}}} for i in range(n)]).encode()


def _likes(n: int) -> bytes:
    return b"window.YTD.like.part0 = " + json.dumps(
        [{"like": {"tweetId": str(i), "fullText": f"suka {i}"}} for i in range(n)]).encode()


def _opts() -> AuditOptions:
    return AuditOptions(images=False, me=["Pustur"])


def _problems(report) -> dict[str, tuple[str, str | None]]:
    return {(p.file.rsplit("!", 1)[-1] if "!" in p.file else p.file.rsplit("/", 1)[-1]):
            (p.code, p.position) for p in report.problems}


def _cli(path: Path, fmt: str, out: Path) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run ``netral audit`` as a user does; (result, seconds, peak RSS in MB of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "netral.cli", "audit", str(path), "--no-images", "--format", fmt,
         "-o", str(out)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(SRC)})
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return r, time.perf_counter() - t0, max(peak, before) // 1024


def test_deeply_nested_tweets_js_ends_at_once_rest_audited(tmp_path):
    # 400 KB of brackets used to reach 23.6 GB RSS and an OOM kill, with no report
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_bytes(
        _tweets(20)[:-1] + b"," + b"[" * 400_000)
    (tmp_path / "data" / "like.js").write_bytes(_likes(5))
    out = tmp_path / "r.json"
    r, secs, rss = _cli(tmp_path, "json", out)
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    rep = json.loads(out.read_text())
    deep = [p for p in rep["skipped"] if p["code"] == "json_too_deep"]
    assert deep and deep[0]["file"].endswith("data/tweets.js")
    assert deep[0]["position"].startswith("byte ")
    assert rep["summary"]["scanned"] == 25  # 20 tweets before the bad spot + 5 likes
    assert secs < 60 and rss < 1024, (secs, rss)


def test_deeply_nested_generic_json(tmp_path):
    (tmp_path / "posts.json").write_bytes(b'{"a":' * 120_000 + b"1" + b"}" * 120_000)
    (tmp_path / "WhatsApp Chat with Pustur.txt").write_bytes(CHAT)
    t0 = time.perf_counter()
    report = run_audit([tmp_path], _opts())
    assert time.perf_counter() - t0 < 30
    assert _problems(report)["posts.json"] == ("json_too_deep", "byte 320")
    assert report.scanned > 0  # the chat


def test_huge_single_record_is_cut_and_the_report_stays_small(tmp_path):
    # one 200 MB text used to cost 2.1 GB RSS and a 419 MB report; 40 MB here, same path
    big = "kampanye pilih nomor dua " * (40 * 1024 * 1024 // 25)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_bytes(PFX + json.dumps(
        [{"tweet": {"id_str": "1", "full_text": "halo"}},
         {"tweet": {"id_str": "2", "full_text": big}},
         {"tweet": {"id_str": "3", "full_text": "sesudahnya"}}]).encode())
    out = tmp_path / "r.html"
    r, secs, rss = _cli(tmp_path, "html", out)
    assert r.returncode in (0, 1), r.stderr
    assert out.stat().st_size < 2_000_000
    assert secs < 60 and rss < 1024, (secs, rss)
    report = run_audit([tmp_path], AuditOptions(images=False, include_all=True))
    texts = sorted(len(f.item.text) for f in report.items)
    assert len(texts) == 3 and texts[-1] <= 256 * 1024 + 1
    cut = [p for p in report.notices if p.code == "text_cut"]
    assert cut and cut[0].file.endswith("tweets.js") and cut[0].position.startswith("byte ")


def test_huge_jsonl_line_and_chat_line(tmp_path):
    big = "x" * (5 * 1024 * 1024)
    (tmp_path / "posts.jsonl").write_text(
        json.dumps({"text": "halo"}) + "\n" + json.dumps({"text": big}) + "\n"
        + json.dumps({"text": "lagi"}) + "\n")
    (tmp_path / "WhatsApp Chat with Big.txt").write_text(
        "06/03/2017, 00:45 - Pustur: " + big + "\n06/03/2017, 00:46 - Pustur: ok\n")
    report = run_audit([tmp_path], AuditOptions(images=False, me=["Pustur"], include_all=True))
    assert _problems(report)["posts.jsonl"] == ("record_too_big", "line 2")
    texts = [f.item.text for f in report.items]
    assert "halo" in texts and "lagi" in texts and "ok" in texts
    assert max(len(t) for t in texts) <= 100_001


def test_file_name_not_utf8_does_not_stop_the_audit(tmp_path):
    # used to end with "TypeError: str is not valid UTF-8" and no report
    (tmp_path / os.fsdecode(b"WhatsApp Chat \xff\xfe.txt")).write_bytes(CHAT)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_bytes(_tweets(3))
    for fmt in ("json", "html"):
        out = tmp_path.parent / f"r.{fmt}"
        r, _, _ = _cli(tmp_path, fmt, out)
        assert r.returncode in (0, 1), r.stderr
    rep = json.loads((tmp_path.parent / "r.json").read_text())
    assert rep["summary"]["scanned"] >= 3
    files = [p["file"] for p in rep["skipped"] + rep["notices"]]
    assert any(f.endswith("WhatsApp Chat \\xff\\xfe.txt") for f in files), files


def test_zip_names_flagged_utf8_but_not_and_legacy_code_pages(tmp_path):
    z = tmp_path / "x.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("data/tweets.js", _tweets(4))
        zf.writestr("zzzzzz.txt", CHAT)
    b = bytearray(z.read_bytes())
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        k = 0
        while (k := b.find(sig, k)) >= 0:
            struct.pack_into("<H", b, k + off, struct.unpack_from("<H", b, k + off)[0] | 0x800)
            k += 4
    # every name flagged UTF-8, one of them not UTF-8 at all (cp866 / Shift-JIS bytes)
    b = b.replace(b"zzzzzz.txt", b"\xff\xfe\xfdzzz.txt")
    z.write_bytes(bytes(b))
    report = run_audit([z], _opts())  # used to refuse the whole zip as bad_zip
    assert not [p for p in report.problems if p.code == "bad_zip"]
    assert report.scanned >= 4


def test_legacy_code_page_names_in_zip(tmp_path):
    z = tmp_path / "cp.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("data/tweets.js", _tweets(2))
        zf.writestr("A" * 10 + ".txt", CHAT)
        zf.writestr("B" * 9 + ".txt", CHAT)
    raw = z.read_bytes().replace(b"A" * 10, "Привет".encode("cp866") + b"AAAA")
    z.write_bytes(raw.replace(b"B" * 9, "日本語".encode("shift_jis") + b"BBB"))
    report = run_audit([z], _opts())  # cp866 / Shift-JIS names without a flag: read, shown
    assert report.scanned >= 2 and not report.skipped


def test_utf8_names_without_flag_are_shown_right(tmp_path):
    from netral.sources import Export

    z = tmp_path / "n.zip"
    with zipfile.ZipFile(z, "w") as zf:  # zipfile itself would set the UTF-8 flag: patch bytes
        zf.writestr("Obrolan XX.txt", CHAT)
    z.write_bytes(z.read_bytes().replace(b"Obrolan XX", "Obrolan é".encode()))
    assert zipfile.ZipFile(z).infolist()[0].flag_bits & 0x800 == 0
    with Export() as ex:
        ex.add(z)
        assert [f.path for f in ex.files] == ["Obrolan é.txt"]
        assert ex.files[0].read_bytes() == CHAT


def _corrupt(z: Path, member: str, at: float, n: int = 16) -> None:
    b = bytearray(z.read_bytes())
    info = zipfile.ZipFile(z).getinfo(member)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    pos = start + int(info.compress_size * at)
    for k in range(pos, pos + n):
        b[k] ^= 0xFF
    z.write_bytes(bytes(b))


def test_corrupt_member_named_others_read(tmp_path):
    z = tmp_path / "x.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/tweets.js", _tweets(300))
        zf.writestr("data/like.js", _likes(50))
    _corrupt(z, "data/tweets.js", 0.0)
    report = run_audit([z], _opts())
    # used to be dropped with nothing in "skipped"
    assert _problems(report)["data/tweets.js"][0] == "read_error"
    assert report.scanned == 50


def test_corrupt_member_mid_file_keeps_items_before(tmp_path):
    z = tmp_path / "x.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/tweets.js", _tweets(2000, "tweet nomor {i} " + "kata " * 20))
    _corrupt(z, "data/tweets.js", 0.5, 64)
    report = run_audit([z], _opts())
    code, pos = _problems(report)["data/tweets.js"]
    assert code in ("json_malformed", "bad_zip", "json_truncated") and report.scanned > 100
    assert code == "bad_zip" or pos.startswith("byte ")


def test_encrypted_truncated_and_lying_zips(tmp_path):
    enc = tmp_path / "enc.zip"
    with zipfile.ZipFile(enc, "w") as zf:
        zf.writestr("data/tweets.js", _tweets(5))
        zf.writestr("data/like.js", _likes(3))
    b = bytearray(enc.read_bytes())
    for sig, off, name_at, len_at in ((b"PK\x03\x04", 6, 30, 26), (b"PK\x01\x02", 8, 46, 28)):
        k = 0
        while (k := b.find(sig, k)) >= 0:
            nl = struct.unpack_from("<H", b, k + len_at)[0]
            if bytes(b[k + name_at:k + name_at + nl]) == b"data/like.js":
                struct.pack_into("<H", b, k + off, struct.unpack_from("<H", b, k + off)[0] | 1)
            k += 4
    enc.write_bytes(bytes(b))
    report = run_audit([enc], _opts())
    assert _problems(report)["data/like.js"] == ("encrypted", None) and report.scanned == 5

    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("data/tweets.js", _tweets(30))
        zf.writestr("data/like.js", _likes(4))
    b = bytearray(liar.read_bytes())
    struct.pack_into("<I", b, b.find(b"PK\x01\x02") + 24, 100)  # tweets.js "is" 100 bytes
    liar.write_bytes(bytes(b))
    report = run_audit([liar], _opts())
    # used to say only "format not recognised"
    assert _problems(report)["data/tweets.js"][0] == "read_error" and report.scanned == 4

    cut = tmp_path / "cut.zip"
    cut.write_bytes(enc.read_bytes()[:200])
    report = run_audit([cut], _opts())
    assert _problems(report)["cut.zip"][0] == "bad_zip"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_named_tweets_js_is_named_not_read(tmp_path):
    (tmp_path / "data").mkdir()
    os.mkfifo(tmp_path / "data" / "tweets.js")  # reading it would hang forever
    (tmp_path / "data" / "like.js").write_bytes(_likes(2))
    report = run_audit([tmp_path], _opts())
    assert _problems(report)["tweets.js"] == ("not_regular_file", None)
    assert report.scanned == 2


def test_utf16_tweets_js(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_bytes(_tweets(7).decode().encode("utf-16"))
    report = run_audit([tmp_path], _opts())
    assert report.scanned == 7 and not report.skipped


def test_ratio_refusal_is_listed(tmp_path):
    z = tmp_path / "b.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("posts.json", b" " * (3 * 1024 * 1024))
        zf.writestr("data/tweets.js", _tweets(2))
    report = run_audit([z], AuditOptions(images=False, limits=__import__(
        "netral.sources", fromlist=["ZipLimits"]).ZipLimits(max_ratio=50)))
    assert _problems(report)["posts.json"][0] == "zip_bomb_ratio"
    assert report.scanned == 2
