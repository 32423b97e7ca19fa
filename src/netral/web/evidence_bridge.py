"""Evidence status, on-demand capture and case bundles, from :mod:`netral.evidence`."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.store.models import Case, Finding
from netral.web.authz import Conflict, Principal


def status_for_items(db: Session, item_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """item id -> {"captured": True, "seq", "entry_hash", "time"} for items with evidence."""
    from netral.evidence.models import LedgerEntry

    ids = sorted({int(i) for i in item_ids})
    if not ids:
        return {}
    out: dict[int, dict[str, Any]] = {}
    rows = db.execute(
        select(LedgerEntry.item_id, LedgerEntry.seq, LedgerEntry.entry_hash, LedgerEntry.time)
        .where(LedgerEntry.kind == "capture", LedgerEntry.item_id.in_(ids))
        .order_by(LedgerEntry.seq)
    )
    for item_id, seq, entry_hash, time in rows:
        out[int(item_id)] = {"captured": True, "seq": seq, "entry_hash": entry_hash,
                             "time": time}
    return out


def _store_and_key():
    from netral.evidence.filestore import FileStore
    from netral.evidence.keys import generate_key, load_key
    from netral.evidence.settings import evidence_settings

    st = evidence_settings()
    key = load_key(st.key_path) if st.key_path.exists() else generate_key(st.key_path)
    return st, FileStore(st.store_dir), key


def capture(db: Session, p: Principal, f: Finding) -> dict[str, Any]:
    """Capture the finding's item as evidence now (hash, file store, ledger entry)."""
    from netral.evidence.capture import CaptureError, capture_item
    from netral.evidence.filestore import FileStore
    from netral.evidence.settings import evidence_settings

    p.require("review")
    existing = status_for_items(db, [f.item_id]).get(f.item_id)
    if existing:
        return existing
    try:
        entry = capture_item(db, f.item_id, FileStore(evidence_settings().store_dir),
                             actor=p.username)
    except CaptureError as exc:
        raise Conflict(str(exc)) from exc
    db.flush()
    return {"captured": True, "seq": entry.seq, "entry_hash": entry.entry_hash,
            "time": entry.time}


def case_item_ids(db: Session, c: Case) -> list[int]:
    return sorted({f.item_id for f in c.findings})


def case_evidence_summary(db: Session, c: Case) -> dict[str, Any]:
    ids = case_item_ids(db, c)
    st = status_for_items(db, ids)
    return {"items": [{"item_id": i, **st.get(i, {"captured": False})} for i in ids],
            "complete": bool(ids) and all(i in st for i in ids)}


def case_bundle_response(db: Session, p: Principal, c: Case) -> Response:
    """A self-contained evidence bundle (zip) of the case's captured items."""
    from netral.evidence.bundle import ExportError, Scope, export_bundle

    ids = case_item_ids(db, c)
    _st, store, key = _store_and_key()
    with tempfile.TemporaryDirectory(prefix="netral-bundle-") as tmp:
        out = Path(tmp) / "bundle.zip"
        try:
            export_bundle(db, out, Scope("case", c.id, c.title), store=store, key=key,
                          item_ids=ids)
        except ExportError as exc:
            raise Conflict(str(exc)) from exc
        data = out.read_bytes()
    from netral.store import audit

    audit.record(db, "evidence.export", actor=p.username, actor_id=p.id, agency_id=c.agency_id,
                 object_type="case", object_id=c.id, details={"items": ids})
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="netral-bukti-kasus-{c.id}.zip"'})
