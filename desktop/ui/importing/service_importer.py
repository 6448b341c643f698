"""The adapter that plugs an import service into the one import flow.

Every import service of the application has the same shape — ``import_x(ctx, path, …, dry_run=…)``
returning an :class:`ImportReport` — so one adapter fits them all: ``run(ctx, request, dry_run, progress)``
calls the service; the check is its dry run and the commit its real run (one transaction). The texts of
the check and last steps are written once here from the report's counts, noun and notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.exchange.report import ImportReport
from desktop.services.context import ServiceContext
from desktop.services.residents.exchange import ResidentPreview
from desktop.ui.data_changes import DataChanges
from desktop.ui.importing.import_request import ImportRequest
from desktop.ui.importing.importer import ProgressReport
from desktop.ui.qt import QtCore

TABLE_FILTER = "Excel 或 CSV 文件 (*.xlsx *.xls *.xlsm *.csv);;所有文件 (*)"
#: ``run(ctx, request, dry_run, progress)``: the import service behind the adapter
Run = Callable[[ServiceContext, ImportRequest, bool, ProgressReport], ImportReport]


def _t(text: str) -> str:
    return QtCore.QCoreApplication.translate("ImportWizard", text)


def valid_rows(report: ImportReport) -> int:
    """Rows that are (or, in a check, would be) imported."""
    return report.rows_read - report.rejected


def issues_sentence(report: ImportReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    if not (errors or warnings):
        return _t("没有发现问题。")
    return (
        _t("下表列出 %1 个错误（所在行不会导入）和 %2 条提示（会导入，请核对）。")
        .replace("%1", f"{errors:,}")
        .replace("%2", f"{warnings:,}")
    )


@dataclass
class ServiceImporter:
    """An :class:`~desktop.ui.importing.importer.Importer` around an import service with ``dry_run``."""

    title: str
    file_prompt: str
    run: Run
    changes: DataChanges
    intro: str = ""
    tips: str = ""
    columns_text: str = ""
    file_filter: str = TABLE_FILTER
    #: the service checks the whole file and writes nothing when any row has an error
    all_rows_or_none: bool = False
    extra_notes: list[str] = field(default_factory=list)

    def field_choices(self) -> Sequence[tuple[str, str, bool]] | None:
        return None

    def preview(self, ctx: ServiceContext, path: Path, sheet: str | None) -> ResidentPreview:
        raise NotImplementedError  # no 核对列 step

    def check(self, ctx: ServiceContext, request: ImportRequest, progress: ProgressReport) -> ImportReport:
        progress(0, 1, _t("正在检查“%1”…").replace("%1", request.path.name))
        report = self.run(ctx, request, True, progress)
        progress(1, 1, "")
        return report

    def commit(self, ctx: ServiceContext, request: ImportRequest, progress: ProgressReport) -> ImportReport:
        progress(0, 1, _t("正在导入“%1”…").replace("%1", request.path.name))  # 取消 before writing
        return self.run(ctx, request, False, progress)

    def importable_rows(self, report: ImportReport) -> int:
        return 0 if self.all_rows_or_none and report.rejected else valid_rows(report)

    def check_summary(self, report: ImportReport) -> tuple[str, str]:
        n, m = report.noun, report.measure
        valid = self.importable_rows(report)
        headline = (
            _t("共 %1 行：可以导入 %2 行，拒绝 %3 行。")
            .replace("%1", f"{report.rows_read:,}")
            .replace("%2", f"{valid:,}")
            .replace("%3", f"{report.rejected:,}")
        )
        lines = [
            _t("将新建 %1 %2%3、更新 %4 %2，%5 %2与已有的相同。")
            .replace("%1", f"{report.created:,}")
            .replace("%2", m)
            .replace("%3", n)
            .replace("%4", f"{report.updated:,}")
            .replace("%5", f"{report.unchanged:,}")
        ]
        lines += report.notes()
        if report.skipped:
            lines.append(_t("已跳过合计行和表尾说明 %1 行。").replace("%1", str(len(report.skipped))))
        if self.all_rows_or_none and report.rejected:
            lines.append(_t("文件中有错误的行时整个文件都不会导入：请按下表修改后再导入。"))
        lines.append(issues_sentence(report))
        return headline, "\n".join(lines)

    def done_summary(self, report: ImportReport) -> tuple[str, list[str]]:
        n, m = report.noun, report.measure
        title = (
            _t("已导入 %1 %2%3")
            .replace("%1", f"{report.created + report.updated + report.unchanged:,}")
            .replace("%2", m)
            .replace("%3", n)
        )
        lines = [
            _t("新建 %1 %2，更新 %3 %2，%4 %2与已有的相同。")
            .replace("%1", f"{report.created:,}")
            .replace("%2", m)
            .replace("%3", f"{report.updated:,}")
            .replace("%4", f"{report.unchanged:,}")
        ]
        lines += report.notes()
        if report.rejected:
            lines.append(
                _t("被拒绝的 %1 行没有导入：请点击“保存问题清单…”，按原因修改后再导入一次。").replace(
                    "%1", f"{report.rejected:,}"
                )
            )
        if report.warnings:
            lines.append(_t("另有 %1 条提示，请核对。").replace("%1", f"{len(report.warnings):,}"))
        lines += self.extra_notes
        return title, lines
