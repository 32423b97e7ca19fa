"""The review queue by keyboard in a real browser (issue 15, problem 5): j/k move, c/d decide
with a reason, e escalates, the queue moves on to the next item, x selects, a bulk action
answers with a count and is undone, ? shows the shortcuts, filters stay in the URL, pages.
Screenshots: ``queue-*.png`` in ``$NETRAL_ARTIFACTS/screenshots/``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import CSP_VIOLATIONS, Dialogs, _login, _page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _current(page) -> str | None:
    return page.get_attribute("#queue-list > li.finding.current", "data-id")


def _ids(page) -> list[str]:
    return page.eval_on_selector_all("#queue-list > li.finding",
                                     "rows => rows.map(r => r.dataset.id)")


def _flash(page) -> str:
    page.wait_for_selector("#flash")
    return page.inner_text("#flash p").strip()


def test_queue_by_keyboard_decide_move_on_bulk_undo(browser, live, shots):
    base, _ = live
    ctx, page = _page(browser, base, viewport={"width": 1280, "height": 900})
    dialogs = Dialogs(page)
    _login(page, "a_reviewer")
    page.goto("/queue")
    ids = _ids(page)
    assert len(ids) >= 6
    assert _current(page) == ids[0]

    # j / k move
    page.keyboard.press("j")
    assert _current(page) == ids[1]
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert _current(page) == ids[1]

    # c without a reason: the cursor goes to the row's reason; Enter decides
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == f"reason-{ids[1]}"
    assert page.is_visible("#kbd-hint")
    page.keyboard.type("Ajakan memilih paslon secara terbuka")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert _flash(page) == "1 temuan dikonfirmasi"
    assert page.is_visible("#undo-button")
    # moved on: the decided row left the open queue, the next one is current
    assert ids[1] not in _ids(page)
    assert _current(page) == ids[2]
    page.screenshot(path=str(shots / "queue-01-after-confirm.png"), full_page=False)

    # d: dismiss with a reason, then on to the next
    page.keyboard.press("d")
    page.keyboard.type("Berita netral, tidak ada ajakan")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert _flash(page) == "1 temuan ditolak"
    assert _current(page) == ids[3]

    # e: escalate at once (no reason needed); escalated rows stay open for a supervisor
    page.keyboard.press("e")
    page.wait_for_load_state("load")
    assert _flash(page) == "1 temuan dieskalasi ke supervisor"
    assert _current(page) == ids[4]
    row3 = page.locator(f"#finding-{ids[3]}")
    assert row3.locator(".badge.s-escalated").count() == 1

    # ? shows the shortcuts; Esc closes them
    page.keyboard.press("?")
    page.wait_for_selector("#kbd-help[open]")
    page.screenshot(path=str(shots / "queue-02-shortcuts.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector("#kbd-help:not([open])", state="attached")

    # x selects rows for a bulk action; the bulk bar counts them and answers with a count
    before = _ids(page)
    start = before.index(_current(page))
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    chosen = before[start:start + 2]
    assert page.inner_text("#selected-count") == "(2 dipilih)"
    page.select_option("#bulk-action", "dismiss")
    page.fill("#bulk-reason", "Informasi netral tentang pemilu")
    page.click("#bulk-apply")
    page.wait_for_load_state("load")
    assert _flash(page) == "2 temuan ditolak"
    assert not set(chosen) & set(_ids(page))
    page.screenshot(path=str(shots / "queue-03-bulk-count-undo.png"), full_page=False)
    # undo within the window: both come back
    page.click("#undo-button")
    page.wait_for_load_state("load")
    assert _flash(page) == "Dibatalkan: 2 temuan kembali seperti sebelumnya."
    assert set(chosen) <= set(_ids(page))
    assert dialogs.seen == []
    ctx.close()


def test_queue_filters_in_the_url_counts_and_pages(browser, live, shots):
    base, _ = live
    ctx, page = _page(browser, base, viewport={"width": 1280, "height": 900})
    _login(page, "a_supervisor")
    page.goto("/queue?status=all")
    counts = dict(page.eval_on_selector_all(
        ".status-tabs a", "as => as.map(a => [a.dataset.status, "
        "Number(a.querySelector('.count').textContent)])"))
    assert counts["all"] == counts["open"] + counts["confirmed"] + counts["dismissed"] > 0
    page.click(".filters-card summary")
    page.select_option("#f-platform", "facebook")
    page.select_option("#f-sort", "newest")
    page.select_option("#f-per-page", "25")
    page.click("#filter-apply")
    page.wait_for_load_state("load")
    q = parse_qs(urlsplit(page.url).query)
    assert q["platform"] == ["facebook"] and q["sort"] == ["newest"] and q["status"] == ["all"]
    metas = page.locator("#queue-list .item-meta").all_inner_texts()
    assert metas and all(m.startswith("Facebook") for m in metas)
    page.screenshot(path=str(shots / "queue-04-filtered.png"), full_page=True)
    # the filters survive a reload and a status tab
    page.reload()
    assert page.input_value("#f-platform") == "facebook"
    page.click('.status-tabs a[data-status="open"]')
    page.wait_for_load_state("load")
    q = parse_qs(urlsplit(page.url).query)
    assert q.get("platform") == ["facebook"] and "status" not in q  # open is the default
    # pages keep the filter too
    page.goto("/queue?status=all&per_page=2")
    assert page.inner_text("#page-status").startswith("Halaman 1 dari")
    first = _ids(page)
    page.click("#page-next")
    page.wait_for_load_state("load")
    q = parse_qs(urlsplit(page.url).query)
    assert q["page"] == ["2"] and q["per_page"] == ["2"] and q["status"] == ["all"]
    assert not set(first) & set(_ids(page))
    ctx.close()


def test_queue_on_a_phone(browser, live, shots):
    base, _ = live
    ctx, page = _page(browser, base, viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True)
    _login(page, "a_reviewer")
    page.goto("/queue")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the queue scrolls sideways on a phone ({width}px)"
    # who and where: the header names the agency
    assert "Pemerintah Kabupaten A" in page.inner_text("#where")
    row = page.locator("#queue-list > li.finding").first
    rid = row.get_attribute("data-id")
    row.locator("input.reason").fill("Ajakan memilih di komentar")
    row.locator('button[value="confirm"]').tap()
    page.wait_for_load_state("load")
    assert _flash(page) == "1 temuan dikonfirmasi"
    assert rid not in _ids(page)
    page.screenshot(path=str(shots / "queue-05-phone.png"), full_page=False)
    assert CSP_VIOLATIONS == []
    ctx.close()
