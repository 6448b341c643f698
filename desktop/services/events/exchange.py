"""网格事件 to and from Excel/CSV (``shequ import events`` / ``shequ export events``; columns:
desktop/exchange/events.py).

Import rules:

* the sheet 事件 if the workbook has one (else the first sheet with the required columns); headers are
  matched with their synonyms (事件来源, 发现时间, 网格编号, 问题描述 …) as for every import;
* every row is parsed first (the 事件编号's form, the moment, the grid by 网格编号 or by name, the same
  number twice in the file), then checked by the intake's own rules (``intake.clean_event``: the source and
  category dictionaries, a moment not in the future, a grid in service, the phone) and written, each row in a
  savepoint: a bad row is rejected with its Excel row number and column, the valid rows are written in
  **one transaction**; ``dry_run`` does all of it and rolls back; nothing is ever half-imported;
* a blank 事件编号 is numbered ``SJ<year>-<seq>`` from the year's counter; a number given and unknown is kept
  (the counter moves past it); a number already in the database **updates** that event, never a second one:
  - 待受理/已受理 (nobody handed it yet): every intake fact may change; a changed category, urgency or time
    of receipt gives it the limit, end and department it should have had, as ``update_event`` does;
  - later (吹哨, 派单, 就地处置, 结案 …): only 地点, 事件描述, 上报人 and 上报人电话 are corrected; 来源, 上报时间,
    所属网格, 事件类别/子类 and 紧急程度 decided its time limit and department, which the loop has acted on, so
    they stay as recorded and the row says so (a warning naming the columns);
* a blank optional cell (事件子类, 紧急程度, 上报人, 上报人电话) keeps what is stored; a new event without
  紧急程度 is 一般; a masked phone (139****5678, as the export writes it) is not read;
* the loop's columns of the export (状态, 亮灯, 承办部门 …) are ignored: steps are recorded in the program.

Exit status as every import: 0 all imported, 2 some rows rejected, 1 nothing to import.

The one transaction holds SQLite's write lock while the rows are written through the intake's own rules
(about 1.4 ms a row: a month's 576 events 0.8 s); unlike the resident import (``residents.import_stage``) it
is not staged outside the lock yet, so a file of several thousand events keeps other windows' saves waiting
for seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from sqlalchemy import select

from db.schema.events import GridEvent
from db.schema.structure import Grid
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.domain.accounts import EVENTS
from desktop.domain.events import LIGHT_LABELS, RATING_LABELS, STATE_LABELS, URGENCY_LABELS, format_end
from desktop.domain.identity import mask_phone
from desktop.domain.text import clean_text, normalize_code
from desktop.exchange import events as cols
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import Record, read_table, sheet_names
from desktop.exchange.report import ImportReport
from desktop.exchange.values import ValueProblem
from desktop.exchange.writing import EXPORT_SUFFIXES, check_suffix, write_table
from desktop.services import audit, backups
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.events.common import light_of
from desktop.services.events.config import EventDictionary, load_event_dictionary
from desktop.services.events.intake import (
    DESCRIPTIVE_FIELDS,
    EDITABLE_STATES,
    EventInput,
    clean_event,
    create_event_in,
    parse_event_no,
    update_event_in,
)
from desktop.services.judicial.common import load_calendar

_HEADER = {c.key: c.header for c in cols.EVENT_COLUMNS}
#: ValidationError.field of the intake → the column to blame
_FIELD_COLUMN = {
    "source": "source", "received_at": "received_at", "grid_id": "grid", "place": "place",
    "category": "category", "subcategory": "subcategory", "urgency": "urgency", "description": "description",
    "reporter_name": "reporter", "reporter_phone": "reporter_phone",
}  # fmt: skip
_SUB_SEPARATORS = ("/", "／", "-", "－", "—", ">", "＞")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _issue(
    row: int, key: str | None, value: object, reason: str, code: str, warning: bool = False
) -> ImportIssue:
    return ImportIssue(
        row,
        _HEADER[key] if key else None,
        value,
        reason,
        Severity.WARNING if warning else Severity.ERROR,
        code,
    )


# ---------------------------------------------------------------- export


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """ "2026-11" → [2026-11-01 00:00, 2026-12-01 00:00); a ValidationError naming the option otherwise."""
    text = clean_text(month).replace("/", "-")
    try:
        year, mon = (int(x) for x in text.split("-"))
        start = dt.datetime(year, mon, 1)
    except ValueError:
        raise ValidationError(
            f"月份“{month}”格式不正确，应写作 YYYY-MM，例如 2026-11。", field="month"
        ) from None
    return start, dt.datetime(year + mon // 12, mon % 12 + 1, 1)


def _grid_labels(grids: list[Grid]) -> dict[int, str]:
    """A grid's name where it is unique, else its 网格编号 (so a re-import finds the same grid)."""
    names: dict[str, int] = {}
    for g in grids:
        names[g.name] = names.get(g.name, 0) + 1
    return {g.id: g.name if names[g.name] == 1 else g.code for g in grids}


def export_events(
    ctx: ServiceContext, out: Path, *, month: str | None = None, as_of: dt.datetime | None = None
) -> int:
    """Write the events (received in ``month``, "YYYY-MM", or all) to ``out`` (.xlsx/.csv), oldest first,
    with their loop's state and the light at ``as_of`` (default now); phones masked. Audited."""
    out = Path(out)
    check_suffix(out, EXPORT_SUFFIXES)
    as_of = as_of or ctx.now()
    bounds = month_bounds(month) if month else None
    require(ctx, EVENTS)
    with ctx.read() as s:
        cal = load_calendar(s)
        labels = _grid_labels(list(s.scalars(select(Grid))))
        q = select(GridEvent).order_by(GridEvent.received_at, GridEvent.id)
        scope = resident_scope(ctx)  # a 网格员's grids, a 社区书记's community
        if scope is not None:
            q = q.where(scope.grid_condition(GridEvent.grid_id))
        if bounds:
            q = q.where(GridEvent.received_at >= bounds[0], GridEvent.received_at < bounds[1])
        rows: list[dict[str, object]] = []
        for e in s.scalars(q):
            lit = light_of(e.deadline, e.closed_at, e.limit_unit, e.limit_amount, e.extended_days, as_of, cal)
            extended = f"已延期{e.extended_days}个工作日" if e.extended_days else ""
            if e.extension_pending:
                extended = "、".join(x for x in (extended, "延期申请待批") if x)
            rows.append(
                {
                    "event_no": e.event_no,
                    "source": e.source,
                    "received_at": cols.format_moment(e.received_at),
                    "grid": labels.get(e.grid_id, ""),
                    "place": e.place,
                    "category": e.category,
                    "subcategory": e.subcategory,
                    "urgency": URGENCY_LABELS.get(e.urgency, e.urgency),
                    "description": e.description,
                    "reporter": e.reporter_name,
                    "reporter_phone": mask_phone(e.reporter_phone) or None,
                    "state": STATE_LABELS.get(e.state, e.state),
                    "light": LIGHT_LABELS.get(lit or "", None),
                    "department": e.department,
                    "deadline": format_end(e.deadline),
                    "extended": extended or None,
                    "closed_at": cols.format_moment(e.closed_at),
                    "rating": RATING_LABELS.get(e.rating or "", None),
                }
            )
    count = write_table(out, cols.EVENT_COLUMNS.columns, rows, sheet_name=cols.EVENTS_SHEET)
    with ctx.write() as uow:
        uow.audit(
            "export",
            "grid_event",
            None,
            summary=f"导出网格事件 {count} 件到 {out.name}" + (f"（{month}）" if month else ""),
            after={"file": str(out.resolve()), "rows": count, "sha256": _sha256(out), "month": month},
        )
    return count


# ---------------------------------------------------------------- import: report, parsed rows


@dataclass
class EventImportReport(ImportReport):
    noun: ClassVar[str] = "事件"
    measure: ClassVar[str] = "件"

    numbers_assigned: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        out = []
        if self.numbers_assigned:
            out.append(f"其中 {self.numbers_assigned} 件没有事件编号，{self.will}按上报年份依次编号。")
        if self.ignored_columns:
            out.append(
                f"以下列只用于查看，导入时不读取（办理环节在程序中登记）：{'、'.join(self.ignored_columns)}。"
            )
        return out


@dataclass
class _Row:
    row: int
    number: tuple[int, int] | None
    data: EventInput
    given: set[str]  # the optional columns the row fills (a blank one keeps what is stored)
    raw: dict[str, object]  # the cells as read, for the messages
    warnings: list[ImportIssue] = field(default_factory=list)


@dataclass(frozen=True)
class _Grids:
    by_code: dict[str, int]
    by_name: dict[str, list[int]]

    def find(self, text: str) -> tuple[int | None, str | None]:
        """The grid's id, or why not."""
        gid = self.by_code.get(normalize_code(text))
        if gid is not None:
            return gid, None
        ids = self.by_name.get(text, [])
        if len(ids) == 1:
            return ids[0], None
        if ids:
            return None, f"有 {len(ids)} 个网格名为“{text}”，请填写网格编号"
        return None, f"没有网格编号或名称为“{text}”的网格"


def _load_grids(ctx: ServiceContext) -> _Grids:
    by_code: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    with ctx.read() as s:
        for g in s.scalars(select(Grid).order_by(Grid.id)):
            by_code[normalize_code(g.code)] = g.id
            by_name.setdefault(clean_text(g.name), []).append(g.id)
    return _Grids(by_code, by_name)


def _split_category(category: str, sub: str, dic: EventDictionary) -> tuple[str, str]:
    """ "环境卫生/垃圾堆放" in one cell → ("环境卫生", "垃圾堆放") when the 事件子类 cell is blank."""
    if sub or dic.category(category) is not None:
        return category, sub
    for sep in _SUB_SEPARATORS:
        head, _, tail = category.partition(sep)
        if tail and dic.category(head.strip()) is not None:
            return head.strip(), tail.strip()
    return category, sub


def _parse(rec: Record, grids: _Grids, dic: EventDictionary) -> tuple[_Row | None, list[ImportIssue]]:
    r, issues = rec.row, []
    number = None
    raw_no = clean_text(rec.text("event_no"))
    if raw_no:
        number = parse_event_no(raw_no)
        if number is None:
            issues.append(
                _issue(
                    r,
                    "event_no",
                    raw_no,
                    "格式不正确，应为 SJ2026-000123（或留空，由程序编号）",
                    "bad_number",
                )
            )
    received = None
    try:
        received, has_time = cols.parse_moment(rec.value("received_at"))
    except ValueProblem as exc:
        issues.append(_issue(r, "received_at", rec.raw("received_at"), str(exc), "bad_moment"))
        has_time = True
    if received is None and not any(i.field == _HEADER["received_at"] for i in issues):
        issues.append(_issue(r, "received_at", None, "不能为空", "required"))
    if number and received and number[0] != received.year:
        issues.append(
            _issue(
                r,
                "event_no",
                raw_no,
                f"编号年份 {number[0]} 与上报时间（{received:%Y-%m-%d}）的年份不符",
                "year",
            )
        )
    grid_text = clean_text(rec.text("grid"))
    grid_id = None
    if not grid_text:
        issues.append(_issue(r, "grid", None, "不能为空", "required"))
    else:
        grid_id, why = grids.find(grid_text)
        if why:
            issues.append(_issue(r, "grid", grid_text, why, "unknown_grid"))
    phone = clean_text(rec.text("reporter_phone"))
    warnings = []
    if "*" in phone:
        phone = ""
    if received is not None and not has_time:
        warnings.append(
            _issue(r, "received_at", rec.raw("received_at"), "未填写时刻，按当日 0 时计", "no_time", True)
        )
    category, sub = _split_category(
        clean_text(rec.text("category")), clean_text(rec.text("subcategory")), dic
    )
    given = {k for k in ("subcategory", "urgency", "reporter", "reporter_phone") if clean_text(rec.text(k))}
    if sub:
        given.add("subcategory")
    if phone == "":
        given.discard("reporter_phone")
    if any(i.is_error for i in issues) or received is None or grid_id is None:
        return None, issues
    data = EventInput(
        source=rec.text("source"),
        received_at=received,
        grid_id=grid_id,
        place=rec.text("place"),
        category=category,
        subcategory=sub or None,
        description=rec.text("description"),
        urgency=clean_text(rec.text("urgency")) or "一般",
        reporter_name=rec.text("reporter") or None,
        reporter_phone=phone or None,
    )
    raw = {c.key: rec.raw(c.key) for c in cols.EVENT_COLUMNS}
    return _Row(r, number, data, given, raw, warnings), issues


# ---------------------------------------------------------------- import: writing


class _DryRun(Exception):
    pass


def _merged(row: _Row, e: GridEvent) -> EventInput:
    """The row's facts, a blank optional cell taking the stored value."""
    d = row.data
    return EventInput(
        source=d.source,
        received_at=d.received_at,
        grid_id=d.grid_id,
        place=d.place,
        category=d.category,
        subcategory=d.subcategory if "subcategory" in row.given else e.subcategory,
        description=d.description,
        urgency=d.urgency if "urgency" in row.given else e.urgency,
        reporter_name=d.reporter_name if "reporter" in row.given else e.reporter_name,
        reporter_phone=d.reporter_phone if "reporter_phone" in row.given else e.reporter_phone,
        resident_id=e.resident_id,
        household_id=e.household_id,
        mediation_case_id=e.mediation_case_id,
    )


def _import_row(
    uow: UnitOfWork,
    row: _Row,
    existing: dict[str, int],
    dic: EventDictionary,
    now: dt.datetime,
    report: EventImportReport,
) -> None:
    s = uow.session
    no = f"SJ{row.number[0]}-{row.number[1]:06d}" if row.number else None
    savepoint = s.begin_nested()
    notes: list[ImportIssue] = []
    try:
        if no is not None and no in existing:
            event = s.get(GridEvent, existing[no])
            assert event is not None
            values = clean_event(s, _merged(row, event), now, dic)
            if event.state in EDITABLE_STATES:
                changed = update_event_in(uow, event, values, dic)
            else:
                changed = update_event_in(uow, event, values, dic, only=DESCRIPTIVE_FIELDS)
                kept = [
                    k for k, v in values.items() if k not in DESCRIPTIVE_FIELDS and getattr(event, k) != v
                ]
                if kept:
                    heads = "、".join(
                        dict.fromkeys(_HEADER[_FIELD_COLUMN[k]] for k in kept if k in _FIELD_COLUMN)
                    )
                    state = STATE_LABELS.get(event.state, event.state)
                    notes.append(
                        _issue(
                            row.row,
                            "event_no",
                            no,
                            f"事件{state}，{heads}未按文件修改（办结时限和承办部门已按登记时确定，办理环节据此进行）；"
                            "只有地点、事件描述、上报人、上报人电话可以更正",
                            "kept",
                            True,
                        )
                    )
            created = False
        else:
            event = create_event_in(uow, row.data, now, dic, number=row.number)
            existing[event.event_no] = event.id
            changed, created = ["*"], True
    except (ValidationError, ConflictError, NotFoundError) as exc:
        savepoint.rollback()
        column = _FIELD_COLUMN.get(getattr(exc, "field", None) or "")
        value = row.raw.get(column) if column else None
        report.issues.append(_issue(row.row, column, value, exc.message.rstrip("。"), "invalid"))
        return
    savepoint.commit()
    report.issues += row.warnings + notes
    if created:
        report.created += 1
        report.numbers_assigned += row.number is None
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


def import_events(
    ctx: ServiceContext,
    path: Path,
    *,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> EventImportReport:
    """Read ``path`` (.xlsx/.xls/.csv), check every row, write the valid ones in one transaction (the rules
    in the module's docstring). ``progress(done, total, text)`` may raise CancelledError: nothing is written."""
    path = Path(path)
    if sheet is None and path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        names = [n.strip() for n in sheet_names(path)]
        sheet = cols.EVENTS_SHEET if cols.EVENTS_SHEET in names else None
    table = read_table(path, cols.EVENT_COLUMNS, sheet)
    report = EventImportReport.for_table(table, dry_run=dry_run)
    report.ignored_columns = [_HEADER[k] for k in cols.EXPORT_ONLY if table.has(k)]
    if report.rows_read == 0:
        return report
    grids = _load_grids(ctx)
    with ctx.read() as s:
        dic = load_event_dictionary(s)
    seen: dict[str, list[int]] = {}
    for rec in table.records:
        parsed = parse_event_no(rec.text("event_no"))
        if parsed:
            seen.setdefault(f"SJ{parsed[0]}-{parsed[1]:06d}", []).append(rec.row)
    rows: list[_Row] = []
    for rec in table.records:
        row, found = _parse(rec, grids, dic)
        parsed = parse_event_no(rec.text("event_no"))
        key = f"SJ{parsed[0]}-{parsed[1]:06d}" if parsed else ""
        if key and len(seen[key]) > 1:
            others = "、".join(str(n) for n in seen[key] if n != rec.row)
            found.append(
                _issue(rec.row, "event_no", key, f"在文件中重复出现（另见第 {others} 行）", "duplicate")
            )
            row = None
        report.issues += found
        if row is not None:
            rows.append(row)
    if rows and not dry_run:
        backups.backup_if_changed(ctx, "import")
    now = ctx.now()
    try:
        with ctx.write() as uow:
            existing = dict(uow.session.execute(select(GridEvent.event_no, GridEvent.id)).all())
            # numbers given first, so a blank row never takes a number a later row of the file keeps
            # every row's audit in compressed blocks, not a record each (issue 16)
            with audit.collected(uow.session, uow.actor, at=uow.clock.utcnow(), entity="grid_event"):
                for n, row in enumerate(sorted(rows, key=lambda x: (x.number is None, x.row))):
                    if progress is not None:
                        progress(n, len(rows), "")
                    _import_row(uow, row, existing, dic, now, report)
            report.rejected = len({i.row for i in report.issues if i.is_error})
            if dry_run:
                raise _DryRun
            uow.audit(
                "import",
                "grid_event",
                None,
                summary=f"导入网格事件：{path.name}，新建 {report.created}，更新 {report.updated}，"
                f"未变 {report.unchanged}，拒绝 {report.rejected} 行",
                after={
                    "file": str(path.resolve()),
                    "sha256": _sha256(path),
                    "rows": report.rows_read,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected": report.rejected,
                },
            )
    except _DryRun:
        pass
    report.rejected = len({i.row for i in report.issues if i.is_error})
    report.issues.sort(key=lambda i: (i.row or 0, not i.is_error))
    return report
