"""server-side web sessions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 14:20:00

Signing out must end a session on the server, not only in the browser: a copied cookie
stayed valid for eight hours (issue 14). Each sign-in now has a row here; logout revokes it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netral.store.types as netral_types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", netral_types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
