"""Self-audit report: self-contained HTML, JSON, CSV (formula-safe), highlighting, chart."""

import base64
import csv
import hashlib
import io
import json
import re

import pytest

from netral.audit import AuditOptions, run_audit
from netral.demo.export import write_demo_export
from netral.report.audit_report import (
    campaign_periods,
    csv_cell,
    highlight,
    render_csv,
    render_html,
    render_json,
    timeline,
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = write_demo_export(tmp_path_factory.mktemp("demo") / "export")
    return run_audit([root])


def test_html_is_self_contained(report):
    html = render_html(report, "id")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # one inline script (filters) and one inline style, each allowed by its hash only
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    assert len(re.findall(r"<script\b", html, re.I)) == 1
    for body, directive in ((scripts[0], "script-src"), (styles[0], "style-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp
    # nothing that would make the browser fetch anything or open a connection
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\bsrc\s*=", html, re.I)
    assert not re.search(r"url\(|@import", html, re.I)
    assert not re.search(r"fetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|import\(|eval\(",
                         scripts[0])
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("https://", "http://", "#")) for h in hrefs)
    assert 'id="timeline-chart"' in html
    assert sum(int(n) for n in re.findall(r'<article class="card [^"]*"[^>]* data-n="(\d+)"', html)) \
        == report.flagged
    assert "<mark" in html  # highlighted spans


def test_html_english_and_indonesian_labels(report):
    en = render_html(report, "en")
    idn = render_html(report, "id")
    assert "Digital Footprint Report" in en and "Findings per month" in en
    assert "Laporan Jejak Digital" in idn and "Linimasa temuan per bulan" in idn


def test_html_escapes_content(report):
    from dataclasses import replace

    f = report.findings[0]
    evil = replace(f, checked_text="<script>alert(1)</script> coblos")
    r2 = replace(report, findings=[evil])
    html = render_html(r2, "id")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_json_report_structure(report):
    doc = json.loads(render_json(report, "id"))
    assert doc["summary"]["flagged"] == len(doc["findings"]) == report.flagged
    assert doc["summary"]["scanned"] == report.scanned
    f = doc["findings"][0]
    assert {"verdict", "score", "checked_text", "item", "result"} <= set(f)
    assert f["item"]["locator"]["file"]
    assert "items" not in doc  # privacy: only flagged items unless --include-all
    assert any(p["kind"] == "kampanye" for p in doc["periods"])


def test_csv_escapes_formulas():
    assert csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert csv_cell("+62 812") == "'+62 812"
    assert csv_cell("-1") == "'-1"
    assert csv_cell("@tkn") == "'@tkn"
    assert csv_cell("biasa") == "biasa"
    assert csv_cell(None) == ""


def test_csv_rows_are_findings(report):
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert len(rows) == report.flagged
    assert all(not r["target"].startswith(("=", "+", "-", "@")) for r in rows)
    handles = [r for r in rows if r["target"].startswith("'@")]
    assert handles  # e.g. TikTok "@tkn.prabowogibran" is escaped


def test_highlight_segments():
    text = "Ayo coblos no. 2 tgl 14 Feb #PrabowoGibran2024"
    segs = highlight(text, [{"start": 4, "end": 16, "category": "ajakan"},
                            {"start": 28, "end": 46, "category": "tagar"}])
    assert "".join(s["t"] for s in segs) == text
    assert [s["t"] for s in segs if s["hl"]] == ["coblos no. 2", "#PrabowoGibran2024"]
    long = "x" * 3000 + " coblos " + "y" * 3000
    segs = highlight(long, [{"start": 3001, "end": 3007}])
    assert segs[0]["t"] == "…" and any(s["hl"] and s["t"] == "coblos" for s in segs)


def test_timeline_shades_campaign_periods(report):
    periods = campaign_periods("id")
    assert {p.election for p in periods} >= {"Pemilu 2019 (Pilpres dan Pileg)"}
    chart = timeline(report.findings, periods, "id")
    assert not chart["empty"]
    dated = [f for f in report.findings if f.item.created_at]
    assert sum(b["k"] + b["t"] for b in chart["bars"]) == len(dated)
    assert len(chart["shades"]) >= 2  # 2019 and 2024 campaigns
    assert chart["lines"]  # voting days
    assert timeline([], periods, "id")["empty"]


def test_include_all_lists_neutral_items(tmp_path):
    chat = tmp_path / "WhatsApp Chat with Budi.txt"
    chat.write_text("12/01/2024, 08:00 - Budi: Halo\n"
                    "12/01/2024, 08:01 - Sri: Selamat pagi, rapat jam 9 ya\n", encoding="utf-8")
    rep = run_audit([tmp_path], AuditOptions(include_all=True))
    html = render_html(rep, "en")
    assert 'id="all-items"' in html and "Selamat pagi, rapat jam 9 ya" in html
    doc = json.loads(render_json(rep, "en"))
    assert [i["item"]["text"] for i in doc["items"]] == ["Selamat pagi, rapat jam 9 ya"]
    rows = list(csv.DictReader(io.StringIO(render_csv(rep))))
    assert [r["verdict"] for r in rows] == ["netral"]
    # without --include-all the neutral message is in no output
    rep2 = run_audit([tmp_path])
    assert "Selamat pagi, rapat jam 9" not in render_html(rep2, "id")
    assert "Selamat pagi, rapat jam 9" not in render_json(rep2, "id")
