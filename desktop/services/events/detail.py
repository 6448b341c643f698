"""The event card: the event with its names resolved, its light, the whistle's response times, the
timeline of steps, the files, and which steps can be taken now (for the card's buttons)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.schema.mediation import MediationCase
from db.schema.people import Household, Resident
from db.schema.structure import Grid
from desktop.domain.accounts import EVENTS
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.events import (
    LIGHT_LABELS,
    RATING_LABELS,
    STATE_LABELS,
    STEP_LABELS,
    URGENCY_LABELS,
    WHISTLE_LABELS,
    WHISTLE_REPORT_LIMITS,
    TimeLimit,
    WhistleDue,
    allowed_steps,
    format_end,
    whistle_due,
)
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.events.attachments import AttachmentInfo, list_attachments
from desktop.services.events.common import event_light, load_event
from desktop.services.judicial.common import load_calendar
from desktop.services.residents.common import format_address


@dataclass(frozen=True)
class StepInfo:
    id: int
    kind: str
    at: dt.datetime
    actor: str
    department: str | None
    note: str | None
    state_after: str
    whistle_kind: str | None
    rating: str | None
    passed: bool | None
    extension_days: int | None
    new_deadline: dt.datetime | None
    recorded_by: str

    @property
    def label(self) -> str:
        if self.kind == "VERIFY" and self.passed is False:
            return "核查（未通过）"
        if self.kind == "WHISTLE" and self.whistle_kind:
            return f"吹哨（{WHISTLE_LABELS[self.whistle_kind]}）"
        if self.kind == "RATE" and self.rating:
            return f"评价（{RATING_LABELS[self.rating]}）"
        return STEP_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class WhistleStatus:
    """The last 吹哨 and how the department answered it (None: not yet): signed for within 1 hour,
    contacted the community within 24 hours, reported in (报到) within 3 or 5 working days."""

    due: WhistleDue
    department: str | None
    signed_at: dt.datetime | None
    arrived_at: dt.datetime | None
    contacted_at: dt.datetime | None = None  # 联系社区, else the 报到/处置 (they came: they contacted)
    contact_by_arrival: bool = False  # no 联系社区 record: ``contacted_at`` is the 报到/处置

    @property
    def signed_late(self) -> bool:
        return self.signed_at is not None and self.signed_at > self.due.sign_by

    @property
    def contacted_late(self) -> bool:
        return self.contacted_at is not None and self.contacted_at > self.due.contact_by

    @property
    def arrived_late(self) -> bool:
        return self.arrived_at is not None and self.arrived_at > self.due.report_by

    def sign_overdue(self, as_of: dt.datetime) -> bool:
        return self.signed_at is None and as_of > self.due.sign_by

    def contact_overdue(self, as_of: dt.datetime) -> bool:
        return self.contacted_at is None and as_of > self.due.contact_by

    def problems(self, as_of: dt.datetime) -> list[str]:
        """What the department owes or did late at ``as_of``, in words for the card."""
        out = []
        if self.sign_overdue(as_of):
            out.append(f"逾期未签收（应于 {format_end(self.due.sign_by)} 前签收）")
        elif self.signed_late:
            out.append("签收超过 1 小时")
        if self.contact_overdue(as_of):
            out.append(f"逾期未联系社区（应于 {format_end(self.due.contact_by)} 前联系）")
        elif self.contacted_late:
            out.append("联系社区超过 24 小时")
        if self.arrived_at is None and as_of > self.due.report_by:
            out.append(f"逾期未报到（应于 {format_end(self.due.report_by)} 前报到）")
        elif self.arrived_late:
            out.append(f"报到超过{WHISTLE_REPORT_LIMITS[self.due.kind]}")
        return out


def whistle_status(steps: list[StepInfo], cal: HolidayCalendar) -> WhistleStatus | None:
    """The last 吹哨 of ``steps`` and the department's answers after it, from the step records."""
    last = next((i for i in range(len(steps) - 1, -1, -1) if steps[i].kind == "WHISTLE"), None)
    if last is None:
        return None
    w = steps[last]
    later = steps[last + 1 :]
    arrived = next((x.at for x in later if x.kind in ("ARRIVE", "DISPOSE")), None)  # 处置 means they came
    contacted = next((x.at for x in later if x.kind == "CONTACT"), None)
    return WhistleStatus(
        whistle_due(w.whistle_kind or "PROGRESS", w.at, cal),
        w.department,
        next((x.at for x in later if x.kind == "SIGN"), None),
        arrived,
        contacted if contacted is not None else arrived,
        contacted is None and arrived is not None,
    )


@dataclass(frozen=True)
class EventDetail:
    id: int
    event_no: str
    version: int
    source: str
    received_at: dt.datetime
    grid_id: int
    grid_code: str
    grid_name: str
    place: str
    category: str
    subcategory: str | None
    urgency: str
    description: str
    reporter_name: str | None
    reporter_phone: str | None
    resident_id: int | None
    resident_name: str | None
    household_id: int | None
    household_address: str | None
    mediation_case_id: int | None
    mediation_case_no: str | None
    state: str
    department: str | None
    limit: TimeLimit
    deadline: dt.datetime
    extended_days: int
    extension_pending: bool
    closed_at: dt.datetime | None
    rating: str | None
    light: str | None
    as_of: dt.datetime
    whistle: WhistleStatus | None
    steps: list[StepInfo] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # step kinds that can be taken now

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS.get(self.urgency, self.urgency)

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS.get(self.light or "", "")

    @property
    def deadline_text(self) -> str:
        """ "2026-10-13 24:00（5个工作日）" or "… （5个工作日，已延期 3 个工作日）"."""
        extra = f"，已延期 {self.extended_days} 个工作日" if self.extended_days else ""
        return f"{format_end(self.deadline)}（{self.limit}{extra}）"

    @property
    def supervisions(self) -> list[StepInfo]:
        return [s for s in self.steps if s.kind == "SUPERVISE"]


def _actions(
    state: str, light: str | None, pending: bool, handed: bool, rated: bool, contacted: bool = False
) -> list[str]:
    out = []
    for kind in allowed_steps(state):
        if kind == "CONTACT" and contacted:
            continue
        if kind == "EXT_REQUEST" and pending:
            continue
        if kind in ("EXT_APPROVE", "EXT_REFUSE") and not pending:
            continue
        if kind == "SUPERVISE" and light != "red":
            continue
        if kind == "RATE" and (not handed or rated):
            continue
        out.append(kind)
    return out


def _contacted(steps: list[StepInfo]) -> bool:
    """A 联系社区 recorded since the event was last whistled or dispatched."""
    since = max((i for i, s in enumerate(steps) if s.kind in ("WHISTLE", "DISPATCH")), default=-1)
    return any(s.kind == "CONTACT" for s in steps[since + 1 :])


def event_detail(ctx: ServiceContext, event_id: int, *, as_of: dt.datetime | None = None) -> EventDetail:
    require(ctx, EVENTS)
    as_of = as_of or ctx.now()
    with ctx.read() as s:
        e = load_event(s, event_id)  # outside the account's grids or community: refused
        cal = load_calendar(s)
        grid = s.get(Grid, e.grid_id)
        resident = s.get(Resident, e.resident_id) if e.resident_id else None
        household = s.get(Household, e.household_id) if e.household_id else None
        case = s.get(MediationCase, e.mediation_case_id) if e.mediation_case_id else None
        steps = [
            StepInfo(
                st.id,
                st.kind,
                st.at,
                st.actor,
                st.department,
                st.note,
                st.state_after,
                st.whistle_kind,
                st.rating,
                st.passed,
                st.extension_days,
                st.new_deadline,
                st.recorded_by,
            )
            for st in e.steps
        ]
        light = event_light(e, as_of, cal)
        whistle = whistle_status(steps, cal)
        handed = any(x.kind in ("WHISTLE", "DISPATCH") for x in steps) and bool(e.department)
        detail = EventDetail(
            id=e.id,
            event_no=e.event_no,
            version=e.version,
            source=e.source,
            received_at=e.received_at,
            grid_id=e.grid_id,
            grid_code=grid.code if grid else "",
            grid_name=grid.name if grid else "",
            place=e.place,
            category=e.category,
            subcategory=e.subcategory,
            urgency=e.urgency,
            description=e.description,
            reporter_name=e.reporter_name,
            reporter_phone=e.reporter_phone,
            resident_id=e.resident_id,
            resident_name=resident.name if resident else None,
            household_id=e.household_id,
            household_address=(
                format_address(household.estate, household.building, household.unit, household.room)
                if household
                else None
            ),
            mediation_case_id=e.mediation_case_id,
            mediation_case_no=case.case_no if case else None,
            state=e.state,
            department=e.department,
            limit=TimeLimit(e.limit_amount, e.limit_unit),
            deadline=e.deadline,
            extended_days=e.extended_days,
            extension_pending=e.extension_pending,
            closed_at=e.closed_at,
            rating=e.rating,
            light=light,
            as_of=as_of,
            whistle=whistle,
            steps=steps,
            actions=_actions(
                e.state, light, e.extension_pending, handed, e.rating is not None, _contacted(steps)
            ),
        )
    detail.attachments.extend(list_attachments(ctx, event_id))
    return detail
