"""failed sign-ins counted in the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:00:00

The login limiter lived in process memory: a restart forgot it, every worker counted on its
own, and five failures locked an account for everybody (issue 14). The counts now live here,
per name and address, per address and per name (see netral.web.throttle).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netral.store.types as netral_types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_at", netral_types.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_throttle_last_at", "login_throttle", ["last_at"])


def downgrade() -> None:
    op.drop_index("ix_login_throttle_last_at", table_name="login_throttle")
    op.drop_table("login_throttle")
