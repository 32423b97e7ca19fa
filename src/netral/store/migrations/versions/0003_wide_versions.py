"""wider detector and pack version columns

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 13:30:00

``detector_version`` is the code version followed by every active pack and its version
(``1.0.0+pemilu-2019@2019.3,pemilu-2024@2024.3,…``); with the Pilkada 2017, 2018 and 2020 packs it
outgrew 64 characters and PostgreSQL refused to store a detection. Both version columns are
widened to 512 characters, enough for some thirty packs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("detections", "labelled_feedback")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("detector_version", type_=sa.String(512),
                                  existing_type=sa.String(64))
            batch_op.alter_column("pack_version", type_=sa.String(512),
                                  existing_type=sa.String(255))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("pack_version", type_=sa.String(255),
                                  existing_type=sa.String(512))
            batch_op.alter_column("detector_version", type_=sa.String(64),
                                  existing_type=sa.String(512))
