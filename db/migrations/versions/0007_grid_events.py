"""grid events (网格事件, issue 12)

* ``grid_event``: an event from intake to closure — number ``SJ2026-000123``, source, time received, grid,
  place, category and sub-category, urgency, description, reporter, optional links to a resident, a
  household and a mediation case; where it stands (state, the department responsible now, the whistle kind)
  and the time limit it was given with the moment it ends (recomputed only on an approved extension);
* ``event_step``: one append-only row per step of the loop (上报 … 结案, 回访, 评价, 延期, 督办, 退回);
* ``event_attachment``: photos and files, their bytes in the database so they move with it;
* ``event_number_counter``: the last sequence number handed out per year.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:55:10.580289
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_number_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_event_number_counter")),
    )
    op.create_table(
        "grid_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_no", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("subcategory", sa.String(length=40), nullable=True),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reporter_name", sa.String(length=50), nullable=True),
        sa.Column("reporter_phone", sa.String(length=30), nullable=True),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("mediation_case_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("department", sa.String(length=60), nullable=True),
        sa.Column("whistle_kind", sa.String(length=10), nullable=True),
        sa.Column("limit_amount", sa.Integer(), nullable=False),
        sa.Column("limit_unit", sa.String(length=8), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("extended_days", sa.Integer(), nullable=False),
        sa.Column("extension_pending", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("rating", sa.String(length=12), nullable=True),
        sa.Column("step_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], name=op.f("fk_grid_event_grid_id_grid")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_grid_event_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["mediation_case_id"],
            ["mediation_case.id"],
            name=op.f("fk_grid_event_mediation_case_id_mediation_case"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_grid_event_resident_id_resident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_event")),
        sa.UniqueConstraint("event_no", name=op.f("uq_grid_event_event_no")),
    )
    with op.batch_alter_table("grid_event", schema=None) as batch_op:
        batch_op.create_index("ix_grid_event_category", ["category", "subcategory"], unique=False)
        batch_op.create_index("ix_grid_event_department_state", ["department", "state"], unique=False)
        batch_op.create_index("ix_grid_event_grid_received", ["grid_id", "received_at"], unique=False)
        batch_op.create_index("ix_grid_event_open_deadline", ["closed_at", "deadline"], unique=False)
        batch_op.create_index("ix_grid_event_received", ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_grid_event_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grid_event_source"), ["source"], unique=False)

    op.create_table(
        "event_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["grid_event.id"], name=op.f("fk_event_attachment_event_id_grid_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_attachment")),
    )
    with op.batch_alter_table("event_attachment", schema=None) as batch_op:
        batch_op.create_index("ix_event_attachment_event", ["event_id"], unique=False)

    op.create_table(
        "event_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=14), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=50), nullable=False),
        sa.Column("department", sa.String(length=60), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state_after", sa.String(length=12), nullable=False),
        sa.Column("whistle_kind", sa.String(length=10), nullable=True),
        sa.Column("rating", sa.String(length=12), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=True),
        sa.Column("new_deadline", sa.DateTime(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["grid_event.id"], name=op.f("fk_event_step_event_id_grid_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_step")),
    )
    with op.batch_alter_table("event_step", schema=None) as batch_op:
        batch_op.create_index("ix_event_step_event", ["event_id", "id"], unique=False)
        batch_op.create_index("ix_event_step_kind_at", ["kind", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_step", schema=None) as batch_op:
        batch_op.drop_index("ix_event_step_kind_at")
        batch_op.drop_index("ix_event_step_event")

    op.drop_table("event_step")
    with op.batch_alter_table("event_attachment", schema=None) as batch_op:
        batch_op.drop_index("ix_event_attachment_event")

    op.drop_table("event_attachment")
    with op.batch_alter_table("grid_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grid_event_source"))
        batch_op.drop_index(batch_op.f("ix_grid_event_resident_id"))
        batch_op.drop_index("ix_grid_event_received")
        batch_op.drop_index("ix_grid_event_open_deadline")
        batch_op.drop_index("ix_grid_event_grid_received")
        batch_op.drop_index("ix_grid_event_department_state")
        batch_op.drop_index("ix_grid_event_category")

    op.drop_table("grid_event")
    op.drop_table("event_number_counter")
