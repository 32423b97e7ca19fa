"""course links: one personal completion link per staff member and assignment

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:00:00

Issue 18, second pass: a completion was claimed through the unit's link with a NIP, so anyone
holding the link and a colleague's NIP could record it for them. Now a completion needs a
personal link; only the SHA-256 of its token is stored, and it can be revoked (re-issuing
revokes the earlier one).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netral.store.types as netral_types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assignment_id", sa.Integer(),
                  sa.ForeignKey("course_assignments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", netral_types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_course_links_assignment_id", "course_links", ["assignment_id"])
    op.create_index("ix_course_links_staff_id", "course_links", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_course_links_staff_id", table_name="course_links")
    op.drop_index("ix_course_links_assignment_id", table_name="course_links")
    op.drop_table("course_links")
