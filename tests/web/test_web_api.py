"""JSON API: every endpoint, with its authorisation failures (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select
from web_seed import FORMULA_TEXT, PASSWORD, take

import netral
from netral.kinds import MAX_TEXT_CHARS
from netral.store.base import make_sessionmaker
from netral.store.models import AuditLog, CaseEvent, LabelledFeedback

# --------------------------------------------------------------------------- check


def _audit_count(app) -> int:
    with make_sessionmaker(app.state.engine)() as db:
        return db.scalar(select(func.count()).select_from(AuditLog))


def test_check_matches_library_result_exactly(login):
    anon = login(None)
    for text, kind in [("Ayo coblos no. 2 tgl 14 Feb, biar Indonesia Maju!", "post"),
                       ("Aamiin ya Allah semoga sehat selalu", "comment"),
                       ("Proud to be relawan Ganjar-Mahfud! Let's go 03", "bio"),
                       ("Share dong visi-misi paslon 2, bagus bgt", "share")]:
        r = anon.http.post("/api/v1/check", json={"text": text, "kind": kind})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/json")
        assert r.json() == netral.check(text, kind=kind).to_dict()


def test_check_stores_and_logs_nothing(app, login):
    before = _audit_count(app)
    r = login(None).http.post("/api/v1/check", json={"text": "Coblos nomor 3!", "kind": "post"})
    assert r.status_code == 200 and r.json()["verdict"] in ("kampanye", "tinjau")
    assert _audit_count(app) == before
    assert "set-cookie" not in r.headers  # no session is even started for the API check


def test_check_rejects_bad_input(login):
    anon = login(None)
    assert anon.http.post("/api/v1/check", json={"text": "x", "kind": "tweet"}).status_code == 422
    assert anon.http.post("/api/v1/check", json={"kind": "post"}).status_code == 422
    # past the body guard: 413; a long text under it is judged on its start, marked truncated
    from netral.web.api import MAX_CHECK_BODY_CHARS

    assert anon.http.post("/api/v1/check",
                          json={"text": "x" * (MAX_CHECK_BODY_CHARS + 1)}).status_code == 413
    r = anon.http.post("/api/v1/check", json={"text": "x " * MAX_TEXT_CHARS})
    assert r.status_code == 200 and r.json()["truncated"] is True
    # a form post is not JSON: refused (no CSRF-able simple request reaches the handler)
    assert anon.http.post("/api/v1/check", data={"text": "x"}).status_code == 422


# --------------------------------------------------------------------------- auth


def test_login_logout_and_me(app, login):
    c = login(None)
    assert c.get("/api/v1/auth/me").status_code == 401
    bad = c.http.post("/api/v1/auth/login", json={"username": "a_reviewer", "password": "salah"})
    assert bad.status_code == 401
    ghost = c.http.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert ghost.status_code == 401
    ok = c.http.post("/api/v1/auth/login", json={"username": "a_reviewer", "password": PASSWORD})
    assert ok.status_code == 200
    c.csrf = ok.json()["csrf_token"]
    me = c.get("/api/v1/auth/me").json()
    assert me["username"] == "a_reviewer" and me["role"] == "reviewer"
    assert c.post("/api/v1/auth/logout").status_code == 200
    assert c.get("/api/v1/auth/me").status_code == 401


def test_session_cookie_flags_and_security_headers(app):
    from fastapi.testclient import TestClient

    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        c = TestClient(app, base_url=base)
        r = c.post("/api/v1/auth/login", json={"username": "a_auditor", "password": PASSWORD})
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
        page = c.get("/")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"
        if secure:
            assert "max-age" in page.headers["strict-transport-security"]


def test_tampered_session_cookie_is_ignored(app, login):
    from fastapi.testclient import TestClient

    c = login("a_auditor")
    value = c.http.cookies.get("netral_session")
    forged = TestClient(app)
    forged.cookies.set("netral_session", value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB"))
    assert forged.get("/api/v1/auth/me").status_code == 401


def test_csrf_required_for_state_changes(world, login):
    c = login("a_reviewer")
    fid = world.pool["A"][0]
    no = c.http.post(f"/api/v1/findings/{fid}/claim", json={})
    assert no.status_code == 403 and no.json()["detail"] == "csrf"
    wrong = c.http.post(f"/api/v1/findings/{fid}/claim", json={},
                        headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    page = c.http.post(f"/findings/{fid}/action", data={"action": "claim"})
    assert page.status_code == 403
    page = c.http.post(f"/findings/{fid}/action", data={"action": "claim", "csrf_token": "bad"})
    assert page.status_code == 403


# --------------------------------------------------------------------------- findings


def test_queue_sorted_by_risk_with_highlights_and_scope(world, login):
    data = login("a_reviewer").get("/api/v1/findings?status=all&limit=1000").json()
    scores = [f["risk_score"] for f in data["items"]]
    assert scores == sorted(scores, reverse=True) and data["total"] == len(world.findings["A"])
    assert all(f["agency_id"] == world.agencies["A"] for f in data["items"])
    one = data["items"][0]
    assert one["detection"]["result"]["reasons"], "flagged findings carry their reasons"
    assert one["evidence"] == {"captured": False}


def test_unit_scoped_reviewer_sees_only_its_subtree(world, login):
    c = login("a_unitreviewer")
    ids = {f["id"] for f in c.get("/api/v1/findings?status=all&limit=1000").json()["items"]}
    assert world.unit_finding in ids and world.outside_unit_finding not in ids
    assert all(f["staff"]["unit"] == "Dinas Pendidikan" for f in
               c.get("/api/v1/findings?status=all").json()["items"])
    assert c.get(f"/api/v1/findings/{world.outside_unit_finding}").status_code == 404
    staff = c.get("/api/v1/staff").json()["items"]
    assert {s["unit"] for s in staff} == {"Dinas Pendidikan"}


def test_claim_confirm_feeds_labelled_feedback(app, world, login):
    c = login("a_reviewer")
    fid = take(world)
    r = c.post(f"/api/v1/findings/{fid}/claim", json={})
    assert r.status_code == 200 and r.json()["status"] == "claimed"
    assert r.json()["assigned_to"] == "a_reviewer"
    other = login("a_reviewer2").post(f"/api/v1/findings/{fid}/claim", json={})
    assert other.status_code == 409
    assert c.post(f"/api/v1/findings/{fid}/confirm", json={"reason": " "}).status_code == 400
    r = c.post(f"/api/v1/findings/{fid}/confirm", json={"reason": "ajakan memilih jelas"})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert r.json()["reviewer"] == "a_reviewer"
    assert c.post(f"/api/v1/findings/{fid}/dismiss", json={"reason": "x"}).status_code == 409
    fb = login("a_auditor").get("/api/v1/feedback").json()["items"]
    mine = [x for x in fb if x["finding_id"] == fid]
    assert len(mine) == 1 and mine[0]["label"] == "kampanye"
    assert mine[0]["predicted"] in ("kampanye", "tinjau") and mine[0]["text"]


def test_dismiss_labels_netral(world, login):
    import orjson

    fid = take(world)
    r = login("a_reviewer2").post(f"/api/v1/findings/{fid}/dismiss",
                                  json={"reason": "berita netral"})
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    fb = login("a_admin").get("/api/v1/feedback").json()["items"]
    assert [x["label"] for x in fb if x["finding_id"] == fid] == ["netral"]
    assert login("a_reviewer").get("/api/v1/feedback.jsonl").status_code == 403
    r = login("a_auditor").get("/api/v1/feedback.jsonl")
    assert r.headers["content-type"] == "application/x-ndjson"
    rows = [orjson.loads(line) for line in r.content.splitlines()]
    mine = [x for x in rows if x["source"].endswith(f"finding-{fid}")]
    assert len(mine) == 1 and mine[0]["label"] == "netral" and mine[0]["group"] == "review"
    assert set(mine[0]) >= {"text", "label", "source", "group"}  # the training-corpus format


def test_escalated_findings_are_decided_by_a_supervisor(world, login):
    fid = take(world)
    rev = login("a_reviewer")
    r = rev.post(f"/api/v1/findings/{fid}/escalate", json={"reason": "ragu"})
    assert r.status_code == 200 and r.json()["status"] == "escalated"
    assert rev.post(f"/api/v1/findings/{fid}/confirm", json={"reason": "ya"}).status_code == 403
    r = login("a_supervisor").post(f"/api/v1/findings/{fid}/confirm", json={"reason": "ya"})
    assert r.status_code == 200


def test_assign_needs_supervisor_and_a_user_of_the_agency(world, login):
    fid = take(world)
    rid = world.users["a_reviewer2"]
    assert login("a_reviewer").post(f"/api/v1/findings/{fid}/assign",
                                    json={"user_id": rid}).status_code == 403
    sup = login("a_supervisor")
    assert sup.post(f"/api/v1/findings/{fid}/assign",
                    json={"user_id": world.users["b_reviewer"]}).status_code == 404
    assert sup.post(f"/api/v1/findings/{fid}/assign",
                    json={"user_id": world.users["a_auditor"]}).status_code == 404
    r = sup.post(f"/api/v1/findings/{fid}/assign", json={"user_id": rid})
    assert r.status_code == 200 and r.json()["assigned_to"] == "a_reviewer2"
    mine = login("a_reviewer2").get("/api/v1/findings?mine=true").json()["items"]
    assert fid in [f["id"] for f in mine]


def test_auditor_is_read_only(world, login):
    aud = login("a_auditor")
    fid = world.pool["A"][-1]
    assert aud.get(f"/api/v1/findings/{fid}").status_code == 200
    for action in ("claim", "confirm", "dismiss", "escalate", "assign"):
        r = aud.post(f"/api/v1/findings/{fid}/{action}", json={"reason": "x"})
        assert r.status_code == 403, action
    assert aud.post("/api/v1/findings/bulk",
                    json={"ids": [fid], "action": "claim"}).status_code == 403
    assert aud.post("/api/v1/cases", json={"finding_ids": [fid]}).status_code == 403
    assert aud.get("/api/v1/audit").status_code == 200


def test_bulk_actions(world, login):
    ids = [take(world), take(world)]
    r = login("a_reviewer").post("/api/v1/findings/bulk",
                                 json={"ids": [*ids, world.b_confirmed], "action": "claim"})
    assert r.status_code == 200
    body = r.json()
    assert body["done"] == ids and body["failed"] == {str(world.b_confirmed): "not_found"}
    r = login("a_reviewer").post("/api/v1/findings/bulk",
                                 json={"ids": ids, "action": "dismiss", "reason": "bukan"})
    assert r.json()["done"] == ids
    only_b = login("a_reviewer").post("/api/v1/findings/bulk",
                                      json={"ids": [world.b_confirmed], "action": "claim"})
    assert only_b.status_code == 404


def test_bulk_decision_on_only_escalated_findings_says_why(world, login):
    rev = login("a_reviewer")
    fid = take(world)
    assert rev.post(f"/api/v1/findings/{fid}/escalate", json={"reason": "ragu"}).status_code == 200
    r = rev.post("/api/v1/findings/bulk",
                 json={"ids": [fid], "action": "confirm", "reason": "ajakan"})
    assert r.status_code == 403
    assert r.json()["detail"] == "forbidden"
    assert r.json()["message"] == "Temuan yang dieskalasi diputuskan oleh supervisor."
    # a selection with something else in it goes through, the escalated one named as failed
    other = take(world)
    r = rev.post("/api/v1/findings/bulk",
                 json={"ids": [fid, other], "action": "confirm", "reason": "ajakan"})
    assert r.status_code == 200 and r.json()["done"] == [other]
    assert r.json()["failed"][str(fid)].startswith("forbidden")


def test_random_sample_of_netral_items(app, world, login):
    sup = login("a_supervisor")
    assert login("a_reviewer").post("/api/v1/findings/sample", json={}).status_code == 403
    r = sup.post("/api/v1/findings/sample", json={"rate": 1.0, "seed": 7})
    assert r.status_code == 200
    res = r.json()
    assert res["candidates"] >= 3 and res["sampled"] == res["candidates"]
    sampled = [f for f in sup.get("/api/v1/findings?limit=1000").json()["items"]
               if f["sampled_as_netral"]]
    assert len(sampled) == res["sampled"]
    assert all(f["detection"]["verdict"] == "netral" for f in sampled)
    again = sup.post("/api/v1/findings/sample", json={"rate": 1.0}).json()
    assert again["candidates"] == 0  # items already queued are not sampled twice
    stats = sup.get("/api/v1/findings").json()["sample"]
    assert stats["sampled"] == res["sampled"]
    r = sup.post(f"/api/v1/findings/{sampled[0]['id']}/confirm", json={"reason": "terlewat"})
    assert r.status_code == 200
    assert sup.get("/api/v1/findings").json()["sample"]["missed"] == 1


# --------------------------------------------------------------------------- cases


def _confirmed(login, world, who: str = "a_reviewer") -> int:
    fid = take(world)
    r = login(who).post(f"/api/v1/findings/{fid}/confirm", json={"reason": "terbukti"})
    assert r.status_code == 200
    return fid


def test_case_workflow_every_step_with_two_person_rule(app, world, login):
    fid = _confirmed(login, world, "a_supervisor2")  # a supervisor confirms...
    sup2, sup = login("a_supervisor2"), login("a_supervisor")
    assert login("a_reviewer").post("/api/v1/cases",
                                    json={"finding_ids": [fid]}).status_code == 403
    r = sup2.post("/api/v1/cases", json={"finding_ids": [fid], "title": "Kasus uji"})
    assert r.status_code == 201
    case = r.json()
    cid = case["id"]
    assert case["status"] == "finding" and case["due_at"] and case["next_status"] == "clarification"
    assert sup.post(f"/api/v1/cases/{cid}/transition",
                    json={"to_status": "sanction"}).status_code == 409  # no skipping
    r = sup2.post(f"/api/v1/cases/{cid}/transition",
                  json={"to_status": "clarification", "note": "undangan klarifikasi"})
    assert r.status_code == 200 and r.json()["status"] == "clarification"
    assert sup.post(f"/api/v1/cases/{cid}/transition",
                    json={"to_status": "recommendation"}).status_code == 400  # note required
    # ...so that supervisor may not issue the recommendation (two-person rule)
    r = sup2.post(f"/api/v1/cases/{cid}/transition",
                  json={"to_status": "recommendation", "note": "rekomendasi sanksi moral"})
    assert r.status_code == 403 and r.json()["detail"] == "two_person_rule"
    r = sup.post(f"/api/v1/cases/{cid}/transition",
                 json={"to_status": "recommendation", "note": "rekomendasi sanksi moral",
                       "ppk": "Bupati A"})
    assert r.status_code == 200 and r.json()["ppk"] == "Bupati A"
    assert sup.post(f"/api/v1/cases/{cid}/transition",
                    json={"to_status": "sanction"}).status_code == 400  # type required
    r = sup.post(f"/api/v1/cases/{cid}/transition",
                 json={"to_status": "sanction", "sanction_type": "moral",
                       "note": "pernyataan tertutup"})
    assert r.status_code == 200 and r.json()["sanction_type"] == "moral"
    r = login("a_reviewer").post(f"/api/v1/cases/{cid}/notes", json={"note": "sudah dibaca"})
    assert r.status_code == 201
    r = sup.post(f"/api/v1/cases/{cid}/transition", json={"to_status": "closed"})
    assert r.status_code == 200
    done = r.json()
    assert done["status"] == "closed" and done["closed_at"] and not done["overdue"]
    steps = [e["to_status"] for e in done["events"]]
    assert steps == ["finding", "clarification", "recommendation", "sanction", None, "closed"]
    assert sup.post(f"/api/v1/cases/{cid}/transition",
                    json={"to_status": "closed", "note": "x"}).status_code == 409
    audit = login("a_auditor").get("/api/v1/audit?limit=5000").json()["items"]
    moves = [a for a in audit if a["object_type"] == "case" and a["object_id"] == str(cid)]
    assert sorted(a["action"] for a in moves) == sorted(
        ["case.open", "case.transition", "case.transition", "case.transition",
         "case.transition", "case.note"])
    with make_sessionmaker(app.state.engine)() as db:
        assert db.scalar(select(func.count()).select_from(CaseEvent)
                         .where(CaseEvent.case_id == cid)) == 6


def test_case_needs_confirmed_findings_of_one_person(world, login):
    sup = login("a_supervisor")
    assert sup.post("/api/v1/cases", json={"finding_ids": [world.pool["A"][0]]}).status_code == 409
    first = _confirmed(login, world)
    staff = sup.get(f"/api/v1/findings/{first}").json()["staff"]["id"]
    other = None
    while other is None:
        fid = _confirmed(login, world)
        if sup.get(f"/api/v1/findings/{fid}").json()["staff"]["id"] != staff:
            other = fid
    r = sup.post("/api/v1/cases", json={"finding_ids": [first, other]})
    assert r.status_code == 409 and "same staff" in r.json()["message"]
    r = sup.post("/api/v1/cases", json={"finding_ids": [first]})
    assert r.status_code == 201
    cases = sup.get("/api/v1/cases?status=all").json()["items"]
    assert r.json()["id"] in [c["id"] for c in cases]
    assert all(c["agency_id"] == world.agencies["A"] for c in cases)
    open_ids = [c["id"] for c in sup.get("/api/v1/cases").json()["items"]]
    assert r.json()["id"] in open_ids
    assert sup.get("/api/v1/cases?status=closed").json()["items"] == [] or all(
        c["status"] == "closed" for c in sup.get("/api/v1/cases?status=closed").json()["items"])


def test_close_early_needs_a_note_and_overdue_marker(app, world, login):
    fid = _confirmed(login, world)
    sup = login("a_supervisor")
    cid = sup.post("/api/v1/cases", json={"finding_ids": [fid]}).json()["id"]
    assert sup.post(f"/api/v1/cases/{cid}/transition",
                    json={"to_status": "closed"}).status_code == 400
    from datetime import timedelta

    from netral.store.models import Case
    from netral.store.types import utcnow

    with make_sessionmaker(app.state.engine)() as db:
        db.get(Case, cid).due_at = utcnow() - timedelta(days=1)
        db.commit()
    assert sup.get(f"/api/v1/cases/{cid}").json()["overdue"] is True
    assert sup.get("/api/v1/dashboard").json()["overdue_cases"] >= 1
    r = sup.post(f"/api/v1/cases/{cid}/transition",
                 json={"to_status": "closed", "note": "klarifikasi: akun diretas"})
    assert r.status_code == 200 and r.json()["overdue"] is False


# --------------------------------------------------------------------------- dashboard, reports


def test_dashboard_breakdowns(world, login):
    d = login("a_auditor").get("/api/v1/dashboard").json()
    assert d["agency_id"] == world.agencies["A"]
    assert d["total"] == sum(n for _, n in d["by_status"]) >= len(world.findings["A"])
    for key in ("by_unit", "by_platform", "by_kind", "by_target"):
        assert sum(n for _, n in d[key]) >= d["total"] or key == "by_target"
    assert any(p["label"].startswith("Masa kampanye Pemilu 2024") for p in d["campaign_periods"])
    assert {"Dinas Pendidikan", "Sekretariat/Bagian Umum"} <= {u for u, _ in d["by_unit"]}
    narrow = login("a_auditor").get("/api/v1/dashboard?start=2024-01-10&end=2024-01-12").json()
    assert 0 < narrow["total"] < d["total"]
    bad = login("a_auditor").get("/api/v1/dashboard?start=kemarin")
    assert bad.status_code == 400
    other = login("a_auditor").get(f"/api/v1/dashboard?agency_id={world.agencies['B']}")
    assert other.status_code == 404


def test_csv_report_escapes_formulas(world, login):
    r = login("a_auditor").get("/api/v1/reports/findings.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    text_col = header.index("teks")  # Indonesian column names by default
    texts = [row[text_col] for row in body]
    assert "'" + FORMULA_TEXT in texts and FORMULA_TEXT not in texts
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert len(body) >= len(world.findings["A"])


def test_pdf_report(login):
    r = login("a_supervisor").get("/api/v1/reports/report.pdf?start=2024-01-01&end=2024-12-31")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 5000


def test_csv_cell_escaping_unit():
    from netral.web.csvsafe import escape_cell, to_csv

    assert escape_cell("=1+1") == "'=1+1"
    assert escape_cell("+62 811") == "'+62 811"
    assert escape_cell("-5") == "'-5"
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("\t=x") == "'\t=x"
    assert escape_cell("aman =x") == "aman =x" and escape_cell(None) == "" and escape_cell(3) == "3"
    out = to_csv(["a"], [["=cmd|' /C calc'!A0"]])
    assert out.splitlines()[1] == "'=cmd|' /C calc'!A0"
    assert to_csv(["a"], [['-2+3,"x"']]).splitlines()[1] == '"\'-2+3,""x"""'


# --------------------------------------------------------------------------- roster & accounts


ROSTER_OK = (
    "NIP,nama,jabatan,kelas,unit,platform,akun\n"
    "198703152011012004,Dewi Lestari,Guru,PNS,Dinas Pendidikan,x,@dewi_guru\n"
    "198703152011012004,Dewi Lestari,Guru,PNS,Dinas Pendidikan,instagram,dewi.l\n"
)
ROSTER_BAD = (
    "NIP,nama,jabatan,kelas,unit,platform,akun\n"
    "12345,Tanpa NIP Sah,Staf,PNS,Dinas Pendidikan,x,@a1\n"
    "198703152011012005,Unit Hilang,Staf,PNS,Dinas Rahasia,x,@a2\n"
)


def test_roster_import_report_and_apply(world, login):
    sup = login("a_supervisor")
    files = {"file": ("roster.csv", ROSTER_BAD.encode(), "text/csv")}
    r = sup.post("/api/v1/roster/import", files=files, data={"dry_run": "true"})
    assert r.status_code == 422
    rep = r.json()
    assert not rep["ok"] and rep["file"] == "roster.csv"
    rows = {p["row"] for p in rep["problems"] if p["severity"] == "error"}
    assert rows == {2, 3}
    files = {"file": ("roster.csv", ROSTER_OK.encode(), "text/csv")}
    dry = sup.post("/api/v1/roster/import", files=files, data={"dry_run": "true"}).json()
    assert dry["ok"] and not dry["applied"] and dry["counts"]["staff_created"] == 0
    files = {"file": ("roster.csv", ROSTER_OK.encode(), "text/csv")}
    done = sup.post("/api/v1/roster/import", files=files, data={"dry_run": "false"}).json()
    assert done["applied"] and done["counts"]["staff_created"] == 1
    assert done["counts"]["accounts_created"] == 2
    staff = sup.get("/api/v1/staff").json()["items"]
    assert "Dewi Lestari" in {s["name"] for s in staff}
    accounts = sup.get("/api/v1/accounts").json()["items"]
    assert {"dewi_guru", "dewi.l"} <= {a["handle"] for a in accounts}
    assert login("a_reviewer").post("/api/v1/roster/import", files={
        "file": ("roster.csv", ROSTER_OK.encode(), "text/csv")}).status_code == 403


def test_roster_import_never_names_another_agency(world, login):
    # a NIP that belongs to agency B: the message must not reveal B's code or the NIP's owner
    with_b = ("NIP,nama,jabatan,kelas,unit,platform,akun\n"
              "198501012010011101,Penyusup,Staf,PNS,Dinas Pendidikan,,\n")
    r = login("a_admin").post("/api/v1/roster/import", data={"dry_run": "true"},
                              files={"file": ("r.csv", with_b.encode(), "text/csv")})
    assert r.status_code == 422
    text = r.text
    assert "pemkot-b" not in text and "Kota B" not in text


def test_units_endpoint(world, login):
    units = login("a_auditor").get("/api/v1/units").json()["items"]
    assert {u["path"] for u in units} >= {"Sekretariat", "Dinas Pendidikan"}
    assert {u["id"] for u in units}.isdisjoint(world.units["B"])


# --------------------------------------------------------------------------- settings, users


def test_settings_admin_only(world, login):
    assert login("a_auditor").get("/api/v1/settings").json()["netral_sample_rate"] == 0.5
    assert login("a_supervisor").put("/api/v1/settings",
                                      json={"netral_sample_rate": 0.1}).status_code == 403
    r = login("a_admin").put("/api/v1/settings", json={"netral_sample_rate": 0.25,
                                                       "ppk_deadline_days": 10})
    assert r.status_code == 200 and r.json()["netral_sample_rate"] == 0.25
    assert login("a_admin").put("/api/v1/settings",
                                json={"netral_sample_rate": 2}).status_code == 422
    assert login("a_admin").put("/api/v1/settings",
                                json={"agency_id": world.agencies["B"],
                                      "netral_sample_rate": 0.9}).status_code == 404
    assert login("b_auditor").get("/api/v1/settings").json()["netral_sample_rate"] == 0.5


def test_users_admin_only(world, login):
    assert login("a_supervisor").get("/api/v1/users").status_code == 403
    users = login("a_admin").get("/api/v1/users").json()["items"]
    assert {u["agency_id"] for u in users} == {world.agencies["A"]}
    body = {"username": "a_newreviewer", "password": "panjang-sekali-1", "role": "reviewer"}
    r = login("a_admin").post("/api/v1/users", json=body)
    assert r.status_code == 201 and r.json()["agency_id"] == world.agencies["A"]
    assert login("a_admin").post("/api/v1/users", json=body).status_code == 409
    short = {**body, "username": "a_x2", "password": "pendek"}
    assert login("a_admin").post("/api/v1/users", json=short).status_code == 422
    cross = {**body, "username": "a_x3", "agency_id": world.agencies["B"]}
    assert login("a_admin").post("/api/v1/users", json=cross).status_code == 404
    foreign_unit = {**body, "username": "a_x4", "unit_id": world.units["B"][0]}
    assert login("a_admin").post("/api/v1/users", json=foreign_unit).status_code == 404
    from web_helpers import ApiClient

    assert ApiClient(login("a_admin").http.app, "a_newreviewer", "panjang-sekali-1").csrf


# --------------------------------------------------------------------------- docs


def test_openapi_lists_every_api_route(app, login):
    spec = login(None).http.get("/api/v1/openapi.json").json()
    from netral.web.app import iter_routes

    api_paths = {path for _m, path, _n in iter_routes(app)
                 if path.startswith("/api/v1/") and path != "/api/v1/openapi.json"}
    assert api_paths == {p for p in spec["paths"]}
    docs = login(None).http.get("/api/docs")
    assert docs.status_code == 200 and "/api/v1/check" in docs.text


def test_labelled_feedback_rows_are_real(app, world, login):
    fid = take(world)
    r = login("a_reviewer").post(f"/api/v1/findings/{fid}/dismiss", json={"reason": "kutipan"})
    assert r.status_code == 200
    with make_sessionmaker(app.state.engine)() as db:
        rows = db.scalars(select(LabelledFeedback).where(LabelledFeedback.finding_id == fid)).all()
    assert len(rows) == 1 and rows[0].agency_id == world.agencies["A"]
    assert rows[0].label == "netral" and rows[0].reason == "kutipan" and rows[0].text


@pytest.mark.parametrize("lang,word", [("id", "Periksa"), ("en", "Check")])
def test_language_switch(app, lang, word):
    from fastapi.testclient import TestClient

    c = TestClient(app)
    page = c.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = c.post("/lang", data={"lang": lang, "csrf_token": token, "next": "/"},
               follow_redirects=True)
    assert r.status_code == 200 and f'<html lang="{lang}">' in r.text
    assert f">{word}</button>" in r.text


def test_capture_evidence_and_case_bundle(world, login, tmp_path, monkeypatch):
    import zipfile

    from netral.evidence.keys import generate_key

    monkeypatch.setenv("NETRAL_EVIDENCE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NETRAL_EVIDENCE_KEY", str(tmp_path / "keys" / "ev.pem"))
    monkeypatch.delenv("NETRAL_TSA_URL", raising=False)
    fid = _confirmed(login, world)
    sup = login("a_supervisor")
    cid = sup.post("/api/v1/cases", json={"finding_ids": [fid]}).json()["id"]
    # no agency key: the web app never makes one, it says how to (and creates nothing)
    r = sup.get(f"/api/v1/cases/{cid}/evidence")
    assert r.status_code == 409 and r.json()["detail"] == "evidence_key_missing"
    assert "netral evidence keygen" in r.json()["message"]
    assert not (tmp_path / "keys").exists()
    assert sup.get("/api/v1/settings").json()["evidence_signing"]["fingerprint"] is None
    key = generate_key(tmp_path / "keys" / "ev.pem")
    assert sup.get("/api/v1/settings").json()["evidence_signing"]["fingerprint"] == \
        key.fingerprint
    r = sup.get(f"/api/v1/cases/{cid}/evidence")
    assert r.status_code == 409  # nothing captured yet: said so, not a broken zip
    assert login("a_auditor").post(f"/api/v1/findings/{fid}/capture").status_code == 403
    r = login("a_reviewer").post(f"/api/v1/findings/{fid}/capture")
    assert r.status_code == 200 and r.json()["captured"] and len(r.json()["entry_hash"]) == 64
    again = login("a_reviewer").post(f"/api/v1/findings/{fid}/capture").json()
    assert again["seq"] == r.json()["seq"]  # captured once
    assert sup.get(f"/api/v1/findings/{fid}").json()["evidence"]["captured"] is True
    r = sup.get(f"/api/v1/cases/{cid}/evidence")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["x-netral-timestamped"] == "no"  # no TSA configured
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(r.content)
    names = zipfile.ZipFile(bundle).namelist()
    assert {"manifest.json", "SHA256SUMS", "ringkasan.txt"} <= set(names)
    from netral.evidence.verify import verify_bundle

    report = verify_bundle(bundle)
    assert report.ok, report


def test_roster_xlsx_import_and_page_report(world, login):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "nama", "jabatan", "kelas", "unit", "platform", "akun"])
    ws.append(["199001012015031002", "Agus Salim", "Penyuluh", "PNS", "Dinas Pendidikan",
               "facebook", "agus.salim"])
    ws.append(["99", "Salah NIP", "Staf", "PNS", "Dinas Pendidikan", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    sup = login("a_supervisor")
    files = {"file": ("roster.xlsx", buf.getvalue(),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    r = sup.post("/api/v1/roster/import", files=files, data={"dry_run": "true"})
    assert r.status_code == 422
    assert [p["row"] for p in r.json()["problems"] if p["severity"] == "error"] == [3]
    # the page shows the same row-level report
    page = sup.http.post("/roster/import", files=files,
                         data={"csrf_token": sup.csrf, "apply": "0"})
    assert page.status_code == 422
    assert 'id="roster-report"' in page.text and "<td>3</td>" in page.text
    bad = sup.http.post("/roster/import", data={"csrf_token": sup.csrf, "apply": "0"},
                        files={"file": ("roster.pdf", b"%PDF", "application/pdf")},
                        follow_redirects=True)
    assert "CSV atau XLSX" in bad.text


def test_page_actions_flash_problems_instead_of_failing(world, login):
    rev = login("a_reviewer")
    fid = take(world)
    r = rev.http.post(f"/findings/{fid}/action", follow_redirects=True,
                      data={"csrf_token": rev.csrf, "action": "confirm", "reason": ""})
    assert r.status_code == 200 and "Alasan wajib diisi" in r.text
    r = rev.http.post(f"/findings/{fid}/action", follow_redirects=True,
                      data={"csrf_token": rev.csrf, "action": "explode"})
    assert r.status_code == 200 and "Tindakan tidak dikenal" in r.text
    r = rev.http.post(f"/findings/{fid}/action", follow_redirects=True,
                      data={"csrf_token": rev.csrf, "action": "confirm", "reason": "jelas"})
    assert r.status_code == 200 and 'class="badge s-confirmed"' in r.text


def test_global_admin_picks_an_agency(world, login):
    root = login("root_admin")
    both = root.get("/api/v1/dashboard").json()
    only_b = root.get(f"/api/v1/dashboard?agency_id={world.agencies['B']}").json()
    assert only_b["agency_id"] == world.agencies["B"] and 0 < only_b["total"] < both["total"]
    page = root.http.get(f"/dashboard?agency_id={world.agencies['B']}")
    assert page.status_code == 200 and "Pemerintah Kota B" in page.text
    assert root.http.get("/dashboard?agency_id=").status_code == 200
    assert root.get("/api/v1/reports/findings.csv").status_code == 404  # must pick one
    csv_b = root.get(f"/api/v1/reports/findings.csv?agency_id={world.agencies['B']}")
    assert csv_b.status_code == 200 and "Ojo lali" in csv_b.content.decode("utf-8-sig")
    assert "Pemerintah Kota B" in root.http.get("/reports").text


def test_unit_bound_users_see_only_their_units_feedback_and_audit_log(app, world, login):
    """Issue 14: feedback (full post texts, reviewers' reasons) and the audit log are scoped to
    the unit subtree of a unit-bound user, not only to the agency."""
    from web_helpers import ApiClient
    from web_seed import _pw

    from netral.store.models import User

    reviewer = login("a_reviewer")
    for fid in (world.outside_unit_finding, world.unit_finding):
        reviewer.post(f"/api/v1/findings/{fid}/claim", json={})
        reviewer.post(f"/api/v1/findings/{fid}/confirm", json={"reason": "uji cakupan unit"})
    with make_sessionmaker(app.state.engine)() as db:
        if db.scalar(select(User).where(User.username == "a_unitauditor")) is None:
            db.add(User(username="a_unitauditor", display_name="Unit auditor A",
                        password_hash=_pw(), role="auditor", agency_id=world.agencies["A"],
                        unit_id=world.units["A"][2]))
            db.commit()
    unit_auditor = ApiClient(app, "a_unitauditor")
    agency_wide = {x["finding_id"] for x in login("a_auditor").get("/api/v1/feedback").json()["items"]}
    assert world.outside_unit_finding in agency_wide
    seen = {x["finding_id"] for x in unit_auditor.get("/api/v1/feedback").json()["items"]}
    assert world.outside_unit_finding not in seen and world.unit_finding in seen
    sources = {x["source"] for x in orjson_lines(unit_auditor.get("/api/v1/feedback.jsonl").content)}
    assert not any(src.endswith(f"finding-{world.outside_unit_finding}") for src in sources)
    assert any(src.endswith(f"finding-{world.unit_finding}") for src in sources)
    log = unit_auditor.get("/api/v1/audit?limit=1000").json()["items"]
    objects = {(x["object_type"], x["object_id"]) for x in log}
    assert ("finding", str(world.unit_finding)) in objects
    assert ("finding", str(world.outside_unit_finding)) not in objects
    assert not any(x["action"] in ("settings.update", "user.create") for x in log)
    full = login("a_auditor").get("/api/v1/audit?limit=1000").json()["items"]
    assert ("finding", str(world.outside_unit_finding)) in {(x["object_type"], x["object_id"]) for x in full}


def orjson_lines(body: bytes) -> list[dict]:
    import orjson

    return [orjson.loads(line) for line in body.splitlines() if line.strip()]


def test_logout_ends_the_session_on_the_server(app, world):
    """Issue 14: a saved cookie stops working after sign-out (API and pages, reads and writes
    with the old CSRF token), and "sign out everywhere" ends every session of the user."""
    from web_helpers import ApiClient

    c = ApiClient(app, "a_reviewer2")
    saved_cookies, saved_csrf = dict(c.http.cookies), c.csrf
    assert c.get("/api/v1/auth/me").status_code == 200
    assert c.post("/api/v1/auth/logout", json={}).status_code == 200
    thief = ApiClient(app)
    thief.http.cookies.update(saved_cookies)
    thief.csrf = saved_csrf
    assert thief.get("/api/v1/auth/me").status_code == 401
    assert thief.get("/api/v1/findings").status_code == 401
    assert thief.post(f"/api/v1/findings/{world.unit_finding}/claim", json={}).status_code in (401, 403)
    page = thief.http.get("/queue", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]

    one, two = ApiClient(app, "a_reviewer2"), ApiClient(app, "a_reviewer2")
    assert one.get("/api/v1/auth/me").status_code == 200
    r = two.post("/api/v1/auth/logout-everywhere", json={})
    assert r.status_code == 200 and r.json()["sessions_revoked"] >= 2
    assert one.get("/api/v1/auth/me").status_code == 401
    assert two.get("/api/v1/auth/me").status_code == 401
    assert ApiClient(app, "a_reviewer2").get("/api/v1/auth/me").status_code == 200  # can sign in again


def test_a_session_older_than_its_lifetime_is_refused_by_the_server(app):
    from datetime import timedelta

    from sqlalchemy import update
    from web_helpers import ApiClient

    from netral.store.models import User, WebSession
    from netral.store.types import utcnow

    c = ApiClient(app, "a_auditor")
    assert c.get("/api/v1/auth/me").status_code == 200
    with make_sessionmaker(app.state.engine)() as db:
        uid = db.scalar(select(User.id).where(User.username == "a_auditor"))
        db.execute(update(WebSession).where(WebSession.user_id == uid)
                   .values(created_at=utcnow() - timedelta(seconds=app.state.session_max_age + 60)))
        db.commit()
    assert c.get("/api/v1/auth/me").status_code == 401
