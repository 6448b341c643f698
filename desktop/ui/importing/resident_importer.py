"""导入居民 in the one import flow: a 核对列 step maps the file's headers to fields (remembered for the
next file with the same headers); the service reports progress row by row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.exchange.report import ImportReport
from desktop.services.context import ServiceContext
from desktop.services.residents import exchange as resident_exchange
from desktop.services.residents.exchange import ResidentImportReport, ResidentPreview
from desktop.ui.data_changes import DataChanges
from desktop.ui.importing.import_request import ImportRequest
from desktop.ui.importing.importer import ProgressReport
from desktop.ui.importing.service_importer import TABLE_FILTER, issues_sentence, valid_rows
from desktop.ui.qt import QtCore


class ResidentImporter(QtCore.QObject):
    """The :class:`~desktop.ui.importing.importer.Importer` of residents."""

    file_filter = TABLE_FILTER
    changes = DataChanges(residents=True, backup=True)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.title = self.tr("导入居民")
        self.file_prompt = self.tr("选择居民名单")
        self.intro = self.tr(
            "从 Excel（.xlsx、.xls）或 CSV 文件导入居民。表格上方可以有标题行，下方可以有合计行；"
            "表头名称不必完全一致（如“身份证号”“手机号”“网格”都能识别），不能识别的列可以在下一步手动对应。"
        )
        columns = "、".join(
            f"<b>{header}</b>" if required else header for _key, header, required in self.field_choices()
        )
        self.columns_text = self.tr(
            "%1<br><br>加粗的列必须有。居民按公民身份号码识别：已登记的居民会被更新，不会重复登记。"
        ).replace("%1", columns)
        self.tips = self.tr(
            "提示：身份证号码列请设置为“文本”格式，否则 Excel 会把它存成数字，最后几位会丢失，这样的号码无法导入。"
            "导入前会自动备份数据库；导入过程中可以随时取消，取消后不会写入任何数据。"
        )

    def field_choices(self) -> Sequence[tuple[str, str, bool]]:
        return resident_exchange.field_choices()

    def preview(self, ctx: ServiceContext, path: Path, sheet: str | None) -> ResidentPreview:
        return resident_exchange.preview_residents(ctx, path, sheet)

    def check(self, ctx: ServiceContext, request: ImportRequest, progress: ProgressReport) -> ImportReport:
        return resident_exchange.import_residents(
            ctx, request.path, request.sheet, dry_run=True, mapping=request.mapping, progress=progress
        )

    def commit(self, ctx: ServiceContext, request: ImportRequest, progress: ProgressReport) -> ImportReport:
        return resident_exchange.import_residents(
            ctx, request.path, request.sheet, mapping=request.mapping, progress=progress
        )

    def importable_rows(self, report: ImportReport) -> int:
        return valid_rows(report)

    def check_summary(self, report: ImportReport) -> tuple[str, str]:
        assert isinstance(report, ResidentImportReport)
        headline = (
            self.tr("共 %1 行：可以导入 %2 行，拒绝 %3 行。")
            .replace("%1", f"{report.rows_read:,}")
            .replace("%2", f"{report.valid_rows:,}")
            .replace("%3", f"{report.rejected:,}")
        )
        detail = (
            self.tr("将新建 %1 名居民、更新 %2 名，%3 名与已登记的相同；将新建住户 %4 户。")
            .replace("%1", f"{report.created:,}")
            .replace("%2", f"{report.updated:,}")
            .replace("%3", f"{report.unchanged:,}")
            .replace("%4", f"{report.households_created:,}")
        )
        if report.skipped:
            detail += self.tr("已跳过合计行和表尾说明 %1 行。").replace("%1", str(len(report.skipped)))
        return headline, detail + "\n" + issues_sentence(report)

    def done_summary(self, report: ImportReport) -> tuple[str, list[str]]:
        assert isinstance(report, ResidentImportReport)
        title = self.tr("已导入 %1 名居民").replace(
            "%1", f"{report.created + report.updated + report.unchanged:,}"
        )
        lines = [
            self.tr("新建 %1 名，更新 %2 名，%3 名与已登记的相同。")
            .replace("%1", f"{report.created:,}")
            .replace("%2", f"{report.updated:,}")
            .replace("%3", f"{report.unchanged:,}"),
            self.tr("新建住户 %1 户，更新住户 %2 户。")
            .replace("%1", f"{report.households_created:,}")
            .replace("%2", f"{report.households_updated:,}"),
        ]
        if report.rejected:
            lines.append(
                self.tr(
                    "被拒绝的 %1 行没有导入：请点击“保存问题清单…”，按原因修改后再导入一次（已导入的居民会被更新，不会重复）。"
                ).replace("%1", f"{report.rejected:,}")
            )
        if report.warnings:
            lines.append(self.tr("另有 %1 条提示，请核对。").replace("%1", f"{len(report.warnings):,}"))
        lines.append(self.tr("导入前已备份数据库；本次导入已记入操作日志。"))
        return title, lines
