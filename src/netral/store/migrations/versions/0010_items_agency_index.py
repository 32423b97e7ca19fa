"""items: drop ix_items_agency_id, which ix_items_agency_created already serves

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 00:00:00

Issue 17 (ingest on PostgreSQL): every stored item paid for five secondary indexes. The
single-column ``ix_items_agency_id`` answers nothing that ``ix_items_agency_created``
(``agency_id, created_at``) does not: every look-up of items by agency (the agency's items,
retention, the ``ON DELETE CASCADE`` from ``agencies``) reads the leading column of the
two-column index on both engines. The other indexes each serve a query: the unique key
(ingest's look-up and ``ON CONFLICT``), ``account_id`` (the foreign key's check when an account
goes, e.g. with its agency) and ``collected_at`` (retention's cut-off).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_items_agency_id", table_name="items")


def downgrade() -> None:
    # built as every migration here builds an index: in the one transaction the migrations
    # run in (netral.store.migrate.upgrade), so a failed downgrade leaves nothing half done.
    # Not CONCURRENTLY: PostgreSQL refuses it inside a transaction, and Alembic's autocommit
    # block fails on a connection whose transaction the caller began. The plain build holds
    # writes to items (not reads) while it runs; a downgrade is done with netral stopped.
    op.create_index("ix_items_agency_id", "items", ["agency_id"], unique=False)
