"""review queue: undo records, agency time zone, indexes for the queue and the dashboard

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:00:00

Issue 15 (problems 5 and 7): a review action on many findings can be taken back within a
short window (``review_undo``); every time shown to an agency's people carries its zone
(WIB, WITA or WIT: ``agency_settings.timezone``); the queue's default order and the
dashboard cache's validator read indexes instead of the whole table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netral.store.types as netral_types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_undo",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("agency_id", sa.Integer(),
                  sa.ForeignKey("agencies.id", ondelete="CASCADE"), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("created_at", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("undone_at", netral_types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_review_undo_user_id", "review_undo", ["user_id"])
    with op.batch_alter_table("agency_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(8), server_default="WIB",
                                      nullable=False))
    op.create_index("ix_findings_agency_status_risk", "findings",
                    ["agency_id", "status", "risk_score"])
    op.create_index("ix_findings_agency_updated", "findings", ["agency_id", "updated_at"])
    op.create_index("ix_cases_agency_updated", "cases", ["agency_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_agency_updated", table_name="cases")
    op.drop_index("ix_findings_agency_updated", table_name="findings")
    op.drop_index("ix_findings_agency_status_risk", table_name="findings")
    with op.batch_alter_table("agency_settings", schema=None) as batch_op:
        batch_op.drop_column("timezone")
    op.drop_index("ix_review_undo_user_id", table_name="review_undo")
    op.drop_table("review_undo")
