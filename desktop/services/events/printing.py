"""Printing the 事件处置单 (派单) of an event and the monthly 事件台账 (CLI ``shequ print event`` and
``shequ report event-ledger``): the records gathered into ``documents.events``' plain data, the files
written, each print audited (a file with personal data leaves the program)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import func, select

from db.schema.events import EventStep, GridEvent
from db.schema.structure import Community, Grid, Street
from desktop.core.errors import NotFoundError, ValidationError
from desktop.documents import events as docs
from desktop.domain.accounts import EVENTS
from desktop.domain.events import (
    LIGHT_LABELS,
    RATING_LABELS,
    STATE_LABELS,
    URGENCY_LABELS,
    WHISTLE_LABELS,
    WHISTLE_REPORT_LIMITS,
    TimeLimit,
    whistle_due,
)
from desktop.domain.text import clean_text
from desktop.exchange.columns import Column, ColumnKind
from desktop.exchange.writing import write_table
from desktop.services.access import (
    check_community_in_session,
    check_grid_in_session,
    require,
    resident_scope,
)
from desktop.services.context import ServiceContext
from desktop.services.events.common import light_of
from desktop.services.events.exchange import month_bounds
from desktop.services.events.intake import parse_event_no
from desktop.services.judicial.common import load_calendar


def seal_name(community: str) -> str:
    """The body that seals for a community: 新华社区 → 新华社区居民委员会, 王家村 → 王家村村民委员会."""
    if community.endswith("委员会"):
        return community
    if community.endswith("社区"):
        return f"{community}居民委员会"
    if community.endswith("村"):
        return f"{community}村民委员会"
    return community


def _pages(path: Path) -> int:
    return len(re.findall(rb"/Type /Page[^s]", path.read_bytes()))


def _check_pdf(out: Path) -> None:
    if out.suffix.lower() != ".pdf":
        raise ValidationError(
            f"请把文书保存为 .pdf 文件（而不是“{out.suffix or '无扩展名'}”）。", field="out"
        )
    if not out.parent.is_dir():
        raise ValidationError(f"文件夹“{out.parent}”不存在。", field="out")


def dispatch_sheet(ctx: ServiceContext, event_no: str) -> tuple[int, docs.DispatchSheet]:
    """The 处置单 of the event numbered ``event_no`` (its id and the sheet's data)."""
    number = parse_event_no(event_no)
    if number is None:
        raise ValidationError(f"事件编号“{event_no}”格式不正确，应为 SJ2026-000123。", field="event_no")
    no = f"SJ{number[0]}-{number[1]:06d}"
    require(ctx, EVENTS)
    with ctx.read() as s:
        e = s.scalar(select(GridEvent).where(GridEvent.event_no == no))
        if e is None:
            raise NotFoundError(f"没有编号为 {no} 的事件。")
        check_grid_in_session(s, e.grid_id, f"事件 {no} ")
        grid = s.get(Grid, e.grid_id)
        community = s.get(Community, grid.community_id) if grid else None
        cal = load_calendar(s)
        whistle = next((st for st in reversed(e.steps) if st.kind == "WHISTLE"), None)
        dispatch = next((st for st in reversed(e.steps) if st.kind == "DISPATCH"), None)
        times = None
        if whistle is not None:
            kind = whistle.whistle_kind or "PROGRESS"
            due = whistle_due(kind, whistle.at, cal)
            times = docs.WhistleTimes(
                WHISTLE_LABELS[kind],
                whistle.at,
                due.sign_by,
                due.contact_by,
                due.report_by,
                str(WHISTLE_REPORT_LIMITS[kind]),
            )
        sheet = docs.DispatchSheet(
            event_no=e.event_no,
            source=e.source,
            received_at=e.received_at,
            grid=f"{grid.name}（{grid.code}）" if grid else "",
            place=e.place,
            category=e.category + (f"／{e.subcategory}" if e.subcategory else ""),
            urgency=URGENCY_LABELS.get(e.urgency, e.urgency),
            description=e.description,
            reporter="　".join(x for x in (e.reporter_name, e.reporter_phone) if x),
            department=(dispatch.department if dispatch else None) or e.department,
            limit=str(TimeLimit(e.limit_amount, e.limit_unit)),
            deadline=e.deadline,
            extended_days=e.extended_days,
            whistle=times,
            dispatched_at=dispatch.at if dispatch else None,
            dispatcher=dispatch.actor if dispatch else None,
            community=seal_name(community.name) if community else "",
            printed_on=ctx.today(),
        )
        return e.id, sheet


def print_dispatch(ctx: ServiceContext, event_no: str, out: Path, *, audit: bool = True) -> tuple[Path, int]:
    """Write the 事件处置单 of ``event_no`` to ``out`` (.pdf); returns (path, pages). Audited unless a preview."""
    out = Path(out)
    _check_pdf(out)
    event_id, sheet = dispatch_sheet(ctx, event_no)
    path = docs.write_dispatch(sheet, out)
    pages = _pages(path)
    if audit:
        with ctx.write() as uow:
            uow.audit(
                "print",
                "grid_event",
                event_id,
                summary=f"生成事件处置单：{sheet.event_no}（{sheet.department or '未指定部门'}，{pages} 页）",
                after={"file": str(path.resolve()), "document": "dispatch", "pages": pages},
            )
    return path, pages


# ---------------------------------------------------------------- 事件台账


def _outcome(e: GridEvent, as_of: dt.datetime, light: str | None) -> str:
    if e.closed_at is not None and e.closed_at <= as_of:
        return "按期办结" if e.closed_at <= e.deadline else "超期办结"
    return "超期未办结" if light == "red" else "办理中"


def event_ledger(ctx: ServiceContext, month: str, *, community: str | None = None) -> docs.EventLedger:
    """Every event received in ``month`` ("YYYY-MM") in the street or ``community`` (a name), oldest first,
    with its light and outcome at the moment the ledger is made.

    Scope: a 社区书记 gets their community's ledger (asking for the street gives it too; another community
    is refused); a 网格员 gets the ledger of their own grids — the events they report and follow."""
    start, end = month_bounds(month)
    now = ctx.now()
    if start > now:
        raise ValidationError(f"{start.year}年{start.month}月尚未开始，没有事件台账。", field="month")
    require(ctx, EVENTS)
    account = resident_scope(ctx)
    with ctx.read() as s:
        cal = load_calendar(s)
        scope_id = None
        if community:
            found = s.scalar(select(Community).where(Community.name == clean_text(community)))
            if found is None:
                raise NotFoundError(f"没有名为“{community}”的社区。")
            scope, scope_id = found.name, found.id
        else:
            scope = s.scalar(select(Street.name).order_by(Street.id).limit(1)) or "全街道"
        if account is not None and account.grid_ids is None:  # a community's account: that community
            if scope_id is not None and scope_id != account.community_id:
                check_community_in_session(s, scope_id, None, f"社区“{scope}”")
            scope_id = account.community_id
            scope = s.scalar(select(Community.name).where(Community.id == scope_id)) or scope
        elif account is not None:
            names = s.scalars(select(Grid.name).where(account.grid_condition(Grid.id)).order_by(Grid.code))
            scope = "、".join(names) or scope
        grids = {g.id: g for g in s.scalars(select(Grid))}
        q = select(GridEvent).where(GridEvent.received_at >= start, GridEvent.received_at < end)
        if scope_id is not None:
            q = q.where(GridEvent.grid_id.in_(select(Grid.id).where(Grid.community_id == scope_id)))
        if account is not None:
            q = q.where(account.grid_condition(GridEvent.grid_id))
        events = list(s.scalars(q.order_by(GridEvent.received_at, GridEvent.id)))
        supervised = dict(
            s.execute(
                select(EventStep.event_id, func.count())
                .where(EventStep.kind == "SUPERVISE", EventStep.event_id.in_([e.id for e in events]))
                .group_by(EventStep.event_id)
            ).all()
        )
        whistles = dict(
            s.execute(
                select(EventStep.event_id, EventStep.whistle_kind)
                .where(EventStep.kind == "WHISTLE", EventStep.event_id.in_([e.id for e in events]))
                .order_by(EventStep.id)
            ).all()
        )
        rows = []
        for e in events:
            lit = light_of(e.deadline, e.closed_at, e.limit_unit, e.limit_amount, e.extended_days, now, cal)
            grid = grids.get(e.grid_id)
            closed = e.closed_at if e.closed_at is not None and e.closed_at <= now else None
            rows.append(
                docs.LedgerRow(
                    event_no=e.event_no,
                    received_at=e.received_at,
                    source=e.source,
                    grid=grid.name if grid else "",
                    category=e.category + (f"／{e.subcategory}" if e.subcategory else ""),
                    urgency=URGENCY_LABELS.get(e.urgency, e.urgency),
                    place=e.place,
                    department=e.department,
                    whistle=WHISTLE_LABELS.get(whistles.get(e.id) or "", None) if e.id in whistles else None,
                    deadline=e.deadline,
                    extended_days=e.extended_days,
                    light=LIGHT_LABELS.get(lit or "", None),
                    state=STATE_LABELS.get(e.state, e.state),
                    outcome=_outcome(e, now, lit),
                    closed_at=closed,
                    rating=RATING_LABELS.get(e.rating or "", None),
                    supervised=int(supervised.get(e.id, 0)),
                )
            )
    return docs.EventLedger(
        title=f"{scope}网格事件台账",
        month_label=f"{start.year}年{start.month}月",
        scope=scope,
        as_of=now,
        printed_on=ctx.today(),
        rows=rows,
    )


#: the workbook's columns: the PDF's headers, every cell text (dates as 2026年2月26日)
_LEDGER_WIDTHS = {"序号": 6, "事件编号": 16, "地点": 30, "办结时限": 24, "办理结果": 16}
LEDGER_COLUMNS = tuple(
    Column(
        f"c{i}", h, kind=ColumnKind.NUMBER if i == 0 else ColumnKind.TEXT, max_width=_LEDGER_WIDTHS.get(h, 20)
    )
    for i, h in enumerate(docs.LEDGER_HEADERS)
)


def export_ledger(
    ctx: ServiceContext,
    month: str,
    out: Path,
    *,
    xlsx: Path | None = None,
    community: str | None = None,
) -> docs.EventLedger:
    """The 事件台账 of ``month`` as a PDF (``out``) and, with ``xlsx``, a workbook; audited."""
    out = Path(out)
    _check_pdf(out)
    if xlsx is not None and Path(xlsx).suffix.lower() != ".xlsx":
        raise ValidationError(
            f"工作簿请保存为 .xlsx 文件（而不是“{Path(xlsx).suffix or '无扩展名'}”）。", field="xlsx"
        )
    ledger = event_ledger(ctx, month, community=community)
    docs.write_ledger(ledger, out)
    if xlsx is not None:
        cells = [[n, *docs.ledger_cells(n, r)[1:]] for n, r in enumerate(ledger.rows, start=1)]
        write_table(Path(xlsx), LEDGER_COLUMNS, cells, sheet_name="事件台账")
    with ctx.write() as uow:
        uow.audit(
            "print",
            "grid_event",
            None,
            summary=f"生成{ledger.title}（{ledger.month_label}，{len(ledger.rows)} 件）",
            after={"file": str(out.resolve()), "xlsx": str(Path(xlsx).resolve()) if xlsx else None},
        )
    return ledger
