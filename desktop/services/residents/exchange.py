"""The resident roster to and from Excel/CSV: preview, import (``shequ import residents``) and export.

Import, in three steps (each reports progress and can be cancelled — nothing is then written):

1. read the file (.xlsx/.xls/.csv in UTF-8, UTF-8 with BOM or GBK): find the header row below any
   title rows, map the columns (header synonyms plus the mapping a user confirmed in the wizard,
   remembered in the setting ``import.residents.mappings``), skip blank, totals and footer rows;
2. check every row on its own (``residents.import_rows``: ID numbers per GB 11643 — an ID Excel stored
   as a number is refused, a 15-digit legacy number is upgraded with a warning —, names, dates,
   phones, grids, tags, tiers) and against the register (``residents.import_check``: the same ID under
   another name, households and their heads);
3. write every valid row in **one transaction** (Core bulk statements; audit records with their hash
   chain computed in Python), after a backup of the database — prepared outside SQLite's write lock and
   published in one short transaction (``residents.import_stage``). ``dry_run`` stops after step 2.

Export (``export_residents``, kept importable from here): ``desktop.services.residents.export``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.accounts import RESIDENTS_WRITE
from desktop.exchange.cells import column_letter, exact_text
from desktop.exchange.columns import normalize_header
from desktop.exchange.reading import Table, find_table, read_sheet, sheet_names
from desktop.exchange.report import ImportReport
from desktop.exchange.residents import (
    RESIDENT_COLUMNS,
    default_field,
    excel_number_text,
    mapped_spec,
)
from desktop.exchange.streaming import stream_table
from desktop.services import backups
from desktop.services.access import require
from desktop.services.audit import AuditEntry, record_many
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.residents.export import export_residents as export_residents  # its own module
from desktop.services.residents.import_check import PlanStep
from desktop.services.residents.import_rows import check_rows, load_reference
from desktop.services.residents.import_stage import write_import
from desktop.services.residents.import_write import ImportPlan
from desktop.services.settings import json_object, load_setting, store_setting

MAPPING_SETTING = "import.residents.mappings"
PREVIEW_ROWS = 20
Progress = Callable[[int, int, str], None]


# ---------------------------------------------------------------- report


@dataclass
class ResidentImportReport(ImportReport):
    noun: ClassVar[str] = "居民"
    measure: ClassVar[str] = "名"

    households_created: int = 0
    households_updated: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field key → the file's header

    @property
    def valid_rows(self) -> int:
        """Rows that are (or in a dry run would be) imported."""
        return self.rows_read - self.rejected

    def notes(self) -> list[str]:
        lines = []
        if self.households_created or self.households_updated:
            lines.append(
                f"住户：{self.will}新建 {self.households_created} 户，{self.will}更新 {self.households_updated} 户。"
            )
        if self.ignored_headers:
            lines.append(f"未导入的列：{'、'.join(self.ignored_headers)}。")
        return lines


# ---------------------------------------------------------------- column mappings (setting)


def field_choices() -> list[tuple[str, str, bool]]:
    """(field key, Chinese header, required) for every column a roster can have, in export order."""
    return [(c.key, c.header, c.required) for c in RESIDENT_COLUMNS]


def load_mappings(ctx: ServiceContext) -> dict[str, str]:
    """The confirmed mappings: normalised header → field key ("" = do not import that column)."""
    with ctx.read() as s:
        return _load_mappings(s)


def _load_mappings(s: Session) -> dict[str, str]:
    return load_setting(s, MAPPING_SETTING, {}, _parse_mappings)


def _parse_mappings(value: Any) -> dict[str, str]:
    keys = {c.key for c in RESIDENT_COLUMNS}
    return {
        str(k): str(v) for k, v in json_object(value).items() if isinstance(v, str) and (not v or v in keys)
    }


def _effective_mapping(ctx: ServiceContext, mapping: Mapping[str, str] | None) -> dict[str, str]:
    merged = load_mappings(ctx)
    for header, key in (mapping or {}).items():
        n = normalize_header(header)
        if n:
            merged[n] = key or ""
    return merged


def _store_mappings(uow: Any, mapping: Mapping[str, str]) -> None:
    """Merge ``mapping`` into the setting (only entries that differ from what the headers say by themselves)."""
    wanted = {}
    for header, key in mapping.items():
        n = normalize_header(header)
        if n and (key or None) != default_field(n):
            wanted[n] = key or ""
    current = _load_mappings(uow.session)
    merged = dict(current)
    for n in mapping:
        merged.pop(normalize_header(n), None)  # a header mapped back to its default forgets the old mapping
    merged |= wanted
    if merged == current:
        return
    store_setting(uow, MAPPING_SETTING, merged, "居民导入的列对应关系")


def save_mappings(ctx: ServiceContext, mapping: Mapping[str, str]) -> None:
    """Remember a confirmed mapping {header → field key or ""} for the next import."""
    with ctx.write() as uow:
        _store_mappings(uow, mapping)


# ---------------------------------------------------------------- preview (wizard)


@dataclass(frozen=True)
class PreviewColumn:
    index: int  # 0 = column A
    letter: str
    header: str  # the file's header text ("" for a column without one)
    field: str | None  # the field it is imported as (with the mappings applied); None = not imported
    default: str | None  # what the header names by itself


@dataclass(frozen=True)
class ResidentPreview:
    source: str
    sheets: list[str]
    sheet: str | None  # None for CSV
    header_row: int | None
    columns: list[PreviewColumn]
    rows: list[tuple[int, list[str]]]  # (Excel row number, cell texts) below the header
    problem: str | None = None  # why the header could not be found as it stands

    def missing_required(self, fields: Mapping[int, str | None] | None = None) -> list[str]:
        chosen = set((fields or {c.index: c.field for c in self.columns}).values())
        return [header for key, header, required in field_choices() if required and key not in chosen]


def _cell_text(raw: object) -> str:
    if isinstance(raw, float) and abs(raw) >= 1e11:
        return excel_number_text(raw)
    return exact_text(raw).replace("\n", " ")


def preview_residents(
    ctx: ServiceContext,
    path: Path,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    rows: int = PREVIEW_ROWS,
) -> ResidentPreview:
    """The header row the import would use, each column's field, and the first data rows.

    When the required columns cannot be found (headers nobody foresaw), the widest row near the top
    is shown as the header with ``problem`` set, so that the user can map the columns by hand.
    """
    path = Path(path)
    sheets = sheet_names(path)
    effective = _effective_mapping(ctx, mapping)
    spec = mapped_spec(effective)
    name = sheet
    if name is None and len(sheets) > 1:  # like read_table: the first sheet that has the columns
        for candidate in sheets:
            try:
                find_table(read_sheet(path, candidate, nrows=90), spec)
            except ValidationError:
                continue
            name = candidate
            break
    top = read_sheet(path, name, nrows=200)
    problem = None
    try:
        table = find_table(top, spec)
        header = next(r for r in top.rows if r.number == table.header_row)
        columns = table.columns
        first_data = table.header_end + 1
        wanted: set[int] | None = {rec.row for rec in table.records}  # no totals, footer or blank rows
    except ValidationError as exc:
        problem = exc.message
        candidates = top.rows[:30]
        if not candidates:
            return ResidentPreview(
                path.name, sheets, None if top.encoding else top.name, None, [], [], problem
            )
        header = max(candidates, key=lambda r: sum(v is not None for v in r.values))
        columns = {}
        for col, raw in enumerate(header.values):
            column = spec.match(raw) if raw is not None else None
            if column is not None and column.key not in columns:
                columns[column.key] = col
        first_data = header.number + 1
        wanted = None
    by_index = {col: key for key, col in columns.items()}
    shown = [r for r in top.rows if r.number >= first_data and (wanted is None or r.number in wanted)][:rows]
    below = [len(r.values) for r in shown]
    width = max([len(header.values), *below])
    preview_columns = []
    for col in range(width):
        raw = header.values[col] if col < len(header.values) else None
        text = _cell_text(raw).strip()
        preview_columns.append(
            PreviewColumn(
                col, column_letter(col), text, by_index.get(col), default_field(text) if text else None
            )
        )
    data = [
        (r.number, [_cell_text(r.values[c]) if c < len(r.values) else "" for c in range(width)])
        for r in shown
    ]
    return ResidentPreview(
        path.name, sheets, None if top.encoding else top.name, header.number, preview_columns, data, problem
    )


# ---------------------------------------------------------------- import


class _DryRun(Exception):
    """Ends a dry run's read-only pass."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Stages:
    """Progress over the three steps: reading/checking rows, the register, writing."""

    def __init__(self, progress: Progress | None, rows: int) -> None:
        self.progress = progress
        self.total = max(rows, 1) * 3

    def __call__(self, done: int, text: str) -> None:
        if self.progress is not None:
            self.progress(min(done, self.total), self.total, text)


def import_residents(
    ctx: ServiceContext,
    path: Path,
    sheet: str | None = None,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ResidentImportReport:
    """Read ``path``, check every row, write the valid ones in one transaction (see the module notes).

    ``mapping`` {header → field key, "" = skip} adds to the remembered mappings; a real import
    remembers it. ``progress(done, total, text)`` may raise CancelledError: nothing is written then.
    """
    require(ctx, RESIDENTS_WRITE)
    path = Path(path)
    if progress is not None:
        progress(0, 1, f"正在读取“{path.name}”…")
    effective = _effective_mapping(ctx, mapping)
    # row by row: each row is checked as it is read, only what the import keeps of it stays in memory
    stream = stream_table(path, mapped_spec(effective), sheet)
    table = stream.table
    report = ResidentImportReport.for_table(table, dry_run=dry_run)
    report.ignored_headers = list(table.ignored_headers)
    report.columns = _file_headers(table)
    n = max(stream.estimate - table.header_end, 1)  # for progress, until the rows are counted
    stage = _Stages(progress, n)
    ref = load_reference(ctx)
    rows, issues = check_rows(
        stream.records, ref, set(table.columns), lambda i: stage(i, f"正在检查第 {i + 1:,} 行（约 {n:,} 行）…")
    )
    report.rows_read, report.skipped = stream.count, list(stream.skipped)
    if report.rows_read == 0:
        return report
    n = report.rows_read
    stage = _Stages(progress, n)
    report.issues = issues
    if rows and not dry_run:
        stage(n, "正在备份数据库…")
        backups.backup_if_changed(ctx, "import")

    def tick(step: PlanStep) -> None:
        stage(n + n // 2 if step.checking else 2 * n + n // 3, step.text)

    try:
        if dry_run:
            with ctx.read() as s:
                _fill(report, ImportPlan(s, rows, ref, tick))
        else:

            def finish(uow: UnitOfWork, plan: ImportPlan) -> None:
                _fill(report, plan)
                stage(3 * n - 1, "正在写入操作日志…")
                record_many(
                    uow.session, uow.actor, [_batch_entry(path, report, effective)], at=uow.clock.utcnow()
                )
                if mapping:
                    _store_mappings(uow, mapping)
                stage(3 * n, "正在提交…")

            write_import(ctx, rows, ref, tick, path.name, finish)
    except IntegrityError as exc:  # another PC registered one of these ID numbers meanwhile
        raise ConflictError(
            "导入期间其他用户登记或修改了居民，本次导入没有写入任何数据，请重新导入。"
        ) from exc
    report.issues.sort(key=lambda i: (i.row or 0, not i.is_error))
    return report


def _fill(report: ResidentImportReport, plan: ImportPlan) -> None:
    """Counts and the register's issues into the report (once per plan)."""
    o = plan.outcome
    report.created, report.updated, report.unchanged = o.created, o.updated, o.unchanged
    report.households_created, report.households_updated = o.households_created, o.households_updated
    report.issues += o.issues
    report.rejected = len({i.row for i in report.issues if i.is_error})


def _file_headers(table: Table) -> dict[str, str]:
    header = next((r for r in table.sheet.rows if r.number == table.header_row), None)
    if header is None:
        return {}
    return {
        key: exact_text(header.values[col]).strip() if col < len(header.values) else ""
        for key, col in table.columns.items()
    }


def _batch_entry(path: Path, report: ResidentImportReport, mapping: Mapping[str, str]) -> AuditEntry:
    return AuditEntry(
        "import",
        "resident",
        None,
        f"导入居民：{path.name}，新建 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
        f"拒绝 {report.rejected} 行；新建住户 {report.households_created} 户",
        None,
        {
            "file": str(path.resolve()),
            "sha256": _sha256(path),
            "sheet": report.sheet,
            "rows": report.rows_read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "households_created": report.households_created,
            "households_updated": report.households_updated,
            "columns": report.columns,
            "mapping": dict(mapping),
        },
    )
