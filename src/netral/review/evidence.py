"""A finding's evidence from the review side: status per item, on-demand capture and case
bundles (the ledger and the bundles themselves are :mod:`netral.evidence`)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.review.authz import Conflict, Principal
from netral.store.models import Case, Finding


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


class EvidenceKeyMissing(Conflict):
    """No agency signing key: the operator must run ``netral evidence keygen`` (the web app
    never creates one, so the fingerprint that outsiders compare is always the one the
    operator was shown and published)."""


def key_status() -> dict[str, Any]:
    """For the settings page: the signing key's fingerprint (or why there is none) and the
    TSA in use."""
    from netral.evidence.keys import SigningKeyError, load_key
    from netral.evidence.settings import evidence_settings

    st = evidence_settings()
    out: dict[str, Any] = {"fingerprint": None, "error": None, "tsa_url": st.tsa_url}
    if not st.key_path.exists():
        return out
    try:
        out["fingerprint"] = load_key(st.key_path).fingerprint
    except SigningKeyError as exc:
        out["error"] = str(exc)
    return out


def _store_and_key():
    from netral.evidence.filestore import FileStore
    from netral.evidence.keys import SigningKeyError, load_key
    from netral.evidence.settings import evidence_settings

    st = evidence_settings()
    if not st.key_path.exists():
        raise EvidenceKeyMissing("evidence_key_missing")
    try:
        key = load_key(st.key_path)
    except SigningKeyError as exc:
        raise EvidenceKeyMissing(f"evidence_key_unreadable:{exc}") from exc
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
            "complete": bool(ids) and all(i in st for i in ids), "signing": key_status()}


@dataclass(slots=True)
class Bundle:
    data: bytes
    filename: str
    timestamped: bool
    note: str | None = None  # why the bundle has no timestamp although a TSA is configured


def _tsa():
    from netral.evidence.heads import tsa_from_settings

    try:
        return tsa_from_settings()
    except (ValueError, OSError) as exc:
        raise Conflict(f"evidence_tsa_config:{exc}") from exc


def case_bundle(db: Session, p: Principal, c: Case) -> Bundle:
    """A self-contained evidence bundle (zip) of the case's captured items, timestamped by
    the configured TSA (``NETRAL_TSA_URL``/``NETRAL_TSA_CA``). When the TSA cannot be
    reached or answers badly the bundle is still made (its head only signed) and ``note``
    says why."""
    from netral.evidence.bundle import ExportError, Scope, export_bundle
    from netral.evidence.tsa import TSAError

    ids = case_item_ids(db, c)
    _st, store, key = _store_and_key()
    tsa = _tsa()
    note = None
    with tempfile.TemporaryDirectory(prefix="netral-bundle-") as tmp:
        out = Path(tmp) / "bundle.zip"
        scope = Scope("case", c.id, c.title)
        try:
            try:
                res = export_bundle(db, out, scope, store=store, key=key, item_ids=ids,
                                    tsa=tsa)
            except TSAError as exc:
                note = str(exc)
                out.unlink(missing_ok=True)
                res = export_bundle(db, out, scope, store=store, key=key, item_ids=ids,
                                    tsa=None)
        except ExportError as exc:
            raise Conflict(str(exc)) from exc
        data = out.read_bytes()
    stamped = bool(res.timestamped)
    from netral.store import audit

    audit.record(db, "evidence.export", actor=p.username, actor_id=p.id, agency_id=c.agency_id,
                 object_type="case", object_id=c.id,
                 details={"items": ids, "timestamped": stamped,
                          **({"tsa_error": note} if note else {})})
    return Bundle(data, f"netral-bukti-kasus-{c.id}.zip", stamped, note)
