"""state versions for findings and cases

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 22:00:00

Every state change of a finding or a case is a compare-and-set on ``version`` (issue 19): two
reviewers acting on one finding at once can no longer both record a decision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("findings", "cases"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="0", nullable=False)
            )


def downgrade() -> None:
    for table in ("cases", "findings"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
