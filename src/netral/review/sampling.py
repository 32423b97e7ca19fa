"""Sampling what the detector called ``netral`` into the review queue, and what reviewers
found in that sample (the false-negative estimate)."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.review.agency import agency_settings
from netral.review.authz import NotFound, Principal, agency_of, scope_findings
from netral.review.changes import log_action
from netral.store.models import Detection, Finding, Item


def sample_netral(
    db: Session, p: Principal, *, agency_id: int | None = None, rate: float | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Put a random share of items the detector judged ``netral`` into the review queue.

    Measures what the detector misses: reviewers' confirmations of these sampled findings are
    the false-negative estimate shown on the queue page."""
    p.require("assign")
    agency = agency_of(p, agency_id)
    if agency is None:
        raise NotFound("agency")
    st = agency_settings(db, agency)
    rate = st.netral_sample_rate if rate is None else rate
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    latest = (
        select(Detection.item_id, func.max(Detection.id).label("det_id"))
        .group_by(Detection.item_id)
        .subquery()
    )
    stmt = (
        select(Item.id, Detection.id, Detection.score, Item.account_id)
        .join(latest, latest.c.item_id == Item.id)
        .join(Detection, Detection.id == latest.c.det_id)
        .outerjoin(Finding, Finding.item_id == Item.id)
        .where(Item.agency_id == agency, Finding.id.is_(None), Detection.verdict == "netral")
        .order_by(Item.id)
    )
    candidates = list(db.execute(stmt))
    rng = random.Random(seed)
    chosen = [c for c in candidates if rng.random() < rate]
    from netral.store.models import Account

    for item_id, det_id, score, account_id in chosen:
        staff_id = None
        if account_id is not None:
            acc = db.get(Account, account_id)
            staff_id = acc.staff_id if acc else None
        db.add(
            Finding(
                agency_id=agency, item_id=item_id, detection_id=det_id, staff_id=staff_id,
                risk_score=float(score or 0.0), sampled_as_netral=True,
            )
        )
    db.flush()
    from netral.review import stats

    stats.invalidate(agency)
    log_action(db, p, "queue.sample", None, agency, rate=rate, candidates=len(candidates),
           sampled=len(chosen))
    return {"agency_id": agency, "rate": rate, "candidates": len(candidates),
            "sampled": len(chosen)}


def sample_stats(db: Session, p: Principal) -> dict[str, int]:
    stmt = scope_findings(
        select(Finding.status, func.count()).where(Finding.sampled_as_netral.is_(True)), p
    ).group_by(Finding.status)
    counts = {s: int(n) for s, n in db.execute(stmt)}
    reviewed = counts.get("confirmed", 0) + counts.get("dismissed", 0)
    return {"sampled": sum(counts.values()), "reviewed": reviewed,
            "missed": counts.get("confirmed", 0)}
