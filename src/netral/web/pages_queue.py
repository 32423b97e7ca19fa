"""The review queue page: filters in the URL, counts per status, pages, per-row decisions,
bulk actions that answer with a count and can be undone (issue 15, problem 5).

Every action here calls :mod:`netral.review.bulk` — the same function as
``POST /api/v1/findings/bulk`` — so a row's "Konfirmasi" and a bulk of fifty are the same
operation with the same checks, count and undo.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from netral.review import bulk, queue
from netral.review.authz import Conflict, Principal
from netral.review.dashboard import dashboard
from netral.review.findings import evidence_status, finding_dict, reviewers
from netral.review.marks import highlight, result_spans
from netral.review.sampling import sample_stats
from netral.review.zones import local
from netral.store.models import Finding
from netral.web.deps import CSRF, DB, Me, lang_of
from netral.web.i18n import forbidden_text, translate
from netral.web.templating import flash, offer_undo, render

router = APIRouter(include_in_schema=False)

MAX_FAILURES_SHOWN = 8


def queue_url(flt: queue.QueueFilter, **changes: Any) -> str:
    """``/queue?…`` for ``flt`` with ``changes`` (``page``/``focus`` are page-only)."""
    number, focus = changes.pop("page", 1), changes.pop("focus", None)
    params = flt.params(**changes)
    if number and number != 1:
        params["page"] = str(number)
    if focus is not None:
        params["focus"] = str(focus)
    return "/queue" + (f"?{urlencode(params)}" if params else "")


def safe_queue_next(value: Any) -> str:
    v = str(value or "")
    return v if v.startswith(("/queue", "/findings/")) and "\\" not in v else "/queue"


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, me: Me, db: DB, page: int = 1, focus: int | None = None):
    error = None
    try:
        flt = queue.QueueFilter.parse(request.query_params)
    except ValueError as exc:
        flt, error = queue.QueueFilter(), str(exc)
    # a unit outside the person's scope answers 404, as if it did not exist
    qp = queue.page(db, me, flt, page)
    ev = evidence_status(db, [f.item_id for f in qp.rows])
    items = []
    for f in qp.rows:
        d = finding_dict(f, ev.get(f.item_id))
        d["marked"] = highlight(f.item.text, result_spans(
            d["detection"]["result"], lang_of(request)))
        items.append(d)
    for i, d in enumerate(items):  # after deciding a row, the next row is the current one
        nxt = items[i + 1] if i + 1 < len(items) else (items[i - 1] if i else None)
        d["after"] = queue_url(flt, page=qp.page, focus=nxt["id"] if nxt else None)
    dash = dashboard(db, me)
    return render(
        request, "queue.html", status_code=400 if error else 200,
        items=items, flt=flt, qp=qp, error=error, focus=focus,
        options=queue.filter_options(db, me, dash.get("targets", [])),
        statuses=queue.STATUSES, sorts=queue.SORTS, per_pages=queue.PER_PAGE,
        url=lambda **kw: queue_url(flt, **kw),
        here=queue_url(flt, page=qp.page),
        sample=sample_stats(db, me),
        reviewers=reviewers(db, me, me.agency_id),
    )


def state_text(db: Session, fid: int, lang: str, zone: str) -> str:
    """Where a finding stands, in words: what the person who came second needs to know
    (the domain's conflict messages are English, for the API and the logs)."""
    f = db.get(Finding, fid)
    if f is None:
        return translate("error.not_found", lang)
    status = translate(f"status.{f.status}", lang).lower()
    if f.status in ("confirmed", "dismissed") and f.reviewer is not None:
        when = local(f.reviewed_at, zone)
        return translate("state.decided", lang, status=status, who=f.reviewer.username,
                         when=f"{when:%Y-%m-%d %H:%M} {when.tzname()}" if when else "?")
    if f.status == "escalated":
        return translate("state.escalated", lang)
    if f.assigned_to is not None:
        return translate("state.held", lang, status=status, who=f.assigned_to.username)
    return translate("state.is", lang, status=status)


def failure_text(db: Session, fid: int, code: str, lang: str, zone: str) -> str:
    """A bulk failure (``not_found``, ``forbidden: …``, ``reason_required``, a conflict) in
    words."""
    if code == "not_found":
        return translate("error.not_found", lang)
    if code.startswith("forbidden"):
        return forbidden_text(code.removeprefix("forbidden: "), lang)  # bulk's "forbidden: why"
    key = f"error.{code}"
    text = translate(key, lang)
    return text if text != key else state_text(db, fid, lang, zone)


def run_action(request: Request, db: Session, me: Principal, ids: list[int], action: str,
               reason: str, user_id: int | None) -> bool:
    """Apply ``action`` to ``ids`` and leave the answer (count, failures, undo) for the next
    page. True when at least one finding was changed."""
    lang = lang_of(request)
    if action not in bulk.ACTIONS:
        flash(request, "error", "error.unknown_action")
        return False
    if not ids:
        flash(request, "error", "error.nothing_selected")
        return False
    # nothing in scope (404) or nothing the role may do (403) answers as such, like the API
    res = bulk.apply(db, me, ids, action, reason=reason, user_id=user_id)
    n = len(res.done)
    failed = [f"#{fid}: {failure_text(db, fid, code, lang, me.zone)}"
              for fid, code in list(res.failed.items())[:MAX_FAILURES_SHOWN]]
    if len(res.failed) > MAX_FAILURES_SHOWN:
        failed.append("…")
    if n and not failed:
        flash(request, "ok", bulk_key(action, n), n=n)
    elif n:
        flash(request, "warning", "bulk.partly", done=translate(bulk_key(action, n), lang, n=n),
              k=len(res.failed), why="; ".join(failed))
    else:
        flash(request, "error", "bulk.none", k=len(res.failed), why="; ".join(failed))
    if res.undo_token and res.undo_until:
        offer_undo(request, res.undo_token, time.time() + bulk.UNDO_SECONDS,
                   translate(bulk_key(action, n), lang, n=n))
    return bool(n)


def bulk_key(action: str, n: int) -> str:
    return f"bulk.done.{action}" + (".one" if n == 1 else "")


@router.post("/queue/bulk", dependencies=[CSRF])
async def bulk_submit(request: Request, me: Me, db: DB):
    """The bulk bar and every row's buttons (a row is a bulk of one)."""
    form = await request.form()
    ids = [int(x) for x in form.getlist("ids") if str(x).isdigit()]
    action = str(form.get("action") or "")
    uid = form.get("user_id")
    me.require("assign" if action == "assign" else "review")
    run_action(request, db, me, ids, action, str(form.get("reason") or ""),
               int(uid) if uid and str(uid).isdigit() else None)
    return RedirectResponse(safe_queue_next(form.get("next")), status_code=303)


@router.post("/queue/undo", dependencies=[CSRF])
async def undo_submit(request: Request, me: Me, db: DB):
    form = await request.form()
    back = safe_queue_next(form.get("next"))
    lang = lang_of(request)
    try:
        res = bulk.undo(db, me, str(form.get("token") or ""))
    except Conflict as exc:
        code, _, detail = str(exc).partition(":")
        flash(request, "error", f"error.{code}", detail=detail)
        return RedirectResponse(back, status_code=303)
    kept = [f"#{fid}: {kept_text(db, fid, k, lang, me.zone)}"
            for fid, k in list(res.kept.items())[:8]]
    if kept:
        flash(request, "warning", "bulk.undone_partly", n=len(res.restored), k=len(kept),
              why="; ".join(kept))
    else:
        flash(request, "ok", "bulk.undone", n=len(res.restored))
    return RedirectResponse(back, status_code=303)


def kept_text(db: Session, fid: int, kept: dict[str, str], lang: str, zone: str) -> str:
    """Why an undo left a finding as it is, in words."""
    code, detail = kept.get("code", ""), kept.get("detail", "")
    if code == "in_case":
        return translate("bulk.kept.in_case", lang, case=detail)
    if code == "not_found":
        return translate("error.not_found", lang)
    return translate("bulk.kept.changed", lang, detail=state_text(db, fid, lang, zone))
