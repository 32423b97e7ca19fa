"""The netralitas course pages (issue 18): lessons, adaptive rounds, completion for an
assigned unit, the certificate, and the agency's assignment and completion view.

The course needs no sign-in and no JavaScript: every step is a form post that redirects. The
round (items, position, right/wrong, acts answered wrong) lives in the person's signed session
cookie only; the database gets a completion (who, when, score) when the person records one
through their personal link (:mod:`netral.course.links`). Anyone may practise without a link.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from netral.course import bank, links, rounds, tracking
from netral.course.text import tc
from netral.review.authz import NotFound, Principal, scope_units
from netral.web.csvsafe import to_csv
from netral.web.deps import check_form_csrf, get_db, lang_of, optional_principal, session_of
from netral.web.inputs import parse_id
from netral.web.pages import Me, _form
from netral.web.templating import flash, render

DB = Annotated[Session, Depends(get_db, scope="function")]
CSRF = Depends(check_form_csrf)
router = APIRouter(include_in_schema=False)

_STATE = "course"  # session key of the current round


def _state(request: Request) -> dict[str, Any]:
    s = session_of(request).get(_STATE)
    return s if isinstance(s, dict) else {}


def _save(request: Request, state: dict[str, Any]) -> None:
    session_of(request)[_STATE] = state


def _page(request: Request, db: Session, name: str, **ctx: Any) -> HTMLResponse:
    request.state.principal = optional_principal(request, db)
    lang = lang_of(request)
    return render(request, name, tc=partial(tc, lang=lang), **ctx)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/kursus", response_class=HTMLResponse)
def course_home(request: Request, db: DB):
    state = _state(request)
    link = _link(request, db)
    done = links.completion_of(db, link) if link is not None else None
    return _page(request, db, "course_home.html", lessons=bank.lessons(), link=link, done=done,
                 in_round=bool(state.get("ids")) and state.get("pos", 0) < len(state["ids"]),
                 weak=state.get("weak") or {},
                 weak_labels=[tc(f"act.{a}", lang_of(request)) for a in state.get("weak") or {}])


def _link(request: Request, db: Session):
    """The live personal link this browser opened, if any (forgotten once it stops working)."""
    state = _state(request)
    plain = state.get("link")
    if not plain:
        return None
    link = links.resolve(db, str(plain))
    if link is None:
        state.pop("link", None)
        state.pop("certificate", None)
        _save(request, state)
    return link


@router.get("/kursus/saya/{token}", response_class=HTMLResponse)
def course_personal_link(request: Request, db: DB, token: str):
    """A person's own link: this browser records the completion for them. A wrong, revoked or
    expired token gets one page whatever the reason, so it tells nothing about who exists."""
    link = links.resolve(db, token)
    if link is None:
        return _page(request, db, "course_link_bad.html", status_code=404)
    state = _state(request)
    if state.get("link") != token:
        state.pop("certificate", None)
    state["link"] = token
    done = links.completion_of(db, link)
    if done is not None:  # used again after completing: the certificate once more
        state["certificate"] = done.certificate
    _save(request, state)
    response = _redirect("/kursus")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/kursus/materi/{lesson_id}", response_class=HTMLResponse)
def course_lesson(request: Request, db: DB, lesson_id: str):
    lesson = bank.lesson(lesson_id)
    if lesson is None:
        raise NotFound("lesson")
    return _page(request, db, "course_lesson.html", lesson=lesson, lessons=bank.lessons())


@router.post("/kursus/mulai", dependencies=[CSRF])
def course_start(request: Request):
    state = _state(request)
    seen = list(state.get("seen") or [])
    ids = rounds.draw_round(state.get("weak") or {}, seen=seen, seed=secrets.randbits(32))
    state.update(ids=ids, pos=0, correct=[], answers=[], points=[], seen=(seen + ids)[-60:])
    state.pop("score", None)
    state.pop("certificate", None)  # the result page offers to record this round
    _save(request, state)
    return _redirect("/kursus/soal")


@router.get("/kursus/soal", response_class=HTMLResponse)
def course_question(request: Request, db: DB):
    state = _state(request)
    ids, pos = state.get("ids") or [], int(state.get("pos", 0))
    if not ids:
        return _redirect("/kursus")
    answers = state.get("answers") or []
    lang = lang_of(request)
    last = None
    if answers and len(answers) == pos:  # show the explanation of the answer just given
        prev = bank.item(ids[pos - 1])
        if prev is not None:
            points = state.get("points") or []
            chosen = points[-1] if len(points) == len(answers) else ""
            last = {"item": prev, "given": answers[-1], "ok": answers[-1] == prev.answer,
                    "why": bank.explain(prev, lang), "point": chosen}
    if pos >= len(ids) and last is None:
        return _redirect("/kursus/hasil")
    current = bank.item(ids[pos]) if pos < len(ids) else None
    return _page(request, db, "course_question.html", item=current, last=last, pos=pos,
                 total=len(ids), letters=bank.SKB_LETTERS, skb_titles=bank.skb_titles(lang))


@router.post("/kursus/jawab", dependencies=[CSRF])
async def course_answer(request: Request):
    form = await _form(request)
    state = _state(request)
    ids, pos = state.get("ids") or [], int(state.get("pos", 0))
    if not ids or pos >= len(ids) or form.get("item") != ids[pos]:
        return _redirect("/kursus/soal")  # a stale or replayed form: show where we are
    answer = str(form.get("answer") or "")
    if answer not in bank.ANSWERS:
        flash(request, "error", "course.pick_answer")
        return _redirect("/kursus/soal")
    item = bank.item(ids[pos])
    if item is None:
        return _redirect("/kursus")
    rounds.record_answer(state, item, answer)
    state.setdefault("answers", []).append(answer)
    point = str(form.get("skb") or "")  # optional: which SKB point decides it
    state.setdefault("points", []).append(point if point in bank.SKB_LETTERS else "")
    _save(request, state)
    return _redirect(f"/kursus/soal#jawaban-{pos + 1}")


@router.get("/kursus/hasil", response_class=HTMLResponse)
def course_result(request: Request, db: DB):
    state = _state(request)
    ids, correct = state.get("ids") or [], state.get("correct") or []
    if not ids or len(correct) < len(ids):
        return _redirect("/kursus/soal" if ids else "/kursus")
    items = [i for i in (bank.item(x) for x in ids) if i is not None]
    summary = rounds.summarise(items, correct[: len(items)])
    state["score"] = summary.score
    _save(request, state)
    return _page(request, db, "course_result.html", summary=summary, link=_link(request, db),
                 revisit=[bank.lesson(x) for x in summary.revisit],
                 certificate=state.get("certificate"))


@router.post("/kursus/selesai", dependencies=[CSRF])
def course_complete(request: Request, db: DB):
    """Records the completion for the person of this browser's personal link — nobody else."""
    state = _state(request)
    score = state.get("score")
    if score is None:
        return _redirect("/kursus/hasil")
    try:
        row = links.record_completion(db, str(state.get("link") or ""), int(score),
                                      len(state.get("correct") or []))
    except ValueError as exc:
        if str(exc) == "course_link_invalid":
            state.pop("link", None)
            _save(request, state)
        flash(request, "error", f"error.{exc}" if str(exc).startswith("course_") else "error.invalid")
        return _redirect("/kursus/hasil")
    state["certificate"] = row.certificate
    _save(request, state)
    flash(request, "ok", "course.recorded")
    return _redirect("/kursus/hasil")


@router.get("/kursus/sertifikat.pdf")
def course_certificate(request: Request, db: DB):
    """Only the browser that recorded the completion, or that opened the person's own link,
    downloads its certificate."""
    from netral.course.certificate import certificate_pdf

    code = _state(request).get("certificate")
    link = _link(request, db)
    if not code and link is not None:  # the personal link opened again after completing
        done = links.completion_of(db, link)
        code = done.certificate if done else None
    row = tracking.certificate(db, str(code or ""))
    if row is None:
        raise NotFound("certificate")
    url = str(request.base_url).rstrip("/") + f"/kursus/verifikasi/{row.certificate}"
    pdf = certificate_pdf(row, lang_of(request), url)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="sertifikat-netralitas-{row.certificate}.pdf"'})


@router.get("/kursus/verifikasi/{code}", response_class=HTMLResponse)
def course_verify(request: Request, db: DB, code: str):
    row = tracking.certificate(db, code)
    return _page(request, db, "course_verify.html", row=row, code=code[:32],
                 status_code=200 if row else 404)


# --------------------------------------------------------------------------- agency


@router.get("/kursus/unit", response_class=HTMLResponse)
def course_units(request: Request, db: DB, me: Me):
    from sqlalchemy import select

    from netral.store.models import Unit

    progress = tracking.progress(db, me)
    units = db.scalars(scope_units(select(Unit), me).order_by(Unit.path)).all() \
        if me.can("assign") else []
    return _page(request, db, "course_units.html", progress=progress, units=units,
                 today=date.today().isoformat(), base=str(request.base_url).rstrip("/"))


@router.post("/kursus/unit", dependencies=[CSRF])
async def course_assign(request: Request, db: DB, me: Me):
    form = await _form(request)
    me.require("assign")
    unit_id = parse_id(form.get("unit_id"))
    try:
        deadline = date.fromisoformat(str(form.get("deadline") or ""))
    except ValueError:
        flash(request, "error", "error.course_deadline")
        return _redirect("/kursus/unit")
    if unit_id is None:
        raise NotFound("unit")
    try:
        a = tracking.assign(db, me, unit_id, deadline)
    except ValueError as exc:
        flash(request, "error", f"error.{exc}")
        return _redirect("/kursus/unit")
    flash(request, "ok", "course.assigned")  # next: the personal links, on the people page
    return _redirect(f"/kursus/unit/{a.id}/orang")


@router.get("/kursus/unit/{assignment_id}.csv")
def course_csv(request: Request, db: DB, me: Me, assignment_id: str):
    aid = parse_id(assignment_id)
    if aid is None:
        raise NotFound("assignment")
    lang = lang_of(request)
    rows = tracking.people(db, me, aid)
    header = [tc(f"csv.{k}", lang) for k in
              ("unit", "nip", "name", "deadline", "completed_at", "score", "on_time")]
    body = [[r.unit, r.nip, r.name, r.deadline.isoformat(),
             r.completed_at.isoformat(timespec="minutes") if r.completed_at else "",
             "" if r.score is None else r.score,
             "" if r.completed_at is None else tc(
                 "csv.yes" if r.completed_at.date() <= r.deadline else "csv.no", lang)]
            for r in rows]
    return Response("\ufeff" + to_csv(header, body), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="kursus-netralitas-{aid}.csv"'})


def _aid(value: str) -> int:
    aid = parse_id(value)
    if aid is None:
        raise NotFound("assignment")
    return aid


def _sid(value: str) -> int:
    sid = parse_id(value)
    if sid is None:
        raise NotFound("staff")
    return sid


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/kursus/unit/{assignment_id}/orang", response_class=HTMLResponse)
def course_people(request: Request, db: DB, me: Me, assignment_id: str):
    """The people of an assignment: live link or not, completed or not; issue, re-issue and
    revoke personal links (``assign``)."""
    a, people = links.link_states(db, me, _aid(assignment_id))
    return _page(request, db, "course_people.html", a=a, people=people,
                 expires=links.expires_on(a).isoformat(),
                 without=sum(1 for r in people if r.issued_at is None))


@router.post("/kursus/unit/{assignment_id}/tautan.csv", dependencies=[CSRF])
async def course_links_csv(request: Request, db: DB, me: Me, assignment_id: str):
    """Issues personal links and returns them as CSV (name, NIP, unit, link), the only time
    they can be read: the server keeps their hashes. ``mode=semua`` replaces every live link."""
    form = await _form(request)
    aid = _aid(assignment_id)
    try:
        issued = links.issue_links(db, me, aid, replace=form.get("mode") == "semua")
    except ValueError as exc:
        flash(request, "error", f"error.{exc}")
        return _redirect(f"/kursus/unit/{aid}/orang")
    lang = lang_of(request)
    header = [tc(f"csv.{k}", lang) for k in ("name", "nip", "unit", "link")]
    base = _base(request)
    body = [[i.name, i.nip, i.unit, base + links.link_path(i.token)] for i in issued]
    return Response("\ufeff" + to_csv(header, body), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="tautan-kursus-{aid}.csv"',
                             "Cache-Control": "no-store"})


@router.post("/kursus/unit/{assignment_id}/orang/{staff_id}/terbitkan",
             response_class=HTMLResponse, dependencies=[CSRF])
def course_link_reissue(request: Request, db: DB, me: Me, assignment_id: str, staff_id: str):
    """A new link for one person, shown once; their earlier link stops working."""
    aid = _aid(assignment_id)
    try:
        issued = links.reissue_link(db, me, aid, _sid(staff_id))
    except ValueError as exc:
        flash(request, "error", f"error.{exc}")
        return _redirect(f"/kursus/unit/{aid}/orang")
    response = _page(request, db, "course_link_issued.html", aid=aid, issued=issued,
                     url=_base(request) + links.link_path(issued.token))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/kursus/unit/{assignment_id}/orang/{staff_id}/cabut", dependencies=[CSRF])
def course_link_revoke(request: Request, db: DB, me: Me, assignment_id: str, staff_id: str):
    aid = _aid(assignment_id)
    links.revoke_link(db, me, aid, _sid(staff_id))
    flash(request, "ok", "course.link_revoked")
    return _redirect(f"/kursus/unit/{aid}/orang")


def principal_can_read(p: Principal | None) -> bool:
    return bool(p and p.can("read"))
