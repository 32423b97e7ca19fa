"""Browser tests: a live uvicorn server on a free loopback port and Debian's chromium driven by
Playwright. Screenshots go to ``$NETRAL_ARTIFACTS/screenshots/`` (default ``ci-artifacts/``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from browser_helpers import CSP_VIOLATIONS, Dialogs, _login, _page
from web_seed import PASSWORD, XSS_TEXT, World, take

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pre_post_checker(browser, live, shots):
    base, _ = live
    ctx, page = _page(browser, base)
    dialogs = Dialogs(page)
    page.goto("/")
    page.fill("#text", "Ojo lali nyoblos nomer loro yo lur ✌️ #PrabowoGibran2024")
    page.check("input[name=kind][value=comment]")
    page.click("#check-submit")
    page.wait_for_selector("#result")
    verdict = page.get_attribute("#result", "data-verdict")
    assert verdict in ("kampanye", "tinjau")
    assert page.locator("#marked mark").count() >= 1
    assert page.locator(".reasons li").count() >= 1
    assert page.locator(".reasons .rule").first.inner_text().strip()
    assert page.input_value("#text").startswith("Ojo lali")
    page.screenshot(path=str(shots / "01-checker-result.png"), full_page=True)
    # English switch
    page.click("button[name=lang][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Check before you post"
    page.click("button[name=lang][value=id]")
    page.wait_for_selector("html[lang=id]")
    # phone screen
    phone_ctx, phone = _page(browser, base, viewport={"width": 375, "height": 740},
                             is_mobile=True, has_touch=True)
    phone.goto("/")
    phone.fill("#text", "Aamiin ya Allah semoga sehat selalu")
    phone.click("#check-submit")
    phone.wait_for_selector("#result")
    assert phone.get_attribute("#result", "data-verdict") == "netral"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(shots / "02-checker-phone.png"), full_page=True)
    phone_ctx.close()
    assert dialogs.seen == []
    assert CSP_VIOLATIONS == []
    ctx.close()


def test_review_case_workflow_and_reports(browser, live, shots):
    base, world = live
    fid = take(world)
    # a reviewer confirms the finding
    ctx, page = _page(browser, base)
    _login(page, "a_reviewer")
    page.screenshot(path=str(shots / "03-dashboard.png"), full_page=True)
    assert page.locator("svg.chart").count() >= 6
    page.goto("/queue")
    assert page.locator(f"#finding-{fid}").count() == 1
    page.screenshot(path=str(shots / "04-queue.png"), full_page=True)
    page.click(f"#finding-{fid} a")
    page.wait_for_url(f"**/findings/{fid}")
    page.click("#btn-claim")
    page.wait_for_selector(".flash.ok")
    page.fill("#reason", "Ajakan memilih paslon secara terbuka")
    page.uncheck("#go-next")  # stay on this finding (by default the next one opens)
    page.click("#btn-confirm")
    page.wait_for_selector(".badge.s-confirmed")
    page.screenshot(path=str(shots / "05-finding-confirmed.png"), full_page=True)
    page.click("#logout")
    page.wait_for_url(base + "/")
    ctx.close()

    # a different supervisor captures evidence and moves the case through every step
    ctx, page = _page(browser, base)
    _login(page, "a_supervisor")
    page.goto(f"/findings/{fid}")
    page.click("#btn-capture")
    page.wait_for_selector("#evidence-status.ok")
    page.fill("#case-title", "Kasus uji peramban")
    page.click("#btn-open-case")
    page.wait_for_url("**/cases/*")
    case_url = page.url
    steps = [
        ("clarification", {"#t-note": "Undangan klarifikasi dikirim"}),
        ("recommendation", {"#t-note": "Rekomendasi sanksi moral kepada PPK", "#ppk": "Bupati A"}),
        ("sanction", {"#t-note": "Pernyataan secara tertutup"}),
        ("closed", {"#t-note": "Keputusan dilaksanakan"}),
    ]
    for i, (step, fields) in enumerate(steps, start=6):
        for sel, value in fields.items():
            page.fill(sel, value)
        if step == "sanction":
            page.select_option("#sanction_type", "moral")
        page.click("#btn-next")
        page.wait_for_selector(f".flow li.current[data-step={step}]")
        page.screenshot(path=str(shots / f"{i:02d}-case-{step}.png"), full_page=True)
    assert page.locator("#sanction").inner_text().find("moral") >= 0 or \
        "PP 42/2004" in page.locator("#sanction").inner_text()
    assert page.locator(".events li").count() == 5
    with page.expect_download() as dl:
        page.click("#evidence-download")
    bundle = Path(dl.value.path()).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(bundle)).namelist()
    assert "manifest.json" in names and "SHA256SUMS" in names

    # reports
    page.goto("/reports")
    page.fill("input[name=start]", "2024-01-01")
    page.fill("input[name=end]", "2024-12-31")
    with page.expect_download() as dl:
        page.click("#dl-pdf")
    pdf = Path(dl.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and dl.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as dl:
        page.click("#dl-csv")
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("no_temuan,") and "'=HYPERLINK" in text  # Indonesian headers
    page.screenshot(path=str(shots / "10-reports.png"), full_page=True)
    page.goto(case_url)
    for url in ("/dashboard", "/queue", "/cases", "/roster", "/accounts", "/audit",
                "/settings", "/api/docs"):
        page.goto(url)
    assert CSP_VIOLATIONS == []
    ctx.close()


def _xss_case(base: str, world: World) -> int:
    """Confirm the XSS finding and open a case on it, through the API of the live server."""
    import httpx

    def client(user: str) -> httpx.Client:
        c = httpx.Client(base_url=base)
        r = c.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c

    rev, sup = client("a_reviewer"), client("a_supervisor")
    try:
        r = rev.post(f"/api/v1/findings/{world.xss_finding}/confirm", json={"reason": "uji"})
        assert r.status_code == 200, r.text
        r = sup.post("/api/v1/cases", json={"finding_ids": [world.xss_finding],
                                            "title": '<img src=x onerror=alert("t")>'})
        assert r.status_code == 201, r.text
        cid = r.json()["id"]
        r = sup.post(f"/api/v1/cases/{cid}/notes",
                     json={"note": '<script>alert("note")</script>'})
        assert r.status_code == 201
        return cid
    finally:
        rev.close()
        sup.close()


def test_script_content_is_inert_everywhere(browser, live, shots):
    base, world = live
    cid = _xss_case(base, world)
    ctx, page = _page(browser, base)
    dialogs = Dialogs(page)
    executed = []
    page.on("console", lambda m: executed.append(m.text) if "xss" in m.text else None)
    _login(page, "a_auditor")
    for url in ["/dashboard", "/queue?status=all", f"/findings/{world.xss_finding}",
                f"/cases/{cid}", "/cases?status=all", "/roster", "/audit"]:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0, url
        inline = page.evaluate("[...document.scripts].filter(s => !s.src).length")
        assert inline == 0, url
        assert page.locator("main img").count() == 0, url
        if url.startswith(("/findings", "/queue", "/cases/")):
            assert '<script>alert("xss")</script>' in page.inner_text("main"), url
    page.goto(f"/cases/{cid}")
    assert '<img src=x onerror=alert("t")>' in page.inner_text("h1")
    assert '<script>alert("note")</script>' in page.inner_text(".events")
    page.screenshot(path=str(shots / "11-xss-inert-case.png"), full_page=True)
    page.goto(f"/findings/{world.xss_finding}")
    page.screenshot(path=str(shots / "12-xss-inert-finding.png"), full_page=True)
    # the checker echoes the text back: still inert
    page.goto("/")
    page.fill("#text", XSS_TEXT)
    page.click("#check-submit")
    page.wait_for_selector("#result")
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    assert "<script>" in page.inner_text("#marked")
    assert page.input_value("#text") == XSS_TEXT
    page.screenshot(path=str(shots / "13-xss-inert-checker.png"), full_page=True)
    assert dialogs.seen == [] and executed == []
    ctx.close()


def test_checker_image_upload(browser, live, shots):
    from web_helpers import poster

    from netral.web import image_bridge

    ok, why = image_bridge.image_support()
    if not ok:
        print(f"\n!!! image support unavailable ({why}): image upload browser test SKIPPED !!!\n")
        pytest.skip(f"LOUD SKIP: image support unavailable: {why}")
    base, _ = live
    ctx, page = _page(browser, base)
    dialogs = Dialogs(page)
    page.goto("/")
    assert page.is_enabled("#image")
    page.set_input_files("#image", files=[{"name": "poster.png", "mimeType": "image/png",
                                           "buffer": poster()}])
    page.click("#check-submit")
    page.wait_for_selector("#result")
    assert page.get_attribute("#result", "data-verdict") == "kampanye"
    words = [w.lower() for w in page.locator("#ocr-words .word").all_inner_texts()]
    assert "coblos" in words and "2" in words
    assert page.locator("#marked mark").count() >= 1
    assert page.locator(".reasons li").count() >= 1
    page.screenshot(path=str(shots / "14-checker-image.png"), full_page=True)
    assert dialogs.seen == []
    assert CSP_VIOLATIONS == []
    ctx.close()
