"""per-user check tokens for the browser extension

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00

Issue 16: the browser extension checks drafts against the agency server with a personal token
that opens the check endpoints only. The token itself is never stored, only its SHA-256.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netral.store.types as netral_types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", netral_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", netral_types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", netral_types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('check')", name=op.f("ck_api_tokens_scope")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user_id", table_name="api_tokens")
    op.drop_table("api_tokens")
