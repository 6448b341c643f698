"""司法确认 (judicial confirmation), 诉前委派调解 (court-referred mediation) and the holiday calendar.

Both parties of a written, effective people's-mediation agreement may jointly apply to the
competent court within 30 days of the day it took effect (人民调解法 §33; 民诉法 §201–202); the court
decides within 3 days whether to accept (case number 调确 / 诉前调确), rules within 15 days (+10 with
approval) that the agreement is valid (Ruling.VALID, then 申请执行 within 2 years) or rejects the
application (Ruling.REJECTED: re-mediate or sue).

* ``judicial_confirmation``: one confirmation track of a case, with the dates the court works to and the
  stored ``deadline`` (recomputed whenever the holiday calendar changes);
* ``judicial_material``: the materials checklist of a track (法释〔2011〕5号 §3), received or not;
* ``court_referral``: a case the court assigned before filing (委派调解), 30 (+30) days;
* ``holiday_calendar``: statutory holidays and adjusted working days (调休上班), data staff update each
  year; a year shipped before the State Council's notice is ``provisional`` (待官方公布后核对).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, RetirableMixin, TimestampMixin, VersionedMixin
from db.schema import mediation as _mediation  # noqa: F401  (the tables its foreign keys point at)


class ConfirmationState(enum.StrEnum):
    PREPARING = "PREPARING"  # 准备申请 (materials being gathered)
    FILED = "FILED"  # 已申请，待受理
    ACCEPTED = "ACCEPTED"  # 已受理，待裁定
    VALID = "VALID"  # 裁定有效
    REJECTED = "REJECTED"  # 裁定驳回
    NOT_ACCEPTED = "NOT_ACCEPTED"  # 不予受理
    WITHDRAWN = "WITHDRAWN"  # 撤回申请 / 当事人决定不申请


class Ruling(enum.StrEnum):
    VALID = "VALID"  # 裁定调解协议有效
    REJECTED = "REJECTED"  # 裁定驳回申请


class Subject(enum.StrEnum):
    """What the agreement is about, as far as confirmation is concerned (法释〔2011〕5号 §4; 民诉法解释)."""

    ORDINARY = "ORDINARY"  # 可以申请司法确认
    PERSONAL_STATUS = "PERSONAL_STATUS"  # 确认身份关系
    MARRIAGE = "MARRIAGE"  # 确认婚姻关系
    ADOPTION = "ADOPTION"  # 确认收养关系
    PROPERTY_TITLE = "PROPERTY_TITLE"  # 物权确权
    IP_TITLE = "IP_TITLE"  # 知识产权确权


class ReferralResult(enum.StrEnum):
    SUCCESS = "SUCCESS"  # 调解成功
    FAILED = "FAILED"  # 调解失败
    TERMINATED = "TERMINATED"  # 终止调解


class DayKind(enum.StrEnum):
    HOLIDAY = "HOLIDAY"  # 放假（法定节假日及调休放假）
    WORKDAY = "WORKDAY"  # 调休上班的周末


class JudicialConfirmation(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    __tablename__ = "judicial_confirmation"
    __table_args__ = (
        Index("ix_judicial_confirmation_case", "case_id"),
        Index("ix_judicial_confirmation_state", "state", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"))
    agreement_no: Mapped[str] = mapped_column(String(60))  # as it was when the track was started
    effective_on: Mapped[dt.date] = mapped_column()  # 协议生效日期
    deadline: Mapped[dt.date] = mapped_column()  # 申请期限届满日 (effective_on + 30, holiday-aware)
    subject: Mapped[str] = mapped_column(String(20), default=Subject.ORDINARY)
    subject_note: Mapped[str | None] = mapped_column(String(200), default=None)  # 核对说明
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("court_referral.id"), default=None)
    court_suggested: Mapped[str | None] = mapped_column(String(100), default=None)
    court_basis: Mapped[str | None] = mapped_column(String(200), default=None)  # why that court
    court: Mapped[str | None] = mapped_column(String(100), default=None)  # 受理法院 (chosen)
    agent_applies: Mapped[bool] = mapped_column(default=False)  # 委托代理人代为申请
    filed_on: Mapped[dt.date | None] = mapped_column(default=None)  # 申请日期
    late_reason: Mapped[str | None] = mapped_column(String(300), default=None)  # 逾期仍生成申请书的理由
    late_recorded_by: Mapped[str | None] = mapped_column(String(80), default=None)
    accepted_on: Mapped[dt.date | None] = mapped_column(default=None)  # 受理日期
    court_case_no: Mapped[str | None] = mapped_column(String(60), default=None)  # （2026）甘0202民特12号 …
    judge: Mapped[str | None] = mapped_column(String(50), default=None)  # 承办法官
    ruling_extended: Mapped[bool] = mapped_column(default=False)  # 院长批准延长10日
    ruling_on: Mapped[dt.date | None] = mapped_column(default=None)
    ruling: Mapped[str | None] = mapped_column(String(10), default=None)  # Ruling
    ruling_no: Mapped[str | None] = mapped_column(String(60), default=None)  # 裁定书文号 (if different)
    rejection_reason: Mapped[str | None] = mapped_column(Text, default=None)
    rejection_follow_up: Mapped[str | None] = mapped_column(String(200), default=None)  # 重新调解/起诉…
    performance: Mapped[str | None] = mapped_column(String(14), default=None)  # PerformanceStatus
    performance_on: Mapped[dt.date | None] = mapped_column(default=None)
    performance_note: Mapped[str | None] = mapped_column(String(300), default=None)
    enforcement_from: Mapped[dt.date | None] = mapped_column(default=None)  # 申请执行期间起算日
    enforcement_limit: Mapped[dt.date | None] = mapped_column(default=None)  # 申请执行期限届满日
    enforcement_applied_on: Mapped[dt.date | None] = mapped_column(default=None)
    enforcement_case_no: Mapped[str | None] = mapped_column(String(60), default=None)
    enforcement_note: Mapped[str | None] = mapped_column(String(300), default=None)
    state: Mapped[str] = mapped_column(String(14), default=ConfirmationState.PREPARING)
    closed_reason: Mapped[str | None] = mapped_column(String(300), default=None)  # 撤回/不予受理的原因
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    materials: Mapped[list[JudicialMaterial]] = relationship(
        back_populates="confirmation", order_by="JudicialMaterial.seq", cascade="all, delete-orphan"
    )
    referral: Mapped[CourtReferral | None] = relationship(foreign_keys=[referral_id])


class JudicialMaterial(TimestampMixin, VersionedMixin, Base):
    """One line of the materials checklist (申请书, 调解协议, 身份证明 …): needed, received, how many."""

    __tablename__ = "judicial_material"
    __table_args__ = (
        UniqueConstraint("confirmation_id", "code", name="uq_judicial_material_confirmation_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    confirmation_id: Mapped[int] = mapped_column(ForeignKey("judicial_confirmation.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(30))  # desktop.services.judicial.materials codes
    label: Mapped[str] = mapped_column(String(100))
    required: Mapped[bool] = mapped_column(default=True)
    received: Mapped[bool] = mapped_column(default=False)
    received_on: Mapped[dt.date | None] = mapped_column(default=None)
    copies: Mapped[int | None] = mapped_column(default=None)  # 份数
    note: Mapped[str | None] = mapped_column(String(200), default=None)

    confirmation: Mapped[JudicialConfirmation] = relationship(back_populates="materials")


class CourtReferral(TimestampMixin, VersionedMixin, RetirableMixin, Base):
    """诉前委派调解: the court assigned the dispute before filing; 30 days, extendable by up to 30."""

    __tablename__ = "court_referral"
    __table_args__ = (
        Index("ix_court_referral_case", "case_id"),
        Index("ix_court_referral_deadline", "result", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_case.id"), default=None)
    # the 人民调解委员会 that received it (a plain id like account.committee_id): whose referral it is before
    # it is linked to a case; None: registered by the street (0013)
    committee_id: Mapped[int | None] = mapped_column(index=True, default=None)
    court: Mapped[str] = mapped_column(String(100))  # 委派法院
    referral_no: Mapped[str] = mapped_column(String(60), unique=True)  # 委派编号 / 诉前调解案号
    referred_on: Mapped[dt.date] = mapped_column()  # 委派日期
    received_on: Mapped[dt.date] = mapped_column()  # 调委会接收日期 (the 30 days count from here)
    judge: Mapped[str | None] = mapped_column(String(50), default=None)  # 承办法官/联系人
    judge_phone: Mapped[str | None] = mapped_column(String(30), default=None)
    parties: Mapped[str | None] = mapped_column(String(200), default=None)  # 当事人 (before a case exists)
    matter: Mapped[str | None] = mapped_column(String(200), default=None)  # 案由
    deadline: Mapped[dt.date] = mapped_column()  # 调解期限届满日 (incl. any extension)
    extension_days: Mapped[int] = mapped_column(default=0)  # 0–30
    extension_approved_on: Mapped[dt.date | None] = mapped_column(default=None)
    extension_note: Mapped[str | None] = mapped_column(String(300), default=None)  # 当事人申请、法院批准情况
    result: Mapped[str | None] = mapped_column(String(12), default=None)  # ReferralResult
    result_on: Mapped[dt.date | None] = mapped_column(default=None)
    reported_back_on: Mapped[dt.date | None] = mapped_column(default=None)  # 反馈法院日期
    confirmation_no: Mapped[str | None] = mapped_column(String(60), default=None)  # 诉前调确 case number
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class HolidayDay(TimestampMixin, VersionedMixin, Base):
    """One day of the State Council's holiday arrangement: 放假 (HOLIDAY) or 调休上班 (WORKDAY)."""

    __tablename__ = "holiday_calendar"
    __table_args__ = (Index("ix_holiday_calendar_year", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # DayKind
    name: Mapped[str] = mapped_column(String(40))  # 春节, 国庆节, 春节调休上班 …
    year: Mapped[int] = mapped_column()  # the year of the notice the day belongs to
    provisional: Mapped[bool] = mapped_column(default=False)  # 待官方公布后核对
    source: Mapped[str | None] = mapped_column(String(200), default=None)
