"""A small, real two-agency world for the web tests: units, staff, accounts, items judged by
the real detector, findings, users of every role in both agencies."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

import netral
from netral.store.base import make_sessionmaker
from netral.store.models import (
    Account,
    Agency,
    AgencySettings,
    Case,
    CaseEvent,
    CaseFinding,
    Detection,
    Finding,
    Item,
    Staff,
    Unit,
    User,
)

PASSWORD = "kata-sandi-uji-123"
_HASH: list[str] = []

XSS_TEXT = 'Ayo coblos nomor 2! <script>alert("xss")</script> "><img src=x onerror=alert(1)>'

FORMULA_TEXT = '=HYPERLINK("http://evil.example","klik") Ayo coblos nomor 2, pilih Prabowo!'

TEXTS_A = [
    ("Ayo coblos no. 2 tgl 14 Feb, biar Indonesia Maju!", "post", "x"),
    ("Pilih pr4bowo-gibr4n, satu putaran aja gaes", "comment", "facebook"),
    ("AMIN for president 🔥 #AMIN #Perubahan", "share", "instagram"),
    (XSS_TEXT, "post", "x"),
    (FORMULA_TEXT, "post", "x"),
    ("Sat set, 03 menang total! 🤘", "post", "tiktok"),
    ("Jangan lupa datang ke TPS 14 Februari, gunakan hak pilihmu", "post", "x"),
    ("Aamiin ya Allah semoga sehat selalu", "comment", "facebook"),
    ("Rapat koordinasi anggaran dinas hari ini berjalan lancar", "post", "facebook"),
]
TEXTS_B = [
    ("Ojo lali nyoblos nomer loro yo lur ✌️", "post", "facebook"),
    ("Proud to be relawan Ganjar-Mahfud! Let's go 03", "bio", "instagram"),
    ("Selamat pagi, layanan kantor buka pukul 08.00", "post", "x"),
]
ROLES = ("admin", "supervisor", "reviewer", "auditor")


@dataclass
class World:
    agencies: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)  # username -> id
    findings: dict[str, list[int]] = field(default_factory=dict)  # agency key -> ids
    items: dict[str, list[int]] = field(default_factory=dict)
    staff: dict[str, list[int]] = field(default_factory=dict)
    units: dict[str, list[int]] = field(default_factory=dict)
    pool: dict[str, list[int]] = field(default_factory=dict)  # untouched findings for tests
    b_case: int = 0
    b_confirmed: int = 0
    xss_finding: int = 0
    unit_finding: int = 0  # finding of agency A inside the "Dinas Pendidikan" subtree
    outside_unit_finding: int = 0
    b_token: int = 0  # a check token of b_reviewer
    b_token_plain: str = ""
    b_course: int = 0  # agency B's course assignment, with a completion of a B staff member
    b_course_link_plain: str = ""  # a live personal link of that assignment (the plain token)


def _pw() -> str:
    # Cheap argon2 parameters for test users only (a verify takes ~1 ms instead of ~0.5 s);
    # the parameters travel inside the hash, so the app verifies it as usual.
    if not _HASH:
        _HASH.append(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD))
    return _HASH[0]


def _nip(n: int) -> str:
    # 8 digits birth date, 6 digits appointment year-month, sex digit, 3 digits serial
    return f"19850101201001{1}{n:03d}"[:18]


def seed(engine: Engine) -> World:
    w = World()
    maker = make_sessionmaker(engine)
    base_day = datetime(2024, 1, 10, 9, tzinfo=UTC)
    with maker() as db:
        for key, code, name, texts, nbase in (
            ("A", "pemkab-a", "Pemerintah Kabupaten A", TEXTS_A, 1),
            ("B", "pemkot-b", "Pemerintah Kota B", TEXTS_B, 101),
        ):
            agency = Agency(code=code, name=name)
            db.add(agency)
            db.flush()
            db.add(AgencySettings(agency_id=agency.id, netral_sample_rate=0.5, ppk=f"Bupati {key}"))
            w.agencies[key] = agency.id
            root = Unit(agency_id=agency.id, name="Sekretariat", path="Sekretariat", depth=0)
            db.add(root)
            db.flush()
            sub = Unit(agency_id=agency.id, parent_id=root.id, name="Bagian Umum",
                       path="Sekretariat/Bagian Umum", depth=1)
            edu = Unit(agency_id=agency.id, name="Dinas Pendidikan", path="Dinas Pendidikan",
                       depth=0)
            db.add_all([sub, edu])
            db.flush()
            w.units[key] = [root.id, sub.id, edu.id]
            staff = []
            for i, (unit, sname) in enumerate(((sub, "Budi Santoso"), (edu, "Siti Rahma"),
                                               (root, 'Rina <b>"Tes"</b>'))):
                s = Staff(agency_id=agency.id, unit_id=unit.id, nip=_nip(nbase + i),
                          name=f"{sname} {key}", position="Analis", employee_class="pns")
                db.add(s)
                db.flush()
                staff.append(s)
            w.staff[key] = [s.id for s in staff]
            accounts = []
            for s in staff:
                a = Account(agency_id=agency.id, staff_id=s.id, platform="x",
                            handle=f"{code}-{s.id}")
                db.add(a)
                db.flush()
                accounts.append(a)
            w.items[key], w.findings[key] = [], []
            rounds = 3 if key == "A" else 1
            for j, (text, kind, platform) in enumerate(texts * rounds):
                acc = accounts[j % len(accounts)]
                raw = {"id": f"{code}-{j}", "text": text, "kind": kind}
                item = Item(platform=platform, external_id=f"{code}-{j}", kind=kind,
                            agency_id=agency.id, account_id=acc.id, handle=acc.handle, text=text,
                            created_at=base_day + timedelta(days=3 * j),
                            url=f"https://example.org/{code}/{j}", raw=raw,
                            content_hash=hashlib.sha256(orjson.dumps(
                                raw, option=orjson.OPT_SORT_KEYS)).hexdigest(),
                            collector="test", source="tests")
                db.add(item)
                db.flush()
                w.items[key].append(item.id)
                r = netral.check(text, kind=kind)
                det = Detection(item_id=item.id, detector_version=r.detector_version or "test",
                                pack_version=",".join(r.packs) or "test", verdict=str(r.verdict),
                                score=r.score, result=r.to_dict())
                db.add(det)
                db.flush()
                if r.flagged:
                    f = Finding(agency_id=agency.id, item_id=item.id, detection_id=det.id,
                                staff_id=acc.staff_id, risk_score=r.score)
                    db.add(f)
                    db.flush()
                    w.findings[key].append(f.id)
                    if text == XSS_TEXT and not w.xss_finding:
                        w.xss_finding = f.id
                    if key == "A" and acc.staff_id == staff[1].id and not w.unit_finding:
                        w.unit_finding = f.id
                    if key == "A" and acc.staff_id != staff[1].id and not w.outside_unit_finding:
                        w.outside_unit_finding = f.id
            for role in ROLES:
                for suffix in ("", "2"):
                    if suffix and role not in ("supervisor", "reviewer"):
                        continue
                    u = User(username=f"{key.lower()}_{role}{suffix}",
                             display_name=f"{role.title()} {key}{suffix}", password_hash=_pw(),
                             role=role, agency_id=agency.id)
                    db.add(u)
                    db.flush()
                    w.users[u.username] = u.id
            if key == "B":
                f0 = db.get(Finding, w.findings["B"][0])
                f0.status, f0.reviewer_id = "confirmed", w.users["b_reviewer"]
                f0.reason, f0.reviewed_at = "jelas ajakan memilih", base_day
                case = Case(agency_id=agency.id, staff_id=f0.staff_id, title="Kasus B",
                            status="clarification", opened_by_id=w.users["b_supervisor"],
                            due_at=base_day)
                db.add(case)
                db.flush()
                db.add(CaseFinding(case_id=case.id, finding_id=f0.id))
                db.add(CaseEvent(case_id=case.id, from_status="finding",
                                 to_status="clarification", actor_id=w.users["b_supervisor"]))
                w.b_case, w.b_confirmed = case.id, f0.id
                # a check token of agency B's reviewer (the plain token is kept for tests)
                from netral.review.tokens import issue

                b_user = db.get(User, w.users["b_reviewer"])
                row, w.b_token_plain = issue(db, b_user, "Token B rahasia", created_by="seed")
                w.b_token = row.id
                from netral.course.models import CourseAssignment, CourseCompletion

                ca = CourseAssignment(agency_id=agency.id, unit_id=root.id,
                                      deadline=base_day.date() + timedelta(days=3650),
                                      code="kursus-b-rahasia", created_by_id=w.users["b_supervisor"])
                db.add(ca)
                db.flush()
                db.add(CourseCompletion(assignment_id=ca.id, staff_id=staff[2].id, score=90,
                                        certificate="B0B0B0B0B0B0B0B0"))
                w.b_course = ca.id
                from netral.course.links import PREFIX as LINK_PREFIX
                from netral.course.models import CourseLink
                from netral.review.tokens import new_token, token_hash

                w.b_course_link_plain = new_token(LINK_PREFIX)
                db.add(CourseLink(assignment_id=ca.id, staff_id=staff[1].id,
                                  token_hash=token_hash(w.b_course_link_plain),
                                  created_by_id=w.users["b_supervisor"]))
            u = User(username=f"{key.lower()}_unitreviewer", display_name=f"Unit reviewer {key}",
                     password_hash=_pw(), role="reviewer", agency_id=agency.id, unit_id=edu.id)
            db.add(u)
            db.flush()
            w.users[u.username] = u.id
        root = User(username="root_admin", display_name="Admin nasional", password_hash=_pw(),
                    role="admin", agency_id=None)
        db.add(root)
        db.flush()
        w.users[root.username] = root.id
        db.commit()
    special = {w.xss_finding, w.unit_finding, w.outside_unit_finding}
    w.pool = {k: [f for f in v if f not in special and f != w.b_confirmed]
              for k, v in w.findings.items()}
    return w


def take(w: World, key: str = "A") -> int:
    """A finding nobody else has touched yet (tests share one seeded database per module)."""
    return w.pool[key].pop(0)
