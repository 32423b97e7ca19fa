"""Evidence capture: freeze one collected item as files in the content-addressed store and
commit their hashes to the ledger.

Each capture holds ``raw.json`` (the payload as collected, canonical JSON, so its SHA-256
equals the item's ``content_hash`` from ingestion), ``text.txt`` (the rendered text the
detector judged), ``meta.json`` (collector, collection and capture times, source URL, account)
and any local media files. The ledger entry lists every file with its SHA-256 and size.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.evidence.canonical import sha256_hex
from netral.evidence.filestore import FileStore
from netral.evidence.ledger import Ledger
from netral.evidence.models import LedgerEntry

CAPTURE_FORMAT = "netral-capture/1"


class CaptureError(Exception):
    """The item cannot be captured (message says why)."""


class AlreadyCaptured(CaptureError):
    """``capture_item(once=True)`` found a capture of the item already in the ledger."""


class ItemNotFound(CaptureError):
    """No item with that id."""


@dataclass(frozen=True, slots=True)
class CapturedFile:
    role: str  # raw | text | meta | media
    name: str  # relative name inside the capture ("raw.json", "media/1-photo.jpg")
    sha256: str
    size: int
    media_type: str

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "name": self.name, "sha256": self.sha256,
                "size": self.size, "media_type": self.media_type}


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def raw_bytes(raw: Any) -> bytes:
    """The payload as the ingest step hashed it (canonical JSON, sorted keys)."""
    return orjson.dumps(raw, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def _safe_name(name: str, index: int) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name or "media"
    base = "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[:120]
    return f"media/{index:02d}-{base}"


def capture_payload(
    session: Session,
    store: FileStore,
    *,
    item_id: int | None,
    raw: bytes,
    text: str,
    meta: dict[str, Any],
    media: Sequence[tuple[str, bytes]] = (),
) -> LedgerEntry:
    """Store the parts of one capture and append its ledger entry (caller commits)."""
    files: list[CapturedFile] = []

    def put(role: str, name: str, data: bytes, media_type: str) -> None:
        files.append(CapturedFile(role, name, store.put(data), len(data), media_type))

    put("raw", "raw.json", raw, "application/json")
    put("text", "text.txt", text.encode("utf-8"), "text/plain; charset=utf-8")
    meta_bytes = orjson.dumps(meta, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    put("meta", "meta.json", meta_bytes, "application/json")
    for i, (name, data) in enumerate(media, start=1):
        mt = mimetypes.guess_type(name)[0] or "application/octet-stream"
        put("media", _safe_name(name, i), data, mt)
    body = {
        "type": "capture",
        "format": CAPTURE_FORMAT,
        "item_id": item_id,
        "captured_at": meta.get("captured_at"),
        "collector": meta.get("collector"),
        "source_url": meta.get("source_url"),
        "files": [f.to_dict() for f in sorted(files, key=lambda f: f.name)],
    }
    return Ledger(session).append("capture", body, item_id=item_id)


def _media_files(entries: Sequence[Any], source: str | None) -> tuple[list[tuple[str, bytes]],
                                                                    list[dict[str, str]]]:
    """The item's media files that may be read (see :mod:`netral.evidence.media`); every
    other reference is listed with why it was not captured. URLs are never fetched."""
    from netral.evidence.media import MediaRefused, classify_all, read_media

    found: list[tuple[str, bytes]] = []
    not_fetched: list[dict[str, str]] = []
    for m in classify_all(list(entries), source):
        if m.path is None:
            if m.ref:
                not_fetched.append({"ref": m.ref[:500],
                                    "why": "remote URL, not fetched" if m.remote else m.refused})
            continue
        try:
            found.append((m.path.name, read_media(m.path)))
        except MediaRefused as exc:
            not_fetched.append({"ref": m.ref[:500], "why": str(exc)})
    return found, not_fetched


def capture_item(
    session: Session,
    item_id: int,
    store: FileStore,
    *,
    media_paths: Sequence[Path] = (),
    actor: str = "system",
    once: bool = False,
) -> LedgerEntry:
    """Capture a stored item (see module doc). ``media_paths`` adds local files (e.g. a
    screenshot taken by the collector). Writes an audit-log entry; the caller commits.

    ``once``: the automatic capture of pending findings; any number of concurrent runs capture
    an item once. The ledger's appender lock is taken first and held to the commit, so the
    check for an earlier capture and the append are one step; a later run gets
    ``AlreadyCaptured`` before it stores anything (issue 19)."""
    from netral.store.audit import record
    from netral.store.models import Account, Item, Staff

    if once:
        Ledger(session).lock()
        done = session.scalar(select(LedgerEntry.seq).where(
            LedgerEntry.kind == "capture", LedgerEntry.item_id == item_id).limit(1))
        if done is not None:
            raise AlreadyCaptured(f"item {item_id} was captured already (ledger #{done})")

    item = session.get(Item, item_id)
    if item is None:
        raise ItemNotFound(f"item {item_id} not found")
    raw = raw_bytes(item.raw)
    if item.content_hash and sha256_hex(raw) != item.content_hash:
        raise CaptureError(
            f"item {item_id}: stored payload no longer matches its ingest hash "
            f"{item.content_hash} (changed after collection); not captured"
        )
    account = session.get(Account, item.account_id) if item.account_id else None
    staff = session.get(Staff, account.staff_id) if account and account.staff_id else None
    source = item.source or ""
    media, not_fetched = _media_files(item.media or [], source)
    for p in media_paths:
        p = Path(p)
        try:
            media.append((p.name, p.read_bytes()))
        except OSError as exc:
            raise CaptureError(f"{p}: {exc.strerror or exc}") from exc
    captured_at = _iso(datetime.now(UTC))
    meta = {
        "format": CAPTURE_FORMAT,
        "item_id": item.id,
        "agency_id": item.agency_id,
        "platform": item.platform,
        "external_id": item.external_id,
        "kind": item.kind,
        "handle": item.handle,
        "source_url": item.url,
        "posted_at": _iso(item.created_at),
        "collected_at": _iso(item.collected_at),
        "collector": item.collector or None,
        "collected_from": source or None,
        "captured_at": captured_at,
        "captured_by": actor,
        "ingest_content_hash": item.content_hash or None,
        "media_not_fetched": not_fetched,
        "account": None if account is None else {
            "platform": account.platform, "handle": account.handle, "url": account.url,
            "account_type": account.account_type,
        },
        "staff": None if staff is None else {
            "nip": staff.nip, "name": staff.name, "position": staff.position,
        },
    }
    entry = capture_payload(session, store, item_id=item.id, raw=raw, text=item.text or "",
                            meta=meta, media=media)
    record(session, "evidence.capture", actor=actor, agency_id=item.agency_id,
           object_type="item", object_id=item.id,
           details={"ledger_seq": entry.seq, "entry_hash": entry.entry_hash})
    return entry


def captures_for_items(session: Session, item_ids: Sequence[int] | None) -> list[LedgerEntry]:
    """Capture entries of the given items (None: every capture of an item still stored, i.e.
    not removed by retention), in ledger order."""
    from netral.store.models import Item

    q = select(LedgerEntry).where(LedgerEntry.kind == "capture").order_by(LedgerEntry.seq)
    if item_ids is not None:
        q = q.where(LedgerEntry.item_id.in_(list(item_ids)))
    else:
        q = q.where(LedgerEntry.item_id.in_(select(Item.id)))
    return list(session.execute(q).scalars())


def has_evidence(session: Session, item_id: int) -> bool:
    """Whether an item has captured evidence (retention must keep such items' cases)."""
    return session.execute(
        select(LedgerEntry.seq).where(LedgerEntry.kind == "capture",
                                      LedgerEntry.item_id == item_id).limit(1)
    ).first() is not None


def uncaptured_flagged_items(session: Session) -> list[int]:
    """Items that have a finding but no captured evidence yet (oldest first)."""
    from netral.store.models import Finding

    captured = select(LedgerEntry.item_id).where(LedgerEntry.kind == "capture",
                                                 LedgerEntry.item_id.is_not(None))
    return list(session.execute(
        select(Finding.item_id).where(Finding.item_id.not_in(captured))
        .distinct().order_by(Finding.item_id)
    ).scalars())
