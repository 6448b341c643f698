"""党建 labels, small pure helpers (dates, months, money) and the helpers every party module shares."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from db.schema.party import (
    AttendanceStatus,
    BranchPost,
    DuesCategory,
    MeetingKind,
    MemberEventKind,
    MembershipStatus,
    MemberStage,
    PartyMember,
    PartyOrgKind,
    RecruitmentStepKind,
)
from desktop.core.errors import ValidationError
from desktop.domain.identity import age_on, mask_id_number, mask_phone
from desktop.services.audit import snapshot

ORG_KIND_LABELS = {
    PartyOrgKind.WORKING_COMMITTEE: "党工委",
    PartyOrgKind.COMMITTEE: "党委",
    PartyOrgKind.GENERAL_BRANCH: "党总支",
    PartyOrgKind.BRANCH: "党支部",
    PartyOrgKind.GROUP: "党小组",
}
POST_LABELS = {
    BranchPost.SECRETARY: "书记",
    BranchPost.DEPUTY: "副书记",
    BranchPost.ORGANISATION: "组织委员",
    BranchPost.PUBLICITY: "宣传委员",
    BranchPost.DISCIPLINE: "纪检委员",
    BranchPost.MEMBER: "委员",
    BranchPost.GROUP_LEADER: "党小组长",
}
#: posts one person holds at a time in an organisation
SINGLE_POSTS = frozenset(
    {
        BranchPost.SECRETARY,
        BranchPost.ORGANISATION,
        BranchPost.PUBLICITY,
        BranchPost.DISCIPLINE,
        BranchPost.GROUP_LEADER,
    }
)
#: a 支部委员会: 书记 plus 组织、宣传、纪检委员 (《中国共产党支部工作条例（试行）》, 2018)
COMMITTEE_POSTS = (
    BranchPost.SECRETARY,
    BranchPost.ORGANISATION,
    BranchPost.PUBLICITY,
    BranchPost.DISCIPLINE,
)
STAGE_LABELS = {
    MemberStage.APPLICANT: "入党申请人",
    MemberStage.ACTIVIST: "入党积极分子",
    MemberStage.CANDIDATE: "发展对象",
    MemberStage.PROBATIONARY: "预备党员",
    MemberStage.FULL: "正式党员",
}
STAGE_ORDER = tuple(MemberStage)
#: stages that are Party members (count in rosters, pay dues)
MEMBER_STAGES = (MemberStage.PROBATIONARY, MemberStage.FULL)
STATUS_LABELS = {
    MembershipStatus.ACTIVE: "正常",
    MembershipStatus.TRANSFERRED_OUT: "已转出",
    MembershipStatus.DECEASED: "去世",
    MembershipStatus.SUSPENDED: "停止党籍",
    MembershipStatus.REMOVED: "已注销",
}
DUES_CATEGORY_LABELS = {
    DuesCategory.IN_WORK: "在职",
    DuesCategory.ANNUAL_SALARY: "年薪制",
    DuesCategory.SELF_EMPLOYED: "个体经营等",
    DuesCategory.RETIRED: "离退休",
    DuesCategory.FARMER: "农民",
    DuesCategory.STUDENT: "学生",
    DuesCategory.UNEMPLOYED: "下岗失业",
    DuesCategory.RELIEF: "抚恤救济",
    DuesCategory.SUBSISTENCE: "领取低保",
}
#: 失联党员 情形代码: why contact was lost, the codes 1–7 commonly used in 失联党员 records
LOST_REASONS = {
    "1": "外出务工经商",
    "2": "单位改制或破产",
    "3": "毕业后去向不明",
    "4": "工作单位改变",
    "5": "出国（境）",
    "6": "居住地改变",
    "7": "其他",
}
MOBILE_DIRECTIONS = {"OUT": "流出", "IN": "流入"}
MEETING_KIND_LABELS = {
    MeetingKind.MEMBER_ASSEMBLY: "支部党员大会",
    MeetingKind.COMMITTEE: "支委会",
    MeetingKind.GROUP: "党小组会",
    MeetingKind.LECTURE: "党课",
    MeetingKind.THEME_DAY: "主题党日",
    MeetingKind.LIFE_MEETING: "组织生活会",
    MeetingKind.APPRAISAL: "民主评议党员",
}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: "出席",
    AttendanceStatus.LEAVE: "请假",
    AttendanceStatus.ABSENT: "缺席",
}
STEP_LABELS = {
    RecruitmentStepKind.APPLICATION: "递交入党申请书",
    RecruitmentStepKind.TALK: "党组织派人谈话",
    RecruitmentStepKind.ACTIVIST: "确定为入党积极分子",
    RecruitmentStepKind.CANDIDATE: "确定为发展对象",
    RecruitmentStepKind.VETTING: "政治审查",
    RecruitmentStepKind.TRAINING: "集中培训",
    RecruitmentStepKind.SPONSORS: "确定入党介绍人",
    RecruitmentStepKind.PRE_REVIEW: "支委会审查、上级党委预审",
    RecruitmentStepKind.BRANCH_MEETING: "支部大会讨论接收为预备党员",
    RecruitmentStepKind.APPROVAL: "上级党委审批",
    RecruitmentStepKind.OATH: "入党宣誓",
    RecruitmentStepKind.CONFIRMATION: "支部大会讨论转为正式党员",
    RecruitmentStepKind.CONFIRMATION_APPROVAL: "上级党委审批转正",
    RecruitmentStepKind.EXTENSION: "延长预备期",
    RecruitmentStepKind.CANCELLED: "取消资格、不再培养",
}
EVENT_KIND_LABELS = {
    MemberEventKind.TRANSFER_IN: "组织关系转入",
    MemberEventKind.TRANSFER_OUT: "组织关系转出",
    MemberEventKind.INTERNAL_MOVE: "调整所在支部",
    MemberEventKind.STATUS: "党籍状态",
    MemberEventKind.STAGE: "发展阶段",
    MemberEventKind.MOBILE: "流动党员",
    MemberEventKind.LOST_CONTACT: "失联党员",
    MemberEventKind.CHECK_IN: "进社区报到",
}
EDUCATION_LEVELS = ("研究生", "大学本科", "大学专科", "中等专科", "高中", "初中", "小学及以下")
CHECK_IN_EVALUATIONS = ("优秀", "合格", "基本合格", "不合格")

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


# ---------------------------------------------------------------- dates and months


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day (2025-01-31 + 1 → 02-28)."""
    year, index = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, index + 1, min(day.day, calendar.monthrange(year, index + 1)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """满 N 年: the same date N years later; 29 February falls back to the 28th."""
    return add_months(day, 12 * years)


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> tuple[int, int]:
    m = MONTH_RE.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(f"月份“{text}”格式不正确，应写作 2026-03。", field="month")
    return int(m.group(1)), int(m.group(2))


def shift_month(month: str, n: int) -> str:
    year, mon = parse_month(month)
    carry, index = divmod(mon - 1 + n, 12)
    return f"{year + carry:04d}-{index + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive ([] when last < first)."""
    out: list[str] = []
    month = first
    while month <= last:
        out.append(month)
        month = shift_month(month, 1)
    return out


def month_label(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year}年{mon}月"


def fmt_date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def party_years(joined: dt.date | None, today: dt.date) -> int | None:
    """党龄 in whole years (counted from the 入党日期)."""
    return age_on(joined, today)


# ---------------------------------------------------------------- money


def yuan(fen: int | None) -> str:
    """¥1,234.50 (empty for None)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def parse_yuan(value: object, *, field: str = "金额") -> int | None:
    """ "1234.5", "¥1,234.50", 1234.5 → 123450 分; blank → None; negative or more than 2 decimals refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{field}“{value}”不是有效金额。", field=field)
    text = str(value).strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{field}“{value}”不是有效金额（如 3500 或 3500.50）。", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{field}不能为负数或无效值（“{value}”）。", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{field}“{value}”最多保留两位小数（角、分）。", field=field)
    return int(amount * 100)


# ---------------------------------------------------------------- ORM helpers


def member_snapshot(m: PartyMember) -> dict[str, Any]:
    """The audit snapshot of a member with 身份证号 and phone masked, like everywhere else."""
    return snapshot(m, exclude={"id_number", "phone"}) | {
        "id_number": mask_id_number(m.id_number),
        "phone": mask_phone(m.phone),
    }


def label_of(labels: dict[Any, str], value: str | None) -> str:
    if value is None:
        return ""
    return labels.get(value, value)
