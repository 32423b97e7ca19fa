"""The netralitas course in the web app (issue 18), on SQLite and PostgreSQL: a full round
without JavaScript, completion for an assigned unit, the certificate, and the agency's view
with unit scope and roles exactly as findings have them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_seed import PASSWORD, _nip

from netral.course import bank, links
from netral.course.models import CourseAssignment, CourseCompletion, CourseLink
from netral.store.base import make_sessionmaker
from netral.store.models import AuditLog, User

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client: TestClient, url: str = "/kursus") -> str:
    return CSRF.search(client.get(url).text).group(1)


def _page_login(app, username: str) -> TestClient:
    c = TestClient(app, base_url="http://testserver")
    token = _csrf(c, "/login")
    r = c.post("/login", data={"username": username, "password": PASSWORD,
                               "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def _play_round(c: TestClient, wrong: int) -> tuple[list[str], list[str]]:
    """Answer a full round: the first ``wrong`` items wrongly, the rest rightly. Returns the
    item ids and the feedback pages."""
    token = _csrf(c)
    r = c.post("/kursus/mulai", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/kursus/soal"
    ids, feedback = [], []
    for n in range(10):
        page = c.get("/kursus/soal").text
        item_id = re.search(r'name="item" value="(q\d+)"', page).group(1)
        assert f"Soal {n + 1} dari 10" in page
        item = bank.item(item_id)
        ids.append(item_id)
        answer = item.answer if n >= wrong else ("boleh" if item.answer == "tidak" else "tidak")
        point = item.skb or "B"  # the decisive SKB point (a boleh item: any point is off)
        r = c.post("/kursus/jawab", data={"csrf_token": _csrf(c, "/kursus/soal"),
                                         "item": item_id, "answer": answer, "skb": point},
                   follow_redirects=False)
        assert r.status_code == 303
        page = c.get("/kursus/soal").text
        assert (f"Butir SKB {point}: tepat." if item.skb else
                f"Anda memilih butir {point}, tetapi tindakan ini boleh.") in page
        feedback.append(page)
        assert ("Benar." if n >= wrong else "Kurang tepat.") in page
        assert item.explain["id"].replace('"', "&#34;") in page
        if item.answer == "tidak":  # the rule and the advice in the checker's words
            why = bank.explain(item, "id")
            assert why.citation in page.replace("&#39;", "'")
            assert why.advice[0].replace('"', "&#34;") in page
        assert 'href="/"' in page and "Coba draf Anda" in page
    return ids, feedback


def _supervisor_of_unit(app, world, username: str, unit_id: int) -> str:
    maker = make_sessionmaker(app.state.engine)
    with maker() as db:
        if db.scalars(select(User).where(User.username == username)).first() is None:
            sup = db.get(User, world.users["a_supervisor"])
            db.add(User(username=username, display_name="Supervisor unit", role="supervisor",
                        password_hash=sup.password_hash, agency_id=world.agencies["A"],
                        unit_id=unit_id))
            db.commit()
    return username


def _assign(sup: TestClient, unit_id: int, days: int = 14) -> int:
    deadline = (date.today() + timedelta(days=days)).isoformat()
    r = sup.post("/kursus/unit", data={"csrf_token": _csrf(sup, "/kursus/unit"),
                                       "unit_id": str(unit_id), "deadline": deadline},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(re.fullmatch(r"/kursus/unit/(\d+)/orang", r.headers["location"]).group(1))


def _issue_csv(sup: TestClient, aid: int, mode: str = "baru") -> list[list[str]]:
    r = sup.post(f"/kursus/unit/{aid}/tautan.csv",
                 data={"csrf_token": _csrf(sup, f"/kursus/unit/{aid}/orang"), "mode": mode})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
    assert r.headers["cache-control"] == "no-store"
    return list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _record(c: TestClient):
    return c.post("/kursus/selesai", data={"csrf_token": _csrf(c, "/kursus/hasil")},
                  follow_redirects=True)


def _audit(app, action: str) -> list[AuditLog]:
    with make_sessionmaker(app.state.engine)() as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.action == action)))


BAD_LINK = "Tautan ini salah, sudah kedaluwarsa, atau sudah diganti."


def test_full_round_completion_and_certificate(app, world):
    sup = _page_login(app, "a_supervisor")
    edu = world.units["A"][2]  # Dinas Pendidikan: Siti's unit
    aid = _assign(sup, edu)
    people = sup.get(f"/kursus/unit/{aid}/orang").text
    assert f'<li class="card" data-nip="{_nip(2)}">' in people and "belum diterbitkan" in people
    page = sup.get("/kursus/unit").text
    row = re.search(r'<tr data-unit="Dinas Pendidikan">.*?</tr>', page, re.S).group(0)
    assert "0 / 1 (0%)" in row and "/kursus/tugas/" not in page  # no unit-wide link any more

    # the personal links as CSV: name, NIP, unit, link; only the hash is stored
    rows = _issue_csv(sup, aid)
    assert rows[0] == ["nama", "nip", "unit", "tautan"]
    assert [r[:3] for r in rows[1:]] == [["Siti Rahma A", _nip(2), "Dinas Pendidikan"]]
    link = _path(rows[1][3])
    token = link.rsplit("/", 1)[1]
    assert link.startswith("/kursus/saya/ntk_") and len(token) >= 4 + 43  # 256 random bits
    with make_sessionmaker(app.state.engine)() as db:
        stored = db.scalars(select(CourseLink).where(CourseLink.assignment_id == aid)).one()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in repr(db.execute(select(CourseLink.__table__)).all())
    assert _issue_csv(sup, aid) == [rows[0]]  # everyone has a live link: nothing new
    people = sup.get(f"/kursus/unit/{aid}/orang").text
    assert 'id="issue-form"' not in people and 'id="issue-all-form"' in people
    assert [a.details["issued"] for a in _audit(app, "course.links_issue")
            if a.object_id == str(aid)] == [1, 0]
    assert token not in repr([a.details for a in _audit(app, "course.links_issue")])

    # practising without a link works, but records nothing
    anon = TestClient(app, base_url="http://testserver")
    assert 'id="practice"' in anon.get("/kursus").text
    _play_round(anon, wrong=0)
    result = anon.get("/kursus/hasil").text
    assert 'id="record-form"' not in result and 'id="practice"' in result
    r = _record(anon)
    assert "Penyelesaian tidak dicatat" in r.text and "Kode verifikasi" not in r.text

    # the person's own link: a full round, then the completion is bound to Siti
    asn = TestClient(app, base_url="http://testserver")
    r = asn.get(link, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/kursus"
    assert r.headers["referrer-policy"] == "no-referrer"
    home = asn.get("/kursus").text
    assert "Tautan pribadi untuk Siti Rahma A" in home and "Dinas Pendidikan" in home
    assert "Privasi" in home and 'id="done"' not in home
    ids, _ = _play_round(asn, wrong=3)
    result = asn.get("/kursus/hasil").text
    assert "Skor Anda: 70 (7 dari 10 benar)" in result
    assert 'name="nip"' not in result and "atas nama Siti Rahma A" in result
    revisit = re.search(r'<section class="card" id="revisit">(.*?)</section>', result, re.S)
    assert len(re.findall(r"/kursus/materi/", revisit.group(1))) == 3
    wrong_lessons = {bank.item(i).lesson for i in ids[:3]}
    assert all(f"/kursus/materi/{lid}" in revisit.group(1) for lid in wrong_lessons)
    r = _record(asn)
    assert "Kode verifikasi" in r.text
    cert = re.search(r"Kode verifikasi: ([0-9A-F]+)", r.text).group(1)
    pdf = asn.get("/kursus/sertifikat.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    v = TestClient(app).get(f"/kursus/verifikasi/{cert}")
    assert v.status_code == 200 and "Siti Rahma A" in v.text and "skor 70" in v.text
    assert TestClient(app).get("/kursus/verifikasi/FFFF").status_code == 404
    # someone else's browser cannot download that certificate
    assert TestClient(app).get("/kursus/sertifikat.pdf").status_code == 404

    # the link used again (another browser, after completion) shows the certificate again
    again = TestClient(app, base_url="http://testserver")
    home = again.get(link).text
    assert 'id="done"' in home and f"Kode verifikasi: {cert}" in home and "skor 70" in home
    assert again.get("/kursus/sertifikat.pdf").content.startswith(b"%PDF")

    row = re.search(r'<tr data-unit="Dinas Pendidikan">.*?</tr>',
                    sup.get("/kursus/unit").text, re.S).group(0)
    assert "1 / 1 (100%)" in row and ">70.0<" in row

    # the CSV: who, when, score; one row per staff member of the unit
    out = sup.get(f"/kursus/unit/{aid}.csv")
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(out.text.lstrip("\ufeff"))))
    assert rows[0] == ["unit", "nip", "nama", "tenggat", "selesai_pada", "skor", "tepat_waktu"]
    assert [r[1] for r in rows[1:]] == [_nip(2)] and rows[1][5] == "70" and rows[1][6] == "ya"


def test_reissue_revoke_and_bad_links(app, world):
    """Re-issuing one person's link ends the old one (even in a browser that already holds it);
    revoking ends it; a wrong, revoked or expired token gets the same clear page."""
    sup = _page_login(app, "a_supervisor")
    aid = _assign(sup, world.units["A"][0])  # Sekretariat and Bagian Umum: Rina and Budi
    rows = _issue_csv(sup, aid)
    assert sorted(r[1] for r in rows[1:]) == [_nip(1), _nip(3)]
    budi_link = _path(next(r[3] for r in rows[1:] if r[1] == _nip(1)))
    rina_link = _path(next(r[3] for r in rows[1:] if r[1] == _nip(3)))
    budi = world.staff["A"][0]

    holder = TestClient(app, base_url="http://testserver")  # opened the old link earlier
    holder.get(budi_link)
    _play_round(holder, wrong=0)

    r = sup.post(f"/kursus/unit/{aid}/orang/{budi}/terbitkan",
                 data={"csrf_token": _csrf(sup, f"/kursus/unit/{aid}/orang")})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    new_link = _path(re.search(r'<code id="issued-link">([^<]+)</code>', r.text).group(1))
    assert new_link != budi_link and "Budi Santoso A" in r.text
    assert [a.details for a in _audit(app, "course.link_reissue") if a.object_id == str(aid)] == \
        [{"staff_id": budi, "revoked": 1}]

    wrong = TestClient(app, base_url="http://testserver")
    pages = {}
    for name, url in (("old", budi_link), ("random", "/kursus/saya/ntk_" + "A" * 43),
                      ("garbage", "/kursus/saya/%27%22%3Cx%3E"), ("long", "/kursus/saya/" + "x" * 500)):
        res = wrong.get(url)
        assert res.status_code == 404, name
        assert BAD_LINK in res.text and "Budi" not in res.text
        pages[name] = re.search(r'<p class="card" id="link-bad">.*?</p>', res.text, re.S).group(0)
    assert len(set(pages.values())) == 1  # nothing tells a replaced link from a made-up one

    # the old link's browser cannot record any more; the new link records for Budi
    r = _record(holder)
    assert "Penyelesaian tidak dicatat" in r.text and "Kode verifikasi" not in r.text
    fresh = TestClient(app, base_url="http://testserver")
    assert "Budi Santoso A" in fresh.get(new_link).text
    _play_round(fresh, wrong=1)
    assert "Kode verifikasi" in _record(fresh).text
    with make_sessionmaker(app.state.engine)() as db:
        done = db.scalars(select(CourseCompletion).where(
            CourseCompletion.assignment_id == aid)).all()
        assert [(c.staff_id, c.score) for c in done] == [(budi, 90)]

    # revoking Rina's link: her link gets the bad-link page, her row says so
    rina = world.staff["A"][2]
    r = sup.post(f"/kursus/unit/{aid}/orang/{rina}/cabut",
                 data={"csrf_token": _csrf(sup, f"/kursus/unit/{aid}/orang")},
                 follow_redirects=True)
    assert "Tautan pribadi dicabut." in r.text
    row = re.search(rf'<li class="card" data-nip="{_nip(3)}">.*?</li>', r.text, re.S).group(0)
    assert "dicabut" in row
    assert BAD_LINK in TestClient(app).get(rina_link).text
    assert [a.details["staff_id"] for a in _audit(app, "course.link_revoke")
            if a.object_id == str(aid)] == [rina]

    # expiry: deadline plus the grace period; afterwards the link and issuing stop
    r = sup.post(f"/kursus/unit/{aid}/orang/{rina}/terbitkan",
                 data={"csrf_token": _csrf(sup, f"/kursus/unit/{aid}/orang")})
    rina_new = _path(re.search(r'<code id="issued-link">([^<]+)</code>', r.text).group(1))
    assert TestClient(app).get(rina_new, follow_redirects=False).status_code == 303
    maker = make_sessionmaker(app.state.engine)
    with maker() as db:
        a = db.get(CourseAssignment, aid)
        a.deadline = date.today() - links.GRACE  # last day: still works
        db.commit()
    assert TestClient(app).get(rina_new, follow_redirects=False).status_code == 303
    with maker() as db:
        db.get(CourseAssignment, aid).deadline = date.today() - links.GRACE - timedelta(days=1)
        db.commit()
    res = TestClient(app).get(rina_new)
    assert res.status_code == 404 and BAD_LINK in res.text
    r = sup.post(f"/kursus/unit/{aid}/tautan.csv",
                 data={"csrf_token": _csrf(sup, f"/kursus/unit/{aid}/orang"), "mode": "semua"},
                 follow_redirects=True)
    assert "tautan tidak dapat diterbitkan lagi" in r.text
    with maker() as db:  # and the finished completion still verifies
        assert db.scalars(select(CourseCompletion).where(
            CourseCompletion.assignment_id == aid)).one().staff_id == budi


def test_links_roles_and_foreign_units(app, world):
    sup = _page_login(app, "a_supervisor")
    aid = _assign(sup, world.units["A"][2])  # Dinas Pendidikan
    siti = world.staff["A"][1]
    token = _csrf(sup, f"/kursus/unit/{aid}/orang")
    # a reviewer and an auditor see the people page, cannot issue or re-issue
    for who in ("a_reviewer", "a_auditor"):
        c = _page_login(app, who)
        page = c.get(f"/kursus/unit/{aid}/orang")
        assert page.status_code == 200 and 'id="issue-all-form"' not in page.text
        t = _csrf(c, "/kursus/unit")
        assert c.post(f"/kursus/unit/{aid}/tautan.csv", data={"csrf_token": t}).status_code == 403
        for action in ("terbitkan", "cabut"):
            assert c.post(f"/kursus/unit/{aid}/orang/{siti}/{action}",
                          data={"csrf_token": t}).status_code == 403
    # another agency: the assignment does not exist
    b = _page_login(app, "b_supervisor")
    t = _csrf(b, "/kursus/unit")
    assert b.get(f"/kursus/unit/{aid}/orang").status_code == 404
    assert b.post(f"/kursus/unit/{aid}/tautan.csv", data={"csrf_token": t}).status_code == 404
    assert b.post(f"/kursus/unit/{aid}/orang/{siti}/terbitkan",
                  data={"csrf_token": t}).status_code == 404
    # a supervisor of Sekretariat: Dinas Pendidikan's assignment is not found; in their own
    # assignment, a person of another unit is not found either
    s = _page_login(app, _supervisor_of_unit(app, world, "a_sup_sekretariat",
                                             world.units["A"][0]))
    t = _csrf(s, "/kursus/unit")
    assert s.get(f"/kursus/unit/{aid}/orang").status_code == 404
    assert s.post(f"/kursus/unit/{aid}/orang/{siti}/terbitkan",
                  data={"csrf_token": t}).status_code == 404
    own = _assign(s, world.units["A"][1])  # Bagian Umum: Budi only
    assert s.post(f"/kursus/unit/{own}/orang/{siti}/terbitkan",
                  data={"csrf_token": t}).status_code == 404
    assert s.post(f"/kursus/unit/{own}/orang/{siti}/cabut",
                  data={"csrf_token": t}).status_code == 404
    assert [r[1] for r in _issue_csv(s, own)[1:]] == [_nip(1)]
    # ids that are not numbers are not found, not a 500
    assert sup.post("/kursus/unit/x/tautan.csv", data={"csrf_token": token}).status_code == 404
    assert sup.post(f"/kursus/unit/{aid}/orang/x/cabut",
                    data={"csrf_token": token}).status_code == 404
    # signed out: sign in first
    anon = TestClient(app, base_url="http://testserver")
    assert anon.get(f"/kursus/unit/{aid}/orang", follow_redirects=False).status_code == 303


def test_supervisor_never_sees_individual_answers(app, world):
    """Only completion and score reach the server: the database row has no answers and no
    agency page or export shows which item a person answered how."""
    maker = make_sessionmaker(app.state.engine)
    with maker() as db:
        rows = db.scalars(select(CourseCompletion)).all()
        assert rows, "the round test records a completion first"
        cols = set(CourseCompletion.__table__.columns.keys())
        assert cols == {"id", "assignment_id", "staff_id", "completed_at", "score",
                        "certificate"}
        assert set(CourseLink.__table__.columns.keys()) == {
            "id", "assignment_id", "staff_id", "token_hash", "created_by_id", "created_at",
            "revoked_at"}
    sup = _page_login(app, "a_supervisor")
    pages = [sup.get("/kursus/unit").text]
    aid = re.search(r"/kursus/unit/(\d+)\.csv", pages[0]).group(1)
    pages.append(sup.get(f"/kursus/unit/{aid}.csv").text)
    pages.append(sup.get(f"/kursus/unit/{aid}/orang").text)
    for text in pages:
        assert not re.search(r"\bq\d{3}\b", text)  # no item id
        assert "Kurang tepat" not in text and "boleh" not in text.lower().replace("tidak", "")


def test_roles_and_unit_scope(app, world):
    deadline = (date.today() + timedelta(days=7)).isoformat()
    root_unit, sub_unit, edu = world.units["A"]
    # a reviewer and an auditor may look, not assign
    for who in ("a_reviewer", "a_auditor"):
        c = _page_login(app, who)
        assert c.get("/kursus/unit").status_code == 200
        assert 'id="assign-form"' not in c.get("/kursus/unit").text
        r = c.post("/kursus/unit", data={"csrf_token": _csrf(c, "/kursus/unit"),
                                         "unit_id": str(edu), "deadline": deadline})
        assert r.status_code == 403
    # another agency's supervisor: the unit does not exist for them
    b = _page_login(app, "b_supervisor")
    r = b.post("/kursus/unit", data={"csrf_token": _csrf(b, "/kursus/unit"),
                                     "unit_id": str(edu), "deadline": deadline})
    assert r.status_code == 404
    assert 'data-unit="Dinas Pendidikan"' not in b.get("/kursus/unit").text
    # a supervisor bound to Sekretariat assigns inside the subtree, not outside it
    name = _supervisor_of_unit(app, world, "a_sup_sekretariat", root_unit)
    s = _page_login(app, name)
    r = s.post("/kursus/unit", data={"csrf_token": _csrf(s, "/kursus/unit"),
                                     "unit_id": str(edu), "deadline": deadline})
    assert r.status_code == 404
    r = s.post("/kursus/unit", data={"csrf_token": _csrf(s, "/kursus/unit"),
                                     "unit_id": str(sub_unit), "deadline": deadline},
               follow_redirects=False)
    assert r.status_code == 303
    page = s.get("/kursus/unit").text
    assert 'data-unit="Sekretariat/Bagian Umum"' in page
    assert 'data-unit="Dinas Pendidikan"' not in page  # agency-wide supervisor's assignment
    # and the Dinas Pendidikan CSV is not found for them
    full = _page_login(app, "a_supervisor").get("/kursus/unit").text
    edu_aid = re.search(r'<tr data-unit="Dinas Pendidikan">.*?/kursus/unit/(\d+)\.csv',
                        full, re.S).group(1)
    assert s.get(f"/kursus/unit/{edu_aid}.csv").status_code == 404
    # signed out: the agency view asks to sign in; the course itself is open
    anon = TestClient(app, base_url="http://testserver")
    assert anon.get("/kursus/unit", follow_redirects=False).status_code == 303
    assert anon.get("/kursus").status_code == 200
    # a deadline in the past is refused with a message, nothing stored
    r = s.post("/kursus/unit", data={"csrf_token": _csrf(s, "/kursus/unit"),
                                     "unit_id": str(sub_unit), "deadline": "2020-01-01"},
               follow_redirects=True)
    assert "sebelum hari ini" in r.text


def test_completion_needs_a_full_round_and_a_known_assignment(app):
    c = TestClient(app, base_url="http://testserver")
    assert c.get("/kursus/tugas/no-such-code").status_code == 404  # the unit-wide link is gone
    assert c.get("/kursus/saya/no-such-code").status_code == 404
    token = _csrf(c)
    c.post("/kursus/mulai", data={"csrf_token": token})
    # straight to the result before answering: sent back to the questions
    r = c.get("/kursus/hasil", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/kursus/soal"
    r = c.post("/kursus/selesai", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/kursus/hasil"
    # a forged answer value is a message, not a 500
    page = c.get("/kursus/soal").text
    item_id = re.search(r'name="item" value="(q\d+)"', page).group(1)
    r = c.post("/kursus/jawab", data={"csrf_token": token, "item": item_id, "answer": "x"},
               follow_redirects=True)
    assert r.status_code == 200 and "Pilih boleh atau tidak boleh" in r.text


@pytest.mark.parametrize("path", ["/kursus", "/kursus/materi/interaksi", "/kursus/materi/foto-gestur"])
def test_lessons_in_english_keep_uncertain_marks(app, path):
    c = TestClient(app, base_url="http://testserver")
    c.post("/lang", data={"csrf_token": _csrf(c), "lang": "en", "next": path})
    text = c.get(path).text
    assert "Neutrality course" in text or "neutrality" in text.lower()
    if path != "/kursus":
        assert "[uncertain]" in text and "[belum pasti]" not in text


def test_course_is_part_of_the_installable_app(app):
    c = TestClient(app, base_url="http://testserver")
    manifest = c.get("/manifest.webmanifest").json()
    assert {"name": "Kursus netralitas", "url": "/kursus"}.items() <= \
        manifest["shortcuts"][0].items()
    assert manifest["scope"] == "/"  # /kursus is inside the app's scope
    assert 'href="/kursus"' in c.get("/").text  # and in the menu of every page
