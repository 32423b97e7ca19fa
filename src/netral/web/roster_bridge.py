"""Roster and account pages on top of :mod:`netral.store.roster` (the store's importer)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import UploadFile
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from netral.config import get_settings
from netral.review.authz import Forbidden, NotFound, Principal
from netral.store.models import Account, Agency, Staff
from netral.web.i18n import translate

MAX_UPLOAD = 10 * 1024 * 1024
# A kabupaten has some thousands of ASN, a province some tens of thousands; a larger roster
# goes through `netral roster import`. Checked before openpyxl parses anything (issue 14).
MAX_ROWS = get_settings().web_roster_max_rows  # NETRAL_WEB_ROSTER_MAX_ROWS
# Problems whose stock message names another agency or its staff: shown generically here so
# an import never reveals data of an agency the user cannot see.
_REDACT = {"nip_other_agency": "roster.nip_other_agency", "account_taken": "roster.account_taken"}


def staff_page(db: Session, p: Principal, scope, limit: int, offset: int) -> dict[str, Any]:
    stmt = scope(select(Staff), p)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.options(selectinload(Staff.unit), selectinload(Staff.accounts))
                      .order_by(Staff.name, Staff.id).limit(limit).offset(offset))
    return {"total": int(total), "items": [
        {"id": s.id, "nip": s.nip, "name": s.name, "position": s.position,
         "employee_class": s.employee_class, "unit": s.unit.path if s.unit else None,
         "active": s.active, "accounts": len(s.accounts)}
        for s in rows
    ]}


def accounts_page(db: Session, p: Principal, scope, limit: int, offset: int) -> dict[str, Any]:
    stmt = scope(select(Account), p)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.options(selectinload(Account.staff))
                      .order_by(Account.platform, Account.handle).limit(limit).offset(offset))
    return {"total": int(total), "items": [
        {"id": a.id, "platform": a.platform, "handle": a.handle,
         "account_type": a.account_type, "url": a.url, "active": a.active,
         "staff": {"id": a.staff.id, "nip": a.staff.nip, "name": a.staff.name}
         if a.staff else None}
        for a in rows
    ]}


async def import_upload(
    db: Session, p: Principal, file: UploadFile, *, dry_run: bool, create_units: bool,
    lang: str,
) -> dict[str, Any]:
    """Validate (and unless ``dry_run``, apply) an uploaded roster for the user's agency."""
    from netral.store.roster import RosterFileError, RosterTooLarge, import_roster

    p.require("roster")
    if p.agency_id is None:
        raise NotFound("agency")
    if p.unit_path:
        raise Forbidden("roster import needs an agency-wide role")
    agency = db.get(Agency, p.agency_id)
    if agency is None:
        raise NotFound("agency")
    name = Path(file.filename or "roster.csv").name
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm", ".tsv", ".txt"):
        raise ValueError("roster_type")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValueError("too_large")
    with tempfile.TemporaryDirectory(prefix="netral-roster-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            report = import_roster(db, path, agency_code=agency.code, dry_run=dry_run,
                                   create_units=create_units, actor=p.username,
                                   max_rows=MAX_ROWS)
        except RosterTooLarge:
            raise ValueError("roster_too_large") from None
        except RosterFileError:
            raise ValueError("roster_unreadable") from None
    out = report.to_dict(lang)
    out["file"] = name
    for prob, d in zip(report.problems, out["problems"], strict=True):
        if prob.code in _REDACT:
            d["message"] = translate(_REDACT[prob.code], lang)
    out["ok"] = not report.errors
    return out
