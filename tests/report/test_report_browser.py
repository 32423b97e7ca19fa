"""Open the demo report in headless Chromium: chart and findings render, nothing external loads."""

import os
from pathlib import Path

import pytest

from netral.audit import run_audit
from netral.demo.export import write_demo_export
from netral.report.audit_report import render_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.mark.browser
@pytest.mark.slow
def test_report_in_chromium(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"!!! {CHROMIUM} missing: browser test NOT run !!!")
    from playwright.sync_api import sync_playwright

    root = write_demo_export(tmp_path / "export")
    report = run_audit([root])
    page_file = tmp_path / "laporan.html"
    page_file.write_text(render_html(report, "id"), encoding="utf-8")
    artifacts = Path(os.environ.get("NETRAL_ARTIFACTS", "ci-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)

    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1800})

        def guard(route):
            requested.append(route.request.url)
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", guard)
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(artifacts / "audit-report.png"), full_page=False)
        assert page.locator("#timeline-chart").count() == 1
        assert page.locator("#timeline-chart rect.period").count() >= 2
        assert page.locator("#timeline-chart g.bar").count() > 3
        assert page.locator("article.finding").count() == report.flagged
        assert page.locator("article.finding.kampanye mark").count() > 0
        assert page.locator("#kpi-flagged").inner_text() == str(report.flagged)
        first = page.locator("article.finding").first.inner_text()
        assert "Kampanye" in first
        browser.close()
    external = [u for u in requested if not u.startswith("file://")]
    assert external == []
    assert requested == [page_file.as_uri()]  # the page itself, nothing else
