"""The netralitas course in real Chromium at 390 px (issue 18, Done-when 1): a supervisor
assigns the course to a unit and downloads the personal links (CSV); the person opens their own
link, takes a full round answering right and wrong, sees the explanations with the rule and
advice, finishes with a score and the three lessons to revisit, records the completion (bound
to the link's holder, no NIP typed) and downloads the certificate (PDF); the link opened again
shows the certificate; a wrong link gets a clear page;
axe-core finds no serious or critical violation on any course page. The core flow runs with
JavaScript disabled too. Screenshots: ``$NETRAL_ARTIFACTS/screenshots/26-course-*.png``."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from browser_helpers import CSP_VIOLATIONS, _login, _page
from test_web_a11y import AXE, SERIOUS, _violations
from web_seed import _nip

from netral.course import bank

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _axe(page, where: str, found: dict) -> None:
    bad = [v for v in _violations(page) if v["impact"] in SERIOUS]
    if bad:
        found[where] = bad


def _no_sideways_scroll(page, where: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"{where}: the page is {wide} px wide at 390 px"


def _take_round(page, found: dict, shots, wrong: int, js: bool = True) -> list[bool]:
    page.click("#start")
    outcome = []
    for n in range(10):
        page.wait_for_selector("#soal")
        item = bank.item(page.get_attribute("#soal input[name=item]", "value"))
        assert page.inner_text("#q-title").endswith(f"{n + 1} dari 10")
        if n == 0 and js:  # (page scripts, axe included, cannot run with JavaScript off)
            _axe(page, "question", found)
            _no_sideways_scroll(page, "question")
            if js:
                page.screenshot(path=str(shots / "26-course-question.png"), full_page=True)
        right = n >= wrong
        given = item.answer if right else ("boleh" if item.answer == "tidak" else "tidak")
        page.check(f"#soal input[name=answer][value={given}]")
        page.click("#answer")
        page.wait_for_selector("#feedback-title")
        assert page.inner_text("#feedback-title").startswith("Benar." if right else "Kurang tepat.")
        assert page.inner_text("#explain") == item.explain["id"]
        if item.answer == "tidak":
            why = bank.explain(item, "id")
            assert why.citation in page.inner_text("#rule")
            assert why.advice[0] in page.inner_text("#advice")
        assert page.get_attribute("#try-draft", "href") == "/"
        if n == 0 and not right and js:
            _axe(page, "feedback (wrong)", found)
            if js:
                page.screenshot(path=str(shots / "26-course-feedback.png"), full_page=True)
        outcome.append(right)
        page.click("#next" if n < 9 else "#finish")
    return outcome


def test_course_round_at_390px(browser, live, shots):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing (vendored axe-core)")
    base, _world = live
    found: dict[str, list] = {}

    # the supervisor assigns the course to Dinas Pendidikan
    ctx, page = _page(browser, base, **PHONE)
    _login(page, "a_supervisor")
    page.goto("/kursus/unit")
    page.select_option("#unit_id", label="Dinas Pendidikan")
    page.fill("#deadline", (date.today() + timedelta(days=10)).isoformat())
    page.click("#assign-button")
    page.wait_for_selector("#people")  # straight to the people of the assignment
    assert "belum diterbitkan" in page.inner_text(f'#people li[data-nip="{_nip(2)}"]')
    _axe(page, "people", found)
    _no_sideways_scroll(page, "people")
    with page.expect_download() as dl:
        page.click("#issue-button")
    text = dl.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["nama", "nip", "unit", "tautan"] and len(rows) == 2
    assert rows[1][:3] == ["Siti Rahma A", _nip(2), "Dinas Pendidikan"]
    link = rows[1][3]
    assert re.fullmatch(re.escape(base) + r"/kursus/saya/ntk_[A-Za-z0-9_-]{43}", link)
    page.reload()
    assert "aktif sejak" in page.inner_text(f'#people li[data-nip="{_nip(2)}"]')
    page.screenshot(path=str(shots / "26-course-people.png"), full_page=True)
    page.goto("/kursus/unit")
    row = page.locator('#progress tr[data-unit="Dinas Pendidikan"]')
    assert "0 / 1" in row.locator(".completed").inner_text()
    _axe(page, "units", found)
    page.screenshot(path=str(shots / "26-course-units-empty.png"), full_page=True)

    # the person: their own link, a lesson, a full round with three wrong answers
    ctx2, me = _page(browser, base, **PHONE)
    me.goto(link)
    assert "Siti Rahma A" in me.inner_text("#assigned")
    assert "Dinas Pendidikan" in me.inner_text("#assigned")
    _axe(me, "home", found)
    _no_sideways_scroll(me, "home")
    me.screenshot(path=str(shots / "26-course-home.png"), full_page=True)
    me.click("#lessons a >> nth=2")
    me.wait_for_selector("#lesson")
    assert "[belum pasti]" in me.inner_text("#lesson")
    _axe(me, "lesson", found)
    _no_sideways_scroll(me, "lesson")
    me.goto("/kursus")
    outcome = _take_round(me, found, shots, wrong=3)
    assert outcome.count(False) == 3
    me.wait_for_selector("#score")
    assert "Skor Anda: 70 (7 dari 10 benar)" in me.inner_text("#score")
    assert me.locator("#revisit li").count() == 3
    _axe(me, "result", found)
    assert me.locator("#nip").count() == 0 and "Siti Rahma A" in me.inner_text("#record-for")
    me.click("#record-button")
    me.wait_for_selector("#certificate")
    code = re.search(r"[0-9A-F]{16}", me.inner_text("#cert-code")).group(0)
    me.screenshot(path=str(shots / "26-course-result.png"), full_page=True)
    with me.expect_download() as dl:
        me.click("#certificate")
    pdf = dl.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    me.goto(f"/kursus/verifikasi/{code}")
    assert "Siti Rahma A" in me.inner_text("#verify")
    _axe(me, "verify", found)
    # the next round brings back the acts answered wrong
    me.goto("/kursus")
    assert me.locator("#weak-note").count() == 1

    # the link opened again on another phone shows the certificate; a wrong link a clear page
    ctx4, again = _page(browser, base, **PHONE)
    again.goto(link)
    assert code in again.inner_text("#done")
    with again.expect_download() as dl:
        again.click("#certificate")
    assert dl.value.path().read_bytes().startswith(b"%PDF")
    again.goto(link[:-4] + "AAAA")
    assert "kedaluwarsa" in again.inner_text("#link-bad")
    _axe(again, "bad link", found)
    again.screenshot(path=str(shots / "26-course-bad-link.png"), full_page=True)
    ctx4.close()

    # the supervisor sees the completion; no answer is anywhere on the page
    page.goto("/kursus/unit")
    row = page.locator('#progress tr[data-unit="Dinas Pendidikan"]')
    assert "1 / 1" in row.locator(".completed").inner_text()
    assert row.locator(".average").inner_text() == "70.0"
    assert "Kurang tepat" not in page.content()
    page.screenshot(path=str(shots / "26-course-units.png"), full_page=True)
    ctx.close()
    ctx2.close()

    # without JavaScript the core flow still works (forms and redirects only)
    ctx3, nojs = _page(browser, base, java_script_enabled=False, **PHONE)
    nojs.goto("/kursus")
    assert _take_round(nojs, {}, shots, wrong=1, js=False).count(False) == 1
    nojs.wait_for_selector("#score")
    assert "9 dari 10" in nojs.inner_text("#score")
    ctx3.close()

    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert CSP_VIOLATIONS == []
