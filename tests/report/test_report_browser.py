"""The self-audit report in headless Chromium (Debian's /usr/bin/chromium driven by Playwright),
opened from a file:// URL as a user would: nothing loads from anywhere else, the findings are
grouped, filter and search work, the page fits a 390 px phone without horizontal scrolling and
prints. Run on the demo export and on a generated 500-finding export. Screenshots go to
``$NETRAL_ARTIFACTS/screenshots/`` (default ``ci-artifacts/``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_launch import chromium

from netral.audit import run_audit
from netral.demo.export import write_demo_export
from netral.report.audit_report import render_html

from .big_export import write_big_export

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    with chromium("report browser tests") as b:
        yield b


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[Path, int]]:
    """name -> (report file, number of findings) for the demo and the 500-finding export."""
    out = {}
    base = tmp_path_factory.mktemp("reports")
    for name, root in (("demo", write_demo_export(base / "demo")),
                       ("big", write_big_export(base / "big"))):
        report = run_audit([root])
        page = base / f"laporan-{name}.html"
        page.write_text(render_html(report, "id"), encoding="utf-8")
        out[name] = (page, report.flagged)
    return out


class Page:
    """A page on one report that records every request, console error and CSP violation."""

    def __init__(self, browser, url: str, width: int, height: int = 900):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def guard(route):
            self.requests.append(route.request.url)
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                route.abort()

        self.page.route("**/*", guard)
        t0 = time.perf_counter()
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.load_s = time.perf_counter() - t0

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def visible_cards(self) -> int:
        return self.js("() => [...document.querySelectorAll('article.card')]"
                       ".filter(c => c.offsetParent !== null).length")

    def close(self) -> None:
        assert self.errors == [], self.errors  # no script error, no CSP violation
        self.page.close()


def _open(browser, reports, name: str, width: int, height: int = 900) -> tuple[Page, Path, int]:
    path, flagged = reports[name]
    return Page(browser, path.as_uri(), width, height), path, flagged


# Old page: 42,111 px tall at 1280 for the demo's 80 findings, 521 px wide at 390 with the
# reasons table one word per line.
NARROW_TEXT_PX = 150


def _layout(p: Page) -> dict:
    return p.js("""(minWidth) => {
        const BLOCKS = ['block', 'table-cell', 'list-item', 'flex', 'grid'];
        const doc = document.documentElement;
        // cards off screen skip layout (content-visibility); lay every card out to measure it
        const cards = [...document.querySelectorAll('article.card')];
        cards.forEach(c => { c.style.contentVisibility = 'visible'; });
        const wide = [...document.querySelectorAll('main *, header *')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > doc.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className);
        // text blocks inside finding cards squeezed into a narrow column (one word per line)
        const narrow = [...document.querySelectorAll('main article *')]
            .filter(e => e.offsetParent !== null && BLOCKS.includes(getComputedStyle(e).display)
                    && !getComputedStyle(e.parentElement).display.includes('flex')
                    && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 12)
                    && e.getBoundingClientRect().width < minWidth)
            .slice(0, 5).map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40));
        const out = {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
                     height: doc.scrollHeight, wide, narrow};
        cards.forEach(c => { c.style.contentVisibility = ''; });
        return out;
    }""", NARROW_TEXT_PX)


@pytest.mark.parametrize("name", ["demo", "big"])
def test_report_loads_offline_and_is_grouped(browser, reports, shots, name):
    p, path, flagged = _open(browser, reports, name, 1280)
    page = p.page
    assert p.requests == [path.as_uri()]  # the page itself, nothing else
    assert page.locator("#timeline-chart rect.period").count() >= 1
    assert page.locator("#kpi-flagged").inner_text() == str(flagged)
    # grouped by what to do, with jump links that lead to each group
    groups = page.locator("#groups > section.group")
    assert groups.count() >= 4
    links = page.locator("#jump a")
    assert links.count() == groups.count()
    total = sum(int(links.nth(i).locator("span").inner_text()) for i in range(links.count()))
    assert total == flagged
    assert page.locator("#status").inner_text().startswith(f"Ditampilkan {flagged} dari {flagged} temuan")
    cards = page.locator("article.card")
    assert cards.count() < flagged
    assert page.locator("article.card.kampanye mark").count() > 0
    links.nth(1).click()
    target = links.nth(1).get_attribute("href")
    top = p.js("(sel) => document.querySelector(sel).getBoundingClientRect().top", target)
    bar = p.js("() => document.getElementById('bar').getBoundingClientRect().bottom")
    assert bar - 2 <= top < bar + 60  # the group's heading lands right under the sticky bar
    page.wait_for_timeout(100)
    page.screenshot(path=str(shots / f"report-{name}-1280-jump.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"report-{name}-1280.png"))
    layout = _layout(p)
    print(f"\n{name}: {flagged} findings in {cards.count()} cards; 1280 px page "
          f"{layout['height']} px tall; loaded in {p.load_s:.2f} s")
    if name == "demo":
        assert layout["height"] < 25_000  # 42,111 px before
    p.close()


@pytest.mark.parametrize("name", ["demo", "big"])
def test_report_fits_a_phone(browser, reports, shots, name):
    p, _, _ = _open(browser, reports, name, 390, 844)
    layout = _layout(p)
    assert layout["scrollWidth"] <= layout["clientWidth"] == 390, layout["wide"]
    assert layout["wide"] == []
    assert layout["narrow"] == [], layout["narrow"]
    p.page.screenshot(path=str(shots / f"report-{name}-390.png"))
    p.page.evaluate("document.getElementById('findings').scrollIntoView()")
    p.page.evaluate("window.scrollBy(0, 400)")
    p.page.wait_for_timeout(100)  # cards scrolled into view are painted on the next frame
    p.page.screenshot(path=str(shots / f"report-{name}-390-findings.png"))
    # the compact view and the filters keep the page narrow
    p.page.check("#f-compact")
    compact = _layout(p)
    assert compact["scrollWidth"] <= 390 and compact["height"] < layout["height"]
    p.page.uncheck("#f-compact")
    p.page.select_option("#f-by", "platform")
    layout2 = _layout(p)
    assert layout2["scrollWidth"] <= 390 and layout2["wide"] == []
    print(f"\n{name}: 390 px page {layout['height']} px tall ({compact['height']} px compact), "
          f"{layout['scrollWidth']} px wide")
    if name == "demo":
        assert layout["height"] < 60_000  # 139,810 px before
    p.close()


def test_filters_and_search_without_a_server(browser, reports, shots):
    from playwright.sync_api import expect

    p, _, flagged = _open(browser, reports, "demo", 1280)
    page = p.page
    all_cards = page.locator("article.card").count()
    # search: every word must occur on the card
    page.fill("#f-q", "oke gas")
    # "6 dari", not the "76 dari 76" of the unfiltered page: a number on its own
    page.wait_for_function("() => /(^|\\D)6 dari/.test(document.getElementById('status').textContent)")
    assert p.visible_cards() == 1
    # auto-waiting: under load the card can still be re-rendering when the count is right
    expect(page.locator("article.card:visible").first).to_contain_text("Oke gas")
    page.fill("#f-q", "tidak ada teks seperti ini")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('Tidak ada')")
    assert p.visible_cards() == 0
    page.fill("#f-q", "")
    page.wait_for_function(
        f"() => /(^|\\D){flagged} dari/.test(document.getElementById('status').textContent)")
    # platform filter: only cards with a place on WhatsApp, other places dimmed
    page.select_option("#f-platform", "whatsapp")
    visible = page.locator("article.card:visible")
    assert 0 < visible.count() < all_cards
    for i in range(visible.count()):
        assert "whatsapp" in visible.nth(i).get_attribute("data-platforms").split()
    assert page.locator("article.card:visible li.place.dim[data-platform='whatsapp']").count() == 0
    # the jump links follow the filter
    jump = [page.locator("#jump a").nth(i).inner_text() for i in range(page.locator("#jump a").count())]
    assert jump and all("Hapus" in j or "Keluar" in j for j in jump), jump
    # group by target: a group per target, one card may sit in several
    page.click("#f-reset")
    page.select_option("#f-by", "target")
    n_targets = page.locator("#f-target option").count() - 1
    assert page.locator("#groups > section.group").count() == n_targets
    assert page.locator("#groups > section.group >> nth=0").locator("h3").inner_text().startswith(
        "02 Prabowo–Gibran")
    # group by platform, filter by verdict and act together
    page.select_option("#f-by", "platform")
    page.select_option("#f-verdict", "tinjau")
    page.select_option("#f-action", "unlike")
    for i in range(page.locator("article.card:visible").count()):
        c = page.locator("article.card:visible").nth(i)
        assert c.get_attribute("data-action") == "unlike" and "tinjau" in c.get_attribute("data-verdicts")
    page.evaluate("document.getElementById('findings').scrollIntoView()")
    page.wait_for_timeout(100)  # cards scrolled into view are painted on the next frame
    page.screenshot(path=str(shots / "report-demo-1280-filtered.png"))
    # compact view hides reasons, rules and advice
    page.click("#f-reset")
    page.check("#f-compact")
    assert page.locator("article.card .advice:visible").count() == 0
    page.click("#f-reset")
    assert page.locator("article.card").count() == all_cards
    assert p.visible_cards() == all_cards
    p.close()


def test_report_prints(browser, reports, shots, tmp_path):
    p, _, _ = _open(browser, reports, "demo", 1280)
    page = p.page
    page.select_option("#f-platform", "whatsapp")
    page.emulate_media(media="print")
    assert not page.locator("#bar").is_visible()
    assert page.locator("#printed-filters").inner_text().startswith(
        "Dicetak dengan penyaring: Platform: WhatsApp")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0  # folded places and rules opened
    pdf = page.pdf(path=str(tmp_path / "laporan.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details[open]").count() == 0
    page.screenshot(path=str(shots / "report-demo-print.png"), full_page=False)
    page.emulate_media(media="screen")
    p.close()


def test_big_report_stays_quick(browser, reports):
    """Figures for 500+ findings: load time, and the time a filter or regrouping takes."""
    p, _, flagged = _open(browser, reports, "big", 1280)
    timing = p.js("""() => {
        const t = () => performance.now();
        // a change, then the layout it causes (reading scrollHeight forces it)
        const change = (id, v) => { const s = document.getElementById(id); s.value = v;
                                    s.dispatchEvent(new Event('change'));
                                    return document.documentElement.scrollHeight; };
        let a = t(); change('f-action', 'unlike'); const filter = t() - a;
        a = t(); change('f-by', 'platform'); const regroup = t() - a;
        a = t(); change('f-action', ''); const unfilter = t() - a;
        a = t(); change('f-by', 'action'); const back = t() - a;
        return {filter, regroup, unfilter, back};
    }""")
    print(f"\nbig report in Chromium: {flagged} findings, load {p.load_s:.2f} s, filter "
          f"{timing['filter']:.0f} ms, regroup by platform {timing['regroup']:.0f} ms, "
          f"filter off {timing['unfilter']:.0f} ms, regroup by act {timing['back']:.0f} ms")
    assert p.load_s < 10
    assert max(timing.values()) < 2000  # ~100-300 ms measured
    p.close()
