"""What the agency keeps of the course: assignments to units and completions.

Privacy decision (issue 18; docs/course.md): a completion row holds who (the staff member),
which assignment, when, the final score and the certificate code — nothing else. The answers
of a round live only in the person's own signed session cookie and are never written to the
database, so a supervisor cannot see them, whatever their role.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.store.base import Base
from netral.store.models import Staff, Unit
from netral.store.types import UTCDateTime, utcnow


class CourseAssignment(Base):
    """The course assigned to a unit (and its subtree) with a deadline. ``code`` was the random
    part of the unit-wide link (migration 0008); completions now go through personal links
    (:class:`CourseLink`), and the code is no longer handed out."""

    __tablename__ = "course_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[Unit] = relationship()


class CourseCompletion(Base):
    """One person's completion of an assigned course: when and the final score (0-100)."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("assignment_id", "staff_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("course_assignments.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    score: Mapped[int] = mapped_column(Integer)
    certificate: Mapped[str] = mapped_column(String(32), unique=True)

    assignment: Mapped[CourseAssignment] = relationship()
    staff: Mapped[Staff] = relationship()


class CourseLink(Base):
    """A personal link for one staff member and one assignment (issue 18, second pass).

    Only the SHA-256 of the token is stored (as the extension's check tokens,
    :mod:`netral.review.tokens`); the plain token appears once, in the supervisor's CSV or on
    the re-issue page. Re-issuing revokes the earlier link. A link expires with the
    assignment's deadline plus :data:`netral.course.links.GRACE`."""

    __tablename__ = "course_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("course_assignments.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignment: Mapped[CourseAssignment] = relationship()
    staff: Mapped[Staff] = relationship()
