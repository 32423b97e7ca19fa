"""Server-rendered pages. Each action calls the same service function as the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from netral.kinds import ACCOUNTS, EMPLOYEES, KINDS, MAX_TEXT_CHARS
from netral.review import queue, useradmin
from netral.review.agency import agency_boilerplate, get_settings_dict, update_settings
from netral.review.authz import (
    Conflict,
    Principal,
    get_case,
    get_finding,
    scope_accounts,
    scope_audit,
    scope_staff,
)
from netral.review.cases import add_note, case_dict, case_findings, list_cases, open_case, transition
from netral.review.dashboard import dashboard, parse_day
from netral.review.findings import FINDING_ACTIONS, evidence_status, finding_dict, reviewers
from netral.review.marks import highlight, result_spans
from netral.review.sampling import sample_netral
from netral.store.models import AuditLog, CaseStatus
from netral.web import bundle_download, dashboard_view, pages_queue, reports, roster_bridge
from netral.web.api import MAX_CHECK_BODY_CHARS, CheckIn, run_check
from netral.web.deps import (
    CSRF,
    DB,
    CsrfFailed,
    Me,
    check_form_csrf,
    lang_of,
    optional_principal,
    require_principal,
    session_of,
)
from netral.web.i18n import LANGS, translate
from netral.web.inputs import AgencyQuery, PathId, clamp_page, parse_id
from netral.web.login import LoginFailed, login_user, logout_everywhere, logout_user
from netral.web.page_cache import cached_page, fresh_page
from netral.web.security import CSRF_FIELD, csrf_ok
from netral.web.templating import flash, render

router = APIRouter(include_in_schema=False)
# The dashboard alone, included before every other router: routes are tried in order, and the
# page everybody reloads used to be tried after some sixty others (a fifth of its time at 50
# clients, issue 17).
first = APIRouter(include_in_schema=False)



def _safe_next(value: Any, default: str = "/") -> str:
    v = str(value or "")
    if v.startswith("/") and not v.startswith("//") and "\\" not in v:
        return v
    return default


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: form.get(k) for k in form}


def _act(request: Request, fn: Callable[[], Any], ok_url: str, fail_url: str,
         ok_key: str = "flash.done") -> RedirectResponse:
    """Run a page action; a state conflict or invalid input becomes a message, not an error
    page (authorisation failures still answer 403/404)."""
    try:
        fn()
    except Conflict as exc:
        key = f"error.{str(exc).partition(':')[0]}"  # a catalogued code, else the detail
        if translate(key, "id") != key:
            flash(request, "error", key)
        else:
            flash(request, "error", "error.conflict_detail", detail=str(exc))
        return _redirect(fail_url)
    except ValueError as exc:
        key = f"error.{exc}"
        if translate(key, "id") == key:
            flash(request, "error", "error.invalid_detail", detail=str(exc))
        else:
            flash(request, "error", key)
        return _redirect(fail_url)
    flash(request, "ok", ok_key)
    return _redirect(ok_url)


# --------------------------------------------------------------------------- public


def _image_ctx(lang: str) -> dict[str, Any]:
    from netral.web import image_bridge, upload

    ok, why = image_bridge.image_support(lang)
    return {"images_ok": ok, "images_why": why,
            "image_mb": upload.MAX_IMAGE_BYTES // (1024 * 1024)}


def _checker(request: Request, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    base: dict[str, Any] = {"kinds": KINDS, "accounts": ACCOUNTS, "employees": EMPLOYEES,
                            "account": "personal", "employee": "pns", "when": "",
                            "max_text_chars": MAX_TEXT_CHARS, "max_body_chars": MAX_CHECK_BODY_CHARS,
                            "text": "", "kind": "post", "result": None,
                            "marked": None, "error": None, "error_detail": "",
                            "image": None, "gesture_label": _gesture_label(lang_of(request)),
                            "shared": False}
    return render(request, "checker.html", status_code=status_code,
                  **{**base, **_image_ctx(lang_of(request)), **ctx})


def _gesture_label(lang: str) -> Callable[[str], str]:
    def label(name: str) -> str:
        from netral.web import image_bridge

        try:
            return image_bridge.gesture_label(name, lang)
        except ImportError:
            return name

    return label


@router.get("/", response_class=HTMLResponse)
def checker_page(request: Request, db: DB):
    request.state.principal = optional_principal(request, db)
    return _checker(request)


@router.post("/check", response_class=HTMLResponse)
async def checker_submit(request: Request, db: DB):
    """Text check, or a picture (multipart, read in memory only) with the text as caption."""
    from netral.web import upload

    request.state.principal = optional_principal(request, db)
    picture: upload.Upload | None = None
    if upload.is_multipart(request):
        try:
            picture = await upload.read_upload(request, "image")
        except upload.UploadTooLarge:
            return _checker(request, 413, error="error.image_too_large")
        except upload.UploadInvalid as exc:
            return _checker(request, 422, error="error.invalid_detail", error_detail=str(exc))
        form: dict[str, Any] = dict(picture.fields)
        if not csrf_ok(session_of(request), form.get(CSRF_FIELD)):
            raise CsrfFailed()
    else:
        await check_form_csrf(request)
        form = await _form(request)
    return await _check_and_show(request, db, form, picture)


async def _check_and_show(request: Request, db: Session, form: dict[str, Any],
                          picture: Any, shared: bool = False) -> HTMLResponse:
    """The check page's answer for a draft (and optionally a picture): the page form and the
    installed app's share target (``shared``: the phone then scrolls to the verdict) both end
    here."""
    from netral.web import image_bridge

    text = str(form.get("text") or "")
    kind = str(form.get("kind") or "post")
    if kind not in KINDS:  # a forged form value; the page only offers the known kinds
        kind = "post"
    account = str(form.get("account") or "personal")
    employee = str(form.get("employee") or "pns")
    when = str(form.get("when") or "")
    if len(text) > MAX_CHECK_BODY_CHARS:  # refused, never cut silently (the API answers 413)
        return _checker(request, 413, error="error.text_too_long",
                        text=text[:MAX_CHECK_BODY_CHARS], kind=kind,
                        error_detail=f"{MAX_CHECK_BODY_CHARS:,}")
    lang = lang_of(request)
    ctx: dict[str, Any] = {"text": text, "kind": kind, "account": account,
                           "employee": employee, "when": when, "shared": shared}
    result, error = None, None
    if picture is not None and picture.has_file:
        ok, _why = image_bridge.image_support(lang)
        if not ok:
            return _checker(request, 503, error="checker.image_unavailable", **ctx)
        from netral.images import ImageError

        try:
            result = await run_in_threadpool(image_bridge.run_image_check, picture.data,
                                             text=text, kind=kind, lang=lang,
                                             name=picture.filename)
        except ImageError as exc:
            return _checker(request, 422, error="error.image_invalid_detail",
                            error_detail=exc.message, **ctx)
        except ImportError:
            return _checker(request, 503, error="error.detector_unavailable", **ctx)
        marked = highlight(result.get("source_text") or "",
                                    result_spans(result, lang_of(request)))
        return _checker(request, result=result, marked=marked, image=result.get("image") or {},
                        **ctx)
    if not text.strip():
        return _checker(request, error="checker.empty", **ctx)
    try:
        body = CheckIn(text=text, kind=kind, lang=lang, account=account, employee=employee,
                       when=when or None)
    except ValidationError:  # a forged form value; the page only offers known choices
        return _checker(request, 422, error="error.invalid_detail",
                        error_detail="account / employee / when", **ctx)
    principal = request.state.principal
    phrases = agency_boilerplate(db, principal.agency_id) if principal else ()
    try:
        result = run_check(body, phrases)
    except ImportError:
        error = "error.detector_unavailable"
    # reason offsets index what the detector read (a follow's bare name is read as its words)
    marked = (highlight(result.get("judged_text") or text,
                                 result_spans(result, lang_of(request)))
              if result else None)
    return _checker(request, result=result, marked=marked, error=error, **ctx)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, db: DB, next: str = "/dashboard"):
    request.state.principal = optional_principal(request, db)
    return render(request, "login.html", next=_safe_next(next, "/dashboard"), error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[CSRF])
async def login_submit(request: Request, db: DB):
    form = await _form(request)
    nxt = _safe_next(form.get("next"), "/dashboard")
    try:
        login_user(request, db, str(form.get("username") or ""), str(form.get("password") or ""))
    except LoginFailed:
        return render(request, "login.html", status_code=401, next=nxt,
                      error="error.bad_credentials")
    return _redirect(nxt)


@router.post("/logout", dependencies=[CSRF])
def logout_submit(request: Request, db: DB):
    logout_user(request, db)
    return _redirect("/")


@router.post("/logout-everywhere", dependencies=[CSRF])
def logout_everywhere_submit(request: Request, me: Me, db: DB):
    logout_everywhere(request, db, me)
    return _redirect("/")


@router.post("/lang", dependencies=[CSRF])
async def set_lang(request: Request):
    form = await _form(request)
    lang = str(form.get("lang") or "")
    if lang in LANGS:
        session_of(request)["lang"] = lang
    nxt = _safe_next(form.get("next"), "/")
    # pages rendered as the answer to a form post have no GET of their own
    nxt = _POST_ONLY.get(nxt.split("?", 1)[0], nxt)
    return _redirect(nxt)


_POST_ONLY = {"/check": "/", "/roster/import": "/roster"}


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request, db: DB):
    request.state.principal = optional_principal(request, db)
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False)}
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {})
            ref = None
            for ct in body.values():
                ref = (ct.get("schema") or {}).get("$ref", "").rsplit("/", 1)[-1] or None
            ops.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                        "params": params, "body": ref, "tags": op.get("tags", [])})
    schemas = []
    for name, sch in spec.get("components", {}).get("schemas", {}).items():
        req = set(sch.get("required", []))
        props = []
        for pn, pv in sch.get("properties", {}).items():
            types = [pv.get("type")] if pv.get("type") else [
                x.get("type") or x.get("$ref", "").rsplit("/", 1)[-1] for x in pv.get("anyOf", [])
            ]
            enum = pv.get("enum") or [e for x in pv.get("anyOf", []) for e in x.get("enum", [])]
            props.append({"name": pn, "required": pn in req, "type": " | ".join(
                str(x) for x in types if x) or pv.get("$ref", "").rsplit("/", 1)[-1],
                "enum": enum, "description": pv.get("description", "")})
        schemas.append({"name": name, "props": props})
    return render(request, "api_docs.html", ops=ops, schemas=schemas, spec=spec)


# --------------------------------------------------------------------------- dashboard


def _period_args(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    try:
        return parse_day(start), parse_day(end)
    except ValueError:
        return None, None


@first.get("/dashboard", response_class=HTMLResponse)
async def dashboard_page(request: Request):
    # the query read here, not declared as parameters: FastAPI's parameter solving was a
    # sixth of the page's time once the page itself came from the cache (issue 17)
    q = request.query_params
    start, end, agency_id = q.get("start"), q.get("end"), q.get("agency_id")
    # The page everybody opens first: the same page for the same session a moment ago is
    # answered here, with no thread and no query (issue 17); else one trip to the thread pool
    # for the session check, the (cached) figures and the template (issue 15).
    page = fresh_page(request)
    if page is not None:
        return page
    return await run_in_threadpool(_dashboard, request, start, end, agency_id)


def _dashboard(request: Request, start: str | None, end: str | None,
               agency_id: str | None) -> HTMLResponse:
    with request.app.state.sessionmaker() as db:
        me = require_principal(request, db, recent_ok=True)  # see netral.web.recent
        s, e = _period_args(start, end)
        agency = int(agency_id) if agency_id and agency_id.isascii() and agency_id.isdigit() \
            and len(agency_id) <= 10 else None
        data = dashboard(db, me, agency_id=agency, start=s, end=e)

        def page() -> HTMLResponse:
            svg = dashboard_view.charts_for(data, lang_of(request))
            return render(request, "dashboard.html", data=data, svg=svg, start=start or "",
                          end=end or "", agencies=_agencies(db, me),
                          agency_id=data["agency_id"])

        # the same figures for the same session a moment ago: the same page (issue 17)
        return cached_page(request, me.id, data, page)


def _agencies(db: Session, me: Principal) -> list[Any]:
    """Agencies a global administrator can pick (others work on their own agency only)."""
    from netral.store.models import Agency

    if not me.is_global:
        return []
    return list(db.scalars(select(Agency).order_by(Agency.name)))


# --------------------------------------------------------------------------- review queue


@router.get("/findings/{finding_id}", response_class=HTMLResponse)
def finding_page(request: Request, finding_id: PathId, me: Me, db: DB, q: str = ""):
    """``q``: the queue's filter the finding was opened from (back link, next finding)."""
    me.require("read")
    f = get_finding(db, me, finding_id)
    ev = evidence_status(db, [f.item_id])
    d = finding_dict(f, ev.get(f.item_id))
    d["marked"] = highlight(f.item.text, result_spans(
        d["detection"]["result"], lang_of(request)))
    from netral.store.models import CaseFinding

    case_ids = list(db.scalars(select(CaseFinding.case_id).where(
        CaseFinding.finding_id == f.id)))
    return render(request, "finding.html", f=d, case_ids=case_ids, q=q,
                  queue_back="/queue" + (f"?{q}" if q else ""),
                  reviewers=reviewers(db, me, f.agency_id))


@router.post("/findings/{finding_id}/action", dependencies=[CSRF])
async def finding_action_submit(request: Request, finding_id: PathId, me: Me, db: DB):
    form = await _form(request)
    f = get_finding(db, me, finding_id)
    action = str(form.get("action") or "")
    uid = form.get("user_id")
    back = _safe_next(form.get("next"), f"/findings/{finding_id}")
    if action == "capture":
        from netral.review import evidence as review_evidence

        me.require("review")
        return _act(request, lambda: review_evidence.capture(db, me, f), back, back,
                    ok_key="flash.captured")
    if action not in FINDING_ACTIONS:
        flash(request, "error", "error.unknown_action")
        return _redirect(back)
    me.require("assign" if action == "assign" else "review")
    # the same operation as the queue's buttons: answered with a count, undoable
    done = pages_queue.run_action(request, db, me, [f.id], action,
                                  str(form.get("reason") or ""),
                                  parse_id(uid))
    if done and action in ("confirm", "dismiss", "escalate") and form.get("go_next"):
        q = str(form.get("q") or "")
        try:
            flt = queue.QueueFilter.parse(dict(parse_qsl(q)))
        except ValueError:
            flt = queue.QueueFilter()
        nxt = queue.next_after(db, me, flt, f)
        suffix = f"?{urlencode({'q': q})}" if q else ""
        return _redirect(f"/findings/{nxt}{suffix}" if nxt else "/queue" + (f"?{q}" if q else ""))
    return _redirect(back)


@router.post("/queue/sample", dependencies=[CSRF])
async def sample_submit(request: Request, me: Me, db: DB):
    form = await _form(request)
    me.require("assign")
    rate = form.get("rate")

    def run():
        r = float(rate) if rate not in (None, "") else None
        res = sample_netral(db, me, rate=r)
        flash(request, "ok", "flash.sampled", n=res["sampled"], c=res["candidates"])

    try:
        run()
    except ValueError:
        flash(request, "error", "error.invalid")
    return _redirect("/queue")


# --------------------------------------------------------------------------- cases


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, me: Me, db: DB, status: str = "open"):
    cases = list_cases(db, me, status=None if status == "all" else status)
    return render(request, "cases.html", cases=[case_dict(c) for c in cases],
                  status=status)


@router.post("/cases", dependencies=[CSRF])
async def open_case_submit(request: Request, me: Me, db: DB):
    form = await request.form()
    ids = [i for i in map(parse_id, form.getlist("finding_id")) if i is not None]
    me.require("case_manage")
    back = _safe_next(form.get("next"), "/queue")
    created: dict[str, int] = {}

    def run():
        c = open_case(db, me, ids, title=str(form.get("title") or ""),
                               ppk=str(form.get("ppk") or "") or None)
        created["id"] = c.id

    resp = _act(request, run, "/cases", back, ok_key="flash.case_opened")
    if "id" in created:
        return _redirect(f"/cases/{created['id']}")
    return resp


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: PathId, me: Me, db: DB):
    me.require("read")
    c = get_case(db, me, case_id)
    d = case_dict(c, full=True)
    findings = []
    for f in case_findings(db, me, c):
        fd = finding_dict(f)
        fd["marked"] = highlight(f.item.text, result_spans(
            fd["detection"]["result"], lang_of(request)))
        findings.append(fd)
    from netral.review import evidence as review_evidence

    return render(request, "case.html", c=d, findings=findings,
                  evidence=review_evidence.case_evidence_summary(db, c),
                  closed=c.status == CaseStatus.CLOSED)


@router.post("/cases/{case_id}/transition", dependencies=[CSRF])
async def transition_submit(request: Request, case_id: PathId, me: Me, db: DB):
    form = await _form(request)
    c = get_case(db, me, case_id)
    me.require("case_manage")
    back = f"/cases/{case_id}"
    return _act(request, lambda: transition(
        db, me, c, str(form.get("to_status") or ""), note=str(form.get("note") or ""),
        sanction_type=str(form.get("sanction_type") or "") or None,
        ppk=str(form.get("ppk") or "") or None,
        from_status=str(form.get("from_status") or "") or None), back, back)


@router.post("/cases/{case_id}/notes", dependencies=[CSRF])
async def note_submit(request: Request, case_id: PathId, me: Me, db: DB):
    form = await _form(request)
    c = get_case(db, me, case_id)
    me.require("case_note")
    back = f"/cases/{case_id}"
    return _act(request, lambda: add_note(db, me, c, str(form.get("note") or "")),
                back, back)


@router.get("/cases/{case_id}/evidence.zip")
def case_evidence(request: Request, case_id: PathId, me: Me, db: DB) -> Response:

    me.require("read")
    c = get_case(db, me, case_id)
    try:
        resp = bundle_download.case_bundle_response(db, me, c)
    except Conflict as exc:  # no key, bad TSA settings, nothing captured: said on the case
        code, _, detail = str(exc).partition(":")
        key = f"error.{code}"
        if translate(key, "id") == key:
            flash(request, "error", "error.conflict_detail", detail=str(exc))
        else:
            flash(request, "error", key, detail=detail)
        return _redirect(f"/cases/{c.id}")
    note = resp.headers.get("x-netral-evidence-note")
    if note:  # shown on the next page the user opens (the download itself has no page)
        flash(request, "warning", "evidence.tsa_failed", detail=note.split(": ", 1)[-1])
    return resp


# --------------------------------------------------------------------------- reports


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, me: Me, db: DB):
    me.require("read")
    return render(request, "reports.html", agencies=_agencies(db, me))


@router.get("/reports/findings.csv")
def report_csv(request: Request, me: Me, db: DB, start: str | None = None,
               end: str | None = None, agency_id: AgencyQuery = None,
               lang: str | None = None) -> Response:
    """``lang``: the CSV's language (column names, statuses); the page's by default."""
    return reports.csv_response(db, me, lang if lang in LANGS else lang_of(request), agency_id,
                                start or None, end or None)


@router.get("/reports/report.pdf")
def report_pdf(request: Request, me: Me, db: DB, start: str | None = None,
               end: str | None = None, agency_id: AgencyQuery = None,
               lang: str | None = None) -> Response:
    return reports.pdf_response(db, me, lang if lang in LANGS else lang_of(request), agency_id,
                                start or None, end or None)


# --------------------------------------------------------------------------- roster


@router.get("/roster", response_class=HTMLResponse)
def roster_page(request: Request, me: Me, db: DB, page: int = 1):
    me.require("read")
    page = clamp_page(page)
    data = roster_bridge.staff_page(db, me, scope_staff, 100, (page - 1) * 100)
    return render(request, "roster.html", data=data, page=page,
                  pages=max(1, (data["total"] + 99) // 100), report=None)


@router.post("/roster/import", response_class=HTMLResponse, dependencies=[CSRF])
async def roster_import_submit(request: Request, me: Me, db: DB):
    form = await request.form()
    upload = form.get("file")
    me.require("roster")
    if upload is None or isinstance(upload, str) or not upload.filename:
        flash(request, "error", "error.file_required")
        return _redirect("/roster")
    try:
        report = await roster_bridge.import_upload(
            db, me, upload, dry_run=form.get("apply") != "1",
            create_units=form.get("create_units") == "1", lang=lang_of(request))
    except ValueError as exc:
        flash(request, "error", f"error.{exc}")
        return _redirect("/roster")
    data = roster_bridge.staff_page(db, me, scope_staff, 100, 0)
    return render(request, "roster.html", status_code=200 if report["ok"] else 422,
                  data=data, page=1, pages=max(1, (data["total"] + 99) // 100), report=report)


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, me: Me, db: DB, page: int = 1):
    me.require("read")
    page = clamp_page(page)
    data = roster_bridge.accounts_page(db, me, scope_accounts, 100, (page - 1) * 100)
    return render(request, "accounts.html", data=data, page=page,
                  pages=max(1, (data["total"] + 99) // 100))


# --------------------------------------------------------------------------- audit, settings


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, me: Me, db: DB, page: int = 1):
    me.require("audit")
    page = clamp_page(page)
    rows = list(db.scalars(scope_audit(select(AuditLog), me).order_by(AuditLog.id.desc())
                           .limit(100).offset((page - 1) * 100)))
    return render(request, "audit.html", rows=rows, page=page)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, me: Me, db: DB):
    me.require("read")
    return _settings(request, me, db)


def _settings(request: Request, me: Principal, db: Session, status_code: int = 200,
              new_token: str | None = None) -> HTMLResponse:
    from netral.review import evidence as review_evidence
    from netral.review import tokens

    st = get_settings_dict(db, me, me.agency_id) if me.agency_id else None
    users = useradmin.list_users(db, me) if me.can("admin") else []
    from netral.review.zones import ZONES

    return render(request, "settings.html", status_code=status_code, st=st, users=users,
                  zones=list(ZONES), can_edit_settings=me.can("admin") and not me.unit_path,
                  signing=review_evidence.key_status(), tokens=tokens.list_tokens(db, me),
                  new_token=new_token)


@router.post("/settings/tokens", dependencies=[CSRF])
async def token_create_submit(request: Request, me: Me, db: DB):
    """Make a check token and show it once, in this answer only (never in a redirect's
    session cookie)."""
    from netral.review import tokens

    form = await _form(request)
    raw_user = str(form.get("user_id") or "")
    try:
        _row, plain = tokens.create_token(db, me, str(form.get("name") or ""),
                                          int(raw_user) if raw_user.isdigit() else None)
    except ValueError as exc:
        flash(request, "error", f"error.{exc}")
        return _redirect("/settings")
    return _settings(request, me, db, 201, new_token=plain)


@router.post("/settings/tokens/{token_id}/revoke", dependencies=[CSRF])
def token_revoke_submit(request: Request, token_id: PathId, me: Me, db: DB):
    from netral.review import tokens

    tokens.revoke_token(db, me, token_id)
    flash(request, "ok", "flash.token_revoked")
    return _redirect("/settings")


@router.post("/settings", dependencies=[CSRF])
async def settings_submit(request: Request, me: Me, db: DB):
    form = await _form(request)
    me.require("admin")

    def run():
        from netral.web.api import SettingsIn

        try:
            body = SettingsIn(
                netral_sample_rate=float(form["netral_sample_rate"])
                if form.get("netral_sample_rate") else None,
                clarification_days=int(form["clarification_days"])
                if form.get("clarification_days") else None,
                ppk_deadline_days=int(form["ppk_deadline_days"])
                if form.get("ppk_deadline_days") else None,
                ppk=str(form.get("ppk") or "") or None,
                timezone=str(form.get("timezone") or "") or None,
            )
        except Exception as exc:
            raise ValueError("invalid") from exc
        update_settings(db, me, me.agency_id, body.model_dump(exclude_none=True))

    return _act(request, run, "/settings", "/settings")


@router.post("/users", dependencies=[CSRF])
async def user_create_submit(request: Request, me: Me, db: DB):
    form = await _form(request)
    me.require("admin")

    def run():
        from pydantic import ValidationError

        from netral.web.api import UserIn

        try:
            body = UserIn(username=str(form.get("username") or ""),
                          password=str(form.get("password") or ""),
                          role=str(form.get("role") or ""),
                          display_name=str(form.get("display_name") or ""))
        except ValidationError as exc:
            raise ValueError("user_invalid") from exc
        useradmin.create_user(db, me, **body.model_dump())

    return _act(request, run, "/settings", "/settings")
