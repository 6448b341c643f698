"""mediation cases: people's mediation from intake to archive (issue 5)

* ``mediation_committee`` (name, short name used in case numbers, seal text) and ``mediator``;
* ``case_number_counter``: the last sequence per committee and year (``（2026）新华社区人调字第001号``),
  taken with UPDATE … RETURNING so two PCs never get the same number and no number is reused;
* ``mediation_case`` (intake, stage, outcome, closing and archiving) with ``case_party`` (persons and
  organisations, agents), ``investigation``, ``mediation_session`` (调解记录);
* ``agreement`` (written or oral; signature/seal flags and the effective date) with numbered
  ``agreement_term`` rows, ``performance`` (append-only checks) and ``follow_up`` (回访, scheduled);
* ``case_file_item``: the paper items of the 卷宗 checklist (身份证明, 证据材料, 履行凭证 …).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:04:57.243749
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mediation_committee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("short_name", sa.String(length=30), nullable=False),
        sa.Column("seal_text", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_mediation_committee_community_id_community")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_committee")),
        sa.UniqueConstraint("name", name=op.f("uq_mediation_committee_name")),
        sa.UniqueConstraint("short_name", name=op.f("uq_mediation_committee_short_name")),
    )
    op.create_table(
        "case_number_counter",
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["mediation_committee.id"],
            name=op.f("fk_case_number_counter_committee_id_mediation_committee"),
        ),
        sa.PrimaryKeyConstraint("committee_id", "year", name=op.f("pk_case_number_counter")),
    )
    op.create_table(
        "mediator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("gender", sa.String(length=2), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("title", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["mediation_committee.id"],
            name=op.f("fk_mediator_committee_id_mediation_committee"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediator")),
    )
    with op.batch_alter_table("mediator", schema=None) as batch_op:
        batch_op.create_index("ix_mediator_committee_active", ["committee_id", "active"], unique=False)

    op.create_table(
        "mediation_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=60), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("case_year", sa.Integer(), nullable=True),
        sa.Column("case_seq", sa.Integer(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("referred_by", sa.String(length=100), nullable=True),
        sa.Column("dispute_type", sa.String(length=40), nullable=False),
        sa.Column("dispute_subtype", sa.String(length=40), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("requests", sa.Text(), nullable=True),
        sa.Column("amount_involved", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("mediator_id", sa.Integer(), nullable=True),
        sa.Column("assistant_mediators", sa.String(length=200), nullable=True),
        sa.Column("recorder", sa.String(length=50), nullable=True),
        sa.Column("registrar", sa.String(length=50), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("rights_notified_on", sa.Date(), nullable=True),
        sa.Column("extended_until", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("routes_open", sa.String(length=200), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("filed_by", sa.String(length=50), nullable=True),
        sa.Column("retention", sa.String(length=10), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["mediation_committee.id"],
            name=op.f("fk_mediation_case_committee_id_mediation_committee"),
        ),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_mediation_case_community_id_community")
        ),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], name=op.f("fk_mediation_case_grid_id_grid")),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["mediator.id"], name=op.f("fk_mediation_case_mediator_id_mediator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_case")),
        sa.UniqueConstraint("case_no", name=op.f("uq_mediation_case_case_no")),
    )
    with op.batch_alter_table("mediation_case", schema=None) as batch_op:
        batch_op.create_index("ix_mediation_case_accepted", ["accepted_on"], unique=False)
        batch_op.create_index(
            "ix_mediation_case_committee_year", ["committee_id", "case_year", "case_seq"], unique=False
        )
        batch_op.create_index("ix_mediation_case_stage", ["stage", "accepted_on"], unique=False)

    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agreement_no", sa.String(length=60), nullable=False),
        sa.Column("oral", sa.Boolean(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("disputes", sa.Text(), nullable=True),
        sa.Column("responsibilities", sa.Text(), nullable=True),
        sa.Column("performance_manner", sa.String(length=200), nullable=True),
        sa.Column("performance_place", sa.String(length=200), nullable=True),
        sa.Column("performance_deadline", sa.Date(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("signed_by_parties", sa.Boolean(), nullable=False),
        sa.Column("signed_by_mediator", sa.Boolean(), nullable=False),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_agreement_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("agreement_no", name=op.f("uq_agreement_agreement_no")),
        sa.UniqueConstraint("case_id", name=op.f("uq_agreement_case_id")),
    )
    op.create_table(
        "case_file_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_case_file_item_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file_item")),
        sa.UniqueConstraint("case_id", "code", name="uq_case_file_item_case_code"),
    )
    op.create_table(
        "case_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=14), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("gender", sa.String(length=2), nullable=True),
        sa.Column("ethnicity", sa.String(length=20), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("occupation", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("legal_rep", sa.String(length=50), nullable=True),
        sa.Column("legal_rep_title", sa.String(length=30), nullable=True),
        sa.Column("agent", sa.String(length=200), nullable=True),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_case_party_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_case_party_resident_id_resident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_party")),
    )
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.create_index("ix_case_party_case", ["case_id", "seq"], unique=False)
        batch_op.create_index("ix_case_party_name", ["name"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("visitor", sa.String(length=50), nullable=True),
        sa.Column("visited_party", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_follow_up_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_follow_up_pending", ["visited_on", "due_on"], unique=False)

    op.create_table(
        "investigation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("investigator", sa.String(length=100), nullable=False),
        sa.Column("interviewee", sa.String(length=100), nullable=False),
        sa.Column("recorder", sa.String(length=50), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_investigation_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation")),
    )
    with op.batch_alter_table("investigation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investigation_case_id"), ["case_id"], unique=False)

    op.create_table(
        "mediation_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("mediators", sa.String(length=200), nullable=True),
        sa.Column("attendees", sa.String(length=300), nullable=True),
        sa.Column("parties_present", sa.String(length=300), nullable=True),
        sa.Column("recorder", sa.String(length=50), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_mediation_session_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_session")),
    )
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediation_session_case_id"), ["case_id"], unique=False)

    op.create_table(
        "performance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("amount_paid", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_performance_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance")),
    )
    with op.batch_alter_table("performance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_performance_case_id"), ["case_id"], unique=False)

    op.create_table(
        "agreement_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_agreement_term_agreement_id_agreement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_term")),
        sa.UniqueConstraint("agreement_id", "seq", name="uq_agreement_term_agreement_seq"),
    )


def downgrade() -> None:
    op.drop_table("agreement_term")
    with op.batch_alter_table("performance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_performance_case_id"))

    op.drop_table("performance")
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_session_case_id"))

    op.drop_table("mediation_session")
    with op.batch_alter_table("investigation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_case_id"))

    op.drop_table("investigation")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_pending")
        batch_op.drop_index(batch_op.f("ix_follow_up_case_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.drop_index("ix_case_party_name")
        batch_op.drop_index("ix_case_party_case")

    op.drop_table("case_party")
    op.drop_table("case_file_item")
    op.drop_table("agreement")
    with op.batch_alter_table("mediation_case", schema=None) as batch_op:
        batch_op.drop_index("ix_mediation_case_stage")
        batch_op.drop_index("ix_mediation_case_committee_year")
        batch_op.drop_index("ix_mediation_case_accepted")

    op.drop_table("mediation_case")
    with op.batch_alter_table("mediator", schema=None) as batch_op:
        batch_op.drop_index("ix_mediator_committee_active")

    op.drop_table("mediator")
    op.drop_table("case_number_counter")
    op.drop_table("mediation_committee")
