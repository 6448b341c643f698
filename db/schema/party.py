"""Party building (党建): the organisation tree, members, recruitment, dues and meetings.

Money is stored in 分 (integer fen) and dues rates in basis points (0.5% = 50), so amounts are exact on
every backend. Histories (transfers, status changes, recruitment steps, payments) are append-only rows;
nothing about a member is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from db.base import Base, RetirableMixin, TimestampMixin, VersionedMixin, utcnow
from db.crypto import BlindIndex, Encrypted
from db.schema import people as _people  # noqa: F401  (the tables its foreign keys point at)


class PartyOrgKind(enum.StrEnum):
    WORKING_COMMITTEE = "WORKING_COMMITTEE"  # 街道党工委
    COMMITTEE = "COMMITTEE"  # 社区党委
    GENERAL_BRANCH = "GENERAL_BRANCH"  # 党总支
    BRANCH = "BRANCH"  # 党支部 (网格党支部, 联合党支部)
    GROUP = "GROUP"  # 党小组 (楼院/楼栋)


class BranchPost(enum.StrEnum):
    SECRETARY = "SECRETARY"  # 书记
    DEPUTY = "DEPUTY"  # 副书记
    ORGANISATION = "ORGANISATION"  # 组织委员
    PUBLICITY = "PUBLICITY"  # 宣传委员
    DISCIPLINE = "DISCIPLINE"  # 纪检委员
    MEMBER = "MEMBER"  # 委员 (other committee member)
    GROUP_LEADER = "GROUP_LEADER"  # 党小组长


class MemberStage(enum.StrEnum):
    APPLICANT = "APPLICANT"  # 入党申请人
    ACTIVIST = "ACTIVIST"  # 入党积极分子
    CANDIDATE = "CANDIDATE"  # 发展对象
    PROBATIONARY = "PROBATIONARY"  # 预备党员
    FULL = "FULL"  # 正式党员


class MembershipStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"  # 正常 (在本组织)
    TRANSFERRED_OUT = "TRANSFERRED_OUT"  # 组织关系已转出
    DECEASED = "DECEASED"  # 去世
    SUSPENDED = "SUSPENDED"  # 停止党籍
    REMOVED = "REMOVED"  # 出党/除名/取消预备党员资格/不再发展


class DuesCategory(enum.StrEnum):
    IN_WORK = "IN_WORK"  # 在职
    ANNUAL_SALARY = "ANNUAL_SALARY"  # 年薪制
    SELF_EMPLOYED = "SELF_EMPLOYED"  # 个体经营等收入不固定
    RETIRED = "RETIRED"  # 离退休
    FARMER = "FARMER"  # 农民党员
    STUDENT = "STUDENT"  # 学生
    UNEMPLOYED = "UNEMPLOYED"  # 下岗失业
    RELIEF = "RELIEF"  # 依靠抚恤或救济生活
    SUBSISTENCE = "SUBSISTENCE"  # 领取低保


class MemberEventKind(enum.StrEnum):
    TRANSFER_IN = "TRANSFER_IN"  # 组织关系转入
    TRANSFER_OUT = "TRANSFER_OUT"  # 组织关系转出
    INTERNAL_MOVE = "INTERNAL_MOVE"  # 街道内调整所在支部
    STATUS = "STATUS"  # 党籍状态 (去世、停止党籍…; and back)
    STAGE = "STAGE"  # 发展阶段 (recorded by recruitment steps)
    MOBILE = "MOBILE"  # 流动党员 登记/结束
    LOST_CONTACT = "LOST_CONTACT"  # 失联 登记/恢复联系
    CHECK_IN = "CHECK_IN"  # 在职党员进社区报到 / 结束


class RecruitmentStepKind(enum.StrEnum):
    APPLICATION = "APPLICATION"  # 递交入党申请书
    TALK = "TALK"  # 党组织派人谈话
    ACTIVIST = "ACTIVIST"  # 确定为入党积极分子
    CANDIDATE = "CANDIDATE"  # 确定为发展对象
    VETTING = "VETTING"  # 政治审查
    TRAINING = "TRAINING"  # 集中培训
    SPONSORS = "SPONSORS"  # 确定入党介绍人
    PRE_REVIEW = "PRE_REVIEW"  # 支委会审查、上级党委预审
    BRANCH_MEETING = "BRANCH_MEETING"  # 支部大会讨论接收预备党员 (= 入党日期)
    APPROVAL = "APPROVAL"  # 上级党委审批
    OATH = "OATH"  # 入党宣誓
    CONFIRMATION = "CONFIRMATION"  # 支部大会讨论转正 (= 转正日期)
    CONFIRMATION_APPROVAL = "CONFIRMATION_APPROVAL"  # 上级党委审批转正
    EXTENSION = "EXTENSION"  # 延长预备期
    CANCELLED = "CANCELLED"  # 取消预备党员资格 / 不再列为培养对象


class MeetingKind(enum.StrEnum):
    MEMBER_ASSEMBLY = "MEMBER_ASSEMBLY"  # 支部党员大会
    COMMITTEE = "COMMITTEE"  # 支委会
    GROUP = "GROUP"  # 党小组会
    LECTURE = "LECTURE"  # 党课
    THEME_DAY = "THEME_DAY"  # 主题党日
    LIFE_MEETING = "LIFE_MEETING"  # 组织生活会
    APPRAISAL = "APPRAISAL"  # 民主评议党员


class AttendanceStatus(enum.StrEnum):
    PRESENT = "PRESENT"  # 出席
    LEAVE = "LEAVE"  # 请假
    ABSENT = "ABSENT"  # 缺席


class PartyOrg(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    """A Party organisation in the tree 党工委 → 党委/党总支 → 党支部 → 党小组."""

    __tablename__ = "party_org"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"), index=True, default=None)
    kind: Mapped[str] = mapped_column(String(20))  # PartyOrgKind
    name: Mapped[str] = mapped_column(String(100))  # 新华社区第一网格党支部
    full_name: Mapped[str | None] = mapped_column(String(150), default=None)  # as on the seal (中共…委员会)
    code: Mapped[str | None] = mapped_column(String(30), default=None)  # 组织代码
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), index=True, default=None)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True, default=None)
    unit_situation: Mapped[str | None] = mapped_column(String(20), default=None)  # 所在单位情况
    is_joint: Mapped[bool] = mapped_column(default=False)  # 联合党支部
    established_on: Mapped[dt.date | None] = mapped_column(default=None)
    term_start: Mapped[dt.date | None] = mapped_column(default=None)  # 本届委员会（书记）任期开始
    term_years: Mapped[int] = mapped_column(default=5)  # 村/社区 5 years, others 3
    contact: Mapped[str | None] = mapped_column(String(50), default=None)  # 联系人
    phone: Mapped[str | None] = mapped_column(String(30), default=None)  # 联系电话
    address: Mapped[str | None] = mapped_column(String(200), default=None)  # 活动场所
    sort_key: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class PartyPost(TimestampMixin, VersionedMixin, Base):
    """A post held in an organisation (BranchPost): who, from when, until when (open = current)."""

    __tablename__ = "party_post"
    __table_args__ = (
        Index("ix_party_post_org", "org_id", "to_date"),
        Index("ix_party_post_member", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"))
    post: Mapped[str] = mapped_column(String(20))  # BranchPost
    from_date: Mapped[dt.date] = mapped_column()
    to_date: Mapped[dt.date | None] = mapped_column(default=None)
    notes: Mapped[str | None] = mapped_column(String(200), default=None)


class PartyMember(TimestampMixin, VersionedMixin, Base):
    """A member, probationary member, candidate, activist or applicant (MemberStage) of an organisation."""

    __tablename__ = "party_member"
    __table_args__ = (
        Index("ix_party_member_org_status", "org_id", "status", "stage"),
        Index("ix_party_member_status_stage", "status", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # identity (全国党员管理信息系统 member items)
    name: Mapped[str] = mapped_column(String(50), index=True)
    name_initials: Mapped[str | None] = mapped_column(String(20), index=True, default=None)
    gender: Mapped[str | None] = mapped_column(String(2), default=None)
    id_number: Mapped[str | None] = mapped_column(Encrypted("party_member.id_number"), default=None)  # encrypted
    id_number_bidx: Mapped[str | None] = mapped_column(BlindIndex("id_number"), unique=True, default=None)
    ethnicity: Mapped[str | None] = mapped_column(String(20), default=None)
    birth_date: Mapped[dt.date | None] = mapped_column(default=None)
    native_place: Mapped[str | None] = mapped_column(String(50), default=None)  # 籍贯
    education: Mapped[str | None] = mapped_column(String(20), default=None)  # 学历
    occupation: Mapped[str | None] = mapped_column(String(40), default=None)  # 人员类别/工作岗位
    work_unit: Mapped[str | None] = mapped_column(String(100), default=None)  # 工作单位
    phone: Mapped[str | None] = mapped_column(Encrypted("party_member.phone"), default=None)
    address: Mapped[str | None] = mapped_column(String(200), default=None)  # 家庭住址
    # membership
    stage: Mapped[str] = mapped_column(String(14), default=MemberStage.FULL)  # MemberStage
    applied_on: Mapped[dt.date | None] = mapped_column(default=None)  # 申请入党日期
    joined_on: Mapped[dt.date | None] = mapped_column(default=None)  # 入党日期 (支部大会通过之日)
    confirmed_on: Mapped[dt.date | None] = mapped_column(default=None)  # 转正日期
    added_how: Mapped[str | None] = mapped_column(String(12), default=None)  # 新发展 / 转入 / 其他
    org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id"))  # 所在党支部 (or 党委/党总支 directly)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("party_org.id"), index=True, default=None)  # 党小组
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True, default=None)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True, default=None)
    status: Mapped[str] = mapped_column(String(16), default=MembershipStatus.ACTIVE)  # MembershipStatus
    status_changed_on: Mapped[dt.date | None] = mapped_column(default=None)
    # 流动党员 (with a 流动党员活动证)
    is_mobile: Mapped[bool] = mapped_column(default=False)
    mobile_direction: Mapped[str | None] = mapped_column(String(4), default=None)  # OUT 流出 / IN 流入
    mobile_since: Mapped[dt.date | None] = mapped_column(default=None)
    mobile_destination: Mapped[str | None] = mapped_column(String(100), default=None)  # 外出流向/来自
    mobile_card_no: Mapped[str | None] = mapped_column(String(40), default=None)  # 流动党员活动证号
    mobile_contact: Mapped[str | None] = mapped_column(String(60), default=None)
    mobile_last_contact: Mapped[dt.date | None] = mapped_column(default=None)
    # 失联党员 (no contact for 6 months or more): reason codes 1–7
    is_lost_contact: Mapped[bool] = mapped_column(default=False)
    lost_since: Mapped[dt.date | None] = mapped_column(default=None)
    lost_reason: Mapped[str | None] = mapped_column(String(2), default=None)
    lost_notes: Mapped[str | None] = mapped_column(String(200), default=None)
    # 党费 (中组部 2008 党费规定)
    dues_category: Mapped[str] = mapped_column(String(16), default=DuesCategory.IN_WORK)
    dues_base_fen: Mapped[int | None] = mapped_column(default=None)  # 计算基数 (月), 分
    dues_base_from: Mapped[str | None] = mapped_column(String(7), default=None)  # YYYY-MM the base applies from
    dues_reduced_fen: Mapped[int | None] = mapped_column(default=None)  # 困难减免后的月额, 分
    dues_reduced_ref: Mapped[str | None] = mapped_column(String(100), default=None)  # 审批文号/批准情况
    dues_start_month: Mapped[str | None] = mapped_column(String(7), default=None)  # 起缴月份 (YYYY-MM)
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    @validates("id_number")
    def _blind_id_number(self, _key: str, value: str | None) -> str | None:
        if value != self.id_number:  # (the loaded index holds the HMAC: setting it again would rewrite the row)
            self.id_number_bidx = value  # the same kind as the resident's: a member is found in the register
        return value



class CommunityCheckIn(TimestampMixin, VersionedMixin, Base):
    """在职党员进社区报到 (双报到): a working member registered with the community where they live."""

    __tablename__ = "party_check_in"
    __table_args__ = (Index("ix_party_check_in_member", "member_id", "ended_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), default=None)
    unit: Mapped[str] = mapped_column(String(100))  # 所在单位 (the member's own unit)
    unit_org: Mapped[str | None] = mapped_column(String(100), default=None)  # 所在单位党组织
    checked_in_on: Mapped[dt.date] = mapped_column()  # 报到日期
    claimed_post: Mapped[str | None] = mapped_column(String(100), default=None)  # 认领岗位
    service_hours: Mapped[float] = mapped_column(Float, default=0.0)  # 累计服务时长 (小时)
    last_evaluated_on: Mapped[dt.date | None] = mapped_column(default=None)  # 最近一次评价
    evaluation: Mapped[str | None] = mapped_column(String(20), default=None)  # 优秀/合格/基本合格/不合格
    ended_on: Mapped[dt.date | None] = mapped_column(default=None)
    notes: Mapped[str | None] = mapped_column(String(200), default=None)


class PartyMemberEvent(Base):
    """A dated change in a member's history: transfers in and out (组织关系转接), status, flags.

    Append-only, like resident_event; the audit trail records the operator's accountability.
    """

    __tablename__ = "party_member_event"
    __table_args__ = (Index("ix_party_member_event_member", "member_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"))
    kind: Mapped[str] = mapped_column(String(20))  # MemberEventKind
    on_date: Mapped[dt.date] = mapped_column()
    from_value: Mapped[str | None] = mapped_column(String(100), default=None)
    to_value: Mapped[str | None] = mapped_column(String(100), default=None)
    counterpart: Mapped[str | None] = mapped_column(String(150), default=None)  # 转入来源/转出去向党组织
    letter_no: Mapped[str | None] = mapped_column(String(40), default=None)  # 介绍信编号
    reason: Mapped[str | None] = mapped_column(String(200), default=None)
    user: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC


class RecruitmentStep(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    """One step of 发展党员 (《中国共产党发展党员工作细则》) for a member; a mistaken step is retired, not deleted."""

    __tablename__ = "recruitment_step"
    __table_args__ = (Index("ix_recruitment_step_member", "member_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"))
    kind: Mapped[str] = mapped_column(String(24))  # RecruitmentStepKind
    on_date: Mapped[dt.date] = mapped_column()
    # mentors (培养联系人) or sponsors (入党介绍人): names, and the members when they are on the roll
    people: Mapped[str | None] = mapped_column(String(100), default=None)
    first_person_id: Mapped[int | None] = mapped_column(ForeignKey("party_member.id"), default=None)
    second_person_id: Mapped[int | None] = mapped_column(ForeignKey("party_member.id"), default=None)
    training_days: Mapped[int | None] = mapped_column(default=None)
    training_hours: Mapped[int | None] = mapped_column(default=None)
    entitled: Mapped[int | None] = mapped_column(default=None)  # 应到有表决权的正式党员
    present: Mapped[int | None] = mapped_column(default=None)  # 实到
    votes_for: Mapped[int | None] = mapped_column(default=None)
    votes_against: Mapped[int | None] = mapped_column(default=None)
    votes_abstain: Mapped[int | None] = mapped_column(default=None)
    valid_until: Mapped[dt.date | None] = mapped_column(default=None)  # 政审 validity
    reference: Mapped[str | None] = mapped_column(String(100), default=None)  # 文号/备案号
    notes: Mapped[str | None] = mapped_column(String(400), default=None)
    user: Mapped[str] = mapped_column(String(80), default="")


class DuesRateBand(TimestampMixin, VersionedMixin, Base):
    """One band of the dues table (中组部《关于中国共产党党费收缴、使用和管理的规定》, 2008) — data, seeded
    by migration 0003, editable.

    ``lower_fen`` is exclusive and ``upper_fen`` inclusive (含); either may be open (NULL). A band has a
    rate (basis points of the whole base: flat, not progressive) or a fixed monthly amount.
    """

    __tablename__ = "dues_rate_band"
    __table_args__ = (Index("ix_dues_rate_band_category", "category", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(16))  # DuesCategory
    lower_fen: Mapped[int | None] = mapped_column(default=None)
    upper_fen: Mapped[int | None] = mapped_column(default=None)
    rate_bp: Mapped[int | None] = mapped_column(default=None)  # 50 = 0.5%
    fixed_fen: Mapped[int | None] = mapped_column(default=None)
    effective_from: Mapped[dt.date] = mapped_column()
    notes: Mapped[str | None] = mapped_column(String(200), default=None)


class DuesPayment(Base):
    """A dues payment for one month (REGULAR) or a voluntary extra (EXTRA). Append-only; a mistake is
    reversed by a negative correction row (CORRECTION), never edited away."""

    __tablename__ = "dues_payment"
    __table_args__ = (Index("ix_dues_payment_member_month", "member_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM the payment is for
    kind: Mapped[str] = mapped_column(String(12), default="REGULAR")  # REGULAR / EXTRA / CORRECTION
    base_fen: Mapped[int | None] = mapped_column(default=None)
    amount_fen: Mapped[int] = mapped_column()
    paid_on: Mapped[dt.date] = mapped_column()
    receipt_no: Mapped[str | None] = mapped_column(String(30), default=None)
    notes: Mapped[str | None] = mapped_column(String(200), default=None)
    user: Mapped[str] = mapped_column(String(80), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC


class PartyMeeting(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    """A meeting of 三会一课, 主题党日, 组织生活会 or 民主评议 held by an organisation."""

    __tablename__ = "party_meeting"
    __table_args__ = (Index("ix_party_meeting_org_kind", "org_id", "kind", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id"))
    kind: Mapped[str] = mapped_column(String(20))  # MeetingKind
    # a 主题党日 that was also the quarter's 支部党员大会 and 党课 counts for those too: "MEMBER_ASSEMBLY,LECTURE"
    also_counts_as: Mapped[str | None] = mapped_column(String(80), default=None)
    held_on: Mapped[dt.date] = mapped_column()
    start_time: Mapped[str | None] = mapped_column(String(5), default=None)  # HH:MM
    topic: Mapped[str] = mapped_column(String(200))  # 议题 / 党课题目
    place: Mapped[str | None] = mapped_column(String(100), default=None)
    chair: Mapped[str | None] = mapped_column(String(50), default=None)  # 主持人
    recorder: Mapped[str | None] = mapped_column(String(50), default=None)  # 记录人
    lecturer: Mapped[str | None] = mapped_column(String(50), default=None)  # 讲课人
    is_election: Mapped[bool] = mapped_column(default=False)  # 选举大会 (needs ≥ 4/5 attendance)
    expected: Mapped[int | None] = mapped_column(default=None)  # 应到
    present: Mapped[int | None] = mapped_column(default=None)  # 实到
    absentees: Mapped[str | None] = mapped_column(Text, default=None)  # 请假/缺席 names and reasons
    summary: Mapped[str | None] = mapped_column(Text, default=None)  # 内容摘要
    resolutions: Mapped[str | None] = mapped_column(Text, default=None)  # 决议 / 表决结果


class MeetingAttendance(Base):
    """Who was expected at a meeting and whether they came (出席/请假/缺席, with a reason)."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_meeting_member"),
        Index("ix_meeting_attendance_member", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("party_meeting.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"))
    status: Mapped[str] = mapped_column(String(8), default=AttendanceStatus.PRESENT)
    reason: Mapped[str | None] = mapped_column(String(100), default=None)
