"""Core tables of the monitoring store (SQLAlchemy 2, typed ``Mapped[...]``).

Every table works unchanged on SQLite and PostgreSQL: JSON columns are the portable ``JSON``
type, times are timezone-aware UTC (:class:`netral.store.types.UTCDateTime`), enumerations are
short strings guarded by named CHECK constraints (values listed in the ``StrEnum`` classes
below), and natural keys carry unique constraints so ingestion can upsert with
``INSERT … ON CONFLICT DO NOTHING`` on both engines.

After changing anything here, regenerate the single initial migration:
``python -m netral.store.migrations.regenerate`` (pre-release: one ``0001_initial``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.kinds import Kind
from netral.store.base import Base
from netral.store.types import BigIntPK, PortableJSON, UTCDateTime, utcnow


def _in(column: str, enum: type[StrEnum]) -> str:
    values = ", ".join(f"'{m.value}'" for m in enum)
    return f"{column} IN ({values})"


# --------------------------------------------------------------------------- enumerations


class EmployeeClass(StrEnum):
    PNS = "pns"
    PPPK = "pppk"
    PEJABAT = "pejabat"  # structural official (weighs heavier under UU 7/2017 Pasal 282)
    NON_ASN = "non_asn"  # PPNPN / honorer (SE MenPANRB 1/2023)


class AccountType(StrEnum):
    PERSONAL = "personal"
    OFFICIAL = "official"  # an agency account run by the staff member


# the one vocabulary of acts (netral.kinds); the store keeps its historical name
ItemKind = Kind


class FindingStatus(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


class CaseStatus(StrEnum):
    """Official flow for ASN neutrality cases (domain README §1.5)."""

    FINDING = "finding"  # temuan
    CLARIFICATION = "clarification"  # klarifikasi pegawai
    RECOMMENDATION = "recommendation"  # rekomendasi ke PPK
    SANCTION = "sanction"  # keputusan sanksi PPK
    CLOSED = "closed"


CASE_FLOW: tuple[CaseStatus, ...] = (
    CaseStatus.FINDING,
    CaseStatus.CLARIFICATION,
    CaseStatus.RECOMMENDATION,
    CaseStatus.SANCTION,
    CaseStatus.CLOSED,
)


class SanctionType(StrEnum):
    NONE = "none"  # no breach established
    MORAL = "moral"  # sanksi moral, PP 42/2004 Pasal 15
    DISCIPLINE_LIGHT = "discipline_light"  # hukuman disiplin ringan, PP 94/2021
    DISCIPLINE_MEDIUM = "discipline_medium"
    DISCIPLINE_HEAVY = "discipline_heavy"


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"  # read-only


class FeedbackLabel(StrEnum):
    KAMPANYE = "kampanye"
    TINJAU = "tinjau"
    NETRAL = "netral"


# --------------------------------------------------------------------------- organisation


class Agency(Base):
    """Instansi (ministry, agency, province, regency/city government)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # short slug, e.g. "pemkab-contoh"
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    units: Mapped[list[Unit]] = relationship(back_populates="agency")
    settings: Mapped[AgencySettings | None] = relationship(back_populates="agency")


class Unit(Base):
    """Unit kerja. ``path`` is the materialised path of unit names from the agency root,
    joined with "/" (e.g. "Sekretariat/Bagian Umum"); a subtree is ``path == p`` or
    ``path LIKE p || '/%'`` (see :meth:`subtree_clause`)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("agency_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(1024), index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agency: Mapped[Agency] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")

    @staticmethod
    def subtree_clause(path: str):
        """SQL condition selecting the unit at ``path`` and every unit below it."""
        return or_(Unit.path == path, Unit.path.startswith(path + "/", autoescape=True))


class Staff(Base):
    """An ASN (or non-ASN worker) on the agency roster, identified by NIP."""

    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(_in("employee_class", EmployeeClass), name="employee_class"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str | None] = mapped_column(String(255))  # jabatan
    employee_class: Mapped[str] = mapped_column(String(16), default=EmployeeClass.PNS.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship()
    accounts: Mapped[list[Account]] = relationship(back_populates="staff")


class Account(Base):
    """A social-media account of a staff member. ``handle`` is normalised (lower case, no
    leading "@"); for Mastodon it is "user@instance"."""

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("platform", "handle"),
        CheckConstraint(_in("account_type", AccountType), name="account_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(255))
    account_type: Mapped[str] = mapped_column(String(16), default=AccountType.PERSONAL.value)
    url: Mapped[str | None] = mapped_column(String(2048))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    staff: Mapped[Staff | None] = relationship(back_populates="accounts")


# --------------------------------------------------------------------------- collected data


class Item(Base):
    """One collected act: a post, comment, share, like, follow, group join, bio change…

    ``content_hash`` is the SHA-256 (hex) of the canonical JSON of ``raw`` (see
    :func:`netral.ingest.schema.content_hash`); it lets evidence capture prove the stored
    payload is what was collected."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        CheckConstraint(_in("kind", ItemKind), name="kind"),
        Index("ix_items_agency_created", "agency_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16), default=ItemKind.POST.value)
    # no index of its own: ix_items_agency_created leads with it (migration 0010)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    handle: Mapped[str] = mapped_column(String(255))  # as collected (normalised)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when the act happened
    url: Mapped[str | None] = mapped_column(String(2048))
    media: Mapped[list[Any]] = mapped_column(PortableJSON, default=list)
    raw: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    collector: Mapped[str] = mapped_column(String(128), default="")
    source: Mapped[str] = mapped_column(String(1024), default="")  # file/URL it came from

    account: Mapped[Account | None] = relationship()
    detections: Mapped[list[Detection]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )


class Detection(Base):
    """The detector's result for one item under one detector version and pack version.

    A re-scan with a newer pack adds a row and keeps the old ones (history)."""

    __tablename__ = "detections"
    __table_args__ = (
        UniqueConstraint("item_id", "detector_version", "pack_version"),
        CheckConstraint(_in("verdict", FeedbackLabel), name="verdict"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    detector_version: Mapped[str] = mapped_column(String(512))  # code + every pack@version
    pack_version: Mapped[str] = mapped_column(String(512))
    verdict: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)  # Result.to_dict()
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship(back_populates="detections")


class Finding(Base):
    """A flagged item (or a netral item sampled for review) in the review queue.

    One finding per item; ``detection_id`` is the detection that raised it."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("item_id"),
        CheckConstraint(_in("status", FindingStatus), name="status"),
        Index("ix_findings_agency_status", "agency_id", "status"),
        # the queue's default order (risk first) within an agency and status, and the
        # dashboard cache's validator (the newest change of an agency's findings)
        Index("ix_findings_agency_status_risk", "agency_id", "status", "risk_score"),
        Index("ix_findings_agency_updated", "agency_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    detection_id: Mapped[int | None] = mapped_column(
        ForeignKey("detections.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=FindingStatus.NEW.value)
    risk_score: Mapped[float] = mapped_column(Float, default=0.0)
    sampled_as_netral: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # confirmation / dismissal reason
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped by every state change; changes are compare-and-set on it (review/changes.py), so
    # of two people acting at once exactly one wins and the other is told who decided.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    item: Mapped[Item] = relationship()
    detection: Mapped[Detection | None] = relationship()
    staff: Mapped[Staff | None] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class Case(Base):
    """A neutrality case against one staff member, moving along :data:`CASE_FLOW`."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_in("status", CaseStatus), name="status"),
        CheckConstraint(
            "sanction_type IS NULL OR " + _in("sanction_type", SanctionType), name="sanction_type"
        ),
        Index("ix_cases_agency_status", "agency_id", "status"),
        Index("ix_cases_agency_updated", "agency_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.FINDING.value)
    sanction_type: Mapped[str | None] = mapped_column(String(32))
    sanction_note: Mapped[str | None] = mapped_column(Text)
    ppk: Mapped[str | None] = mapped_column(String(255))  # Pejabat Pembina Kepegawaian
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # deadline of current step
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # see Finding

    staff: Mapped[Staff | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    findings: Mapped[list[Finding]] = relationship(secondary="case_findings")

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseEvent(Base):
    """A transition or note on a case."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))  # None for a plain note
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CaseFinding(Base):
    __tablename__ = "case_findings"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --------------------------------------------------------------------------- people & audit


class User(Base):
    """A person using the monitoring tool (not a monitored staff member).

    ``agency_id`` NULL only for a global admin; ``unit_id`` optionally narrows the scope to a
    unit subtree. ``password_hash`` is an argon2 hash (argon2-cffi ``PasswordHasher``)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agency: Mapped[Agency | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class WebSession(Base):
    """A signed-in browser or API client. The cookie carries a random token; only its SHA-256
    is stored. Signing out revokes the row, so a copied cookie stops working at once (the
    cookie's signature alone would keep it valid until it expires); "sign out everywhere"
    revokes every row of the user (issue 14)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed sign-ins, counted where every worker and a restarted server see them (issue 14).

    One row per thing counted: ``scope`` says what (``pair``: one user name from one client
    address, ``address``: every name from one address, ``account``: one name from every
    address, ``known``: a name that signed in from an address, which spares that address the
    account-wide delay). ``key`` is an HMAC of the name and address under the server's secret,
    so the table holds no readable names or addresses. See :mod:`netral.web.throttle`."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ApiToken(Base):
    """A personal token for the browser extension and other check clients (issue 16).

    It opens the check endpoints only (``scope`` 'check'; every other route ignores it), is
    revocable, and only its SHA-256 is stored: the token is 32 random bytes, so a fast hash is
    enough (a slow password hash would cost every check a few hundred milliseconds). ``prefix``
    is the token's first characters, shown in lists so a person can tell tokens apart."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("scope IN ('check')", name="scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16), default="check")
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class ReviewUndo(Base):
    """What one review action on a set of findings changed, so its author can take it back
    within a short window (netral.review.bulk). ``entries`` holds, per finding, the state
    before, the version the action left and the labelled-feedback row it wrote; an undo
    restores only findings still at that version (nobody acted on them since)."""

    __tablename__ = "review_undo"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))
    entries: Mapped[list[Any]] = mapped_column(PortableJSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditLog(Base):
    """Append-only log of every action (UPDATE and DELETE are rejected by triggers on both
    engines; see :mod:`netral.store.append_only`). Use :func:`netral.store.audit.record`."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_agency_at", "agency_id", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))  # username, "cli:<user>" or "system"
    actor_id: Mapped[int | None] = mapped_column(Integer)  # users.id, no FK: log outlives users
    agency_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))  # e.g. "finding.confirm", "roster.import"
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)


# --------------------------------------------------------------------------- per-agency data


class AgencySettings(Base):
    """Per-agency settings, retention periods included (UU 27/2022 data minimisation)."""

    __tablename__ = "agency_settings"

    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True
    )
    # Items never flagged are purged after this many days (from collection).
    retention_unflagged_days: Mapped[int] = mapped_column(Integer, default=30)
    # Items whose findings were dismissed, or whose cases closed, are purged after this many days.
    retention_resolved_days: Mapped[int] = mapped_column(Integer, default=365)
    # Share of items the detector passed as netral that go to the review queue anyway.
    netral_sample_rate: Mapped[float] = mapped_column(Float, default=0.02)
    clarification_days: Mapped[int] = mapped_column(Integer, default=7)
    ppk_deadline_days: Mapped[int] = mapped_column(Integer, default=14)  # [uncertain] see docs
    ppk: Mapped[str | None] = mapped_column(String(255))
    # The agency's time zone for every time shown to its people: WIB, WITA or WIT
    # (netral.review.zones); WIB unless set.
    timezone: Mapped[str] = mapped_column(String(8), default="WIB", server_default="WIB")
    extra: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship(back_populates="settings")


class BoilerplatePhrase(Base):
    """Agency-declared phrases (signatures, programme hashtags) the detector should ignore."""

    __tablename__ = "boilerplate_phrases"
    __table_args__ = (UniqueConstraint("agency_id", "phrase"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    phrase: Mapped[str] = mapped_column(String(512))
    note: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LabelledFeedback(Base):
    """A reviewer's confirmation/dismissal with its reason: a labelled example that can
    retrain or tune the detector. Keeps its own copy of the text so it survives item purge."""

    __tablename__ = "labelled_feedback"
    __table_args__ = (CheckConstraint(_in("label", FeedbackLabel), name="label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default=ItemKind.POST.value)
    label: Mapped[str] = mapped_column(String(16))  # the human verdict
    predicted: Mapped[str | None] = mapped_column(String(16))  # the detector's verdict
    reason: Mapped[str | None] = mapped_column(Text)
    detector_version: Mapped[str | None] = mapped_column(String(512))
    pack_version: Mapped[str | None] = mapped_column(String(512))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IngestRun(Base):
    """One run of ``netral ingest`` (for reporting; not needed for idempotency)."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(2048))
    connector: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    counts: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)


__all__ = [
    "CASE_FLOW",
    "Account",
    "AccountType",
    "Agency",
    "AgencySettings",
    "AuditLog",
    "BoilerplatePhrase",
    "Case",
    "CaseEvent",
    "CaseFinding",
    "CaseStatus",
    "Detection",
    "EmployeeClass",
    "FeedbackLabel",
    "Finding",
    "FindingStatus",
    "IngestRun",
    "Item",
    "ItemKind",
    "LabelledFeedback",
    "Role",
    "SanctionType",
    "Staff",
    "Unit",
    "User",
    "WebSession",
]


def _protect_audit_log() -> None:
    from netral.store.append_only import attach

    attach(AuditLog.__table__)


_protect_audit_log()
