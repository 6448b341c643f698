"""The importers of the UI that need no 核对列 step: grids, Party members, mediation cases, holidays.
Each is a :class:`ServiceImporter` around its service (the check is the service's dry run)."""

from __future__ import annotations

from desktop.exchange.columns import ColumnSpec
from desktop.ui.data_changes import DataChanges
from desktop.ui.importing.service_importer import ServiceImporter
from desktop.ui.qt import QtCore


def _t(text: str) -> str:
    return QtCore.QCoreApplication.translate("Importers", text)


def columns_text(spec: ColumnSpec, note: str = "") -> str:
    """The columns a file may have, required ones in bold (rich text)."""
    names = "、".join(f"<b>{c.header}</b>" if c.required else c.header for c in spec.columns)
    return names + _t("<br><br>加粗的列必须有。") + note


def grid_importer() -> ServiceImporter:
    from desktop.exchange.grids import GRID_COLUMNS
    from desktop.services.structure import exchange as grid_exchange

    return ServiceImporter(
        title=_t("导入网格"),
        file_prompt=_t("选择网格表"),
        run=lambda ctx, req, dry_run, progress: grid_exchange.import_grids(
            ctx, req.path, req.sheet, dry_run=dry_run, progress=progress
        ),
        changes=DataChanges(structure=True, grids=True, backup=True),
        intro=_t("从 Excel（.xlsx、.xls）或 CSV 文件导入网格及其网格长、专职网格员。"),
        columns_text=columns_text(
            GRID_COLUMNS, _t("网格按社区和网格编号识别：已有的网格会被更新，不会重复。")
        ),
    )


def party_member_importer() -> ServiceImporter:
    from desktop.exchange.party import PARTY_MEMBER_COLUMNS
    from desktop.services.party import roster_exchange

    return ServiceImporter(
        title=_t("导入党员名册"),
        file_prompt=_t("导入党员名册"),
        run=lambda ctx, req, dry_run, progress: roster_exchange.import_members(
            ctx, req.path, req.sheet, dry_run=dry_run, progress=progress
        ),
        changes=DataChanges(party=True, backup=True),
        intro=_t("从 Excel（.xlsx、.xls）或 CSV 文件导入党员名册（本程序导出的名册可以直接导回）。"),
        columns_text=columns_text(
            PARTY_MEMBER_COLUMNS, _t("党员按公民身份号码识别：已登记的党员会被更新，不会重复。")
        ),
    )


def mediation_case_importer() -> ServiceImporter:
    from desktop.exchange.mediation import CASE_COLUMNS
    from desktop.services.judicial.exchange import LEDGER_SHEET
    from desktop.services.mediation import exchange

    return ServiceImporter(
        title=_t("导入调解台账"),
        file_prompt=_t("导入调解台账"),
        file_filter=_t("Excel 工作簿 (*.xlsx *.xls)"),
        run=lambda ctx, req, dry_run, progress: exchange.import_cases(
            ctx, req.path, dry_run=dry_run, progress=progress, confirmations=LEDGER_SHEET
        ),
        changes=DataChanges(
            mediation=True, judicial=True, structure=True, grids=True, backup=True
        ),  # it may add communities, grids
        intro=_t("从本程序导出的调解台账工作簿（.xlsx）导入调解案件及其当事人。"),
        columns_text=columns_text(CASE_COLUMNS),
    )


def holiday_importer() -> ServiceImporter:
    from desktop.services import judicial
    from desktop.services.judicial.holidays import HOLIDAY_COLUMNS

    return ServiceImporter(
        title=_t("导入节假日安排"),
        file_prompt=_t("导入节假日安排"),
        run=lambda ctx, req, dry_run, _progress: judicial.import_file(
            ctx, req.path, sheet=req.sheet, dry_run=dry_run
        ),
        changes=DataChanges(judicial=True, settings=True),
        intro=_t("导入国务院办公厅公布的节假日安排（放假、调休上班），用于计算各项期限。"),
        columns_text=columns_text(HOLIDAY_COLUMNS, _t("文件中的年度整体替换原有安排。")),
        all_rows_or_none=True,
    )
