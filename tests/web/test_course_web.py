"""The netralitas course in the web app (issue 18), on SQLite and PostgreSQL: a full round
without JavaScript, completion for an assigned unit, the certificate, and the agency's view
with unit scope and roles exactly as findings have them."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_seed import PASSWORD, _nip

from netral.course import bank
from netral.course.models import CourseCompletion
from netral.store.base import make_sessionmaker
from netral.store.models import User

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


def test_full_round_completion_and_certificate(app, world):
    sup = _page_login(app, "a_supervisor")
    deadline = (date.today() + timedelta(days=14)).isoformat()
    edu = world.units["A"][2]  # Dinas Pendidikan: Siti's unit
    r = sup.post("/kursus/unit", data={"csrf_token": _csrf(sup, "/kursus/unit"),
                                       "unit_id": str(edu), "deadline": deadline},
                 follow_redirects=False)
    assert r.status_code == 303
    page = sup.get("/kursus/unit").text
    row = re.search(r'<tr data-unit="Dinas Pendidikan">.*?</tr>', page, re.S).group(0)
    assert "0 / 1 (0%)" in row
    code = re.search(r"/kursus/tugas/([A-Za-z0-9_-]+)", row).group(1)

    asn = TestClient(app, base_url="http://testserver")
    assert asn.get(f"/kursus/tugas/{code}").status_code == 200  # redirected home
    home = asn.get("/kursus").text
    assert "Dinas Pendidikan" in home and "Privasi" in home
    ids, _ = _play_round(asn, wrong=3)
    result = asn.get("/kursus/hasil").text
    assert "Skor Anda: 70 (7 dari 10 benar)" in result
    revisit = re.search(r'<section class="card" id="revisit">(.*?)</section>', result, re.S)
    assert len(re.findall(r"/kursus/materi/", revisit.group(1))) == 3
    wrong_lessons = {bank.item(i).lesson for i in ids[:3]}
    assert all(f"/kursus/materi/{lid}" in revisit.group(1) for lid in wrong_lessons)

    # a NIP outside the assigned unit is refused; Siti's NIP (Dinas Pendidikan) is accepted
    token = _csrf(asn, "/kursus/hasil")
    r = asn.post("/kursus/selesai", data={"csrf_token": token, "nip": _nip(1)},
                 follow_redirects=True)
    assert "NIP tidak ditemukan" in r.text and "Kode verifikasi" not in r.text
    r = asn.post("/kursus/selesai", data={"csrf_token": _csrf(asn, "/kursus/hasil"),
                                          "nip": _nip(2)}, follow_redirects=True)
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

    row = re.search(r'<tr data-unit="Dinas Pendidikan">.*?</tr>',
                    sup.get("/kursus/unit").text, re.S).group(0)
    assert "1 / 1 (100%)" in row and ">70.0<" in row

    # the CSV: who, when, score; one row per staff member of the unit
    aid = re.search(r"/kursus/unit/(\d+)\.csv", row).group(1)
    out = sup.get(f"/kursus/unit/{aid}.csv")
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(out.text.lstrip("\ufeff"))))
    assert rows[0] == ["unit", "nip", "nama", "tenggat", "selesai_pada", "skor", "tepat_waktu"]
    assert [r[1] for r in rows[1:]] == [_nip(2)] and rows[1][5] == "70" and rows[1][6] == "ya"


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
    sup = _page_login(app, "a_supervisor")
    pages = [sup.get("/kursus/unit").text]
    aid = re.search(r"/kursus/unit/(\d+)\.csv", pages[0]).group(1)
    pages.append(sup.get(f"/kursus/unit/{aid}.csv").text)
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
    assert c.get("/kursus/tugas/no-such-code").status_code == 404
    token = _csrf(c)
    c.post("/kursus/mulai", data={"csrf_token": token})
    # straight to the result before answering: sent back to the questions
    r = c.get("/kursus/hasil", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/kursus/soal"
    r = c.post("/kursus/selesai", data={"csrf_token": token, "nip": _nip(2)},
               follow_redirects=False)
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
