"""Retention rules and purge on real databases: never-flagged items expire, resolved ones
expire later, items under review or in open cases are held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import func, select

from netral.ingest import ingest_source
from netral.store.base import make_sessionmaker
from netral.store.models import (
    AgencySettings,
    AuditLog,
    Case,
    CaseFinding,
    CaseStatus,
    Detection,
    Finding,
    FindingStatus,
    Item,
)
from netral.store.retention import purge

CAMPAIGN = "Ayo coblos nomor 2! Prabowo-Gibran satu putaran #PrabowoGibran"
NEUTRAL = "Rapat koordinasi penyusunan anggaran berjalan lancar"
NOW = datetime.now(UTC)


def _iso(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


def _seed(engine, detector, tmp_path):
    recs = [
        ("old_neutral", NEUTRAL, 40),
        ("new_neutral", NEUTRAL + " lagi", 5),
        ("under_review", CAMPAIGN, 400),
        ("dismissed_long_ago", CAMPAIGN + " 1", 400),
        ("dismissed_recently", CAMPAIGN + " 2", 400),
        ("open_case", CAMPAIGN + " 3", 400),
        ("closed_long_ago", CAMPAIGN + " 4", 400),
        ("closed_recently", CAMPAIGN + " 5", 400),
    ]
    path = tmp_path / "r.jsonl"
    path.write_bytes(
        b"".join(
            orjson.dumps(
                {
                    "platform": "twitter",
                    "handle": "budi",
                    "id": i,
                    "text": t,
                    "created_at": _iso(d),
                    "collected_at": _iso(d),
                }
            )
            + b"\n"
            for i, t, d in recs
        )
    )
    report = ingest_source(engine, str(path), detector=detector, sample_rate=0.0)
    assert report.items_new == 8 and report.findings_new == 6
    with make_sessionmaker(engine)() as s:
        f = {s.get(Item, x.item_id).external_id: x for x in s.scalars(select(Finding))}
        agency = f["open_case"].agency_id
        long_ago, recently = NOW - timedelta(days=400), NOW - timedelta(days=10)
        for key, when in (("dismissed_long_ago", long_ago), ("dismissed_recently", recently)):
            f[key].status, f[key].reviewed_at = FindingStatus.DISMISSED.value, when
        for key, status, closed in (
            ("open_case", CaseStatus.RECOMMENDATION.value, None),
            ("closed_long_ago", CaseStatus.CLOSED.value, long_ago),
            ("closed_recently", CaseStatus.CLOSED.value, recently),
        ):
            f[key].status = FindingStatus.CONFIRMED.value
            case = Case(
                agency_id=agency, staff_id=f[key].staff_id, status=status, closed_at=closed, title=key
            )
            s.add(case)
            s.flush()
            s.add(CaseFinding(case_id=case.id, finding_id=f[key].id))
        s.commit()
    return agency


def _remaining(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(Item.external_id)).scalars())


def test_purge_dry_run_then_apply(roster_engine, detector, tmp_path):
    agency = _seed(roster_engine, detector, tmp_path)
    before = _remaining(roster_engine)
    dry = purge(roster_engine)  # dry run is the default
    (a,) = dry.agencies
    assert (a.unflagged, a.resolved) == (1, 2)
    assert a.held_open_case == 1 and a.kept_recent == 1
    assert a.held_review == 1  # "under_review" (new); confirmed-in-case ones count as cases
    assert _remaining(roster_engine) == before  # nothing deleted

    done = purge(roster_engine, dry_run=False)
    assert done.total == 3
    assert _remaining(roster_engine) == before - {"old_neutral", "dismissed_long_ago", "closed_long_ago"}
    with roster_engine.connect() as conn:
        # detections and findings went with their items; the closed case itself stays
        orphans = conn.scalar(
            select(func.count()).select_from(Detection).where(Detection.item_id.not_in(select(Item.id)))
        )
        assert orphans == 0
        assert conn.scalar(select(func.count()).select_from(Case)) == 3
        assert (
            conn.scalar(
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.action == "retention.purge", AuditLog.agency_id == agency)
            )
            == 1
        )
    assert purge(roster_engine, dry_run=False).total == 0  # idempotent


def test_agency_settings_change_retention(roster_engine, detector, tmp_path):
    agency = _seed(roster_engine, detector, tmp_path)
    with make_sessionmaker(roster_engine)() as s:
        s.add(AgencySettings(agency_id=agency, retention_unflagged_days=1, retention_resolved_days=5))
        s.commit()
    (a,) = purge(roster_engine).agencies
    assert (a.unflagged_days, a.resolved_days) == (1, 5)
    assert (a.unflagged, a.resolved) == (2, 4)
    assert a.held_open_case == 1
