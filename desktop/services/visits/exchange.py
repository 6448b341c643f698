"""``shequ import visits``: a sheet of visits, one resident a row (公民身份号码, 走访日期, 走访人, 走访方式,
情况记录), checked row by row; the valid rows are written in one transaction, the others reported as
行号/字段/值/原因. Header synonyms are accepted as for the resident roster. A row that repeats a visit
already recorded (same resident, date, visitor and way) is counted as unchanged, so a file can be
imported twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sqlalchemy import select

from db.schema.people import Resident, ResidentStatus
from db.schema.visits import Visit, VisitMember
from desktop.domain import visits as rules
from desktop.domain.text import clean_text
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec
from desktop.exchange.issues import ImportIssue
from desktop.exchange.reading import read_table
from desktop.exchange.report import ImportReport
from desktop.exchange.residents import RESIDENT_COLUMNS, read_id_number
from desktop.exchange.values import ValueProblem, parse_date
from desktop.services.access import resident_scope
from desktop.services.context import ServiceContext
from desktop.services.visits.record import FINDINGS_LIMIT

_ID = RESIDENT_COLUMNS["id_number"]
VISIT_COLUMNS = ColumnSpec(
    (
        Column("id_number", _ID.header, _ID.synonyms, required=True, kind=ColumnKind.TEXT, max_width=22),
        Column("name", "姓名", ("居民姓名", "走访对象"), kind=ColumnKind.TEXT, max_width=12),
        Column(
            "visited_on", "走访日期", ("走访时间", "日期", "入户日期"), required=True, kind=ColumnKind.DATE
        ),
        Column(
            "visitor", "走访人", ("走访人员", "网格员", "走访网格员"), required=True, kind=ColumnKind.TEXT
        ),
        Column("way", "走访方式", ("方式", "走访形式"), required=True, kind=ColumnKind.TEXT, max_width=8),
        Column(
            "findings",
            "情况记录",
            ("走访情况", "走访内容", "情况", "备注"),
            required=True,
            kind=ColumnKind.TEXT,
        ),
    )
)
_HEADER = {c.key: c.header for c in VISIT_COLUMNS}


@dataclass
class VisitImportReport(ImportReport):
    noun: ClassVar[str] = "走访记录"
    measure: ClassVar[str] = "条"


class _DryRun(Exception):
    pass


def import_visits(
    ctx: ServiceContext,
    path: Path,
    sheet: str | None = None,
    dry_run: bool = False,
) -> VisitImportReport:
    """Read ``path`` (.xlsx/.xls/.csv) and record a one-resident visit per valid row."""
    today = ctx.today()
    table = read_table(Path(path), VISIT_COLUMNS, sheet)
    report = VisitImportReport.for_table(table, dry_run=dry_run)
    issues: list[ImportIssue] = []

    def bad(row: int, key: str, value: object, reason: str) -> None:
        issues.append(ImportIssue(row, _HEADER[key], value, reason, code=key))

    try:
        with ctx.write() as uow:
            s = uow.session
            query = select(
                Resident.id, Resident.id_number, Resident.name, Resident.status, Resident.grid_id
            ).where(Resident.id_number.is_not(None))
            scope = resident_scope(ctx)  # only the account's residents can be visited through a file
            if scope is not None:
                query = query.where(scope.condition(Resident.community_id, Resident.grid_id))
            ids = {n: (rid, name, status, gid) for rid, n, name, status, gid in s.execute(query)}
            unknown = "居民库中没有这个身份证号码，请先登记居民"
            if scope is not None:
                unknown = "本账号负责的社区或网格内没有这个身份证号码的居民"
            seen: set[tuple[int, dt.date, str, str]] = set()
            for rec in table.records:
                before = len(issues)
                reading = read_id_number(rec.cell("id_number"), today)
                person = None
                if reading.value is None:
                    bad(
                        rec.row,
                        "id_number",
                        reading.shown or rec.raw("id_number"),
                        reading.problem or "不能为空",
                    )
                elif (person := ids.get(reading.value)) is None:
                    bad(rec.row, "id_number", reading.value, unknown)
                elif person[2] != ResidentStatus.ACTIVE:
                    bad(rec.row, "id_number", reading.value, f"{person[1]}已不在册，不能登记走访")
                elif table.has("name") and (given := clean_text(rec.value("name"))) and given != person[1]:
                    bad(rec.row, "name", given, f"与身份证号码对应的居民“{person[1]}”不一致")
                try:
                    day = parse_date(rec.value("visited_on"), field="走访日期")
                except ValueProblem as exc:
                    day = None
                    bad(rec.row, "visited_on", rec.raw("visited_on"), str(exc))
                else:
                    if day is None:
                        bad(rec.row, "visited_on", None, "不能为空")
                    elif day > today:
                        bad(rec.row, "visited_on", day, f"走访日期不能晚于今天（{today:%Y-%m-%d}）")
                visitor = clean_text(rec.value("visitor"))
                if not visitor or len(visitor) > 50:
                    bad(rec.row, "visitor", visitor, "不能为空" if not visitor else "过长（最多 50 字）")
                way = rules.way_code(clean_text(rec.value("way")))
                if way is None:
                    bad(rec.row, "way", rec.raw("way"), f"应为{'、'.join(rules.WAY_LABELS.values())}之一")
                findings = str(rec.value("findings") or "").strip()
                if not findings or len(findings) > FINDINGS_LIMIT:
                    bad(
                        rec.row,
                        "findings",
                        findings[:40],
                        "不能为空" if not findings else f"过长（最多 {FINDINGS_LIMIT} 字）",
                    )
                if len(issues) > before or person is None or day is None or way is None:
                    continue
                rid = person[0]
                key = (rid, day, visitor, way)
                exists = key in seen or s.scalar(
                    select(Visit.id)
                    .join(VisitMember, VisitMember.visit_id == Visit.id)
                    .where(VisitMember.resident_id == rid, Visit.visited_on == day, Visit.visitor == visitor,
                           Visit.way == way).limit(1)
                )  # fmt: skip
                seen.add(key)
                if exists:
                    report.unchanged += 1
                    continue
                visit = Visit(
                    visited_on=day, visitor=visitor, way=way, findings=findings, grid_id=person[3],
                    recorded_by=uow.actor.user, recorded_at=uow.clock.utcnow(),
                )  # fmt: skip
                visit.members = [VisitMember(resident_id=rid, visited_on=day)]
                s.add(visit)
                report.created += 1
            s.flush()
            report.issues = issues
            report.rejected = len({i.row for i in issues if i.is_error})
            if dry_run:
                raise _DryRun
            if report.created:
                uow.audit(
                    "import", "visit", None,
                    summary=f"导入走访记录：{Path(path).name}，新建 {report.created}，未变 {report.unchanged}，"
                            f"拒绝 {report.rejected} 行",
                    after={"file": str(Path(path).resolve()), "rows": report.rows_read, "created": report.created},
                )  # fmt: skip
    except _DryRun:
        pass
    report.issues = issues
    report.rejected = len({i.row for i in issues if i.is_error})
    return report
