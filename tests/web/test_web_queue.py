"""The review queue for a day's work (issue 15, problem 5), on SQLite and PostgreSQL:
filters and order kept in the URL, counts per status, pages, labelled per-row and bulk
controls, bulk actions answered with a count, and undo within the window where the review
rules allow it (or the reason why not)."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update
from web_seed import take

from netral.review.zones import local
from netral.store.base import make_sessionmaker
from netral.store.models import AuditLog, Finding, LabelledFeedback, ReviewUndo
from netral.store.types import utcnow


def _all(c, query: str = "") -> dict:
    r = c.get(f"/api/v1/findings?status=all&limit=1000{query}")
    assert r.status_code == 200, r.text
    return r.json()


def _db(app):
    return make_sessionmaker(app.state.engine)()


# --------------------------------------------------------------------------- filters


def test_counts_per_status_add_up(world, login):
    data = _all(login("a_supervisor"))
    counts = data["counts"]
    assert counts["all"] == data["total"] == len(world.findings["A"])
    assert counts["open"] == counts["new"] + counts["claimed"] + counts["escalated"]
    assert counts["all"] == counts["open"] + counts["confirmed"] + counts["dismissed"]
    open_only = login("a_supervisor").get("/api/v1/findings?limit=1000").json()
    assert open_only["total"] == counts["open"] == len(open_only["items"])


def test_filter_by_platform_unit_target_date_and_score(world, login):
    c = login("a_supervisor")
    everything = _all(c)["items"]
    platforms = {i["item"]["platform"] for i in everything}
    assert len(platforms) >= 3
    for platform in platforms:
        got = _all(c, f"&platform={platform}")
        assert got["items"] and {i["item"]["platform"] for i in got["items"]} == {platform}
        assert got["total"] == sum(1 for i in everything if i["item"]["platform"] == platform)

    root, sub, edu = world.units["A"]
    edu_items = _all(c, f"&unit={edu}")["items"]
    assert edu_items and {i["staff"]["unit"] for i in edu_items} == {"Dinas Pendidikan"}
    # a unit includes everything below it
    sec = {i["staff"]["unit"] for i in _all(c, f"&unit={root}")["items"]}
    assert sec == {"Sekretariat", "Sekretariat/Bagian Umum"}
    assert {i["staff"]["unit"] for i in _all(c, f"&unit={sub}")["items"]} == {
        "Sekretariat/Bagian Umum"}

    target = "pemilu-2024/pair-2"
    named = [i for i in everything if target in
             {t["id"] for t in i["detection"]["result"].get("targets", [])}]
    got = _all(c, f"&target={target}")["items"]
    assert got and {i["id"] for i in got} == {i["id"] for i in named}

    days = sorted(local(_dt(i["item"]["created_at"]), "WIB").date() for i in everything)
    mid = days[len(days) // 2]
    got = _all(c, f"&start={mid}&end={mid + timedelta(days=10)}")["items"]
    want = [i for i in everything
            if mid <= local(_dt(i["item"]["created_at"]), "WIB").date() <= mid + timedelta(10)]
    assert got and {i["id"] for i in got} == {i["id"] for i in want}

    got = _all(c, "&min_score=0.9")["items"]
    assert got and all(i["risk_score"] >= 0.9 for i in got)
    got = _all(c, "&max_score=0.8")["items"]
    assert all(i["risk_score"] <= 0.8 for i in got)
    assert len(got) + len(_all(c, "&min_score=0.8000001")["items"]) == len(everything)


def _dt(iso: str):
    from datetime import datetime

    return datetime.fromisoformat(iso)


def test_sort_orders(login):
    c = login("a_supervisor")
    by_risk = [i["risk_score"] for i in _all(c)["items"]]
    assert by_risk == sorted(by_risk, reverse=True)
    low = [i["risk_score"] for i in _all(c, "&sort=risk_asc")["items"]]
    assert low == sorted(low)
    newest = [i["item"]["created_at"] for i in _all(c, "&sort=newest")["items"]]
    assert newest == sorted(newest, reverse=True)
    oldest = [i["item"]["created_at"] for i in _all(c, "&sort=oldest")["items"]]
    assert oldest == sorted(oldest)
    units = [i["staff"]["unit"] for i in _all(c, "&sort=unit")["items"]]
    assert units == sorted(units)
    plats = [i["item"]["platform"] for i in _all(c, "&sort=platform")["items"]]
    assert plats == sorted(plats)


def test_bad_filter_is_named(login):
    c = login("a_supervisor")
    r = c.get("/queue?min_score=banyak")
    assert r.status_code == 400 and "min_score" in r.text and 'id="filter-error"' in r.text
    r = c.get("/queue?start=14-02-2024")
    assert r.status_code == 400 and "start" in r.text and "YYYY-MM-DD" in r.text
    r = c.get("/api/v1/findings?sort=acak")
    assert r.status_code == 422


def test_other_agencys_unit_is_unknown(world, login):
    c = login("a_supervisor")
    b_unit = world.units["B"][0]
    r = c.get(f"/queue?unit={b_unit}")
    assert r.status_code == 404 and "Tidak ditemukan" in r.text
    assert "Kota B" not in r.text and "pemkot-b" not in r.text
    assert c.get(f"/api/v1/findings?unit={b_unit}").status_code == 404


class _Controls(HTMLParser):
    """Form controls and the labels that name them."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.links: list[str] = []
        self._in_label = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append({**a, "_tag": tag, "_wrapped": self._in_label > 0})
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "label":
            self._in_label -= 1


def _controls(html: str) -> _Controls:
    p = _Controls()
    p.feed(html)
    return p


def test_every_queue_control_has_a_label(login):
    html = login("a_supervisor").get("/queue").text
    p = _controls(html)
    assert p.controls
    unnamed = [c for c in p.controls if not (c["_wrapped"] or c.get("id") in p.label_for
                                             or c.get("aria-label"))]
    assert unnamed == [], unnamed
    # the bulk bar's action, assignee and reason, and each row's reason, are <label for>-ed
    for cid in ("bulk-action", "bulk-user", "bulk-reason"):
        assert cid in p.label_for
    rows = re.findall(r'id="reason-(\d+)"', html)
    assert rows and all(f"reason-{r}" in p.label_for for r in rows)
    # per-row decisions on the queue itself
    assert len(re.findall(r'name="action" value="confirm"', html)) == len(rows)
    assert len(re.findall(r'name="action" value="dismiss"', html)) == len(rows)


def test_filters_stay_in_every_link_and_pages_work(world, login):
    c = login("a_supervisor")
    total = _all(c)["counts"]["all"]
    q = "status=all&sort=newest&per_page=2&platform=x"
    html = c.get(f"/queue?{q}").text
    xs = _all(c, "&platform=x")["total"]
    assert xs >= 3
    assert f"Halaman 1 dari {-(-xs // 2)}" in html
    p = _controls(html)
    kept = [h for h in p.links if h.startswith("/queue?")]
    assert kept
    for href in kept:  # status tabs, pager: the filter travels along
        params = parse_qs(urlsplit(href).query)
        assert params.get("platform") == ["x"] and params.get("sort") == ["newest"], href
    tabs = re.findall(r'data-status="(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
    assert dict(tabs)["all"] == str(xs) and int(dict(tabs)["all"]) <= total
    first = re.findall(r'id="finding-(\d+)"', c.get(f"/queue?{q}").text)
    second = re.findall(r'id="finding-(\d+)"', c.get(f"/queue?{q}&page=2").text)
    assert len(first) == len(second) == 2 and not set(first) & set(second)
    assert 'id="page-next"' in html and 'id="page-prev"' not in html


# --------------------------------------------------------------------------- bulk and undo


def _flash(html: str) -> str:
    m = re.search(r'<div class="flash (\w+)"[^>]*id="flash"><p>(.*?)</p>', html, re.S)
    assert m, "no message on the page"
    return f"{m.group(1)}: {m.group(2)}"


def _token(html: str) -> str:
    m = re.search(r'name="token" value="([^"]+)"', html)
    assert m, "no undo offer on the page"
    return m.group(1)


def test_bulk_confirm_answers_with_a_count_and_undo_restores(app, world, login):
    c = login("a_reviewer")
    ids = [take(world), take(world), take(world)]
    with _db(app) as db:
        before = {f.id: (f.status, f.assigned_to_id, f.reason) for f in
                  db.scalars(select(Finding).where(Finding.id.in_(ids)))}
    r = c.post("/queue/bulk", data={"csrf_token": c.csrf, "ids": [str(i) for i in ids],
                                    "action": "confirm", "reason": "ajakan memilih jelas",
                                    "next": "/queue?status=all"}, follow_redirects=True)
    assert r.status_code == 200
    assert _flash(r.text) == "ok: 3 temuan dikonfirmasi"
    assert 'id="undo-button"' in r.text
    token = _token(r.text)
    with _db(app) as db:
        assert {f.status for f in db.scalars(select(Finding).where(Finding.id.in_(ids)))} == {
            "confirmed"}
        assert db.scalar(select(LabelledFeedback.id).where(
            LabelledFeedback.finding_id == ids[0])) is not None
    r = c.post("/queue/undo", data={"csrf_token": c.csrf, "token": token,
                                    "next": "/queue?status=all"}, follow_redirects=True)
    assert _flash(r.text) == "ok: Dibatalkan: 3 temuan kembali seperti sebelumnya."
    with _db(app) as db:
        after = {f.id: (f.status, f.assigned_to_id, f.reason) for f in
                 db.scalars(select(Finding).where(Finding.id.in_(ids)))}
        assert after == before
        assert db.scalar(select(LabelledFeedback.id).where(
            LabelledFeedback.finding_id.in_(ids))) is None  # the withdrawn labels are gone
        actions = list(db.scalars(select(AuditLog.action).where(
            AuditLog.object_type == "finding", AuditLog.object_id.in_([str(i) for i in ids]))))
        assert actions.count("finding.confirm") == 3 and actions.count("finding.undo") == 3
    # once only
    r = c.post("/queue/undo", data={"csrf_token": c.csrf, "token": token},
               follow_redirects=True)
    assert "sudah dibatalkan" in _flash(r.text)
    for fid in ids:  # give them back to the pool: they are untouched again
        world.pool["A"].append(fid)


def test_api_bulk_count_and_undo_rules(app, world, login):
    rev, sup = login("a_reviewer"), login("a_supervisor")
    a, b = take(world), take(world)
    r = rev.post("/api/v1/findings/bulk", json={"ids": [a, b], "action": "dismiss",
                                                "reason": "bukan ajakan"})
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["count"] == 2 and sorted(res["done"]) == sorted([a, b]) and res["failed"] == {}
    token = res["undo"]["token"]
    assert res["undo"]["seconds"] == 60
    # nobody else can take back a reviewer's action (not even learn that it exists)
    assert sup.post("/api/v1/findings/bulk/undo", json={"token": token}).status_code == 404
    # a colleague acts on one of them meanwhile: that one stays as the colleague left it
    with _db(app) as db:
        db.execute(update(Finding).where(Finding.id == a).values(
            status="confirmed", reason="keputusan supervisor", version=Finding.version + 1,
            updated_at=utcnow()))
        db.commit()
    r = rev.post("/api/v1/findings/bulk/undo", json={"token": token})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["restored"] == [b] and out["count"] == 1
    assert out["kept"][str(a)]["code"] == "changed"
    assert rev.post("/api/v1/findings/bulk/undo", json={"token": token}).status_code == 409


def test_undo_never_reverses_a_finding_put_in_a_case(world, login):
    rev, sup = login("a_reviewer"), login("a_supervisor")
    a, b = take(world), take(world)
    r = rev.post("/api/v1/findings/bulk", json={"ids": [a, b], "action": "confirm",
                                                "reason": "ajakan memilih"})
    token = r.json()["undo"]["token"]
    r = sup.post("/api/v1/cases", json={"finding_ids": [a], "title": "Kasus uji undo"})
    assert r.status_code == 201, r.text
    case_id = r.json()["id"]
    out = rev.post("/api/v1/findings/bulk/undo", json={"token": token}).json()
    assert out["restored"] == [b]
    assert out["kept"][str(a)] == {"code": "in_case", "detail": str(case_id)}
    assert rev.get(f"/api/v1/findings/{a}").json()["status"] == "confirmed"


def test_undo_window_closes_with_an_explanation(app, world, login):
    c = login("a_reviewer")
    fid = take(world)
    r = c.post("/queue/bulk", data={"csrf_token": c.csrf, "ids": [str(fid)],
                                    "action": "escalate", "next": "/queue"},
               follow_redirects=True)
    assert _flash(r.text) == "ok: 1 temuan dieskalasi ke supervisor"
    token = _token(r.text)
    with _db(app) as db:
        db.execute(update(ReviewUndo).where(ReviewUndo.id == token).values(
            expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    r = c.post("/queue/undo", data={"csrf_token": c.csrf, "token": token},
               follow_redirects=True)
    msg = _flash(r.text)
    assert msg.startswith("error: Waktu pembatalan (60 detik) sudah lewat"), msg
    assert c.get(f"/api/v1/findings/{fid}").json()["status"] == "escalated"
    r = c.post("/api/v1/findings/bulk/undo", json={"token": token})
    assert r.status_code == 409 and r.json()["detail"] == "undo_expired"


def test_partial_bulk_names_what_failed(world, login):
    c = login("a_reviewer")
    ok = take(world)
    r = c.post("/queue/bulk", data={"csrf_token": c.csrf, "ids": [str(ok)],
                                    "action": "confirm", "next": "/queue"},
               follow_redirects=True)
    assert _flash(r.text) == f"error: Tidak ada yang diproses (1): #{ok}: Alasan wajib diisi."
    world.pool["A"].append(ok)


def test_row_decision_goes_on_with_the_next_row(world, login):
    c = login("a_reviewer")
    fid, nxt = take(world), take(world)
    r = c.post("/queue/bulk", data={"csrf_token": c.csrf, "ids": [str(fid)],
                                    "action": "dismiss", "reason": "berita netral",
                                    "next": f"/queue?sort=newest&focus={nxt}"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/queue?sort=newest&focus={nxt}"
    page = c.get(r.headers["location"])
    assert _flash(page.text) == "ok: 1 temuan ditolak"
    assert f'data-focus="{nxt}"' in page.text
    world.pool["A"].insert(0, nxt)


def test_finding_page_moves_on_to_the_next_finding(world, login):
    c = login("a_reviewer")
    fid = take(world)
    q = "sort=risk"
    page = c.get(f"/findings/{fid}?q=sort%3Drisk").text
    assert 'id="go-next"' in page and 'href="/queue?sort=risk"' in page
    r = c.post(f"/findings/{fid}/action", data={
        "csrf_token": c.csrf, "action": "confirm", "reason": "ajakan", "go_next": "1", "q": q},
        follow_redirects=False)
    assert r.status_code == 303
    m = re.fullmatch(r"/findings/(\d+)\?q=sort%3Drisk", r.headers["location"])
    assert m, r.headers["location"]
    nxt = int(m.group(1))
    assert nxt != fid
    assert c.get(f"/api/v1/findings/{nxt}").json()["status"] in ("new", "claimed")
    assert "1 temuan dikonfirmasi" in _flash(c.get(r.headers["location"]).text)


def test_queue_date_filter_uses_the_agency_day(login):
    # the seed's acts are at 09:00 UTC = 16:00 WIB: the same day either way
    c = login("a_supervisor")
    items = _all(c, "&start=2024-01-10&end=2024-01-10")["items"]
    assert items and all(i["item"]["created_at"].startswith("2024-01-10") for i in items)


def test_the_second_reviewer_is_told_in_words_who_decided(world, login):
    first, second = login("a_reviewer"), login("a_reviewer2")
    fid = take(world)
    assert first.post(f"/api/v1/findings/{fid}/confirm",
                      json={"reason": "ajakan"}).status_code == 200
    r = second.post("/queue/bulk", data={"csrf_token": second.csrf, "ids": [str(fid)],
                                         "action": "dismiss", "reason": "netral",
                                         "next": "/queue"}, follow_redirects=True)
    msg = _flash(r.text)
    assert re.fullmatch(rf"error: Tidak ada yang diproses \(1\): #{fid}: sudah dikonfirmasi "
                        r"oleh a_reviewer pada \d{4}-\d\d-\d\d \d\d:\d\d WIB", msg), msg
    assert "already" not in msg and "finding" not in msg
