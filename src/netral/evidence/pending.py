"""Capture evidence for findings whose item has none yet.

One place for the rule both the monitoring run (``netral ingest``, after every run, so a resumed
run also captures what an interrupted one left) and the demo seeder follow: which findings need
evidence, capture each exactly once (``once=True`` takes the ledger lock, so two processes never
capture the same item twice), and a failure on one item never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.engine import Engine

from netral.evidence import capture
from netral.evidence.filestore import FileStore
from netral.evidence.models import LedgerEntry
from netral.evidence.settings import evidence_settings
from netral.evidence.storecheck import sweep_temp
from netral.store.base import make_sessionmaker
from netral.store.models import Finding, FindingStatus


@dataclass(slots=True)
class PendingCapture:
    captured: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)  # (item id, error)


def pending_items(*, agency_id: int | None = None, confirmed_only: bool = False) -> Select:
    """Items of flagged findings (not sampled netral, not dismissed) without a capture yet."""
    captured = select(LedgerEntry.item_id).where(
        LedgerEntry.kind == "capture", LedgerEntry.item_id.is_not(None)
    )
    stmt = select(Finding.item_id).where(
        Finding.sampled_as_netral.is_(False),
        Finding.status != FindingStatus.DISMISSED.value,
        Finding.item_id.not_in(captured),
    )
    if confirmed_only:
        stmt = stmt.where(Finding.status == FindingStatus.CONFIRMED.value)
    if agency_id is not None:
        stmt = stmt.where(Finding.agency_id == agency_id)
    return stmt.distinct().order_by(Finding.item_id)


def capture_pending(
    engine: Engine,
    *,
    actor: str,
    agency_id: int | None = None,
    confirmed_only: bool = False,
    on_failure: Callable[[int, Exception], None] | None = None,
) -> PendingCapture:
    """Capture every pending item once; report failures and go on (capture can be redone on
    demand from the web app or ``netral evidence capture``)."""
    out = PendingCapture()
    store: FileStore | None = None
    # leftovers of a capture killed mid-write go first (only old ones: never a live write's)
    sweep_temp(FileStore(evidence_settings().store_dir))
    with make_sessionmaker(engine)() as session:
        ids = session.scalars(
            pending_items(agency_id=agency_id, confirmed_only=confirmed_only)
        ).all()
        for item_id in ids:
            store = store or FileStore(evidence_settings().store_dir)
            try:
                # looked up on the module at call time: a fault-injection test replaces it
                capture.capture_item(session, item_id, store, actor=actor, once=True)
                session.commit()
                out.captured += 1
            except capture.AlreadyCaptured:  # a concurrent run captured it between our list and now
                session.rollback()
            except Exception as exc:
                session.rollback()
                out.failures.append((item_id, str(exc)))
                if on_failure is not None:
                    on_failure(item_id, exc)
    return out
