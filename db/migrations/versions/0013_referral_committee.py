"""referral committee: the 人民调解委员会 a 委派调解 belongs to before it is linked to a case (issue 13 §2)

``court_referral.committee_id``: set when a committee's account registers the referral (or from the case it is
linked to), so the committee sees its own referrals and no other's. A plain id like ``account.committee_id``.
Existing referrals linked to a case take that case's committee; the others stay the street's (None).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("court_referral") as batch:
        batch.add_column(sa.Column("committee_id", sa.Integer(), nullable=True))
        batch.create_index("ix_court_referral_committee_id", ["committee_id"])
    op.execute(
        "UPDATE court_referral SET committee_id = (SELECT mediation_case.committee_id FROM mediation_case "
        "WHERE mediation_case.id = court_referral.case_id) WHERE case_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("court_referral") as batch:
        batch.drop_index("ix_court_referral_committee_id")
        batch.drop_column("committee_id")
