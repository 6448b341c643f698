"""What a whistled department owes the community, for the 督办 list: open events whose department has not
signed for the whistle within 1 hour, or not contacted the community within 24 hours, or did so late —
computed from the step records at a moment ``as_of`` (``detail.whistle_status``), never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.schema.events import GridEvent
from db.schema.structure import Grid
from desktop.domain.events import format_end
from desktop.services.context import ServiceContext
from desktop.services.events.detail import StepInfo, WhistleStatus, whistle_status
from desktop.services.judicial.common import load_calendar


@dataclass(frozen=True)
class DutyRow:
    event_id: int
    event_no: str
    grid_name: str
    category: str
    department: str | None
    status: WhistleStatus
    problems: tuple[str, ...]

    @property
    def sign_text(self) -> str:
        return _answer(self.status.signed_at, self.status.due.sign_by)

    @property
    def contact_text(self) -> str:
        return _answer(self.status.contacted_at, self.status.due.contact_by)


def _answer(done: dt.datetime | None, due: dt.datetime) -> str:
    """ "应 11-23 10:00；10:40 超时" (the date again when another day) / "应 11-23 10:00；未办" / "… 按时"."""
    head = f"应 {format_end(due)[5:]}"
    if done is None:
        return head + "；未办"
    when = f"{done:%H:%M}" if done.date() == due.date() else f"{done:%m-%d %H:%M}"
    return head + f"；{when} " + ("超时" if done > due else "按时")


def whistle_duties(ctx: ServiceContext, *, as_of: dt.datetime | None = None) -> list[DutyRow]:
    """Open whistled events whose 签收 or 联系社区 is overdue or was late at ``as_of``, the oldest whistle
    first (报到 is judged by the event's own light and the card)."""
    as_of = as_of or ctx.now()
    with ctx.read() as s:
        cal = load_calendar(s)
        events = s.scalars(
            select(GridEvent)
            .where(GridEvent.closed_at.is_(None), GridEvent.whistle_kind.is_not(None))
            .options(selectinload(GridEvent.steps))
        ).all()
        grids = {gid: name for gid, name in s.execute(select(Grid.id, Grid.name))}
        out = []
        for e in events:
            steps = [
                StepInfo(st.id, st.kind, st.at, st.actor, st.department, st.note, st.state_after,
                         st.whistle_kind, st.rating, st.passed, st.extension_days, st.new_deadline,
                         st.recorded_by)
                for st in e.steps
                if st.at <= as_of
            ]  # fmt: skip
            status = whistle_status(steps, cal)
            if status is None:
                continue
            late = [p for p in status.problems(as_of) if "签收" in p or "联系社区" in p]
            if late:
                out.append(
                    DutyRow(
                        e.id,
                        e.event_no,
                        grids.get(e.grid_id, ""),
                        e.category,
                        e.department,
                        status,
                        tuple(late),
                    )
                )
    out.sort(key=lambda r: r.status.due.at)
    return out
