"""Campaign periods from the knowledge packs (``netral.packs``), for shading charts."""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def campaign_periods() -> list[tuple[date, date, str]]:
    """(start, end, label) of every campaign / quiet / voting period of the available packs."""
    try:
        from netral.packs import PackError, load_packs
    except ImportError:  # pragma: no cover - packs are part of the core
        return []
    try:
        packs = load_packs()
    except PackError as exc:
        log.warning("campaign periods unavailable: %s", exc)
        return []
    out = {(p.start, p.end, p.label) for pack in packs for p in pack.campaign_periods}
    return sorted(out)
