"""account committee: a 调解员's 人民调解委员会 (issue 13 §2)

``account.committee_id``: the committee whose mediation and judicial confirmation the account works on; a
plain id like ``community_id`` (replacing the demo data deletes committees, never the accounts).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("committee_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("committee_id")
