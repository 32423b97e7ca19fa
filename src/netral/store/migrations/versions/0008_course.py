"""course: assignments of the netralitas course to units, and completions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 19:00:00

Issue 18: a supervisor assigns the course to a unit with a deadline; a completion keeps who,
when, the final score and the certificate code, and nothing of the answers (privacy decision
in docs/course.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netral.store.types as netral_types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agency_id", sa.Integer(),
                  sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("created_by_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", netral_types.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_course_assignments_agency_id", "course_assignments", ["agency_id"])
    op.create_index("ix_course_assignments_unit_id", "course_assignments", ["unit_id"])
    op.create_table(
        "course_completions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assignment_id", sa.Integer(),
                  sa.ForeignKey("course_assignments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("completed_at", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("certificate", sa.String(32), nullable=False, unique=True),
        sa.UniqueConstraint("assignment_id", "staff_id"),
    )
    op.create_index("ix_course_completions_assignment_id", "course_completions",
                    ["assignment_id"])
    op.create_index("ix_course_completions_staff_id", "course_completions", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_course_completions_staff_id", table_name="course_completions")
    op.drop_index("ix_course_completions_assignment_id", table_name="course_completions")
    op.drop_table("course_completions")
    op.drop_index("ix_course_assignments_unit_id", table_name="course_assignments")
    op.drop_index("ix_course_assignments_agency_id", table_name="course_assignments")
    op.drop_table("course_assignments")
