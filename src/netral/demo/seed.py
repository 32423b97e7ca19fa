"""A realistic demo agency for the demo, the web app and tests (``netral demo-seed``).

Everything is synthetic and generated from a fixed seed: the agency "Pemerintah Kabupaten
Contoh" with its units, 40 staff with valid-looking (not real) NIPs, their accounts, ~500 posts
in Indonesian (campaign-like, borderline and ordinary work/personal content, Nov 2023 – Feb
2024) ingested through the real pipeline and detector, reviewed findings, labelled feedback,
one case in the clarification step, and demo users (passwords in :data:`DEMO_USERS`, also in
``docs/monitoring.md``) hashed with argon2. A small second agency exists to show isolation.

Seeding twice changes nothing (roster import and ingestion are idempotent; users, reviews
and the case are only created when absent).
"""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from netral.demo.corpus import samples
from netral.store.base import make_sessionmaker
from netral.store.models import (
    Account,
    Agency,
    AgencySettings,
    BoilerplatePhrase,
    Case,
    CaseStatus,
    Finding,
    FindingStatus,
    Item,
    Role,
    Staff,
    User,
)

SEED = 20240214
AGENCY_CODE = "pemkab-contoh"
AGENCY_NAME = "Pemerintah Kabupaten Contoh"
OTHER_CODE = "pemkot-lain"
OTHER_NAME = "Pemerintah Kota Lain"

# username -> (password, role). Demo only: change or delete these users in production.
DEMO_USERS: dict[str, tuple[str, str]] = {
    "admin": ("admin-demo-2024", Role.ADMIN.value),
    "supervisor": ("supervisor-demo-2024", Role.SUPERVISOR.value),
    "reviewer": ("reviewer-demo-2024", Role.REVIEWER.value),
    "auditor": ("auditor-demo-2024", Role.AUDITOR.value),
}
OTHER_USERS: dict[str, tuple[str, str]] = {
    "lain.supervisor": ("lain-demo-2024", Role.SUPERVISOR.value),
}

UNITS = [
    "Sekretariat Daerah",
    "Sekretariat Daerah/Bagian Umum",
    "Sekretariat Daerah/Bagian Hukum",
    "Dinas Pendidikan",
    "Dinas Pendidikan/Bidang Sekolah Dasar",
    "Dinas Kesehatan",
    "Dinas Kesehatan/Puskesmas Kota",
    "Inspektorat",
    "BKPSDM",
]
POSITIONS = [
    "Analis Kebijakan",
    "Pranata Komputer",
    "Guru Ahli Pertama",
    "Perawat Terampil",
    "Auditor Muda",
    "Analis SDM Aparatur",
    "Pengadministrasi Umum",
    "Bidan Terampil",
    "Kepala Seksi",
    "Kepala Bidang",
]
FIRST = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Rina",
    "Andi",
    "Sri",
    "Eko",
    "Wahyu",
    "Nur",
    "Fajar",
    "Yuni",
    "Hendra",
    "Lestari",
    "Dian",
    "Rizky",
    "Putri",
    "Bambang",
    "Ratna",
    "Teguh",
]
LAST = [
    "Santoso",
    "Rahmawati",
    "Saputra",
    "Wulandari",
    "Hidayat",
    "Kurniawan",
    "Pratama",
    "Susanti",
    "Nugroho",
    "Setiawan",
    "Handayani",
    "Siregar",
    "Lubis",
    "Simanjuntak",
]
PLATFORMS = ["twitter", "instagram", "facebook", "tiktok", "mastodon"]

def synthetic_nip(rng: random.Random, *, pppk: bool, sex: int) -> str:
    """A structurally valid, made-up NIP (birth date, appointment, sex, serial)."""
    born = datetime(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
    if pppk:
        tmt = f"{rng.choice([2022, 2023])}21"
    else:
        year = min(born.year + rng.randint(22, 30), 2023)
        tmt = f"{year}{rng.randint(1, 12):02d}"
    return f"{born:%Y%m%d}{tmt}{sex}{rng.randint(1, 999):03d}"


def _staff(rng: random.Random, n: int) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    nips: set[str] = set()
    handles: set[str] = set()
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        sex = (
            2
            if first in ("Siti", "Dewi", "Rina", "Sri", "Yuni", "Lestari", "Putri", "Ratna")
            else 1
        )
        pppk = i % 7 == 3
        nip = synthetic_nip(rng, pppk=pppk, sex=sex)
        while nip in nips:
            nip = synthetic_nip(rng, pppk=pppk, sex=sex)
        nips.add(nip)
        kelas = "PPPK" if pppk else ("pejabat" if i % 13 == 0 else "PNS")
        accounts = []
        for platform in rng.sample(PLATFORMS, rng.choice([1, 1, 2])):
            base = f"{first}{last}".lower()[:12] + str(rng.randint(1, 99))
            handle = f"{base}@sosial.contoh.id" if platform == "mastodon" else base
            if (platform, handle) in handles:
                continue
            handles.add((platform, handle))
            accounts.append((platform, handle))
        people.append(
            {
                "nip": nip,
                "nama": f"{first} {last}",
                "jabatan": rng.choice(POSITIONS),
                "kelas": kelas,
                "unit": rng.choice(UNITS),
                "accounts": accounts,
            }
        )
    return people


def _write_roster(people: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["NIP", "nama", "jabatan", "kelas", "unit", "platform", "akun"])
        for p in people:
            for platform, handle in p["accounts"]:
                w.writerow(
                    [p["nip"], p["nama"], p["jabatan"], p["kelas"], p["unit"], platform, handle]
                )


def _posts(rng: random.Random, people: list[dict[str, Any]], n: int, prefix: str):
    s = samples()
    start = datetime(2023, 11, 1, tzinfo=UTC)
    accounts = [a for p in people for a in p["accounts"]]
    campaigners = set(rng.sample(range(len(accounts)), max(1, len(accounts) // 5)))
    for i in range(n):
        idx = rng.randrange(len(accounts))
        platform, handle = accounts[idx]
        num, pair, tag = rng.choice(s.contestants)
        roll = rng.random()
        if idx in campaigners and roll < 0.45:
            text = rng.choice(s.campaign_templates).format(n=num, pair=pair, tag=tag)
        elif roll < 0.12:
            text = rng.choice(s.borderline).format(pair=pair)
        else:
            text = s.neutral_post(rng)
        if rng.random() < 0.1:
            text += " " + rng.choice(s.boilerplate)
        kind = rng.choices(["post", "comment", "share", "like"], weights=[70, 15, 10, 5])[0]
        when = start + timedelta(minutes=rng.randrange(0, 112 * 24 * 60))
        ext = f"{prefix}-{i:05d}"
        yield (
            f"demo {i}",
            {
                "platform": platform,
                "handle": handle,
                "external_id": ext,
                "kind": kind,
                "text": text,
                "target": "Akun Relawan" if kind == "like" else None,
                "created_at": when.isoformat(),
                "collected_at": (when + timedelta(hours=6)).isoformat(),
                "url": f"https://{platform}.example/{handle.split('@')[0]}/{ext}",
                "collector": "demo-collector/1",
            },
        )
    for j in range(5):  # accounts not on the roster: counted, not stored
        yield (
            f"demo x{j}",
            {
                "platform": "twitter",
                "handle": f"bukan_pegawai{j}",
                "external_id": f"{prefix}-x{j}",
                "text": "Ayo coblos nomor 2!",
                "created_at": "2024-01-20T08:00:00+07:00",
            },
        )


def _users(session, agency: Agency, users: dict[str, tuple[str, str]]) -> int:
    from argon2 import PasswordHasher

    ph = PasswordHasher()
    made = 0
    for username, (password, role) in users.items():
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        session.add(
            User(
                username=username,
                display_name=f"Demo {role}",
                password_hash=ph.hash(password),
                role=role,
                agency_id=agency.id,
                active=True,
            )
        )
        made += 1
    session.flush()
    return made


def _setup_agency(session, code: str, name: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        agency = Agency(code=code, name=name)
        session.add(agency)
        session.flush()
    if session.get(AgencySettings, agency.id) is None:
        session.add(AgencySettings(agency_id=agency.id, ppk=f"Bupati/Wali Kota ({name})"))
    for phrase in samples().boilerplate:
        exists = session.scalar(
            select(BoilerplatePhrase.id).where(
                BoilerplatePhrase.agency_id == agency.id, BoilerplatePhrase.phrase == phrase
            )
        )
        if exists is None:
            session.add(BoilerplatePhrase(agency_id=agency.id, phrase=phrase, note="demo"))
    session.flush()
    return agency


def _review(session, agency: Agency, rng: random.Random) -> dict[str, int]:
    """Confirm, dismiss and claim some findings and open one case (only when none exists),
    through the review domain as the demo's reviewer and supervisor: the same checks, audit
    entries and labelled feedback as their clicks in the web app."""
    from netral.review.authz import principal_for
    from netral.review.cases import open_case, transition
    from netral.review.findings import claim, confirm, dismiss

    out = {"confirmed": 0, "dismissed": 0, "claimed": 0, "cases": 0}
    if session.scalar(select(func.count(Case.id)).where(Case.agency_id == agency.id)):
        return out
    users = {
        u.username: u for u in session.scalars(select(User).where(User.agency_id == agency.id))
    }
    reviewer = principal_for(session, users["reviewer"].id)
    supervisor = principal_for(session, users["supervisor"].id)
    assert reviewer is not None and supervisor is not None
    findings = session.scalars(
        select(Finding)
        .where(Finding.agency_id == agency.id, Finding.status == FindingStatus.NEW.value)
        .order_by(Finding.risk_score.desc(), Finding.id)
    ).all()
    flagged = [f for f in findings if not f.sampled_as_netral]
    confirmed = flagged[:6]
    dismissed = flagged[-4:] if len(flagged) > 10 else []
    claimed = flagged[6:9]
    for f in confirmed:
        confirm(session, reviewer, f, "Ajakan memilih pasangan calon di akun pribadi (demo).")
        out["confirmed"] += 1
    for f in dismissed:
        dismiss(session, reviewer, f, "Informasi netral / bukan dukungan (demo).")
        out["dismissed"] += 1
    for f in claimed:
        claim(session, reviewer, f)
        out["claimed"] += 1
    session.flush()
    with_staff = [f for f in confirmed if f.staff_id is not None]
    if with_staff:
        staff_id = with_staff[0].staff_id
        case = open_case(session, supervisor, [f.id for f in confirmed if f.staff_id == staff_id],
                         title="Dugaan kampanye di media sosial (demo)",
                         ppk=f"Bupati ({agency.name})")
        transition(session, supervisor, case, CaseStatus.CLARIFICATION.value,
                   note="Pegawai dipanggil untuk klarifikasi (tenggat 7 hari).")
        out["cases"] = 1
    session.flush()
    return out


def _capture(engine: Engine, agency_id: int) -> int:
    """Capture evidence for the agency's confirmed findings (as a monitoring run would)."""
    from netral.evidence.pending import capture_pending

    return capture_pending(engine, actor="demo-seed", agency_id=agency_id,
                           confirmed_only=True).captured


def seed(engine: Engine, *, detector=None, posts: int = 500, staff: int = 40) -> dict[str, Any]:
    """Seed the demo data into a migrated database; returns a summary."""
    from netral.ingest import ingest_records
    from netral.store.roster import import_roster

    rng = random.Random(SEED)
    Session = make_sessionmaker(engine)
    summary: dict[str, Any] = {}
    people = _staff(rng, staff)
    other_people = _staff(random.Random(SEED + 1), 4)
    with tempfile.TemporaryDirectory() as tmp:
        for code, name, group, users in (
            (AGENCY_CODE, AGENCY_NAME, people, DEMO_USERS),
            (OTHER_CODE, OTHER_NAME, other_people, OTHER_USERS),
        ):
            with Session() as session:
                agency = _setup_agency(session, code, name)
                summary.setdefault("users_created", 0)
                summary["users_created"] += _users(session, agency, users)
                session.commit()
            path = Path(tmp) / f"{code}.csv"
            _write_roster(group, path)
            with Session() as session:
                report = import_roster(
                    session, path, agency_code=code, create_units=True, actor="demo-seed"
                )
            if report.errors:  # pragma: no cover - the generator makes valid rosters
                raise RuntimeError(f"demo roster invalid: {report.to_dict('en')['problems'][:3]}")
    records = list(_posts(rng, people, posts, "demo"))
    records += list(_posts(random.Random(SEED + 2), other_people, 30, "lain"))
    ingest = ingest_records(
        engine,
        records,
        source="demo-seed",
        connector="demo",
        detector=detector,
        sample_rate=0.02,
        actor="demo-seed",
    )
    summary["ingest"] = ingest.counts()
    with Session() as session:
        agency = session.scalar(select(Agency).where(Agency.code == AGENCY_CODE))
        summary["review"] = _review(session, agency, rng)
        session.commit()
        agency_id = agency.id
    summary["evidence_captured"] = _capture(engine, agency_id)
    with Session() as session:
        summary["totals"] = {
            "staff": session.scalar(select(func.count(Staff.id))),
            "accounts": session.scalar(select(func.count(Account.id))),
            "items": session.scalar(select(func.count(Item.id))),
            "findings": session.scalar(select(func.count(Finding.id))),
            "cases": session.scalar(select(func.count(Case.id))),
            "users": session.scalar(select(func.count(User.id))),
        }
    summary["users"] = {u: {"password": p, "role": r} for u, (p, r) in DEMO_USERS.items()}
    return summary
