"""judicial confirmation: 司法确认 tracks, 诉前委派 referrals, the holiday calendar (issue 6)

* ``judicial_confirmation``: one track per application of a case's written, effective agreement: the
  effective date and the stored application deadline (30 days, civil-procedure counting, holiday-aware),
  the subject check, the competent court (suggested and chosen), filing, acceptance and the court's case
  number (调确 / 诉前调确), the ruling (VALID / REJECTED) and its dates, performance and the enforcement
  application with its 2-year limit; ``judicial_material``: its materials checklist;
* ``court_referral``: cases the court assigned before filing (委派法院, 委派编号, 30 (+30) days, result,
  reported back, the linked 诉前调确 number);
* ``holiday_calendar``: statutory holidays (放假) and adjusted working days (调休上班), seeded with the
  State Council's 2026 arrangement and the provisional statutory days of 2027 (待官方公布后核对). The
  seed is frozen here; ``resources/holidays/*.csv`` hold the same rows for re-import.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:15:38.093126
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_NOTICE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"
_PROVISIONAL_2027 = (
    "《全国年节及纪念日放假办法》规定的法定节日（农历日期推算）；调休安排待国务院办公厅通知公布后核对"
)
# (day, kind, name): 放假 = HOLIDAY, 调休上班 = WORKDAY
_SEED_2026 = [
    *(("2026-01-0%d" % d, "HOLIDAY", "元旦") for d in (1, 2, 3)),
    ("2026-01-04", "WORKDAY", "元旦调休上班"),
    ("2026-02-14", "WORKDAY", "春节调休上班"),
    *(("2026-02-%02d" % d, "HOLIDAY", "春节") for d in range(15, 24)),
    ("2026-02-28", "WORKDAY", "春节调休上班"),
    *(("2026-04-0%d" % d, "HOLIDAY", "清明节") for d in (4, 5, 6)),
    *(("2026-05-0%d" % d, "HOLIDAY", "劳动节") for d in range(1, 6)),
    ("2026-05-09", "WORKDAY", "劳动节调休上班"),
    *(("2026-06-%d" % d, "HOLIDAY", "端午节") for d in (19, 20, 21)),
    ("2026-09-20", "WORKDAY", "国庆节调休上班"),
    *(("2026-09-%d" % d, "HOLIDAY", "中秋节") for d in (25, 26, 27)),
    *(("2026-10-0%d" % d, "HOLIDAY", "国庆节") for d in range(1, 8)),
    ("2026-10-10", "WORKDAY", "国庆节调休上班"),
]
_SEED_2027 = [
    ("2027-01-01", "HOLIDAY", "元旦"),
    ("2027-02-05", "HOLIDAY", "春节（除夕）"),
    ("2027-02-06", "HOLIDAY", "春节（正月初一）"),
    ("2027-02-07", "HOLIDAY", "春节（正月初二）"),
    ("2027-02-08", "HOLIDAY", "春节（正月初三）"),
    ("2027-04-05", "HOLIDAY", "清明节"),
    ("2027-05-01", "HOLIDAY", "劳动节"),
    ("2027-05-02", "HOLIDAY", "劳动节"),
    ("2027-06-09", "HOLIDAY", "端午节"),
    ("2027-09-15", "HOLIDAY", "中秋节"),
    ("2027-10-01", "HOLIDAY", "国庆节"),
    ("2027-10-02", "HOLIDAY", "国庆节"),
    ("2027-10-03", "HOLIDAY", "国庆节"),
]


def _seed_holidays() -> None:
    table = sa.table(
        "holiday_calendar",
        sa.column("day", sa.Date),
        sa.column("kind", sa.String),
        sa.column("name", sa.String),
        sa.column("year", sa.Integer),
        sa.column("provisional", sa.Boolean),
        sa.column("source", sa.String),
        sa.column("version", sa.Integer),
    )
    rows = [
        {
            "day": dt.date.fromisoformat(day),
            "kind": kind,
            "name": name,
            "year": 2026,
            "provisional": False,
            "source": _NOTICE_2026,
            "version": 1,
        }
        for day, kind, name in _SEED_2026
    ] + [
        {
            "day": dt.date.fromisoformat(day),
            "kind": kind,
            "name": name,
            "year": 2027,
            "provisional": True,
            "source": _PROVISIONAL_2027,
            "version": 1,
        }
        for day, kind, name in _SEED_2027
    ]
    op.bulk_insert(table, rows)


def upgrade() -> None:
    op.create_table(
        "holiday_calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_calendar")),
        sa.UniqueConstraint("day", name=op.f("uq_holiday_calendar_day")),
    )
    with op.batch_alter_table("holiday_calendar", schema=None) as batch_op:
        batch_op.create_index("ix_holiday_calendar_year", ["year"], unique=False)

    op.create_table(
        "court_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("court", sa.String(length=100), nullable=False),
        sa.Column("referral_no", sa.String(length=60), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("judge", sa.String(length=50), nullable=True),
        sa.Column("judge_phone", sa.String(length=30), nullable=True),
        sa.Column("parties", sa.String(length=200), nullable=True),
        sa.Column("matter", sa.String(length=200), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_approved_on", sa.Date(), nullable=True),
        sa.Column("extension_note", sa.String(length=300), nullable=True),
        sa.Column("result", sa.String(length=12), nullable=True),
        sa.Column("result_on", sa.Date(), nullable=True),
        sa.Column("reported_back_on", sa.Date(), nullable=True),
        sa.Column("confirmation_no", sa.String(length=60), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["mediation_case.id"], name=op.f("fk_court_referral_case_id_mediation_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_referral")),
        sa.UniqueConstraint("referral_no", name=op.f("uq_court_referral_referral_no")),
    )
    with op.batch_alter_table("court_referral", schema=None) as batch_op:
        batch_op.create_index("ix_court_referral_case", ["case_id"], unique=False)
        batch_op.create_index("ix_court_referral_deadline", ["result", "deadline"], unique=False)

    op.create_table(
        "judicial_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("agreement_no", sa.String(length=60), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_note", sa.String(length=200), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("court_suggested", sa.String(length=100), nullable=True),
        sa.Column("court_basis", sa.String(length=200), nullable=True),
        sa.Column("court", sa.String(length=100), nullable=True),
        sa.Column("agent_applies", sa.Boolean(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("late_reason", sa.String(length=300), nullable=True),
        sa.Column("late_recorded_by", sa.String(length=80), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("court_case_no", sa.String(length=60), nullable=True),
        sa.Column("judge", sa.String(length=50), nullable=True),
        sa.Column("ruling_extended", sa.Boolean(), nullable=False),
        sa.Column("ruling_on", sa.Date(), nullable=True),
        sa.Column("ruling", sa.String(length=10), nullable=True),
        sa.Column("ruling_no", sa.String(length=60), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("rejection_follow_up", sa.String(length=200), nullable=True),
        sa.Column("performance", sa.String(length=14), nullable=True),
        sa.Column("performance_on", sa.Date(), nullable=True),
        sa.Column("performance_note", sa.String(length=300), nullable=True),
        sa.Column("enforcement_from", sa.Date(), nullable=True),
        sa.Column("enforcement_limit", sa.Date(), nullable=True),
        sa.Column("enforcement_applied_on", sa.Date(), nullable=True),
        sa.Column("enforcement_case_no", sa.String(length=60), nullable=True),
        sa.Column("enforcement_note", sa.String(length=300), nullable=True),
        sa.Column("state", sa.String(length=14), nullable=False),
        sa.Column("closed_reason", sa.String(length=300), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_judicial_confirmation_agreement_id_agreement")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["mediation_case.id"], name=op.f("fk_judicial_confirmation_case_id_mediation_case")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["court_referral.id"],
            name=op.f("fk_judicial_confirmation_referral_id_court_referral"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judicial_confirmation")),
    )
    with op.batch_alter_table("judicial_confirmation", schema=None) as batch_op:
        batch_op.create_index("ix_judicial_confirmation_case", ["case_id"], unique=False)
        batch_op.create_index("ix_judicial_confirmation_state", ["state", "deadline"], unique=False)

    op.create_table(
        "judicial_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("confirmation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("received", sa.Boolean(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmation_id"],
            ["judicial_confirmation.id"],
            name=op.f("fk_judicial_material_confirmation_id_judicial_confirmation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judicial_material")),
        sa.UniqueConstraint("confirmation_id", "code", name="uq_judicial_material_confirmation_code"),
    )
    _seed_holidays()


def downgrade() -> None:
    op.drop_table("judicial_material")
    with op.batch_alter_table("judicial_confirmation", schema=None) as batch_op:
        batch_op.drop_index("ix_judicial_confirmation_state")
        batch_op.drop_index("ix_judicial_confirmation_case")

    op.drop_table("judicial_confirmation")
    with op.batch_alter_table("court_referral", schema=None) as batch_op:
        batch_op.drop_index("ix_court_referral_deadline")
        batch_op.drop_index("ix_court_referral_case")

    op.drop_table("court_referral")
    with op.batch_alter_table("holiday_calendar", schema=None) as batch_op:
        batch_op.drop_index("ix_holiday_calendar_year")

    op.drop_table("holiday_calendar")
