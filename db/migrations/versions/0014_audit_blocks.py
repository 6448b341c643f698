"""audit blocks: an import's per-row changes in one compressed, chained audit record (issue 16)

``audit_record.detail``: the compressed block (NULL for an ordinary record); ``audit_entry``: which block
holds a change of a given record (entity_id, entity, record_id), so a record's history is found fast.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_record") as batch:
        batch.add_column(sa.Column("detail", sa.LargeBinary(), nullable=True))
    op.create_table(
        "audit_entry",
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("entity_id", "entity", "record_id", name=op.f("pk_audit_entry")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("audit_entry")
    with op.batch_alter_table("audit_record") as batch:
        batch.drop_column("detail")
