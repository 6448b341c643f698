"""The columns of the 党建 lists (for :class:`PartyRowsTableModel`; see :func:`party_column`): what each shows, how it sorts and colours."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.services import party
from desktop.services.party.common import STAGE_ORDER, yuan
from desktop.services.party.rules import FREQUENCY_LABELS, MeetingDue
from desktop.ui.models.column import Column
from desktop.ui.models.party_rows_model import CENTER, RIGHT, party_column
from desktop.ui.qt import Qt, QtCore

RED, ORANGE, GREEN, BLUE, GREY = "#b3261e", "#b35c00", "#2e7d32", "#1f5fa8", "#8a94a0"
STATE_LABELS = {"overdue": "已逾期", "due": "可以办理", "waiting": "未到时间"}
STATE_COLOURS = {"overdue": RED, "due": BLUE, "waiting": GREY}


def _t(text: str) -> str:
    return QtCore.QCoreApplication.translate("PartyColumns", text)


def _date(day: object) -> str:
    return day.isoformat() if day else ""


def _stage_rank(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 9


@dataclass(frozen=True)
class MeetingStatusRow:
    org_id: int
    org_name: str
    org_kind_label: str
    item: MeetingDue


def meeting_status_rows(overview: list[party.OrgMeetings], overdue_only: bool) -> list[MeetingStatusRow]:
    rows = []
    for org in overview:
        for item in org.items:
            if overdue_only and not item.overdue:
                continue
            rows.append(MeetingStatusRow(org.org_id, org.org_name, org.org_kind_label, item))
    return rows


def member_columns() -> list[Column[party.MemberRow]]:
    def flag_colour(r: party.MemberRow) -> str | None:
        return RED if r.is_lost_contact else ORANGE if r.is_mobile else GREEN if r.checked_in else None

    return [
        party_column(
            _t("姓名"), lambda r: r.name, width=78, sort_key=lambda r: (r.name_initials, r.name), priority=0
        ),
        party_column(_t("性别"), lambda r: r.gender, CENTER, 44, priority=2),
        party_column(_t("年龄"), lambda r: r.age, RIGHT, 46, sort_key=lambda r: r.age, priority=2),
        party_column(
            _t("党员类别"), lambda r: r.stage_label, CENTER, 92, sort_key=lambda r: _stage_rank(r.stage)
        ),
        party_column(
            _t("所在党组织"),
            lambda r: r.org_name,
            width=190,
            tooltip=lambda r: r.org_name,
            priority=0,
            elide=Qt.TextElideMode.ElideMiddle,
        ),
        party_column(_t("党小组"), lambda r: r.group_name, width=96, priority=4),
        party_column(_t("入党日期"), lambda r: _date(r.joined_on), CENTER, 92, priority=2),
        party_column(_t("党内职务"), lambda r: r.posts, width=86, tooltip=lambda r: r.posts, priority=2),
        party_column(
            _t("标记"),
            lambda r: r.flags,
            CENTER,
            70,
            colour=flag_colour,
            tooltip=lambda r: _t("流动党员 / 失联党员 / 在职党员进社区报到"),
        ),
        party_column(_t("联系电话"), lambda r: r.phone, CENTER, 104, priority=3),
        party_column(_t("公民身份号码"), lambda r: r.id_number, CENTER, 160, priority=4),
        party_column(
            _t("状态"),
            lambda r: r.status_label,
            CENTER,
            64,
            colour=lambda r: None if r.status == "ACTIVE" else GREY,
            priority=0,
        ),
    ]


def due_columns() -> list[Column[party.DueRow]]:
    def colour(r: party.DueRow) -> str:
        return STATE_COLOURS[r.due.state]

    return [
        party_column(_t("姓名"), lambda r: r.name, width=78),
        party_column(_t("所在党组织"), lambda r: r.org_name, width=190),
        party_column(
            _t("当前阶段"), lambda r: r.stage_label, CENTER, 110, sort_key=lambda r: _stage_rank(r.stage)
        ),
        party_column(_t("下一步"), lambda r: r.due.label, width=190),
        party_column(_t("最早可办"), lambda r: _date(r.due.earliest), CENTER, 96),
        party_column(_t("办理期限"), lambda r: _date(r.due.deadline), CENTER, 96),
        party_column(
            _t("情况"),
            lambda r: _t(STATE_LABELS[r.due.state]),
            CENTER,
            80,
            colour=colour,
            sort_key=lambda r: ("overdue", "due", "waiting").index(r.due.state),
        ),
        party_column(_t("上一步日期"), lambda r: _date(r.since), CENTER, 96),
    ]


def arrears_columns() -> list[Column[party.DuesStatus]]:
    return [
        party_column(_t("姓名"), lambda r: r.name, width=78),
        party_column(_t("所在党组织"), lambda r: r.org_name, width=170),
        party_column(_t("党费类别"), lambda r: r.category_label, CENTER, 84),
        party_column(
            _t("月交党费"), lambda r: yuan(r.monthly_fen), RIGHT, 84, sort_key=lambda r: r.monthly_fen
        ),
        party_column(_t("交至"), lambda r: r.paid_through or "—", CENTER, 80),
        party_column(_t("欠交月份"), lambda r: r.owed_text, width=236, sort_key=lambda r: len(r.owed)),
        party_column(_t("欠交金额"), lambda r: yuan(r.owed_fen), RIGHT, 88, sort_key=lambda r: r.owed_fen),
        party_column(
            _t("备注"), lambda r: r.note, width=170, colour=lambda r: RED if r.lapse_months >= 6 else None
        ),
    ]


def meeting_status_columns() -> list[Column[MeetingStatusRow]]:
    return [
        party_column(_t("党组织"), lambda r: r.org_name, width=190),
        party_column(_t("会议"), lambda r: r.item.label, width=112),
        party_column(_t("要求"), lambda r: _t(FREQUENCY_LABELS.get(r.item.frequency, "")), CENTER, 62),
        party_column(_t("最近一次"), lambda r: _date(r.item.last_held), CENTER, 96),
        party_column(
            _t("情况"),
            lambda r: r.item.text,
            width=220,
            colour=lambda r: RED if r.item.overdue else GREEN if r.item.held_this_period else GREY,
        ),
        party_column(
            _t("近12个月缺"),
            lambda r: r.item.missed_12m or "",
            RIGHT,
            84,
            sort_key=lambda r: r.item.missed_12m,
        ),
    ]


def meeting_columns() -> list[Column[party.MeetingRow]]:
    return [
        party_column(_t("日期"), lambda r: _date(r.held_on), CENTER, 96),
        party_column(_t("党组织"), lambda r: r.org_name, width=170),
        party_column(_t("类型"), lambda r: r.kinds_label, width=150),
        party_column(_t("议题"), lambda r: r.topic, width=240),
        party_column(_t("出席"), lambda r: r.attendance_text, CENTER, 60),
        party_column(_t("地点"), lambda r: r.place, width=140),
    ]


def post_columns() -> list[Column[party.PostRow]]:
    return [
        party_column(_t("职务"), lambda r: r.post_label, width=90),
        party_column(_t("姓名"), lambda r: r.member_name, width=90),
        party_column(_t("任职日期"), lambda r: _date(r.from_date), CENTER, 100),
        party_column(_t("免职日期"), lambda r: _date(r.to_date), CENTER, 100),
    ]


def payment_columns() -> list[Column[party.PaymentRow]]:
    kinds = {"REGULAR": _t("按月交纳"), "EXTRA": _t("自愿多交"), "CORRECTION": _t("冲正")}
    return [
        party_column(_t("月份"), lambda r: r.month, CENTER, 80),
        party_column(
            _t("类型"),
            lambda r: kinds.get(r.kind, r.kind),
            CENTER,
            80,
            colour=lambda r: RED if r.kind == "CORRECTION" else None,
        ),
        party_column(_t("金额"), lambda r: yuan(r.amount_fen), RIGHT, 84, sort_key=lambda r: r.amount_fen),
        party_column(_t("交纳日期"), lambda r: _date(r.paid_on), CENTER, 96),
        party_column(_t("收据号"), lambda r: r.receipt_no, width=100),
        party_column(_t("说明"), lambda r: r.notes, width=160),
    ]


def step_columns() -> list[Column[party.StepRow]]:
    def detail(r: party.StepRow) -> str:
        parts = []
        if r.training_days or r.training_hours:
            parts.append(_t("培训 {0} 天、{1} 学时").format(r.training_days or 0, r.training_hours or 0))
        if r.entitled is not None and r.votes_for is not None:
            parts.append(
                _t("应到 {0} 人，实到 {1} 人，赞成 {2} 票").format(r.entitled, r.present or "—", r.votes_for)
            )
        if r.valid_until:
            parts.append(_t("有效期至 {0}").format(_date(r.valid_until)))
        parts += [x for x in (r.reference, r.notes) if x]
        return "；".join(parts)

    return [
        party_column(_t("日期"), lambda r: _date(r.on_date), CENTER, 96),
        party_column(_t("步骤"), lambda r: r.label, width=180),
        party_column(_t("人员"), lambda r: r.people, width=120),
        party_column(_t("情况"), detail, width=260),
    ]


def event_columns() -> list[Column[party.EventRow]]:
    return [
        party_column(_t("日期"), lambda r: _date(r.on_date), CENTER, 96),
        party_column(_t("事项"), lambda r: r.kind_label, width=110),
        party_column(_t("内容"), lambda r: r.describe, width=330),
        party_column(_t("登记人"), lambda r: r.user, width=80),
    ]
