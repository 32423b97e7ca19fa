"""The JSON API under ``/api/v1``. Every page action calls the same service function."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import Field, field_validator
from sqlalchemy import select

from netral.kinds import KINDS, MAX_TEXT_CHARS
from netral.review import useradmin
from netral.review.agency import agency_boilerplate, get_settings_dict, update_settings
from netral.review.authz import (
    agency_of,
    get_case,
    get_finding,
    scope_accounts,
    scope_audit,
    scope_feedback,
    scope_staff,
    scope_units,
)
from netral.review.cases import add_note, case_dict, list_cases, open_case, transition
from netral.review.dashboard import dashboard, parse_day
from netral.review.findings import bulk_action, evidence_status, finding_action, finding_dict
from netral.review.sampling import sample_netral, sample_stats
from netral.store.models import AuditLog, LabelledFeedback, Unit
from netral.web import bundle_download, reports, roster_bridge
from netral.web.check_access import check_access
from netral.web.deps import DB, Me, check_header_csrf, lang_of
from netral.web.i18n import translate
from netral.web.inputs import AgencyQuery, Body, DbId, Offset, PathId
from netral.web.login import change_password, login_user, logout_everywhere, logout_user

public = APIRouter(tags=["public"])
private = APIRouter(dependencies=[Depends(check_header_csrf)])

KindName = Literal["post", "comment", "share", "like", "follow", "join", "bio", "message"]
assert set(KindName.__args__) == set(KINDS), "the API's kinds must be netral.kinds.KINDS"


# The body guard of the check endpoints: far above what is judged (netral.kinds.MAX_TEXT_CHARS;
# a longer text is judged on its start and the Result says ``truncated``), so every door gives
# the same verdict for the same text; beyond this the request is refused with 413
MAX_CHECK_BODY_CHARS = 10 * MAX_TEXT_CHARS


class CheckIn(Body):
    text: str = Field(min_length=1,
                      description="The content to check (not empty or blank); texts over "
                                  "100,000 characters are judged on their first 100,000 "
                                  "(``truncated`` in the Result)")
    kind: KindName = Field("post", description="The act: post, comment, share, bio…")
    lang: Literal["id", "en"] = "id"
    pack: str | list[str] | None = None
    when: date | None = None
    account: Literal["personal", "official"] = "personal"
    employee: Literal["pns", "pppk", "pejabat", "non_asn"] = "pns"
    boilerplate: list[str] = Field(
        default_factory=list, max_length=500,
        description="The agency's standard phrases (signature, programme hashtags) that are "
                    "never evidence, as `netral check --boilerplate` takes them")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # refused like `netral check` and the web form do: there is nothing to judge
        if not value.strip():
            raise ValueError("teks kosong / empty text")
        return value


def run_check(body: CheckIn, boilerplate: tuple[str, ...] = ()) -> dict[str, Any]:
    """``boilerplate``: phrases added to the request's own (the signed-in user's agency's)."""
    from netral.detect.detector import get_detector

    result = get_detector(body.pack).check(
        body.text, kind=body.kind, lang=body.lang, when=body.when,
        account=body.account, employee=body.employee,
        boilerplate=(*body.boilerplate, *boilerplate),
    )
    return result.to_dict()


_CHECK_AUTH = {
    "description": (
        "No login, nothing stored. The browser extension calls it from its own origin "
        "(`chrome-extension://<id>`, the only cross-origin caller CORS admits) with "
        "`Authorization: Bearer <personal token>` (scope: check only; revocable; rate "
        "limited per token). A revoked or unknown token answers 401 `token_invalid`; the "
        "extension without a token 401 `token_required` (unless the server runs "
        "`--personal`); another web origin 403 `origin_not_allowed`; too many checks 429 "
        "`token_rate_limited` with `Retry-After`."),
}


@public.post(
    "/check",
    summary="Pre-post check (no login; nothing stored)",
    response_description="The Result JSON, identical to `netral check --json`",
    **_CHECK_AUTH,
)
def api_check(body: CheckIn, request: Request, db: DB) -> Response:
    agency_id = check_access(request, db)
    if len(body.text) > MAX_CHECK_BODY_CHARS:
        return JSONResponse({"detail": "text_too_long", "max_chars": MAX_CHECK_BODY_CHARS},
                            status_code=413)
    phrases = agency_boilerplate(db, agency_id) if agency_id is not None else ()
    try:
        data = run_check(body, phrases)
    except ImportError:
        return JSONResponse({"detail": "detector_unavailable"}, status_code=503)
    return Response(orjson.dumps(data), media_type="application/json")


_IMAGE_FORM = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "The picture (JPEG, PNG, WebP, GIF, BMP, TIFF; "
                                        "at most 10 MB)"},
                "text": {"type": "string", "maxLength": MAX_TEXT_CHARS,
                         "description": "Caption / text posted with the picture"},
                "kind": {"type": "string", "enum": list(KindName.__args__), "default": "post"},
                "lang": {"type": "string", "enum": ["id", "en"], "default": "id"},
                "when": {"type": "string", "format": "date",
                         "description": "Date of the post (campaign periods)"},
            },
        }}},
    },
    "responses": {
        "200": {"description": "The image Result JSON (`check_image(...).to_dict()`): "
                               "verdict, reasons with `where` and `boxes`, `source_text`, "
                               "`ocr_words`, `gestures`, `attributes`, `twibbon`, `notes`"},
        "413": {"description": "Picture larger than the upload limit"},
        "422": {"description": "Not a readable picture (`code`, `message`) or bad field"},
        "503": {"description": "Image support (netral[images], Tesseract `ind`) not "
                               "installed on this server"},
    },
}


@public.post(
    "/check-image",
    summary="Pre-post check of a picture (no login; nothing stored)",
    openapi_extra=_IMAGE_FORM,
)
async def api_check_image(request: Request, db: DB) -> Response:
    from starlette.concurrency import run_in_threadpool

    from netral.web import image_bridge, upload

    await run_in_threadpool(check_access, request, db)
    lang = lang_of(request)
    ok, why = image_bridge.image_support(lang)
    if not ok:
        return JSONResponse({"detail": "images_unavailable",
                             "message": translate("error.images_unavailable", lang, why=why)},
                            status_code=503)
    try:
        form = await upload.read_upload(request)
    except upload.UploadTooLarge:
        return JSONResponse({"detail": "too_large", "message": translate(
            "error.image_too_large", lang, mb=upload.MAX_IMAGE_BYTES // (1024 * 1024))},
            status_code=413)
    except upload.UploadInvalid as exc:
        return JSONResponse({"detail": "invalid", "message": str(exc)}, status_code=422)
    f = form.fields
    lang = f.get("lang") if f.get("lang") in ("id", "en") else lang
    kind = f.get("kind") or "post"
    text = f.get("text") or ""
    problems = []
    if not form.has_file:
        problems.append({"loc": ["body", "file"], "msg": translate("error.image_missing", lang)})
    if kind not in KindName.__args__:
        problems.append({"loc": ["body", "kind"], "msg": f"unknown kind '{kind}'"})
    if len(text) > MAX_TEXT_CHARS:
        problems.append({"loc": ["body", "text"], "msg": f"at most {MAX_TEXT_CHARS} characters"})
    if problems:
        return JSONResponse({"detail": "invalid", "errors": problems}, status_code=422)
    from netral.images import ImageError

    try:
        data = await run_in_threadpool(image_bridge.run_image_check, form.data, text=text,
                                       kind=kind, lang=lang, when=f.get("when") or None,
                                       name=form.filename)
    except ImageError as exc:
        return JSONResponse({"detail": "image_invalid", "code": exc.code,
                             "message": exc.message}, status_code=422)
    except ValueError as exc:
        return JSONResponse({"detail": "invalid", "message": str(exc)}, status_code=422)
    except ImportError:
        return JSONResponse({"detail": "detector_unavailable"}, status_code=503)
    return Response(orjson.dumps(data), media_type="application/json")


class LoginIn(Body):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


@public.post("/auth/login", summary="Sign in; returns the CSRF token for later calls")
def api_login(body: LoginIn, request: Request, db: DB) -> dict[str, Any]:
    p = login_user(request, db, body.username, body.password)
    return {"user": p.as_dict(), "csrf_token": request.scope["session"]["csrf"]}


@private.post("/auth/logout-everywhere", summary="Sign out on every device")
def api_logout_everywhere(request: Request, me: Me, db: DB) -> dict[str, Any]:
    return {"ok": True, "sessions_revoked": logout_everywhere(request, db, me)}


@private.post("/auth/logout", summary="Sign out")
def api_logout(request: Request, db: DB) -> dict[str, bool]:
    logout_user(request, db)
    return {"ok": True}


@private.get("/auth/me", summary="The signed-in user")
def api_me(me: Me) -> dict[str, Any]:
    return me.as_dict()


# --------------------------------------------------------------------------- dashboard


@private.get("/dashboard", summary="Findings per period: over time, by unit, platform, …")
def api_dashboard(
    me: Me, db: DB, agency_id: AgencyQuery = None, start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    return dashboard(db, me, agency_id=agency_id, start=parse_day(start),
                              end=parse_day(end))


# --------------------------------------------------------------------------- findings


@private.get("/findings", summary="Review queue: filters, order, counts per status")
def api_findings(
    request: Request, me: Me, db: DB,
    status: str | None = Query("open", description="open, all, or a status"),
    mine: bool = False,
    unit: int | None = Query(None, description="a unit id: that unit and everything below"),
    platform: str | None = None,
    target: str | None = Query(None, description="a contestant id, e.g. pemilu-2024/pair-2"),
    start: str | None = Query(None, description="first act date (YYYY-MM-DD, agency's zone)"),
    end: str | None = Query(None, description="last act date (YYYY-MM-DD, agency's zone)"),
    min_score: float | None = Query(None, ge=0, le=1),
    max_score: float | None = Query(None, ge=0, le=1),
    sort: Literal["risk", "risk_asc", "newest", "oldest", "unit", "platform", "status"] = "risk",
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
) -> dict[str, Any]:
    from netral.review import queue

    flt = queue.QueueFilter.parse({**request.query_params, "status": status or "open",
                                   "per_page": "25"})
    rows, total, counts = queue.rows(db, me, flt, limit=limit, offset=offset)
    ev = evidence_status(db, [f.item_id for f in rows])
    return {"total": total, "counts": counts,
            "items": [finding_dict(f, ev.get(f.item_id)) for f in rows],
            "sample": sample_stats(db, me)}


@private.get("/findings/{finding_id}", summary="One finding with its content and detection")
def api_finding(finding_id: PathId, me: Me, db: DB) -> dict[str, Any]:
    me.require("read")
    f = get_finding(db, me, finding_id)
    ev = evidence_status(db, [f.item_id])
    return finding_dict(f, ev.get(f.item_id))


class ActionIn(Body):
    reason: str = Field("", max_length=4000)
    user_id: DbId | None = None


class BulkIn(ActionIn):
    ids: list[DbId] = Field(min_length=1, max_length=500)
    action: Literal["claim", "assign", "confirm", "dismiss", "escalate"]


@private.post("/findings/bulk", summary="One action on many findings",
              response_description="count, done, failed (id: why) and the undo token")
def api_bulk(body: BulkIn, me: Me, db: DB) -> dict[str, Any]:
    me.require("assign" if body.action == "assign" else "review")
    return bulk_action(db, me, body.ids, body.action, reason=body.reason,
                                user_id=body.user_id)


class UndoIn(Body):
    token: str = Field(min_length=1, max_length=64)


# declared before /findings/{finding_id}/{action}, which would take "bulk" for an id
@private.post("/findings/bulk/undo",
              summary="Take back a bulk action (its author, within 60 seconds)",
              response_description="count, restored, and kept (id: code, detail) for findings "
                                   "changed since (decided by someone else, in a case)")
def api_bulk_undo(body: UndoIn, me: Me, db: DB) -> dict[str, Any]:
    from netral.review import bulk

    return bulk.undo(db, me, body.token).to_dict()


class SampleIn(Body):
    rate: float | None = Field(None, ge=0, le=1)
    seed: int | None = None
    agency_id: DbId | None = None


@private.post("/findings/sample",
              summary="Send a random sample of netral-judged items to the queue")
def api_sample(body: SampleIn, me: Me, db: DB) -> dict[str, Any]:
    return sample_netral(db, me, agency_id=body.agency_id, rate=body.rate,
                                  seed=body.seed)


@private.post("/findings/{finding_id}/capture", summary="Capture the item as evidence now")
def api_capture(finding_id: PathId, me: Me, db: DB) -> dict[str, Any]:
    from netral.review import evidence as review_evidence

    f = get_finding(db, me, finding_id)
    return review_evidence.capture(db, me, f)


@private.post("/findings/{finding_id}/{action}",
              summary="claim | assign | confirm | dismiss | escalate")
def api_finding_action(
    finding_id: PathId,
    action: Literal["claim", "assign", "confirm", "dismiss", "escalate"],
    body: ActionIn, me: Me, db: DB,
) -> dict[str, Any]:
    f = get_finding(db, me, finding_id)
    finding_action(db, me, f, action, reason=body.reason, user_id=body.user_id)
    db.flush()
    return finding_dict(f)


# --------------------------------------------------------------------------- cases


@private.get("/cases", summary="Cases (open, closed, or a status)")
def api_cases(me: Me, db: DB, status: str | None = None) -> dict[str, Any]:
    return {"items": [case_dict(c) for c in list_cases(db, me, status=status)]}


class CaseIn(Body):
    finding_ids: list[DbId] = Field(min_length=1, max_length=100)
    title: str = Field("", max_length=255)
    ppk: str | None = Field(None, max_length=255)


@private.post("/cases", summary="Open a case from confirmed findings", status_code=201)
def api_open_case(body: CaseIn, me: Me, db: DB) -> dict[str, Any]:
    c = open_case(db, me, body.finding_ids, title=body.title, ppk=body.ppk)
    return case_dict(c, full=True)


@private.get("/cases/{case_id}", summary="One case with its history")
def api_case(case_id: PathId, me: Me, db: DB) -> dict[str, Any]:
    me.require("read")
    return case_dict(get_case(db, me, case_id), full=True)


class TransitionIn(Body):
    to_status: Literal["clarification", "recommendation", "sanction", "closed"]
    note: str = Field("", max_length=8000)
    sanction_type: Literal["none", "moral", "discipline_light", "discipline_medium",
                           "discipline_heavy"] | None = None
    ppk: str | None = Field(None, max_length=255)
    from_status: Literal["finding", "clarification", "recommendation", "sanction"] | None = Field(
        None, description="The status the caller saw; 409 if the case has moved since.")


@private.post("/cases/{case_id}/transition", summary="Move a case to its next step")
def api_transition(case_id: PathId, body: TransitionIn, me: Me, db: DB) -> dict[str, Any]:
    c = get_case(db, me, case_id)
    c = transition(db, me, c, body.to_status, note=body.note,
                            sanction_type=body.sanction_type, ppk=body.ppk,
                            from_status=body.from_status)
    return case_dict(c, full=True)


class NoteIn(Body):
    note: str = Field(min_length=1, max_length=8000)


@private.post("/cases/{case_id}/notes", summary="Add a note to a case", status_code=201)
def api_note(case_id: PathId, body: NoteIn, me: Me, db: DB) -> dict[str, Any]:
    c = get_case(db, me, case_id)
    add_note(db, me, c, body.note)
    return case_dict(c, full=True)


@private.get("/cases/{case_id}/evidence", summary="Evidence bundle (ZIP) of a case")
def api_case_evidence(case_id: PathId, me: Me, db: DB) -> Response:

    me.require("read")
    c = get_case(db, me, case_id)
    return bundle_download.case_bundle_response(db, me, c)


# --------------------------------------------------------------------------- reports


@private.get("/reports/findings.csv", summary="Findings of a period as CSV")
def api_report_csv(
    request: Request, me: Me, db: DB, agency_id: AgencyQuery = None, start: str | None = None,
    end: str | None = None,
    lang: Literal["id", "en"] | None = Query(
        None, description="language of the column names and statuses (default: the session's)"),
) -> Response:
    return reports.csv_response(db, me, lang or lang_of(request), agency_id, start, end)


@private.get("/reports/report.pdf", summary="Agency report of a period as PDF, with charts")
def api_report_pdf(
    request: Request, me: Me, db: DB, agency_id: AgencyQuery = None, start: str | None = None,
    end: str | None = None,
) -> Response:
    return reports.pdf_response(db, me, lang_of(request), agency_id, start, end)


# --------------------------------------------------------------------------- roster


@private.get("/units", summary="Units (unit kerja) in scope")
def api_units(me: Me, db: DB) -> dict[str, Any]:
    me.require("read")
    rows = db.scalars(scope_units(select(Unit), me).order_by(Unit.path))
    return {"items": [{"id": u.id, "path": u.path, "parent_id": u.parent_id} for u in rows]}


@private.get("/staff", summary="Roster (staff) in scope")
def api_staff(me: Me, db: DB, limit: int = Query(500, ge=1, le=5000),
              offset: Offset = 0) -> dict[str, Any]:
    me.require("read")
    return roster_bridge.staff_page(db, me, scope_staff, limit, offset)


@private.get("/accounts", summary="Social-media accounts in scope")
def api_accounts(me: Me, db: DB, limit: int = Query(500, ge=1, le=5000),
                 offset: Offset = 0) -> dict[str, Any]:
    me.require("read")
    return roster_bridge.accounts_page(db, me, scope_accounts, limit, offset)


@private.post("/roster/import",
              summary="Import a roster CSV/XLSX; returns the row-level validation report")
async def api_roster_import(
    request: Request, me: Me, db: DB,
    file: Annotated[UploadFile, File(description="CSV or XLSX")],
    dry_run: Annotated[bool, Form()] = True,
    create_units: Annotated[bool, Form()] = False,
) -> JSONResponse:
    report = await roster_bridge.import_upload(db, me, file, dry_run=dry_run,
                                               create_units=create_units,
                                               lang=lang_of(request))
    return JSONResponse(report, status_code=200 if report["ok"] else 422)


# --------------------------------------------------------------------------- audit & feedback


@private.get("/audit", summary="Audit log (append-only)")
def api_audit(me: Me, db: DB, limit: int = Query(200, ge=1, le=5000),
              offset: Offset = 0) -> dict[str, Any]:
    me.require("audit")
    rows = db.scalars(scope_audit(select(AuditLog), me).order_by(AuditLog.id.desc())
                      .limit(limit).offset(offset))
    return {"items": [
        {"id": a.id, "at": a.at.isoformat(), "actor": a.actor, "action": a.action,
         "object_type": a.object_type, "object_id": a.object_id, "details": a.details}
        for a in rows
    ]}


@private.get("/feedback", summary="Labelled feedback from reviews (for retraining/tuning)")
def api_feedback(me: Me, db: DB, limit: int = Query(1000, ge=1, le=10000),
                 offset: Offset = 0) -> dict[str, Any]:
    me.require("audit")
    rows = db.scalars(scope_feedback(select(LabelledFeedback), me)
                      .order_by(LabelledFeedback.id).limit(limit).offset(offset))
    return {"items": [
        {"id": x.id, "text": x.text, "kind": x.kind, "label": x.label, "predicted": x.predicted,
         "reason": x.reason, "detector_version": x.detector_version,
         "pack_version": x.pack_version, "finding_id": x.finding_id,
         "created_at": x.created_at.isoformat()}
        for x in rows
    ]}


@private.get(
    "/feedback.jsonl",
    summary="Labelled feedback in the training-corpus format (detect/data/train.jsonl)",
    response_description="One JSON object per line: text, label, source, group, kind, reason",
)
def api_feedback_jsonl(me: Me, db: DB) -> Response:
    me.require("audit")
    rows = db.scalars(scope_feedback(select(LabelledFeedback), me).order_by(LabelledFeedback.id))
    lines = [
        orjson.dumps({"text": x.text, "label": x.label,
                      "source": f"review:agency-{x.agency_id}:finding-{x.finding_id}",
                      "group": "review", "kind": x.kind, "reason": x.reason,
                      "predicted": x.predicted})
        for x in rows
    ]
    return Response(b"\n".join(lines) + (b"\n" if lines else b""),
                    media_type="application/x-ndjson",
                    headers={"Content-Disposition": 'attachment; filename="netral-feedback.jsonl"'})


# --------------------------------------------------------------------------- settings & users


class SettingsIn(Body):
    netral_sample_rate: float | None = Field(None, ge=0, le=1)
    clarification_days: int | None = Field(None, ge=1, le=365)
    ppk_deadline_days: int | None = Field(None, ge=1, le=365)
    ppk: str | None = Field(None, max_length=255)
    timezone: Literal["WIB", "WITA", "WIT"] | None = Field(
        None, description="The agency's time zone for every time shown (WIB by default)")
    agency_id: DbId | None = None


@private.get("/settings", summary="Review and case settings of the agency")
def api_settings(me: Me, db: DB, agency_id: AgencyQuery = None) -> dict[str, Any]:
    from netral.review import evidence as review_evidence

    me.require("read")
    out = get_settings_dict(db, me, agency_of(me, agency_id))
    # the agency key's fingerprint (to publish) or None: `netral evidence keygen` not run yet
    return {**out, "evidence_signing": review_evidence.key_status()}


@private.put("/settings", summary="Change review and case settings (admin)")
def api_put_settings(body: SettingsIn, me: Me, db: DB) -> dict[str, Any]:
    data = body.model_dump(exclude_none=True)
    agency = agency_of(me, data.pop("agency_id", None))
    return update_settings(db, me, agency, data)


@private.get("/users", summary="Users the admin manages (the agency; a unit-bound admin: "
                               "users of the unit subtree)")
def api_users(me: Me, db: DB) -> dict[str, Any]:
    return {"items": useradmin.list_users(db, me)}


Password = Annotated[str, Field(min_length=useradmin.MIN_PASSWORD,
                                max_length=useradmin.MAX_PASSWORD)]
RoleName = Literal["admin", "supervisor", "reviewer", "auditor"]


class UserIn(Body):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: Password
    role: RoleName
    display_name: str = Field("", max_length=255)
    unit_id: DbId | None = None
    agency_id: DbId | None = None


@private.post("/users", summary="Create a user in the agency (admin)", status_code=201)
def api_create_user(body: UserIn, me: Me, db: DB) -> dict[str, Any]:
    return useradmin.create_user(db, me, **body.model_dump())


class UserPatchIn(Body):
    role: RoleName | None = None
    active: bool | None = Field(None, description="false: deactivate (sessions end)")
    unit_id: DbId | None = Field(None, description="null: agency-wide (unbound admins only); "
                                                   "absent: unchanged")
    display_name: str | None = Field(None, max_length=255)


@private.patch("/users/{user_id}", summary="Change a user's role, unit, name or active flag "
                                            "(admin; audited; role, unit and deactivation "
                                            "end the user's sessions)")
def api_update_user(user_id: PathId, body: UserPatchIn, me: Me, db: DB) -> dict[str, Any]:
    unit = body.unit_id if "unit_id" in body.model_fields_set else useradmin.UNSET
    return useradmin.update_user(db, me, user_id, role=body.role, active=body.active,
                                 unit_id=unit, display_name=body.display_name)


class PasswordResetIn(Body):
    new_password: Password


@private.post("/users/{user_id}/password",
              summary="Set another user's password (admin; audited; their sessions end)")
def api_reset_password(user_id: PathId, body: PasswordResetIn, me: Me,
                       db: DB) -> dict[str, Any]:
    return useradmin.reset_password(db, me, user_id, body.new_password)


@private.delete("/users/{user_id}",
                summary="Delete a user who never reviewed, decided or noted anything (admin; "
                        "audited); others answer 409 `user_has_history`: deactivate them")
def api_delete_user(user_id: PathId, me: Me, db: DB) -> dict[str, Any]:
    return {"deleted": useradmin.delete_user(db, me, user_id)}


class PasswordChangeIn(Body):
    current_password: str = Field(max_length=useradmin.MAX_PASSWORD)
    new_password: Password


@private.post("/auth/password", summary="Change your own password (the current one is "
                                         "required; your other sessions end)")
def api_change_password(body: PasswordChangeIn, request: Request, me: Me,
                        db: DB) -> dict[str, Any]:
    change_password(request, db, me, body.current_password, body.new_password)
    return {"ok": True, "csrf_token": request.scope["session"]["csrf"]}


# --------------------------------------------------------------------------- check tokens


class TokenIn(Body):
    name: str = Field(min_length=1, max_length=100,
                      description="What the token is for, e.g. 'office laptop'")
    user_id: int | None = Field(None, description="Administrators: a user of the agency")


@private.get("/tokens", summary="Personal check tokens: own (administrators: the agency's)")
def api_tokens(me: Me, db: DB) -> dict[str, Any]:
    from netral.review import tokens

    return {"items": tokens.list_tokens(db, me)}


@private.post("/tokens", status_code=201,
              summary="Make a check token (shown once; it can only call the check endpoints)")
def api_create_token(body: TokenIn, me: Me, db: DB) -> dict[str, Any]:
    from netral.review import tokens

    row, plain = tokens.create_token(db, me, body.name, body.user_id)
    return {**row, "token": plain}


@private.post("/tokens/{token_id}/revoke", summary="Revoke a check token")
def api_revoke_token(token_id: int, me: Me, db: DB) -> dict[str, Any]:
    from netral.review import tokens

    return tokens.revoke_token(db, me, token_id)


router = APIRouter()
router.include_router(public)
router.include_router(private)
