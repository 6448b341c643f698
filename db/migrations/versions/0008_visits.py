"""visits by colour tier (分色走访, issue 12)

* ``visit``: date, visitor, way (入户/电话/视频/其他), findings, the household when it was a household visit,
  the grid it counts for, and the grid event raised from it;
* ``visit_member``: the residents seen, with the visit's date copied for the due-list index.

The day a tier took effect comes from the existing ``resident_event`` (kind CARE_TIER); nothing new there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 16:37:24.680253
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=50), nullable=False),
        sa.Column("way", sa.String(length=8), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["grid_event.id"], name=op.f("fk_visit_event_id_grid_event")),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], name=op.f("fk_visit_grid_id_grid")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_visit_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_grid_visited", ["grid_id", "visited_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_visited_on"), ["visited_on"], unique=False)

    op.create_table(
        "visit_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_visit_member_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_visit_member_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_member")),
        sa.UniqueConstraint("visit_id", "resident_id", name="uq_visit_member_visit_resident"),
    )
    with op.batch_alter_table("visit_member", schema=None) as batch_op:
        batch_op.create_index("ix_visit_member_resident_visited", ["resident_id", "visited_on"], unique=False)
        batch_op.create_index("ix_visit_member_visited_resident", ["visited_on", "resident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit_member", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_member_visited_resident")
        batch_op.drop_index("ix_visit_member_resident_visited")

    op.drop_table("visit_member")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_visited_on"))
        batch_op.drop_index(batch_op.f("ix_visit_household_id"))
        batch_op.drop_index("ix_visit_grid_visited")

    op.drop_table("visit")
