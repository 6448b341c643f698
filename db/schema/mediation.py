"""People's mediation (人民调解): committees, mediators, cases from intake to archive.

One case record feeds every document of the 卷宗: the parties, the investigation and
session records, the outcome, the agreement with its numbered terms, performance, follow-up visits and
the archive checklist. Case numbers ``（2026）新华社区人调字第001号`` come from ``case_number_counter``
(one row per committee and year, incremented with UPDATE … RETURNING, never max()+1).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum

from sqlalchemy import DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, RetirableMixin, TimestampMixin, VersionedMixin
from db.crypto import Encrypted
from db.schema import people as _people  # noqa: F401  (the tables its foreign keys point at)

Money = Numeric(14, 2)


class CaseSource(enum.StrEnum):
    OWN_INITIATIVE = "OWN_INITIATIVE"  # 主动调解
    APPLICATION = "APPLICATION"  # 申请调解
    REFERRAL = "REFERRAL"  # 委托移送调解 (法院委派/委托, 公安移送, 政府移交)


class CaseStage(enum.StrEnum):
    ACCEPTED = "ACCEPTED"  # 已受理
    MEDIATING = "MEDIATING"  # 调解中 (investigation or a session recorded)
    PERFORMING = "PERFORMING"  # 履行中 (agreement reached, performance not finished)
    CLOSED = "CLOSED"  # 已结案
    ARCHIVED = "ARCHIVED"  # 已归档


class CaseOutcome(enum.StrEnum):
    SUCCESS = "SUCCESS"  # 调解成功
    FAILED = "FAILED"  # 调解不成功 (routes left open: 诉讼、仲裁、行政处理…)
    TERMINATED = "TERMINATED"  # 终止调解


class PartyRole(enum.StrEnum):
    APPLICANT = "APPLICANT"  # 申请人
    RESPONDENT = "RESPONDENT"  # 被申请人


class PartyKind(enum.StrEnum):
    PERSON = "PERSON"  # 自然人
    ORGANISATION = "ORGANISATION"  # 法人或其他组织


class AgreementForm(enum.StrEnum):
    WRITTEN = "WRITTEN"  # 书面
    ORAL = "ORAL"  # 口头


class PerformanceStatus(enum.StrEnum):
    PERFORMED = "PERFORMED"  # 已履行
    PARTIAL = "PARTIAL"  # 部分履行
    NOT_PERFORMED = "NOT_PERFORMED"  # 未履行
    IN_PROGRESS = "IN_PROGRESS"  # 履行中


class MediationCommittee(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    """人民调解委员会. ``short_name`` goes into the case numbers (``（2026）新华社区人调字第001号``)."""

    __tablename__ = "mediation_committee"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)  # 新华社区人民调解委员会
    short_name: Mapped[str] = mapped_column(String(30), unique=True)  # 新华社区
    seal_text: Mapped[str | None] = mapped_column(String(80), default=None)  # 印章文字
    kind: Mapped[str | None] = mapped_column(String(30), default=None)  # 社区(居)调委会 …
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), default=None)
    address: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(30), default=None)

    mediators: Mapped[list[Mediator]] = relationship(back_populates="committee", order_by="Mediator.id")


class Mediator(TimestampMixin, VersionedMixin, Base):
    """人民调解员 of one committee; ``active=False`` once they leave (never deleted: cases name them)."""

    __tablename__ = "mediator"
    __table_args__ = (Index("ix_mediator_committee_active", "committee_id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("mediation_committee.id"))
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(2), default=None)
    phone: Mapped[str | None] = mapped_column(Encrypted("mediator.phone"), default=None)
    title: Mapped[str | None] = mapped_column(String(50), default=None)  # 主任/副主任/委员/专职调解员
    active: Mapped[bool] = mapped_column(default=True)

    committee: Mapped[MediationCommittee] = relationship(back_populates="mediators")


class CaseNumberCounter(Base):
    """The last sequence number handed out per committee and year; numbers are never reused."""

    __tablename__ = "case_number_counter"

    committee_id: Mapped[int] = mapped_column(ForeignKey("mediation_committee.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class MediationCase(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    __tablename__ = "mediation_case"
    __table_args__ = (
        Index("ix_mediation_case_accepted", "accepted_on"),
        Index("ix_mediation_case_stage", "stage", "accepted_on"),
        Index("ix_mediation_case_committee_year", "committee_id", "case_year", "case_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(60), unique=True)  # （2026）新华社区人调字第001号
    committee_id: Mapped[int] = mapped_column(ForeignKey("mediation_committee.id"))
    case_year: Mapped[int | None] = mapped_column(default=None)  # None: an imported number of another scheme
    case_seq: Mapped[int | None] = mapped_column(default=None)
    accepted_on: Mapped[dt.date] = mapped_column()  # 受理日期
    source: Mapped[str] = mapped_column(String(20))  # CaseSource
    referred_by: Mapped[str | None] = mapped_column(String(100), default=None)  # 移送/委托单位
    dispute_type: Mapped[str] = mapped_column(String(40))  # DISPUTE_TYPE dictionary code (婚姻家庭 …)
    dispute_subtype: Mapped[str | None] = mapped_column(String(40), default=None)  # 赡养, 继承 …
    summary: Mapped[str] = mapped_column(Text)  # 纠纷简要情况
    requests: Mapped[str | None] = mapped_column(Text, default=None)  # 申请事项, one per line
    amount_involved: Mapped[decimal.Decimal | None] = mapped_column(Money, default=None)  # 涉及金额（元）
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"), default=None)  # 主持调解员
    assistant_mediators: Mapped[str | None] = mapped_column(String(200), default=None)  # names, 、-separated
    recorder: Mapped[str | None] = mapped_column(String(50), default=None)  # 记录人
    registrar: Mapped[str | None] = mapped_column(String(50), default=None)  # 登记人
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), default=None)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), default=None)
    stage: Mapped[str] = mapped_column(String(12), default=CaseStage.ACCEPTED)
    rights_notified_on: Mapped[dt.date | None] = mapped_column(default=None)  # 权利义务告知书 signed
    extended_until: Mapped[dt.date | None] = mapped_column(default=None)  # 经双方同意延长调解期限至
    extension_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    outcome: Mapped[str | None] = mapped_column(String(12), default=None)  # CaseOutcome
    outcome_on: Mapped[dt.date | None] = mapped_column(default=None)
    routes_open: Mapped[str | None] = mapped_column(String(200), default=None)  # 告知的其他途径
    outcome_note: Mapped[str | None] = mapped_column(Text, default=None)  # 不成功/终止的原因
    closed_on: Mapped[dt.date | None] = mapped_column(default=None)  # 结案日期
    archived_on: Mapped[dt.date | None] = mapped_column(default=None)  # 立卷日期
    filed_by: Mapped[str | None] = mapped_column(String(50), default=None)  # 立卷人
    retention: Mapped[str | None] = mapped_column(String(10), default=None)  # 保管期限: 永久/长期/短期
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    committee: Mapped[MediationCommittee] = relationship()
    mediator: Mapped[Mediator | None] = relationship()
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", order_by="CaseParty.seq", cascade="all, delete-orphan"
    )
    investigations: Mapped[list[Investigation]] = relationship(
        back_populates="case",
        order_by="[Investigation.held_on, Investigation.id]",
        cascade="all, delete-orphan",
    )
    sessions: Mapped[list[MediationSession]] = relationship(
        back_populates="case", order_by="[MediationSession.held_at, MediationSession.id]",
        cascade="all, delete-orphan",
    )  # fmt: skip
    agreement: Mapped[Agreement | None] = relationship(back_populates="case", cascade="all, delete-orphan")
    performances: Mapped[list[Performance]] = relationship(
        back_populates="case", order_by="[Performance.on_date, Performance.id]", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="case", order_by="[FollowUp.due_on, FollowUp.id]", cascade="all, delete-orphan"
    )
    file_items: Mapped[list[CaseFileItem]] = relationship(
        back_populates="case", order_by="CaseFileItem.code", cascade="all, delete-orphan"
    )


class CaseParty(TimestampMixin, VersionedMixin, Base):
    """当事人: a natural person or an organisation, applicant or respondent, with an optional agent."""

    __tablename__ = "case_party"
    __table_args__ = (Index("ix_case_party_case", "case_id", "seq"), Index("ix_case_party_name", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(default=1)  # 序号 within the case
    role: Mapped[str] = mapped_column(String(12), default=PartyRole.APPLICANT)
    kind: Mapped[str] = mapped_column(String(14), default=PartyKind.PERSON)
    name: Mapped[str] = mapped_column(String(100))  # 姓名 or 单位名称
    gender: Mapped[str | None] = mapped_column(String(2), default=None)
    ethnicity: Mapped[str | None] = mapped_column(String(20), default=None)
    birth_date: Mapped[dt.date | None] = mapped_column(default=None)
    age: Mapped[int | None] = mapped_column(default=None)  # when the birth date is unknown
    occupation: Mapped[str | None] = mapped_column(String(60), default=None)  # 职业或职务
    phone: Mapped[str | None] = mapped_column(Encrypted("case_party.phone"), default=None)
    address: Mapped[str | None] = mapped_column(String(200), default=None)  # 住址 / 单位地址
    id_number: Mapped[str | None] = mapped_column(Encrypted("case_party.id_number"), default=None)  # 公民身份号码
    legal_rep: Mapped[str | None] = mapped_column(String(50), default=None)  # 法定代表人
    legal_rep_title: Mapped[str | None] = mapped_column(String(30), default=None)  # 其职务
    agent: Mapped[str | None] = mapped_column(String(200), default=None)  # 委托代理人（受托人）姓名
    agent_relation: Mapped[str | None] = mapped_column(String(30), default=None)  # 与委托人关系 / 身份（律师…）
    agent_id_number: Mapped[str | None] = mapped_column(Encrypted("case_party.agent_id_number"), default=None)  # 受托人公民身份号码
    agent_phone: Mapped[str | None] = mapped_column(Encrypted("case_party.agent_phone"), default=None)  # 受托人联系电话
    # 无民事行为能力或限制民事行为能力 other than by age (民法典 §21–22); under-18s are derived from the age
    lacks_capacity: Mapped[bool] = mapped_column(default=False, server_default=false())
    guardian_name: Mapped[str | None] = mapped_column(String(50), default=None)  # 法定代理人 (民法典 §23)
    guardian_relation: Mapped[str | None] = mapped_column(String(20), default=None)  # 与当事人关系（父亲、母亲…）
    guardian_id_number: Mapped[str | None] = mapped_column(Encrypted("case_party.guardian_id_number"), default=None)
    guardian_phone: Mapped[str | None] = mapped_column(Encrypted("case_party.guardian_phone"), default=None)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), default=None)

    case: Mapped[MediationCase] = relationship(back_populates="parties")


class Investigation(TimestampMixin, VersionedMixin, Base):
    """人民调解调查记录."""

    __tablename__ = "investigation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(100), default=None)
    investigator: Mapped[str] = mapped_column(String(100))  # 调查人
    interviewee: Mapped[str] = mapped_column(String(100))  # 被调查人
    recorder: Mapped[str | None] = mapped_column(String(50), default=None)
    content: Mapped[str] = mapped_column(Text)

    case: Mapped[MediationCase] = relationship(back_populates="investigations")


class MediationSession(TimestampMixin, VersionedMixin, Base):
    """人民调解记录: one sitting (时间, 地点, 参加人, 当事人, what was said and agreed or why it failed)."""

    __tablename__ = "mediation_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[dt.datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(100))
    mediators: Mapped[str | None] = mapped_column(String(200), default=None)  # 调解员 names
    attendees: Mapped[str | None] = mapped_column(String(300), default=None)  # 参加人 (invited helpers)
    parties_present: Mapped[str | None] = mapped_column(String(300), default=None)  # 当事人 present
    recorder: Mapped[str | None] = mapped_column(String(50), default=None)
    minutes: Mapped[str] = mapped_column(Text)  # 调解过程：告知、陈述、核实、风险提示 …
    result: Mapped[str | None] = mapped_column(Text, default=None)  # 达成的意见 / 未达成的原因

    case: Mapped[MediationCase] = relationship(back_populates="sessions")


class Agreement(TimestampMixin, VersionedMixin, Base):
    """人民调解协议书 (or 口头协议登记). Its number is the case number; it takes effect once signed and sealed."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), unique=True)
    agreement_no: Mapped[str] = mapped_column(String(60), unique=True)
    oral: Mapped[bool] = mapped_column(default=False)  # AgreementForm.ORAL
    made_on: Mapped[dt.date] = mapped_column()  # 协议日期 (the date printed on it)
    facts: Mapped[str] = mapped_column(Text)  # 纠纷主要事实
    disputes: Mapped[str | None] = mapped_column(Text, default=None)  # 争议事项
    responsibilities: Mapped[str | None] = mapped_column(Text, default=None)  # 各方责任
    performance_manner: Mapped[str | None] = mapped_column(String(200), default=None)  # 履行方式
    performance_place: Mapped[str | None] = mapped_column(String(200), default=None)  # 履行地点
    performance_deadline: Mapped[dt.date | None] = mapped_column(default=None)  # 履行期限
    copies: Mapped[int] = mapped_column(default=3)  # 一式N份 = parties + 1
    signed_by_parties: Mapped[bool] = mapped_column(default=False)  # 各方当事人签名/盖章/按指印
    signed_by_mediator: Mapped[bool] = mapped_column(default=False)
    sealed: Mapped[bool] = mapped_column(default=False)  # 调委会印章
    effective_on: Mapped[dt.date | None] = mapped_column(default=None)  # 生效日期 (人民调解法 §29–30)

    case: Mapped[MediationCase] = relationship(back_populates="agreement")
    terms: Mapped[list[AgreementTerm]] = relationship(
        back_populates="agreement", order_by="AgreementTerm.seq", cascade="all, delete-orphan"
    )


class AgreementTerm(Base):
    """One numbered term of the agreement (协议内容 1, 2, …), with an amount and a due date if any."""

    __tablename__ = "agreement_term"
    __table_args__ = (UniqueConstraint("agreement_id", "seq", name="uq_agreement_term_agreement_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    amount: Mapped[decimal.Decimal | None] = mapped_column(Money, default=None)
    due_on: Mapped[dt.date | None] = mapped_column(default=None)

    agreement: Mapped[Agreement] = relationship(back_populates="terms")


class Performance(Base):
    """A dated check of how the agreement is being performed (已履行/部分履行/未履行/履行中); append-only."""

    __tablename__ = "performance"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[dt.date] = mapped_column()
    status: Mapped[str] = mapped_column(String(14))  # PerformanceStatus
    amount_paid: Mapped[decimal.Decimal | None] = mapped_column(Money, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    recorded_by: Mapped[str | None] = mapped_column(String(80), default=None)

    case: Mapped[MediationCase] = relationship(back_populates="performances")


class FollowUp(TimestampMixin, VersionedMixin, Base):
    """回访: scheduled against the performance due dates (``due_on``), done when ``visited_on`` is set."""

    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_pending", "visited_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[dt.date | None] = mapped_column(default=None)  # scheduled date; None = unscheduled visit
    visited_on: Mapped[dt.date | None] = mapped_column(default=None)
    visitor: Mapped[str | None] = mapped_column(String(50), default=None)  # 回访人
    visited_party: Mapped[str | None] = mapped_column(String(200), default=None)  # 被回访当事人
    notes: Mapped[str | None] = mapped_column(Text, default=None)  # 回访情况
    cancelled: Mapped[bool] = mapped_column(default=False)  # no longer needed (e.g. performed early)

    case: Mapped[MediationCase] = relationship(back_populates="follow_ups")


class CaseFileItem(TimestampMixin, VersionedMixin, Base):
    """The 卷宗 checklist entry for a paper item (身份证明, 证据材料, 履行凭证 …): present, pages, note.

    Items the program prints itself (申请书/受理登记表, 告知书, 调解记录, 协议书 …) are derived from the
    record; only what comes on paper is confirmed here.
    """

    __tablename__ = "case_file_item"
    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_file_item_case_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(30))  # desktop.services.mediation.casefile item codes
    present: Mapped[bool] = mapped_column(default=True)
    pages: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(String(200), default=None)

    case: Mapped[MediationCase] = relationship(back_populates="file_items")
