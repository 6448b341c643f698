"""三会一课, 主题党日, 组织生活会, 民主评议: meeting records with attendance, and what each branch has overdue.

The required frequency of each kind is locality data (setting ``party.meeting_frequency``; defaults in
``rules.DEFAULT_MEETING_FREQUENCY``: 主题党日、支委会、党小组会 monthly; 党员大会、党课 quarterly;
组织生活会、民主评议 yearly). A meeting may also count for other kinds (a 主题党日 that was the quarter's
党员大会 and 党课).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.schema.party import (
    AttendanceStatus,
    MeetingAttendance,
    MeetingKind,
    MembershipStatus,
    MemberStage,
    PartyMeeting,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)
from desktop.core.errors import ValidationError
from desktop.domain.accounts import PARTY
from desktop.domain.text import clean_text
from desktop.services.access import require
from desktop.services.audit import snapshot
from desktop.services.common import check_version, get_or_raise
from desktop.services.context import ServiceContext
from desktop.services.party import rules, scope
from desktop.services.party.common import (
    ATTENDANCE_LABELS,
    MEETING_KIND_LABELS,
    MEMBER_STAGES,
    ORG_KIND_LABELS,
    label_of,
)
from desktop.services.party.orgs import current_posts, subtree_ids
from desktop.services.residents.common import clean_free_text
from desktop.services.settings import json_object, load_setting, store_setting

FREQUENCY_SETTING = "party.meeting_frequency"


@dataclass
class AttendanceInput:
    member_id: int
    status: str = AttendanceStatus.PRESENT
    reason: str | None = None


@dataclass
class MeetingInput:
    org_id: int
    kind: str
    held_on: dt.date
    topic: str
    also_counts_as: list[str] = field(default_factory=list)
    start_time: str | None = None
    place: str | None = None
    chair: str | None = None
    recorder: str | None = None
    lecturer: str | None = None
    is_election: bool = False
    attendance: list[AttendanceInput] | None = None  # None: use expected/present as typed
    expected: int | None = None
    present: int | None = None
    absentees: str | None = None
    summary: str | None = None
    resolutions: str | None = None
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    name: str
    status: str
    status_label: str
    reason: str | None


@dataclass(frozen=True)
class MeetingRow:
    id: int
    org_id: int
    org_name: str
    kind: str
    kind_label: str
    also_counts_as: tuple[str, ...]
    held_on: dt.date
    start_time: str | None
    topic: str
    place: str | None
    chair: str | None
    recorder: str | None
    lecturer: str | None
    is_election: bool
    expected: int | None
    present: int | None
    absentees: str | None
    summary: str | None
    resolutions: str | None
    version: int
    attendance: tuple[AttendanceRow, ...] = ()

    @property
    def kinds_label(self) -> str:
        extra = [label_of(MEETING_KIND_LABELS, k) for k in self.also_counts_as]
        return "、".join([self.kind_label, *extra])

    @property
    def attendance_text(self) -> str:
        if self.expected is None:
            return ""
        return f"{self.present if self.present is not None else '?'}/{self.expected}"


@dataclass(frozen=True)
class OrgMeetings:
    org_id: int
    org_name: str
    org_kind: str
    org_kind_label: str
    items: tuple[rules.MeetingDue, ...]

    @property
    def overdue(self) -> list[rules.MeetingDue]:
        return [i for i in self.items if i.overdue]


# ---------------------------------------------------------------- frequencies (locality data)


def meeting_frequencies(ctx: ServiceContext) -> dict[str, str]:
    require(ctx, PARTY)
    with ctx.read() as s:
        return load_meeting_frequencies(s)


def load_meeting_frequencies(s: Session) -> dict[str, str]:
    """Meeting kind → MONTH / QUARTER / YEAR / NONE: the setting over ``rules.DEFAULT_MEETING_FREQUENCY``."""
    return load_setting(s, FREQUENCY_SETTING, _default_frequencies(), _parse_frequencies)


def _default_frequencies() -> dict[str, str]:
    return {k.value: v for k, v in rules.DEFAULT_MEETING_FREQUENCY.items()}


def _parse_frequencies(value: Any) -> dict[str, str]:
    out = _default_frequencies()
    out.update({k: v for k, v in json_object(value).items() if k in out and v in rules.FREQUENCY_LABELS})
    return out


def set_meeting_frequencies(ctx: ServiceContext, frequencies: dict[str, str]) -> None:
    for kind, freq in frequencies.items():
        if kind not in MEETING_KIND_LABELS or freq not in rules.FREQUENCY_LABELS:
            raise ValidationError(f"会议频次设置无效：{kind}={freq}", field="frequency")
    with ctx.write() as uow:
        scope.check_street_wide(uow.session, "三会一课频次")
        store_setting(uow, FREQUENCY_SETTING, frequencies, "三会一课频次设置")


# ---------------------------------------------------------------- records


def expected_attendees(ctx: ServiceContext, org_id: int) -> list[tuple[int, str, str]]:
    """(id, name, stage) of the members who should attend: the organisation's 党员 (a 党小组's own members)."""
    require(ctx, PARTY)
    with ctx.read() as s:
        org = get_or_raise(s, PartyOrg, org_id, "党组织")
        scope.check_org(s, org)
        where = (
            PartyMember.group_id == org.id if org.kind == PartyOrgKind.GROUP else PartyMember.org_id == org.id
        )
        rows = s.execute(
            select(PartyMember.id, PartyMember.name, PartyMember.stage)
            .where(
                where,
                PartyMember.status == MembershipStatus.ACTIVE,
                PartyMember.stage.in_(list(MEMBER_STAGES)),
            )
            .order_by(PartyMember.name_initials)
        )
        return [(i, n, st) for i, n, st in rows]


def _absentees_text(rows: list[tuple[str, str, str | None]]) -> str | None:
    parts = [
        f"{name}（{label_of(ATTENDANCE_LABELS, status)}{'：' + reason if reason else ''}）"
        for name, status, reason in rows
    ]
    return "、".join(parts) or None


def save_meeting(
    ctx: ServiceContext, data: MeetingInput, today: dt.date | None = None
) -> tuple[int, list[str]]:
    """Record (or correct) a meeting with its attendance. Returns its id and warnings (quorum)."""
    today = today or ctx.today()
    if data.kind not in MEETING_KIND_LABELS:
        raise ValidationError(f"会议类型“{data.kind}”无效。", field="kind")
    topic = clean_free_text(data.topic)
    if not topic:
        raise ValidationError("请填写会议议题（党课填写题目）。", field="topic")
    if len(topic) > 200:
        raise ValidationError("议题不能超过 200 个字。", field="topic")
    if data.held_on > today:
        raise ValidationError("会议日期不能晚于今天（计划中的会议请在开完后登记）。", field="held_on")
    also = [k for k in dict.fromkeys(data.also_counts_as) if k != data.kind]
    for k in also:
        if k not in MEETING_KIND_LABELS:
            raise ValidationError(f"会议类型“{k}”无效。", field="also_counts_as")
    warnings: list[str] = []
    with ctx.write() as uow:
        s = uow.session
        org = get_or_raise(s, PartyOrg, data.org_id, "党组织")
        scope.check_org(s, org)
        if org.retired_on is not None and (data.id is None):
            raise ValidationError(f"党组织“{org.name}”已撤销。", field="org_id")
        if (org.kind == PartyOrgKind.GROUP) != (data.kind == MeetingKind.GROUP):
            raise ValidationError(
                "党小组只登记党小组会。"
                if org.kind == PartyOrgKind.GROUP
                else "党小组会请登记在相应的党小组下。",
                field="kind",
            )
        current = None
        if data.id is not None:
            current = get_or_raise(s, PartyMeeting, data.id, "会议记录")
            scope.check_org_id(s, current.org_id)
            check_version(current.version, data.version, "会议记录")
        expected, present, absentees = data.expected, data.present, clean_free_text(data.absentees) or None
        attendance_rows: list[MeetingAttendance] = []
        if data.attendance is not None:
            ids = [a.member_id for a in data.attendance]
            if len(set(ids)) != len(ids):
                raise ValidationError("签到名单中有重复的人员。", field="attendance")
            people = {m.id: m for m in s.scalars(select(PartyMember).where(PartyMember.id.in_(ids)))}
            org_ids = subtree_ids(s, org.id)
            missing: list[tuple[str, str, str | None]] = []
            for a in data.attendance:
                m = people.get(a.member_id)
                if m is None or not (m.org_id in org_ids or m.group_id == org.id):
                    raise ValidationError(
                        f"签到名单中的人员（编号 {a.member_id}）不属于“{org.name}”。", field="attendance"
                    )
                if a.status not in ATTENDANCE_LABELS:
                    raise ValidationError(f"出席情况“{a.status}”无效。", field="attendance")
                reason = clean_free_text(a.reason)[:100] or None
                attendance_rows.append(MeetingAttendance(member_id=m.id, status=a.status, reason=reason))
                if a.status != AttendanceStatus.PRESENT:
                    missing.append((m.name, a.status, reason))
            expected = len(data.attendance)
            present = sum(1 for a in data.attendance if a.status == AttendanceStatus.PRESENT)
            absentees = _absentees_text(missing) or absentees
        if expected is not None and present is not None:
            if present > expected:
                raise ValidationError(
                    f"实到人数（{present}）不能多于应到人数（{expected}）。", field="present"
                )
            if data.kind in (MeetingKind.MEMBER_ASSEMBLY, MeetingKind.COMMITTEE) and present * 2 <= expected:
                warnings.append(f"到会 {present} 人，未超过应到 {expected} 人的半数，会议作出的决定无效")
            if data.is_election and present * 5 < expected * 4:
                warnings.append(
                    f"选举须有应到会人数的五分之四以上到会（应到 {expected} 人，实到 {present} 人）"
                )
        before = None if current is None else snapshot(current)
        meeting = current or PartyMeeting(org_id=org.id, kind=data.kind, held_on=data.held_on, topic=topic)
        if current is None:
            s.add(meeting)
        meeting.org_id, meeting.kind, meeting.held_on, meeting.topic = org.id, data.kind, data.held_on, topic
        meeting.also_counts_as = ",".join(also) or None
        meeting.start_time = clean_text(data.start_time)[:5] or None
        for key in ("place", "chair", "recorder", "lecturer"):
            setattr(
                meeting, key, clean_free_text(getattr(data, key))[: 100 if key == "place" else 50] or None
            )
        meeting.is_election = bool(data.is_election)
        meeting.expected, meeting.present, meeting.absentees = expected, present, absentees
        meeting.summary = clean_free_text(data.summary) or None
        meeting.resolutions = clean_free_text(data.resolutions) or None
        s.flush()
        if data.attendance is not None:
            for old in s.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)):
                s.delete(old)
            s.flush()
            for row in attendance_rows:
                row.meeting_id = meeting.id
                s.add(row)
        s.flush()
        uow.audit(
            "create" if current is None else "update",
            "party_meeting",
            meeting.id,
            summary=f"{org.name} {label_of(MEETING_KIND_LABELS, data.kind)}（{data.held_on}）：{topic}",
            before=before,
            after=snapshot(meeting) | {"attendance": [(a.member_id, a.status) for a in attendance_rows]},
        )
        return meeting.id, warnings


def retire_meeting(ctx: ServiceContext, meeting_id: int, reason: str, today: dt.date | None = None) -> None:
    """作废 a meeting record entered by mistake (kept, marked retired)."""
    reason = clean_free_text(reason)
    if not reason:
        raise ValidationError("请填写作废原因。", field="reason")
    with ctx.write() as uow:
        m = get_or_raise(uow.session, PartyMeeting, meeting_id, "会议记录")
        scope.check_org_id(uow.session, m.org_id)
        if m.retired_on is not None:
            raise ValidationError("该会议记录已作废。")
        before = snapshot(m)
        m.retired_on, m.retired_reason = today or ctx.today(), reason[:200]
        uow.session.flush()
        uow.audit(
            "retire",
            "party_meeting",
            m.id,
            summary=f"作废会议记录：{m.topic}（{reason}）",
            before=before,
            after=snapshot(m),
        )


def _meeting_row(m: PartyMeeting, org_name: str, attendance: tuple[AttendanceRow, ...] = ()) -> MeetingRow:
    return MeetingRow(
        m.id, m.org_id, org_name, m.kind, label_of(MEETING_KIND_LABELS, m.kind),
        tuple(k for k in (m.also_counts_as or "").split(",") if k), m.held_on, m.start_time, m.topic, m.place,
        m.chair, m.recorder, m.lecturer, m.is_election, m.expected, m.present, m.absentees, m.summary,
        m.resolutions, m.version, attendance,
    )  # fmt: skip


def list_meetings(
    ctx: ServiceContext, org_id: int | None = None, since: dt.date | None = None, kind: str | None = None
) -> list[MeetingRow]:
    """Meetings (newest first) of ``org_id`` and the organisations below it."""
    require(ctx, PARTY)
    with ctx.read() as s:
        scope.check_org_id(s, org_id)
        q = select(PartyMeeting).where(PartyMeeting.retired_on.is_(None))
        if (reach := scope.org_ids_in_scope(s)) is not None:
            q = q.where(PartyMeeting.org_id.in_(sorted(reach)))
        if org_id is not None:
            q = q.where(PartyMeeting.org_id.in_(subtree_ids(s, org_id)))
        if since is not None:
            q = q.where(PartyMeeting.held_on >= since)
        if kind is not None:
            q = q.where(or_(PartyMeeting.kind == kind, PartyMeeting.also_counts_as.contains(kind)))
        orgs = {k: v for k, v in s.execute(select(PartyOrg.id, PartyOrg.name))}
        return [
            _meeting_row(m, orgs.get(m.org_id, ""))
            for m in s.scalars(q.order_by(PartyMeeting.held_on.desc(), PartyMeeting.id.desc()))
        ]


def get_meeting(ctx: ServiceContext, meeting_id: int) -> MeetingRow:
    require(ctx, PARTY)
    with ctx.read() as s:
        m = get_or_raise(s, PartyMeeting, meeting_id, "会议记录")
        org = s.get(PartyOrg, m.org_id)
        scope.check_org(s, org)
        rows = s.execute(
            select(MeetingAttendance, PartyMember.name)
            .join(PartyMember, PartyMember.id == MeetingAttendance.member_id)
            .where(MeetingAttendance.meeting_id == m.id)
            .order_by(PartyMember.name_initials)
        )
        attendance = tuple(
            AttendanceRow(a.member_id, name, a.status, label_of(ATTENDANCE_LABELS, a.status), a.reason)
            for a, name in rows
        )
        return _meeting_row(m, org.name if org else "", attendance)


# ---------------------------------------------------------------- overdue


def meeting_overview(
    ctx: ServiceContext, today: dt.date | None = None, org_id: int | None = None
) -> list[OrgMeetings]:
    """For every active branch, group and committee: each required kind, last held and whether overdue."""
    require(ctx, PARTY)
    today = today or ctx.today()
    frequencies = meeting_frequencies(ctx)
    with ctx.read() as s:
        orgs = list(
            s.scalars(
                select(PartyOrg).where(PartyOrg.retired_on.is_(None)).order_by(PartyOrg.sort_key, PartyOrg.id)
            )
        )
        scope.check_org_id(s, org_id)
        if (reach := scope.org_ids_in_scope(s)) is not None:
            orgs = [o for o in orgs if o.id in reach]
        if org_id is not None:
            keep = subtree_ids(s, org_id)
            orgs = [o for o in orgs if o.id in keep]
        posts = current_posts(s)
        full: dict[int, int] = {
            oid: n
            for oid, n in s.execute(
                select(PartyMember.org_id, func.count())
                .where(PartyMember.status == MembershipStatus.ACTIVE, PartyMember.stage == MemberStage.FULL)
                .group_by(PartyMember.org_id)
            )
        }
        held: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
        since = dt.date(today.year - 2, 1, 1)
        for oid, kind, also, day in s.execute(
            select(
                PartyMeeting.org_id, PartyMeeting.kind, PartyMeeting.also_counts_as, PartyMeeting.held_on
            ).where(PartyMeeting.retired_on.is_(None), PartyMeeting.held_on >= since)
        ):
            for k in rules.kinds_counted(kind, also):
                held[(oid, k)].append(day)
    out = []
    for o in orgs:
        committee = rules.holds_committee((p.post for p in posts.get(o.id, [])), full.get(o.id, 0))
        items = []
        for kind in rules.required_meetings(o.kind, committee):
            freq = frequencies.get(kind, "NONE")
            if freq == "NONE":
                continue
            items.append(
                rules.meeting_due(kind, freq, held.get((o.id, kind), []), today, since=o.established_on)
            )
        if items:
            out.append(OrgMeetings(o.id, o.name, o.kind, label_of(ORG_KIND_LABELS, o.kind), tuple(items)))
    return out
