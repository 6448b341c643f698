"""The case record every mediation document is printed from (plain dataclasses, no database).

The mediation services build a :class:`CaseRecord` from the database (``get_case``); the documents
only read it, so each fact is typed once and every document shows the same value.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field

from desktop.domain.identity import age_on

SOURCE_LABELS = {"OWN_INITIATIVE": "主动调解", "APPLICATION": "申请调解", "REFERRAL": "委托移送调解"}
STAGE_LABELS = {
    "ACCEPTED": "已受理",
    "MEDIATING": "调解中",
    "PERFORMING": "履行中",
    "CLOSED": "已结案",
    "ARCHIVED": "已归档",
}
OUTCOME_LABELS = {"SUCCESS": "调解成功", "FAILED": "调解不成功", "TERMINATED": "终止调解"}
ROLE_LABELS = {"APPLICANT": "申请人", "RESPONDENT": "被申请人"}
PARTY_KIND_LABELS = {"PERSON": "自然人", "ORGANISATION": "法人或其他组织"}
PERFORMANCE_LABELS = {
    "PERFORMED": "已履行",
    "PARTIAL": "部分履行",
    "NOT_PERFORMED": "未履行",
    "IN_PROGRESS": "履行中",
}
FORM_LABELS = {False: "书面", True: "口头"}
#: 民法典 §17: 十八周岁以上的自然人为成年人
ADULT_AGE = 18

#: the stages in which the case is still being worked on (未结案)
OPEN_STAGES = ("ACCEPTED", "MEDIATING", "PERFORMING")
#: the case-list filter value meaning "any of OPEN_STAGES"
OPEN_FILTER = "OPEN"
#: what the case list can be filtered by: every stage, or all open ones, in this order
STAGE_FILTER_LABELS = {OPEN_FILTER: "未结案", **STAGE_LABELS}


def stage_is_open(stage: str) -> bool:
    """受理、调解中、履行中: the process can still change (parties, sessions, agreement, outcome)."""
    return stage in OPEN_STAGES


def stage_is_archived(stage: str) -> bool:
    """已归档: nothing about the case may change any more."""
    return stage == "ARCHIVED"


def stage_can_archive(stage: str) -> bool:
    """Only a closed (已结案) case is filed into the archive (立卷归档)."""
    return stage == "CLOSED"


@dataclass(frozen=True)
class CommitteeRecord:
    id: int
    name: str  # 新华社区人民调解委员会
    short_name: str  # 新华社区
    seal_text: str | None
    address: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class PartyRecord:
    id: int
    seq: int
    role: str  # APPLICANT / RESPONDENT
    kind: str  # PERSON / ORGANISATION
    name: str
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    age: int | None = None
    occupation: str | None = None
    phone: str | None = None
    address: str | None = None
    id_number: str | None = None
    legal_rep: str | None = None
    legal_rep_title: str | None = None
    agent: str | None = None  # 委托代理人（受托人）姓名
    version: int = 1
    agent_relation: str | None = None  # 与委托人关系 / 身份
    agent_id_number: str | None = None
    agent_phone: str | None = None
    lacks_capacity: bool = False  # 无民事行为能力或限制民事行为能力 other than by age
    guardian_name: str | None = None  # 法定代理人
    guardian_relation: str | None = None
    guardian_id_number: str | None = None
    guardian_phone: str | None = None

    @property
    def is_person(self) -> bool:
        return self.kind == "PERSON"

    def is_minor_on(self, day: dt.date) -> bool:
        """Under 18 on ``day`` (民法典 §17), from the birth date or the recorded age."""
        age = self.age_on(day)
        return self.is_person and age is not None and age < ADULT_AGE

    def needs_guardian_on(self, day: dt.date) -> bool:
        """A person who cannot act alone on ``day``: a minor or marked 无/限制民事行为能力 (民法典 §19–23).

        Such a party acts, and signs, through the 法定代理人.
        """
        return self.is_person and (self.lacks_capacity or self.is_minor_on(day))

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, "当事人")

    @property
    def kind_label(self) -> str:
        return PARTY_KIND_LABELS.get(self.kind, self.kind)

    def age_on(self, day: dt.date) -> int | None:
        """The age on ``day`` from the birth date, else the age as recorded."""
        return self.age if self.birth_date is None else age_on(self.birth_date, day)


@dataclass(frozen=True)
class InvestigationRecord:
    id: int
    held_on: dt.date
    place: str | None
    investigator: str
    interviewee: str
    recorder: str | None
    content: str
    version: int = 1


@dataclass(frozen=True)
class SessionRecord:
    id: int
    held_at: dt.datetime
    place: str
    mediators: str | None
    attendees: str | None
    parties_present: str | None
    recorder: str | None
    minutes: str
    result: str | None
    version: int = 1


@dataclass(frozen=True)
class TermRecord:
    seq: int
    text: str
    amount: decimal.Decimal | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True)
class AgreementRecord:
    id: int
    agreement_no: str
    oral: bool
    made_on: dt.date
    facts: str
    disputes: str | None
    responsibilities: str | None
    performance_manner: str | None
    performance_place: str | None
    performance_deadline: dt.date | None
    copies: int
    signed_by_parties: bool
    signed_by_mediator: bool
    sealed: bool
    effective_on: dt.date | None
    terms: tuple[TermRecord, ...] = ()
    version: int = 1

    @property
    def form_label(self) -> str:
        return FORM_LABELS[self.oral]

    @property
    def total_amount(self) -> decimal.Decimal | None:
        amounts = [t.amount for t in self.terms if t.amount is not None]
        return sum(amounts, decimal.Decimal(0)) if amounts else None


@dataclass(frozen=True)
class PerformanceRecord:
    id: int
    on_date: dt.date
    status: str
    amount_paid: decimal.Decimal | None
    note: str | None
    recorded_by: str | None

    @property
    def status_label(self) -> str:
        return PERFORMANCE_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class FollowUpRecord:
    id: int
    due_on: dt.date | None
    visited_on: dt.date | None
    visitor: str | None
    visited_party: str | None
    notes: str | None
    cancelled: bool = False
    version: int = 1

    @property
    def done(self) -> bool:
        return self.visited_on is not None


@dataclass(frozen=True)
class FileItemRecord:
    """One line of the 卷内目录 / archive checklist."""

    no: int  # 序号 in the 卷内目录
    code: str
    title: str
    required: bool  # 必须 (for this case)
    present: bool
    generated: bool  # printed by the program from the record
    pages: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    id: int
    case_no: str
    committee: CommitteeRecord
    accepted_on: dt.date
    source: str
    referred_by: str | None
    dispute_type: str  # dictionary code (婚姻家庭)
    dispute_type_label: str  # 婚姻家庭纠纷
    dispute_subtype: str | None
    summary: str
    requests: str | None
    amount_involved: decimal.Decimal | None
    mediator: str | None  # 主持调解员
    mediator_id: int | None
    assistant_mediators: str | None
    recorder: str | None
    registrar: str | None
    community_id: int | None
    community: str | None
    grid_id: int | None
    grid: str | None
    stage: str
    rights_notified_on: dt.date | None
    extended_until: dt.date | None
    extension_reason: str | None
    outcome: str | None
    outcome_on: dt.date | None
    routes_open: str | None
    outcome_note: str | None
    closed_on: dt.date | None
    archived_on: dt.date | None
    filed_by: str | None
    retention: str | None
    notes: str | None
    version: int
    parties: tuple[PartyRecord, ...] = ()
    investigations: tuple[InvestigationRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    agreement: AgreementRecord | None = None
    performances: tuple[PerformanceRecord, ...] = ()
    follow_ups: tuple[FollowUpRecord, ...] = ()
    file_items: tuple[FileItemRecord, ...] = field(default_factory=tuple)
    retired_on: dt.date | None = None

    @property
    def is_retired(self) -> bool:
        """撤销 (entered by mistake, kept for the record)."""
        return self.retired_on is not None

    @property
    def is_open(self) -> bool:
        """The case is still being worked on: an open stage and not retired."""
        return stage_is_open(self.stage) and not self.is_retired

    @property
    def can_archive(self) -> bool:
        return stage_can_archive(self.stage) and not self.is_retired

    @property
    def can_retire(self) -> bool:
        return not stage_is_archived(self.stage) and not self.is_retired

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "")

    @property
    def dispute_label(self) -> str:
        """ "婚姻家庭纠纷（赡养）" """
        return self.dispute_type_label + (f"（{self.dispute_subtype}）" if self.dispute_subtype else "")

    @property
    def mediators_text(self) -> str:
        names = [n for n in [self.mediator, *(self.assistant_mediators or "").split("、")] if n]
        return "、".join(dict.fromkeys(names))

    @property
    def party_names(self) -> str:
        return "、".join(p.name for p in self.parties)

    @property
    def title(self) -> str:
        """卷名 / 事由: "张三与李四邻里纠纷"."""
        applicants = [p.name for p in self.parties if p.role == "APPLICANT"]
        others = [p.name for p in self.parties if p.role != "APPLICANT"]
        if applicants and others:
            who = f"{'、'.join(applicants)}与{'、'.join(others)}"
        else:
            who = "、".join(applicants or others)
        return f"{who}{self.dispute_type_label}"

    @property
    def performance_status(self) -> str | None:
        return self.performances[-1].status if self.performances else None

    @property
    def performance_label(self) -> str:
        s = self.performance_status
        return PERFORMANCE_LABELS.get(s, "") if s else ""

    @property
    def last_activity_on(self) -> dt.date:
        days = [self.accepted_on]
        days += [s.held_at.date() for s in self.sessions]
        days += [i.held_on for i in self.investigations]
        return max(days)
