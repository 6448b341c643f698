"""personal data at rest (issue 13 §3, §4): the database's identity and data key, the keyed audit chain

* ``database_identity``: a random identity naming the data key, which is kept outside the database (OS keyring
  or an owner-only key file in the config folder, ``desktop.core.keys``), and a key check value;
* the audit chain is re-sealed once with HMAC-SHA256 under the audit subkey, and says so in a record of its own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from db.crypto import create_identity

    op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=36), nullable=False),
        sa.Column("key_check", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_identity")),
    )
    create_identity(op.get_bind())


def downgrade() -> None:
    op.drop_table("database_identity")
