"""Accessibility (issue 15, problem 7): axe-core on every page of the web app, at 1280 px and
at 390 px, signed out and signed in — zero serious or critical violations (colour contrast,
labels, names, landmarks, ARIA…).

axe-core is vendored in ``tests/web/axe/`` (MPL-2.0, see its README) and injected into the
page by Playwright (DevTools evaluation, so the app's strict CSP stays as it is).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import CSP_VIOLATIONS, _login, _page
from web_seed import PASSWORD, World, take

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).with_name("axe") / "axe.min.js"
WIDTHS = (1280, 390)
SERIOUS = ("serious", "critical")

RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + " :: " +
                                  (n.failureSummary || "").replace(/\\s+/g, " "))}));
}"""


def _violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE)


def _case(base: str, world: World) -> tuple[int, int]:
    """A confirmed finding of agency A with a case, through the live server's API."""
    import httpx

    def client(user: str) -> httpx.Client:
        c = httpx.Client(base_url=base)
        r = c.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return c

    fid = take(world)
    rev, sup = client("a_reviewer"), client("a_supervisor")
    try:
        assert rev.post(f"/api/v1/findings/{fid}/confirm",
                        json={"reason": "ajakan memilih"}).status_code == 200
        r = sup.post("/api/v1/cases", json={"finding_ids": [fid], "title": "Kasus aksesibilitas"})
        assert r.status_code == 201, r.text
        cid = r.json()["id"]
        sup.post(f"/api/v1/cases/{cid}/notes", json={"note": "Undangan klarifikasi dikirim"})
        return fid, cid
    finally:
        rev.close()
        sup.close()


def _check(page, url: str, width: int, found: dict[str, list]) -> None:
    bad = [v for v in _violations(page) if v["impact"] in SERIOUS]
    if bad:
        found[f"{url} @{width}px"] = bad


def test_no_serious_axe_violation_on_any_page(browser, live, shots):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing (vendored axe-core)")
    base, world = live
    fid, cid = _case(base, world)
    open_finding = take(world)
    found: dict[str, list] = {}
    checked = 0
    for width in WIDTHS:
        kw = {"viewport": {"width": width, "height": 900}}
        if width < 500:
            kw.update(is_mobile=True, has_touch=True)
        # signed out: the checker (empty and with a result), sign-in, API docs, a 404
        ctx, page = _page(browser, base, **kw)
        for url in ("/", "/login", "/api/docs", "/tidak-ada"):
            page.goto(url)
            _check(page, url, width, found)
            checked += 1
        page.goto("/")
        page.fill("#text", "Sat set, 03 menang total! 🤘 Ayo coblos no. 2")
        page.click("#check-submit")
        page.wait_for_selector("#result")
        _check(page, "/ (result)", width, found)
        page.screenshot(path=str(shots / f"a11y-checker-{width}.png"), full_page=True)
        checked += 1
        ctx.close()
        # signed in: every page of the app, as the agency's administrator (settings, users)
        # and as a reviewer (queue actions)
        for user, urls in (
            ("a_admin", ["/dashboard", "/queue", "/queue?status=all&sort=newest&per_page=5",
                         f"/findings/{fid}", f"/findings/{open_finding}", "/cases",
                         "/cases?status=all", f"/cases/{cid}", "/reports", "/roster",
                         "/accounts", "/audit", "/settings", "/api/docs", "/tidak-ada"]),
            ("a_reviewer", ["/queue", f"/findings/{open_finding}"]),
        ):
            ctx, page = _page(browser, base, **kw)
            _login(page, user)
            for url in urls:
                page.goto(url)
                # check folded controls (filters, sampling, case steps) too
                page.evaluate("document.querySelectorAll('main details').forEach("
                              "d => { d.open = true; })")
                _check(page, url, width, found)
                checked += 1
            page.goto("/queue")
            if page.locator("#kbd-help-open").is_visible():
                page.click("#kbd-help-open")
                page.wait_for_selector("#kbd-help[open]")
                _check(page, "/queue (shortcut help)", width, found)
                checked += 1
            ctx.close()
    assert checked >= 40
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert CSP_VIOLATIONS == []
