"""items: external ids SQLite stored with a NUL get the form ingest gives them now (U+FFFD)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:00:00

Ingest stores an external id with each character no text column can hold as U+FFFD
(``netral.ingest.schema.external_id``): PostgreSQL refuses NUL in text. Before that, SQLite
kept a NUL as it came, so a database filled then holds ``a\\x00b`` where a re-run of the same
source looks for ``a\\ufffdb``: not found, the item was stored a second time. This rewrites
such ids once, in the form ingest gives them. An id whose new form another item of the
platform holds already (a copy a re-run stored, or a different id that had U+FFFD there)
keeps its NUL: the unique key allows one of them, and a re-run finds that one.

Nothing to do on PostgreSQL, which never stored a NUL in text; lone surrogates, the other
characters ingest replaces, never reached either engine (the drivers cannot encode them).
The downgrade leaves the ids as they are: which U+FFFD was a NUL is not recorded, and either
form is a valid id for the code of 0010.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEMS = sa.table(
    "items",
    sa.column("id", sa.Integer),
    sa.column("platform", sa.String),
    sa.column("external_id", sa.String),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # compared as bytes: SQLite's text functions may stop at a NUL
    has_nul = sa.func.instr(sa.cast(ITEMS.c.external_id, sa.LargeBinary), sa.literal(b"\x00")) > 0
    rows = bind.execute(
        sa.select(ITEMS.c.id, ITEMS.c.platform, ITEMS.c.external_id).where(has_nul).order_by(ITEMS.c.id)
    ).all()
    for item_id, platform, ext in rows:
        new = ext.replace("\x00", "\ufffd")
        taken = bind.execute(
            sa.select(ITEMS.c.id).where(ITEMS.c.platform == platform, ITEMS.c.external_id == new)
        ).first()
        if taken is None:
            bind.execute(ITEMS.update().where(ITEMS.c.id == item_id).values(external_id=new))


def downgrade() -> None:
    pass
