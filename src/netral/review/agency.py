"""An agency's review settings (sampling rate, deadlines, PPK, time zone) and its declared
standard phrases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.review.authz import Forbidden, NotFound, Principal
from netral.review.changes import log_action
from netral.store.models import AgencySettings
from netral.store.sql import insert_ignore


def agency_settings(db: Session, agency_id: int) -> AgencySettings:
    st = db.get(AgencySettings, agency_id)
    if st is None:
        # Two first requests of an agency may both get here: the loser's insert is a no-op.
        insert_ignore(db.connection(), AgencySettings.__table__, [{"agency_id": agency_id}],
                      ["agency_id"])
        st = db.get(AgencySettings, agency_id)
        assert st is not None
    return st


SETTINGS_FIELDS = ("netral_sample_rate", "clarification_days", "ppk_deadline_days", "ppk",
                   "timezone")


def get_settings_dict(db: Session, p: Principal, agency_id: int | None) -> dict[str, Any]:
    p.require("read")
    if agency_id is None:
        raise NotFound("agency")
    st = agency_settings(db, agency_id)
    return {"agency_id": agency_id, **{k: getattr(st, k) for k in SETTINGS_FIELDS}}


def update_settings(db: Session, p: Principal, agency_id: int | None,
                    values: dict[str, Any]) -> dict[str, Any]:
    p.require("admin")
    if p.unit_path:  # the settings are the whole agency's: not for an admin of one unit
        raise Forbidden("agency_wide")
    if agency_id is None:
        raise NotFound("agency")
    st = agency_settings(db, agency_id)
    if values.get("timezone") is not None:
        from netral.review.zones import check_zone

        check_zone(values["timezone"])
    changed = {}
    for k in SETTINGS_FIELDS:
        if k in values and values[k] is not None and getattr(st, k) != values[k]:
            setattr(st, k, values[k])
            changed[k] = values[k]
    if changed:
        log_action(db, p, "settings.update", None, agency_id, **changed)
    db.flush()
    return get_settings_dict(db, p, agency_id)


def agency_boilerplate(db: Session, agency_id: int | None) -> tuple[str, ...]:
    """The agency's declared standard phrases (never evidence): the check page applies them for
    its signed-in staff exactly as monitoring ingest does for their accounts."""
    if agency_id is None:
        return ()
    from netral.store.models import BoilerplatePhrase

    return tuple(db.scalars(select(BoilerplatePhrase.phrase)
                            .where(BoilerplatePhrase.agency_id == agency_id)
                            .order_by(BoilerplatePhrase.id)))
