"""The netralitas course pages (issue 18): lessons, adaptive rounds, completion for an
assigned unit, the certificate, and the agency's assignment and completion view.

The course needs no sign-in and no JavaScript: every step is a form post that redirects. The
round (items, position, right/wrong, acts answered wrong) lives in the person's signed session
cookie only; the database gets a completion (who, when, score) when the person records one
through the unit's assignment link.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from netral.course import bank, rounds, tracking
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
    a = tracking.assignment_by_code(db, str(state.get("code") or ""))
    return _page(request, db, "course_home.html", lessons=bank.lessons(), assignment=a,
                 in_round=bool(state.get("ids")) and state.get("pos", 0) < len(state["ids"]),
                 weak=state.get("weak") or {},
                 weak_labels=[tc(f"act.{a}", lang_of(request)) for a in state.get("weak") or {}])


@router.get("/kursus/tugas/{code}")
def course_assigned(request: Request, db: DB, code: str):
    """The link a supervisor hands to a unit: remembers the assignment for this browser."""
    if tracking.assignment_by_code(db, code) is None:
        raise NotFound("assignment")
    state = _state(request)
    state["code"] = code
    _save(request, state)
    return _redirect("/kursus")


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
    a = tracking.assignment_by_code(db, str(state.get("code") or ""))
    return _page(request, db, "course_result.html", summary=summary, assignment=a,
                 revisit=[bank.lesson(x) for x in summary.revisit],
                 certificate=state.get("certificate"))


@router.post("/kursus/selesai", dependencies=[CSRF])
async def course_complete(request: Request, db: DB):
    form = await _form(request)
    state = _state(request)
    score = state.get("score")
    if score is None:
        return _redirect("/kursus/hasil")
    try:
        row = tracking.record_completion(db, str(state.get("code") or ""),
                                         str(form.get("nip") or ""), int(score),
                                         len(state.get("correct") or []))
    except ValueError as exc:
        flash(request, "error", f"error.{exc}" if str(exc).startswith("course_") else "error.invalid")
        return _redirect("/kursus/hasil")
    state["certificate"] = row.certificate
    _save(request, state)
    flash(request, "ok", "course.recorded")
    return _redirect("/kursus/hasil")


@router.get("/kursus/sertifikat.pdf")
def course_certificate(request: Request, db: DB):
    """Only the browser that recorded the completion downloads its certificate."""
    from netral.course.certificate import certificate_pdf

    row = tracking.certificate(db, str(_state(request).get("certificate") or ""))
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
        tracking.assign(db, me, unit_id, deadline)
    except ValueError as exc:
        flash(request, "error", f"error.{exc}")
        return _redirect("/kursus/unit")
    flash(request, "ok", "course.assigned")
    return _redirect("/kursus/unit")


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


def principal_can_read(p: Principal | None) -> bool:
    return bool(p and p.can("read"))
