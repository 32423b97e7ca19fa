"""`netral audit` / `netral demo-export` as a user runs them (exit codes, no traceback)."""

import json
import zipfile

from typer.testing import CliRunner

from netral.cli import app

runner = CliRunner()


def test_demo_export_then_audit_html(tmp_path):
    out = tmp_path / "demo"
    r = runner.invoke(app, ["demo-export", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "instagram-rina_lestari.zip").exists()
    assert (out / "twitter-rina_lestari" / "data" / "tweets.js").exists()
    report = tmp_path / "laporan.html"
    r = runner.invoke(app, ["audit", str(out), "-o", str(report)])
    assert r.exit_code == 1, r.output  # findings
    html = report.read_text("utf-8")
    assert "Laporan Jejak Digital" in html and 'id="timeline-chart"' in html
    assert "Traceback" not in r.output


def test_audit_json_stdout_english(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(
        [{"tweet": {"id_str": "1", "created_at": "Fri Dec 01 02:00:00 +0000 2023",
                    "full_text": "Selamat pagi semua, semangat kerja!", "entities": {}}}]))
    r = runner.invoke(app, ["audit", str(tmp_path), "--format", "json", "-o", "-", "--lang", "en",
                            "-q"])
    assert r.exit_code == 0, r.output  # nothing flagged
    doc = json.loads(r.stdout)
    assert doc["summary"]["scanned"] == 1 and doc["findings"] == []
    assert doc["lang"] == "en"


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["audit", str(tmp_path / "nope.zip")]).exit_code == 2
    assert runner.invoke(app, ["audit", str(tmp_path), "--platform", "myspace"]).exit_code == 2
    assert runner.invoke(app, ["audit", str(tmp_path), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["audit", str(tmp_path), "--tz", "Mars/Olympus"]).exit_code == 2


def test_garbage_zip_clear_message_no_traceback(tmp_path):
    bad = tmp_path / "ekspor.zip"
    bad.write_bytes(b"PK\x03\x04garbage")
    r = runner.invoke(app, ["audit", str(bad), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 2
    assert "ekspor.zip" in r.output and "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_bomb_slip_truncated_via_cli(tmp_path):
    z = tmp_path / "x.zip"
    tweets = "window.YTD.tweets.part0 = " + json.dumps(
        [{"tweet": {"id_str": "1", "created_at": "Fri Dec 01 02:00:00 +0000 2023",
                    "full_text": "Ayo coblos nomor 2 tanggal 14 Februari! #PrabowoGibran2024",
                    "entities": {}}}])
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/tweets.js", tweets)
        zf.writestr("data/like.js", "window.YTD.like.part0 = [{\"like\": {\"tweetId\"")
        zf.writestr("../evil.js", "x")
        zf.writestr("bomb.bin", b"\0" * (2 * 1024 * 1024))
    out = tmp_path / "r.csv"
    r = runner.invoke(app, ["audit", str(z), "--format", "csv", "-o", str(out),
                            "--max-ratio", "100"])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    rows = out.read_text("utf-8").splitlines()
    assert len(rows) == 2 and "coblos" in rows[1]
