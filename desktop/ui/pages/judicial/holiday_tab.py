"""节假日与设置: the holiday calendar by year (add, edit, delete, import, export) and the court setting."""

from __future__ import annotations

from pathlib import Path

from desktop.domain import accounts as perm
from desktop.services import judicial
from desktop.services.context import ServiceContext
from desktop.services.judicial.holidays import HolidayImportReport, HolidayRow, missing_years
from desktop.ui.dialogs.judicial_holiday_dialog import HolidayDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.judicial_rows_model import JudicialSortProxyModel, holiday_model
from desktop.ui.permissions import guard_all, guard_setting
from desktop.ui.qt import Qt, QtGui, QtWidgets, Signal
from desktop.ui.tasks import run_in_background


class HolidayTab(QtWidgets.QWidget):
    #: the calendar or the court setting changed (deadlines may have moved)
    changed = Signal()
    status_message = Signal(str)
    #: the open grid events' time limits were computed again after a change (how many moved)
    events_recomputed = Signal(int)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.warning_label = QtWidgets.QLabel()
        self.warning_label.setWordWrap(True)
        self.years_label = QtWidgets.QLabel()
        self.years_label.setWordWrap(True)
        self.year_combo = QtWidgets.QComboBox()
        self.year_combo.setMinimumWidth(120)
        self.add_button = QtWidgets.QPushButton(icon("add"), self.tr("新增"))
        self.edit_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.delete_button = QtWidgets.QPushButton(icon("retire"), self.tr("删除"))
        self.import_button = QtWidgets.QPushButton(icon("import"), self.tr("导入…"))
        self.export_button = QtWidgets.QPushButton(icon("export"), self.tr("导出…"))
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(QtWidgets.QLabel(self.tr("年度")))
        bar.addWidget(self.year_combo)
        bar.addStretch(1)
        for b in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            bar.addWidget(b)
        self.model = holiday_model(self)
        self.proxy = JudicialSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(5, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for col, w in enumerate((100, 56, 60, 150, 130)):
            self.table.setColumnWidth(col, w)

        court_box = QtWidgets.QGroupBox(self.tr("管辖法院（调委会所在地基层人民法院）"))
        cl = QtWidgets.QHBoxLayout(court_box)
        self.court_edit = QtWidgets.QLineEdit()
        self.court_edit.setPlaceholderText(self.tr("如：嘉峪关市城区人民法院"))
        self.court_save = QtWidgets.QPushButton(self.tr("保存"))
        cl.addWidget(self.court_edit, 1)
        cl.addWidget(self.court_save)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.warning_label)
        lay.addWidget(self.years_label)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(court_box)

        days = (self.add_button, self.edit_button, self.delete_button, self.import_button)
        guard_all(ctx, days, perm.JUDICIAL)  # the 法定节假日 calendar is 司法确认's
        guard_setting(ctx, self.court_save, "judicial.courts")
        self.year_combo.currentIndexChanged.connect(lambda *_a: self._load_days())
        self.add_button.clicked.connect(lambda: self.open_day_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_day_dialog(self.selected()))
        self.table.doubleClicked.connect(lambda *_a: self.open_day_dialog(self.selected()))
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.court_save.clicked.connect(self._on_court_save_clicked)

    def refresh_when_shown(self) -> None:
        """Reload now if the tab is on screen, else when it is next shown (its reads run in the GUI thread)."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload_if_stale(self) -> None:
        if getattr(self, "_stale", False):
            self.reload()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        self.reload_if_stale()

    def reload(self) -> None:
        self._stale = False
        summaries = judicial.year_summaries(self.ctx)
        keep = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        today = self.ctx.today()
        years = sorted({y.year for y in summaries} | {today.year, today.year + 1})
        for y in years:
            self.year_combo.addItem(str(y), y)
        pick = keep if keep in years else today.year
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(pick), 0))
        self.year_combo.blockSignals(False)
        self.years_label.setText("；".join(y.label for y in summaries) or self.tr("还没有节假日安排。"))
        missing = missing_years(self.ctx, today)
        if missing:
            self.warning_label.setText(
                self.tr(
                    "⚠ {0} 年的节假日安排尚未录入或待核对：国务院办公厅通知公布后请导入或补录，"
                    "否则落在这些年份的期限只按周末顺延。"
                ).format("、".join(map(str, missing)))
            )
            self.warning_label.setStyleSheet("color:#a15c00;font-weight:bold;")
        else:
            self.warning_label.setText("")
        self.warning_label.setVisible(bool(missing))
        self.court_edit.setText(judicial.court_settings(self.ctx).default_court)
        self._load_days()

    def _load_days(self) -> None:
        year = self.year_combo.currentData()
        self.model.set_rows(judicial.list_days(self.ctx, year) if year else [])

    def selected(self) -> HolidayRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def open_day_dialog(self, row: HolidayRow | None) -> HolidayDialog:
        dialog = HolidayDialog(self.ctx, row, self)
        dialog.accepted.connect(self._after_change)
        dialog.open()
        return dialog

    def _after_change(self) -> None:
        self.reload()
        self.changed.emit()
        self.recompute_events()

    def recompute_events(self) -> None:
        """The calendar moved working days: the open grid events' ends are computed again (the judicial
        deadlines were, in the service's own transaction). Off the GUI thread: thousands of open events."""
        from desktop.services import events

        ctx = self.ctx
        run_in_background(
            lambda _p: events.recompute_event_deadlines(ctx),
            self._on_events_recomputed,
            lambda exc: show_error(self, exc, self.tr("网格事件办理时限未能重算")),
            parent=self,
        )

    def _on_events_recomputed(self, changed: int) -> None:
        if changed:
            self.status_message.emit(
                self.tr("节假日安排已变更，重算了 {0} 件网格事件的办理时限").format(changed)
            )
        self.events_recomputed.emit(changed)

    def _on_delete_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QtWidgets.QMessageBox.question(
            self, self.tr("删除"), self.tr("删除 {0}（{1}）？相关期限将重新计算。").format(row.day, row.name)
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        try:
            judicial.delete_day(self.ctx, row.id, row.version)
        except Exception as exc:
            show_error(self, exc)
            return
        self._after_change()

    def import_file(self, path: Path | None = None) -> QtWidgets.QDialog:
        """The import wizard with the holidays' importer (checking ``path`` at once when given)."""
        from desktop.ui.dialogs.import_wizard import ImportWizard
        from desktop.ui.importing.importers import holiday_importer

        wizard = ImportWizard.start(self.ctx, holiday_importer(), self, path)
        wizard.imported.connect(self._on_import_wizard_imported)
        return wizard

    def _on_import_wizard_imported(self, report: HolidayImportReport) -> None:
        self.last_import = report
        self._after_change()

    def _on_import_button_clicked(self) -> None:
        self.import_file()

    def _on_export_button_clicked(self) -> None:
        year = self.year_combo.currentData()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("导出节假日安排"), str(Path.home() / f"节假日安排{year}.xlsx"),
            self.tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"),
        )  # fmt: skip
        if not path:
            return
        try:
            count = judicial.export_days(self.ctx, Path(path), year)
        except Exception as exc:
            show_error(self, exc)
            return
        self.status_message.emit(self.tr("已导出 {0} 天到 {1}").format(count, path))

    def _on_court_save_clicked(self) -> None:
        current = judicial.court_settings(self.ctx)
        try:
            judicial.save_court_settings(
                self.ctx, judicial.CourtSettings(self.court_edit.text(), current.by_committee)
            )
        except Exception as exc:
            show_error(self, exc)
            return
        self.status_message.emit(self.tr("已保存管辖法院"))
        self.changed.emit()
