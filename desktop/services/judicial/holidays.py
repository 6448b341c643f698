"""The holiday calendar (节假日安排): data staff keep up to date each year, in the app or from a file.

* every change (add, edit, delete a day; import a year) is one audited transaction, and in the same
  transaction the stored deadlines of the confirmation tracks and court referrals are recomputed, so a
  corrected calendar corrects every deadline at once;
* importing a file replaces the years it contains (a provisional year, 待官方公布后核对, is replaced by
  the official notice that way); columns 日期, 类型 (放假/上班), 名称, 年度, 待核对, 来源 — the format of
  ``resources/holidays/*.csv`` and of the export;
* a 调休上班 day must fall on a Saturday or Sunday, a 放假 day may fall on any day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.schema.judicial import CourtReferral, DayKind, HolidayDay, JudicialConfirmation
from db.schema.mediation import Agreement, AgreementTerm
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.accounts import JUDICIAL
from desktop.domain.text import clean_text
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec
from desktop.exchange.issues import ImportIssue
from desktop.exchange.reading import read_table
from desktop.exchange.report import ImportReport
from desktop.exchange.values import ValueProblem, parse_bool, parse_count, parse_date
from desktop.exchange.writing import write_table
from desktop.services.access import require, require_login
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial.common import load_calendar

KIND_LABELS = {"HOLIDAY": "放假", "WORKDAY": "上班"}
_KIND_WORDS = {
    "放假": "HOLIDAY",
    "休": "HOLIDAY",
    "假": "HOLIDAY",
    "休息": "HOLIDAY",
    "HOLIDAY": "HOLIDAY",
    "上班": "WORKDAY",
    "班": "WORKDAY",
    "调休上班": "WORKDAY",
    "补班": "WORKDAY",
    "WORKDAY": "WORKDAY",
}
PROVISIONAL_NOTE = "待官方公布后核对"

HOLIDAY_COLUMNS = ColumnSpec(
    (
        Column("day", "日期", ("日子",), required=True, kind=ColumnKind.DATE),
        Column("kind", "类型", ("放假/上班", "安排"), required=True, kind=ColumnKind.TEXT),
        Column("name", "名称", ("节日", "节日名称", "说明"), kind=ColumnKind.TEXT),
        Column("year", "年度", ("年份",), kind=ColumnKind.NUMBER),
        Column("provisional", "待核对", ("待官方公布后核对", "暂定"), kind=ColumnKind.TEXT),
        Column("source", "来源", ("依据",), kind=ColumnKind.TEXT, max_width=80),
    )
)


@dataclass(frozen=True)
class HolidayRow:
    id: int
    day: dt.date
    kind: str
    kind_label: str
    name: str
    year: int
    provisional: bool
    source: str | None
    version: int

    @property
    def weekday_label(self) -> str:
        return "周" + "一二三四五六日"[self.day.weekday()]


@dataclass(frozen=True)
class YearSummary:
    year: int
    holidays: int
    workdays: int
    provisional: bool
    source: str | None

    @property
    def label(self) -> str:
        text = f"{self.year} 年：放假 {self.holidays} 天，调休上班 {self.workdays} 天"
        return text + (f"（{PROVISIONAL_NOTE}）" if self.provisional else "")


@dataclass
class HolidayInput:
    day: dt.date
    kind: str  # HOLIDAY / WORKDAY
    name: str
    year: int | None = None  # default: the day's year
    provisional: bool = False
    source: str | None = None


def _row(h: HolidayDay) -> HolidayRow:
    return HolidayRow(
        h.id,
        h.day,
        h.kind,
        KIND_LABELS.get(h.kind, h.kind),
        h.name,
        h.year,
        h.provisional,
        h.source,
        h.version,
    )


def list_days(ctx: ServiceContext, year: int | None = None) -> list[HolidayRow]:
    """Street-wide reference data: every signed-in account reads it (deadlines everywhere are counted with it);
    only 司法确认 (SETTING_OWNERS' owner of the calendar, ``holiday_calendar`` in accounts) changes it."""
    require_login(ctx)
    with ctx.read() as s:
        q = select(HolidayDay).order_by(HolidayDay.day)
        if year is not None:
            q = q.where(HolidayDay.year == year)
        return [_row(h) for h in s.scalars(q)]


def year_summaries(ctx: ServiceContext) -> list[YearSummary]:
    require_login(ctx)
    with ctx.read() as s:
        rows = list(s.scalars(select(HolidayDay).order_by(HolidayDay.day)))
    by: dict[int, list[HolidayDay]] = defaultdict(list)
    for h in rows:
        by[h.year].append(h)
    out = []
    for year in sorted(by):
        days = by[year]
        kinds = Counter(h.kind for h in days)
        sources = Counter(h.source for h in days if h.source)
        out.append(
            YearSummary(
                year,
                kinds.get("HOLIDAY", 0),
                kinds.get("WORKDAY", 0),
                any(h.provisional for h in days),
                sources.most_common(1)[0][0] if sources else None,
            )
        )
    return out


def missing_years(ctx: ServiceContext, today: dt.date | None = None) -> list[int]:
    """This year and next year, when the calendar has no data or only provisional data for them."""
    today = today or ctx.today()
    cal = ctx_calendar(ctx)
    return [y for y in (today.year, today.year + 1) if y not in cal.years or y in cal.provisional]


def ctx_calendar(ctx: ServiceContext) -> dl.HolidayCalendar:
    with ctx.read() as s:
        return load_calendar(s)


def _check(data: HolidayInput) -> dict[str, object]:
    if data.day is None:
        raise ValidationError("请填写日期。", field="day")
    word = clean_text(data.kind or "")
    kind = _KIND_WORDS.get(word.upper()) or _KIND_WORDS.get(word)
    if kind is None:
        raise ValidationError(f"类型“{data.kind}”无效，应为“放假”或“上班”。", field="kind")
    if kind == DayKind.WORKDAY and data.day.weekday() < 5:
        raise ValidationError(
            f"{data.day:%Y-%m-%d} 是工作日（周{'一二三四五六日'[data.day.weekday()]}），无需登记为调休上班。",
            field="kind",
        )
    name = clean_text(data.name)
    if not name:
        raise ValidationError("请填写名称（如“春节”“国庆节调休上班”）。", field="name")
    if len(name) > 40:
        raise ValidationError("名称过长（最多 40 字）。", field="name")
    year = data.year or data.day.year
    if abs(year - data.day.year) > 1:
        raise ValidationError(f"年度 {year} 与日期 {data.day:%Y-%m-%d} 相差超过一年。", field="year")
    source = clean_text(data.source or "")[:200] or None
    return {"day": data.day, "kind": kind, "name": name, "year": year, "provisional": bool(data.provisional),
            "source": source}  # fmt: skip


def recompute_deadlines(s: Session, cal: dl.HolidayCalendar) -> int:
    """Store the deadlines of every live track and referral again under ``cal``; returns how many changed."""
    changed = 0
    tracks = list(s.scalars(select(JudicialConfirmation).where(JudicialConfirmation.retired_on.is_(None))))
    dues: dict[int, list[dt.date]] = defaultdict(list)
    agreement_ids = [t.agreement_id for t in tracks if t.ruling_on is not None]
    if agreement_ids:
        for aid, d in s.execute(
            select(Agreement.id, Agreement.performance_deadline).where(Agreement.id.in_(agreement_ids))
        ):
            if d:
                dues[aid].append(d)
        for aid, d in s.execute(
            select(AgreementTerm.agreement_id, AgreementTerm.due_on).where(
                AgreementTerm.agreement_id.in_(agreement_ids)
            )
        ):
            if d:
                dues[aid].append(d)
    for t in tracks:
        new = dl.confirmation_deadline(t.effective_on, cal).day
        if new != t.deadline:
            t.deadline = new
            changed += 1
        if t.ruling == "VALID" and t.ruling_on is not None:
            start = dl.enforcement_from(t.ruling_on, dues.get(t.agreement_id, []))
            limit = dl.enforcement_limit(start, cal).day
            if (t.enforcement_from, t.enforcement_limit) != (start, limit):
                t.enforcement_from, t.enforcement_limit = start, limit
                changed += 1
    for r in s.scalars(select(CourtReferral).where(CourtReferral.retired_on.is_(None))):
        new = dl.referral_deadline(r.received_on, r.extension_days, cal).day
        if new != r.deadline:
            r.deadline = new
            changed += 1
    return changed


def _after_change(s: Session) -> int:
    s.flush()
    return recompute_deadlines(s, load_calendar(s))


def save_day(
    ctx: ServiceContext, data: HolidayInput, day_id: int | None = None, version: int | None = None
) -> int:
    require(ctx, JUDICIAL)  # (checked again by the audit; first, so nothing is recomputed for nothing)
    values = _check(data)
    with ctx.write() as uow:
        s = uow.session
        clash = s.scalar(select(HolidayDay).where(HolidayDay.day == values["day"]))
        if clash is not None and clash.id != day_id:
            raise ValidationError(f"{values['day']:%Y-%m-%d} 已登记为“{clash.name}”。", field="day")
        if day_id is None:
            h = HolidayDay(**values)
            s.add(h)
            before = None
        else:
            found = s.get(HolidayDay, day_id)
            if found is None:
                raise NotFoundError("该日期记录已不存在。")
            h = found
            check_version(h.version, version)
            before = snapshot(h)
            for k, v in values.items():
                setattr(h, k, v)
        changed = _after_change(s)
        uow.audit(
            "create" if before is None else "update",
            "holiday_calendar",
            h.id,
            summary=f"节假日安排 {h.day:%Y-%m-%d} {KIND_LABELS[h.kind]}（{h.name}），重算期限 {changed} 处",
            before=before,
            after=snapshot(h),
        )
        return h.id


def delete_day(ctx: ServiceContext, day_id: int, version: int | None = None) -> None:
    """Reference data, not a business record: a wrong day is removed (audited with its values)."""
    require(ctx, JUDICIAL)
    with ctx.write() as uow:
        s = uow.session
        h = s.get(HolidayDay, day_id)
        if h is None:
            raise NotFoundError("该日期记录已不存在。")
        check_version(h.version, version)
        before = snapshot(h)
        s.delete(h)
        changed = _after_change(s)
        uow.audit(
            "delete",
            "holiday_calendar",
            day_id,
            summary=f"删除节假日安排 {before['day']}（{before['name']}），重算期限 {changed} 处",
            before=before,
        )


@dataclass
class HolidayImportReport(ImportReport):
    noun: ClassVar[str] = "节假日安排"
    measure: ClassVar[str] = "天"
    all_or_nothing: ClassVar[bool] = True
    years: list[int] | None = None
    replaced: int = 0
    deadlines_changed: int = 0

    def notes(self) -> list[str]:
        out = []
        if self.rejected:
            rows = "、".join(
                str(r) for r in sorted({i.row for i in self.issues if i.is_error and i.row})[:10]
            )
            out.append(f"有 {self.rejected} 行有错误（第 {rows} 行），整个文件都没有导入：请改正后重新导入")
        if self.years:
            out.append(
                f"{self.will}替换年度：{'、'.join(str(y) for y in self.years)}（原有 {self.replaced} 天）"
            )
        if self.deadlines_changed:
            out.append(f"{self.will}重算司法确认/委派调解期限 {self.deadlines_changed} 处")
        return out


def import_file(
    ctx: ServiceContext, path: Path, *, sheet: str | None = None, dry_run: bool = False
) -> HolidayImportReport:
    """Replace the years in ``path`` with its days. A file with any error row imports nothing."""
    require(ctx, JUDICIAL)
    table = read_table(Path(path), HOLIDAY_COLUMNS, sheet)
    report = HolidayImportReport.for_table(table, dry_run=dry_run)
    parsed: list[dict[str, object]] = []
    seen: dict[dt.date, int] = {}
    for rec in table.records:
        problems: list[ImportIssue] = []
        try:
            day = parse_date(rec.value("day"), field="日期")
        except ValueProblem as exc:
            problems.append(ImportIssue(rec.row, "日期", rec.raw("day"), str(exc), code="date"))
            day = None
        if day is None and not problems:
            problems.append(ImportIssue(rec.row, "日期", None, "不能为空", code="required"))
        try:
            year = parse_count(rec.value("year"), field="年度") if table.has("year") else None
            prov = parse_bool(rec.value("provisional"), field="待核对") if table.has("provisional") else None
        except ValueProblem as exc:
            problems.append(ImportIssue(rec.row, None, None, str(exc), code="value"))
            year, prov = None, None
        if day is not None and day in seen:
            problems.append(ImportIssue(rec.row, "日期", day, f"与第 {seen[day]} 行重复", code="duplicate"))
        if not problems and day is not None:
            seen[day] = rec.row
            kind_text = rec.text("kind")
            name = rec.text("name") if table.has("name") else ""
            data = HolidayInput(
                day,
                kind_text,
                name or ("调休上班" if _KIND_WORDS.get(kind_text) == "WORKDAY" else "节假日"),
                year,
                bool(prov),
                rec.text("source") if table.has("source") else None,
            )
            try:
                parsed.append(_check(data))
            except ValidationError as exc:
                label = {"kind": "类型", "name": "名称", "year": "年度"}.get(exc.field or "")
                problems.append(ImportIssue(rec.row, label, rec.raw(exc.field or "day"), exc.message))
        report.issues += problems
        if problems:
            report.rejected += 1
    if report.rejected or not parsed:
        return report
    years = sorted({int(str(v["year"])) for v in parsed})
    report.years = years
    with contextlib.suppress(_DryRun):
        _write_import(ctx, table.sheet.source.name, parsed, years, report)
    return report


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that it rolls back."""


def _write_import(
    ctx: ServiceContext,
    source: str,
    parsed: list[dict[str, object]],
    years: list[int],
    report: HolidayImportReport,
) -> None:
    with ctx.write() as uow:
        s = uow.session
        old = list(s.scalars(select(HolidayDay).where(HolidayDay.year.in_(years))))
        report.replaced = len(old)
        old_days = {h.day: (h.kind, h.name, h.provisional) for h in old}
        s.execute(delete(HolidayDay).where(HolidayDay.year.in_(years)))
        s.flush()
        clash = {
            h.day: h
            for h in s.scalars(select(HolidayDay).where(HolidayDay.day.in_([v["day"] for v in parsed])))
        }
        for v in parsed:
            day = v["day"]
            assert isinstance(day, dt.date)
            if day in clash:
                other = clash[day]
                raise ValidationError(
                    f"{other.day:%Y-%m-%d} 已作为 {other.year} 年度的“{other.name}”登记，请先在该年度中删除。"
                )
            s.add(HolidayDay(**v))
            if old_days.get(day) == (v["kind"], v["name"], v["provisional"]):
                report.unchanged += 1
            elif day in old_days:
                report.updated += 1
            else:
                report.created += 1
        report.deadlines_changed = _after_change(s)
        uow.audit(
            "import",
            "holiday_calendar",
            None,
            summary=f"导入节假日安排（{source}）：年度 {'、'.join(map(str, years))}，"
            f"{len(parsed)} 天，重算期限 {report.deadlines_changed} 处",
            before={"days": len(old)},
            after={"days": len(parsed), "years": years},
        )
        if report.dry_run:
            raise _DryRun


def export_days(ctx: ServiceContext, path: Path, year: int | None = None) -> int:
    rows = [
        (r.day, r.kind_label, r.name, r.year, "是" if r.provisional else "否", r.source or "")
        for r in list_days(ctx, year)
    ]
    return write_table(Path(path), list(HOLIDAY_COLUMNS), rows, sheet_name="节假日安排")
