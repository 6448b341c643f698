"""party building: organisation tree, members, recruitment, dues, meetings (issue 4)

* ``party_org`` (PartyOrg tree 党工委 → 党委/党总支 → 党支部 → 党小组) and ``party_post`` (BranchPost, dated);
* ``party_member`` (identity, stage, 入党/转正日期, 流动/失联 details, dues category and base) with
  ``party_member_event`` (append-only: 组织关系转入/转出, status and flag changes) and ``party_check_in``
  (在职党员进社区报到);
* ``recruitment_step`` (发展党员 steps with mentors/sponsors, training, votes);
* ``dues_rate_band`` (the 2008 dues table, seeded here as data) and ``dues_payment`` (append-only);
* ``party_meeting`` (三会一课, 主题党日, 组织生活会, 民主评议) and ``meeting_attendance``.

Money is integer 分 and rates are basis points (0.5% = 50).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:03:24.654575
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# 中组部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号): the rate applies to the whole base
# (flat by band); a band's upper bound is inclusive (含). Fixed amounts are 分 per month.
_DUES_FROM = dt.date(2008, 4, 1)
_SOURCE = "中组发〔2008〕3号"
_WAGE_BANDS = [
    (None, 300_000, 50),
    (300_000, 500_000, 100),
    (500_000, 1_000_000, 150),
    (1_000_000, None, 200),
]
DUES_BANDS: list[dict[str, object]] = [
    *(
        {
            "category": cat,
            "lower_fen": lo,
            "upper_fen": hi,
            "rate_bp": bp,
            "fixed_fen": None,
            "notes": _SOURCE,
        }
        for cat in ("IN_WORK", "ANNUAL_SALARY", "SELF_EMPLOYED")
        for lo, hi, bp in _WAGE_BANDS
    ),
    {
        "category": "RETIRED",
        "lower_fen": None,
        "upper_fen": 500_000,
        "rate_bp": 50,
        "fixed_fen": None,
        "notes": _SOURCE,
    },
    {
        "category": "RETIRED",
        "lower_fen": 500_000,
        "upper_fen": None,
        "rate_bp": 100,
        "fixed_fen": None,
        "notes": _SOURCE,
    },
    {
        "category": "FARMER",
        "lower_fen": None,
        "upper_fen": None,
        "rate_bp": None,
        "fixed_fen": 20,
        "notes": "农民党员每月0.2元至1元，由省级党委确定",
    },
    *(
        {
            "category": cat,
            "lower_fen": None,
            "upper_fen": None,
            "rate_bp": None,
            "fixed_fen": 20,
            "notes": _SOURCE,
        }
        for cat in ("STUDENT", "UNEMPLOYED", "RELIEF", "SUBSISTENCE")
    ),
]


def upgrade() -> None:
    op.create_table(
        "dues_rate_band",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("lower_fen", sa.Integer(), nullable=True),
        sa.Column("upper_fen", sa.Integer(), nullable=True),
        sa.Column("rate_bp", sa.Integer(), nullable=True),
        sa.Column("fixed_fen", sa.Integer(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("notes", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_rate_band")),
    )
    with op.batch_alter_table("dues_rate_band", schema=None) as batch_op:
        batch_op.create_index("ix_dues_rate_band_category", ["category", "effective_from"], unique=False)

    op.create_table(
        "party_org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=150), nullable=True),
        sa.Column("code", sa.String(length=30), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("unit_situation", sa.String(length=20), nullable=True),
        sa.Column("is_joint", sa.Boolean(), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=50), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("sort_key", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_party_org_community_id_community")
        ),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], name=op.f("fk_party_org_grid_id_grid")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["party_org.id"], name=op.f("fk_party_org_parent_id_party_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_org")),
    )
    with op.batch_alter_table("party_org", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_org_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_org_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_org_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "party_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("also_counts_as", sa.String(length=80), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("chair", sa.String(length=50), nullable=True),
        sa.Column("recorder", sa.String(length=50), nullable=True),
        sa.Column("lecturer", sa.String(length=50), nullable=True),
        sa.Column("is_election", sa.Boolean(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("absentees", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("resolutions", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["party_org.id"], name=op.f("fk_party_meeting_org_id_party_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting")),
    )
    with op.batch_alter_table("party_meeting", schema=None) as batch_op:
        batch_op.create_index("ix_party_meeting_org_kind", ["org_id", "kind", "held_on"], unique=False)

    op.create_table(
        "party_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("name_initials", sa.String(length=20), nullable=True),
        sa.Column("gender", sa.String(length=2), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("ethnicity", sa.String(length=20), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("native_place", sa.String(length=50), nullable=True),
        sa.Column("education", sa.String(length=20), nullable=True),
        sa.Column("occupation", sa.String(length=40), nullable=True),
        sa.Column("work_unit", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("stage", sa.String(length=14), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("added_how", sa.String(length=12), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_changed_on", sa.Date(), nullable=True),
        sa.Column("is_mobile", sa.Boolean(), nullable=False),
        sa.Column("mobile_direction", sa.String(length=4), nullable=True),
        sa.Column("mobile_since", sa.Date(), nullable=True),
        sa.Column("mobile_destination", sa.String(length=100), nullable=True),
        sa.Column("mobile_card_no", sa.String(length=40), nullable=True),
        sa.Column("mobile_contact", sa.String(length=60), nullable=True),
        sa.Column("mobile_last_contact", sa.Date(), nullable=True),
        sa.Column("is_lost_contact", sa.Boolean(), nullable=False),
        sa.Column("lost_since", sa.Date(), nullable=True),
        sa.Column("lost_reason", sa.String(length=2), nullable=True),
        sa.Column("lost_notes", sa.String(length=200), nullable=True),
        sa.Column("dues_category", sa.String(length=16), nullable=False),
        sa.Column("dues_base_fen", sa.Integer(), nullable=True),
        sa.Column("dues_base_from", sa.String(length=7), nullable=True),
        sa.Column("dues_reduced_fen", sa.Integer(), nullable=True),
        sa.Column("dues_reduced_ref", sa.String(length=100), nullable=True),
        sa.Column("dues_start_month", sa.String(length=7), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["grid.id"], name=op.f("fk_party_member_grid_id_grid")),
        sa.ForeignKeyConstraint(["org_id"], ["party_org.id"], name=op.f("fk_party_member_org_id_party_org")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["party_org.id"], name=op.f("fk_party_member_group_id_party_org")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_party_member_resident_id_resident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member")),
        sa.UniqueConstraint("id_number", name=op.f("uq_party_member_id_number")),
    )
    with op.batch_alter_table("party_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_member_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_member_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_member_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_member_name_initials"), ["name_initials"], unique=False)
        batch_op.create_index("ix_party_member_org_status", ["org_id", "status", "stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_member_resident_id"), ["resident_id"], unique=False)
        batch_op.create_index("ix_party_member_status_stage", ["status", "stage"], unique=False)

    op.create_table(
        "dues_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("base_fen", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("receipt_no", sa.String(length=30), nullable=True),
        sa.Column("notes", sa.String(length=200), nullable=True),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["party_member.id"], name=op.f("fk_dues_payment_member_id_party_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_payment")),
    )
    with op.batch_alter_table("dues_payment", schema=None) as batch_op:
        batch_op.create_index("ix_dues_payment_member_month", ["member_id", "month"], unique=False)

    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_meeting_attendance_meeting_id_party_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["party_member.id"], name=op.f("fk_meeting_attendance_member_id_party_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_meeting_member"),
    )
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_attendance_member", ["member_id"], unique=False)

    op.create_table(
        "party_check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("unit_org", sa.String(length=100), nullable=True),
        sa.Column("checked_in_on", sa.Date(), nullable=False),
        sa.Column("claimed_post", sa.String(length=100), nullable=True),
        sa.Column("service_hours", sa.Float(), nullable=False),
        sa.Column("last_evaluated_on", sa.Date(), nullable=True),
        sa.Column("evaluation", sa.String(length=20), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_party_check_in_community_id_community")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["party_member.id"], name=op.f("fk_party_check_in_member_id_party_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_check_in")),
    )
    with op.batch_alter_table("party_check_in", schema=None) as batch_op:
        batch_op.create_index("ix_party_check_in_member", ["member_id", "ended_on"], unique=False)

    op.create_table(
        "party_member_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("from_value", sa.String(length=100), nullable=True),
        sa.Column("to_value", sa.String(length=100), nullable=True),
        sa.Column("counterpart", sa.String(length=150), nullable=True),
        sa.Column("letter_no", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["party_member.id"], name=op.f("fk_party_member_event_member_id_party_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member_event")),
    )
    with op.batch_alter_table("party_member_event", schema=None) as batch_op:
        batch_op.create_index("ix_party_member_event_member", ["member_id", "on_date"], unique=False)

    op.create_table(
        "party_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("post", sa.String(length=20), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["party_member.id"], name=op.f("fk_party_post_member_id_party_member")
        ),
        sa.ForeignKeyConstraint(["org_id"], ["party_org.id"], name=op.f("fk_party_post_org_id_party_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_post")),
    )
    with op.batch_alter_table("party_post", schema=None) as batch_op:
        batch_op.create_index("ix_party_post_member", ["member_id"], unique=False)
        batch_op.create_index("ix_party_post_org", ["org_id", "to_date"], unique=False)

    op.create_table(
        "recruitment_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("people", sa.String(length=100), nullable=True),
        sa.Column("first_person_id", sa.Integer(), nullable=True),
        sa.Column("second_person_id", sa.Integer(), nullable=True),
        sa.Column("training_days", sa.Integer(), nullable=True),
        sa.Column("training_hours", sa.Integer(), nullable=True),
        sa.Column("entitled", sa.Integer(), nullable=True),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstain", sa.Integer(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.String(length=400), nullable=True),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_person_id"],
            ["party_member.id"],
            name=op.f("fk_recruitment_step_first_person_id_party_member"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["party_member.id"], name=op.f("fk_recruitment_step_member_id_party_member")
        ),
        sa.ForeignKeyConstraint(
            ["second_person_id"],
            ["party_member.id"],
            name=op.f("fk_recruitment_step_second_person_id_party_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_step")),
    )
    with op.batch_alter_table("recruitment_step", schema=None) as batch_op:
        batch_op.create_index("ix_recruitment_step_member", ["member_id", "kind"], unique=False)

    bands = sa.table(
        "dues_rate_band",
        sa.column("category", sa.String),
        sa.column("lower_fen", sa.Integer),
        sa.column("upper_fen", sa.Integer),
        sa.column("rate_bp", sa.Integer),
        sa.column("fixed_fen", sa.Integer),
        sa.column("effective_from", sa.Date),
        sa.column("notes", sa.String),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(bands, [{**band, "effective_from": _DUES_FROM, "version": 1} for band in DUES_BANDS])


def downgrade() -> None:
    with op.batch_alter_table("recruitment_step", schema=None) as batch_op:
        batch_op.drop_index("ix_recruitment_step_member")

    op.drop_table("recruitment_step")
    with op.batch_alter_table("party_post", schema=None) as batch_op:
        batch_op.drop_index("ix_party_post_org")
        batch_op.drop_index("ix_party_post_member")

    op.drop_table("party_post")
    with op.batch_alter_table("party_member_event", schema=None) as batch_op:
        batch_op.drop_index("ix_party_member_event_member")

    op.drop_table("party_member_event")
    with op.batch_alter_table("party_check_in", schema=None) as batch_op:
        batch_op.drop_index("ix_party_check_in_member")

    op.drop_table("party_check_in")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_attendance_member")

    op.drop_table("meeting_attendance")
    with op.batch_alter_table("dues_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_dues_payment_member_month")

    op.drop_table("dues_payment")
    with op.batch_alter_table("party_member", schema=None) as batch_op:
        batch_op.drop_index("ix_party_member_status_stage")
        batch_op.drop_index(batch_op.f("ix_party_member_resident_id"))
        batch_op.drop_index("ix_party_member_org_status")
        batch_op.drop_index(batch_op.f("ix_party_member_name_initials"))
        batch_op.drop_index(batch_op.f("ix_party_member_name"))
        batch_op.drop_index(batch_op.f("ix_party_member_group_id"))
        batch_op.drop_index(batch_op.f("ix_party_member_grid_id"))

    op.drop_table("party_member")
    with op.batch_alter_table("party_meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_party_meeting_org_kind")

    op.drop_table("party_meeting")
    with op.batch_alter_table("party_org", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_org_parent_id"))
        batch_op.drop_index(batch_op.f("ix_party_org_grid_id"))
        batch_op.drop_index(batch_op.f("ix_party_org_community_id"))

    op.drop_table("party_org")
    with op.batch_alter_table("dues_rate_band", schema=None) as batch_op:
        batch_op.drop_index("ix_dues_rate_band_category")

    op.drop_table("dues_rate_band")
