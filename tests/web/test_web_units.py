"""Pure helpers of the web app: highlighting, charts, message catalogue, CLI wiring."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from netral.review.marks import highlight, result_spans
from netral.web import charts
from netral.web.i18n import catalogue, translate

TEMPLATES = Path(__file__).parents[2] / "src" / "netral" / "web" / "templates"


def test_highlight_escapes_and_merges_spans():
    text = 'Ayo <b>coblos</b> "2" & menang'
    out = str(highlight(text, [(4, 17, "ajakan"), (10, 20, "nomor"), (50, 60, "luar")]))
    assert "<b>" not in out and "&lt;b&gt;" in out and "&#34;" in out and '"' not in out[40:]
    assert out.count("<mark") == 1 and 'title="ajakan; nomor"' in out
    assert out.startswith("Ayo <mark") and out.endswith("&amp; menang")
    assert str(highlight("", [(0, 3, "x")])) == ""
    assert str(highlight("abc", [(2, 1, "x")])) == "abc"


def test_result_spans_ignore_malformed_reasons():
    spans = result_spans({"reasons": [{"start": 0, "end": 3, "category": "c", "rule_ref": "r"},
                                      {"start": "x"}, {}]})
    assert spans == [(0, 3, "c · r")]
    assert result_spans(None) == []


def test_charts_escape_labels_and_shade_periods():
    svg = str(charts.bar_chart([("<script>x</script>", 3), ("Unit & Co", 1)], title="t<"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Unit &amp; Co" in svg
    assert "style=" not in svg  # CSP: no inline styles
    line = str(charts.time_chart(
        [(date(2024, 1, 1), 2), (date(2024, 3, 1), 5)],
        [(date(2023, 11, 28), date(2024, 2, 10), "Masa kampanye <Pemilu>")], title="x"))
    assert "<rect" in line and "Masa kampanye &lt;Pemilu&gt;" in line and "style=" not in line
    assert "—" in str(charts.time_chart([], empty_text="—"))


def test_every_message_used_exists_in_both_languages():
    cat = catalogue().entries
    assert all(set(v) >= {"id", "en"} and v["id"] and v["en"] for v in cat.values())
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""t\(["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    src = Path(__file__).parents[2] / "src" / "netral"
    for path in [*(src / "web").glob("*.py"), *(src / "review").glob("*.py")]:
        used |= set(re.findall(r'"((?:error|flash|dash|report|roster|col)\.[a-z_.]+)"',
                               path.read_text()))
    used = {k for k in used if not k.endswith((".", ".html", ".csv", ".pdf"))}
    missing = sorted(k for k in used if k not in cat)
    assert missing == []
    for family, values in {
        "status": ["open", "all", "new", "claimed", "escalated", "confirmed", "dismissed"],
        "case.status": ["open", "all", "none", "finding", "clarification", "recommendation",
                        "sanction", "closed"],
        "sanction": ["none", "moral", "discipline_light", "discipline_medium",
                     "discipline_heavy"],
        "role": ["admin", "supervisor", "reviewer", "auditor"],
        "verdict": ["kampanye", "tinjau", "netral"],
        "kind": ["post", "comment", "share", "like", "follow", "join", "bio", "message"],
        "case.help": ["clarification", "recommendation", "sanction", "closed"],
    }.items():
        for v in values:
            assert f"{family}.{v}" in cat, f"{family}.{v}"


def test_translate_falls_back_and_formats():
    assert translate("nav.checker", "en") == "Pre-post check"
    assert translate("nav.checker", "xx") == translate("nav.checker", "id")
    assert translate("no.such.key", "en") == "no.such.key"
    assert translate("flash.sampled", "en", n=2, c=9) == "2 of 9 netral items added to the queue."


def test_uncertain_legal_points_reach_users_as_uncertain():
    assert "[belum pasti]" in translate("case.deadline_note", "id")  # the rule table's word
    assert "[uncertain]" in translate("settings.ppk_days_note", "en")


def test_serve_command_is_registered():
    from typer.testing import CliRunner

    from netral.cli import app
    from netral.cli.web import _db_url

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output and "--db" in r.output
    assert _db_url("demo.db").startswith("sqlite:////")
    assert _db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _db_url(None) is None


def test_long_periods_are_drawn_weekly():
    from datetime import timedelta

    days = [(date(2024, 1, 1) + timedelta(days=i), 1) for i in range(200)]
    svg = str(charts.time_chart(days))
    assert svg.count("<circle") == len({d - timedelta(days=d.weekday()) for d, _ in days})
    assert ": 7</title>" in svg  # a full week sums seven days


def test_secret_key_is_kept_private_and_stable(tmp_path, monkeypatch):
    from netral.config import Settings
    from netral.web.config import web_config

    monkeypatch.delenv("NETRAL_SECRET_KEY", raising=False)
    st = Settings(data_dir=tmp_path, cache_dir=tmp_path, database_url="sqlite://", lang="en")
    first = web_config(st)
    key_file = tmp_path / "web-secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(first.secret_key) >= 40
    assert web_config(st).secret_key == first.secret_key and first.lang == "en"
    monkeypatch.setenv("NETRAL_SECRET_KEY", "from-env")
    assert web_config(st).secret_key == "from-env"
