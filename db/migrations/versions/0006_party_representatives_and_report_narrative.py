"""party representatives and the report narrative (issue 11)

* ``case_party``: the agent (受托人) in fields — relation, ID number, phone — beside its name (``agent``);
  ``lacks_capacity`` (无民事行为能力或限制民事行为能力 other than by age, 民法典 §21–22) and the
  法定代理人 (name, relation, ID number, phone, 民法典 §23) who acts and signs for a minor or such a party;
* ``report_narrative``: 工作开展情况 / 存在问题 / 下一步打算 the user writes for one month's 月报 of a
  community or the street (community NULL, ``scope_key`` 0), unique per month and scope.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:49:07.441678
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_narrative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("scope_key", sa.Integer(), nullable=False),
        sa.Column("work_done", sa.Text(), nullable=True),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_report_narrative_community_id_community")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_narrative")),
        sa.UniqueConstraint("period", "scope_key", name="uq_report_narrative_period_scope_key"),
    )
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_relation", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("agent_id_number", sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column("agent_phone", sa.String(length=30), nullable=True))
        batch_op.add_column(
            sa.Column("lacks_capacity", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("guardian_name", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("guardian_relation", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("guardian_id_number", sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column("guardian_phone", sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        for column in (
            "guardian_phone",
            "guardian_id_number",
            "guardian_relation",
            "guardian_name",
            "lacks_capacity",
            "agent_phone",
            "agent_id_number",
            "agent_relation",
        ):
            batch_op.drop_column(column)
    op.drop_table("report_narrative")
