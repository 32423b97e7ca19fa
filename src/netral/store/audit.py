"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from netral.store.models import AuditLog


def record(
    session: Session,
    action: str,
    *,
    actor: str = "system",
    actor_id: int | None = None,
    agency_id: int | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit entry to ``session`` (committed with the caller's transaction)."""
    entry = AuditLog(
        actor=actor,
        actor_id=actor_id,
        agency_id=agency_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details or {},
    )
    session.add(entry)
    return entry
