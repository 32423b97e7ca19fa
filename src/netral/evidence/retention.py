"""Data minimisation for evidence (UU 27/2022 PDP).

The store's retention purge (:mod:`netral.store.retention`) deletes items once they are no longer
needed; it never deletes an item whose finding is under review or in an open case. Their
captured files (the personal contents) stay in the evidence file store until
:func:`release_purged` removes them. The ledger keeps its entries (hashes only), so the chain
still verifies and still proves what was captured and when.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.evidence.filestore import FileStore
from netral.evidence.models import LedgerEntry


@dataclass(frozen=True, slots=True)
class ReleaseReport:
    dry_run: bool
    captures: int  # capture entries whose item is gone
    blobs: int  # files removed (or that would be)
    bytes: int

    def to_dict(self) -> dict:
        return {"dry_run": self.dry_run, "captures": self.captures, "blobs": self.blobs,
                "bytes": self.bytes}


def _hashes(body: str) -> set[str]:
    return {f["sha256"] for f in orjson.loads(body).get("files", [])}


def release_purged(session: Session, store: FileStore, *, dry_run: bool = True,
                   actor: str = "system") -> ReleaseReport:
    """Delete the stored files of captures whose item no longer exists (purged), except files
    a capture of a still-stored item also uses. With ``dry_run`` only counts."""
    from netral.store.audit import record
    from netral.store.models import Item

    stored_ids = select(Item.id)
    gone = session.execute(
        select(LedgerEntry.seq, LedgerEntry.body).where(
            LedgerEntry.kind == "capture", LedgerEntry.item_id.is_not(None),
            LedgerEntry.item_id.not_in(stored_ids))
    ).all()
    if not gone:
        return ReleaseReport(dry_run, 0, 0, 0)
    keep: set[str] = set()
    for (body,) in session.execute(
        select(LedgerEntry.body).where(LedgerEntry.kind == "capture",
                                       LedgerEntry.item_id.in_(stored_ids))
    ):
        keep |= _hashes(body)
    drop: set[str] = set()
    for _seq, body in gone:
        drop |= _hashes(body)
    drop -= keep
    blobs = freed = 0
    for sha in sorted(drop):
        if not store.has(sha):
            continue
        blobs += 1
        freed += store.path_for(sha).stat().st_size if dry_run else store.delete(sha)
    if not dry_run and blobs:
        record(session, "evidence.release", actor=actor, object_type="ledger",
               details={"captures": len(gone), "blobs": blobs, "bytes": freed})
    return ReleaseReport(dry_run, len(gone), blobs, freed)
