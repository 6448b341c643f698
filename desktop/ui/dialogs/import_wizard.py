"""The one import flow of the application: choose a file → (check the columns) → check every row →
import the valid ones → summary. What is imported is told by an
:class:`~desktop.ui.importing.importer.Importer` (residents, grids, Party members, mediation cases,
holidays …); the flow is the same for all of them.

Every step that reads the file or the database runs off the GUI thread with the progress bar at the
bottom of the wizard and a 取消 button; cancelling the import itself leaves the database untouched
(the importer writes everything in one transaction). The check lists every problem row by row
(行号/字段/值/原因) and the list can be saved as a workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core.errors import CancelledError, ShequError
from desktop.exchange.report import ImportReport
from desktop.exchange.writing import write_issues
from desktop.services.context import ServiceContext
from desktop.services.residents.exchange import ResidentPreview
from desktop.ui.dialogs.form_dialog import SizedDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.importing.import_request import ImportRequest
from desktop.ui.importing.importer import Importer
from desktop.ui.models.import_issue_filter_proxy_model import ImportIssueFilterProxyModel
from desktop.ui.models.import_issue_table_model import ImportIssueTableModel
from desktop.ui.qt import Qt, QtCore, QtWidgets, Signal
from desktop.ui.widgets.import_columns_view import ImportColumnsView
from desktop.ui.widgets.task_bar import Report, TaskBar

#: the app style gives #primaryButton no disabled look; a disabled 检查数据 must not look clickable
DISABLED_PRIMARY = "QPushButton:disabled { background: #a9bfd9; border-color: #a9bfd9; color: #eef2f6; }"


class ImportWizard(SizedDialog):
    """``imported`` carries the report once valid rows were written (the page then reloads)."""

    imported = Signal(object)
    FILE, COLUMNS, RESULT, DONE = range(4)

    def __init__(
        self, ctx: ServiceContext, importer: Importer, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.importer = importer
        self.path: Path | None = None
        self.preview: ResidentPreview | None = None
        self.check_report: ImportReport | None = None  # the check (dry run)
        self.import_report: ImportReport | None = None  # the import
        self._closed = False
        choices = importer.field_choices()
        self.has_columns = choices is not None
        self._labels = {key: header for key, header, _required in choices or []}
        self._required = {key for key, _header, required in choices or [] if required}
        self.setWindowTitle(importer.title)
        self.setMinimumSize(980, 640)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 14)
        lay.setSpacing(10)
        self.steps_label = QtWidgets.QLabel()
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.steps_label)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.columns = ImportColumnsView(self._labels, self._required, self)
        self.stack.addWidget(self.columns if self.has_columns else QtWidgets.QWidget())
        if not self.has_columns:
            self.columns.hide()
        self.stack.addWidget(self._result_page())
        self.stack.addWidget(self._done_page())
        lay.addWidget(self.stack, 1)

        self.task_bar = TaskBar(self)
        lay.addWidget(self.task_bar)

        self.message_label = QtWidgets.QLabel("")
        self.message_label.setObjectName("errorText")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        lay.addWidget(self.message_label)

        buttons = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(self.tr("上一步"))
        self.save_issues_button = QtWidgets.QPushButton(icon("export"), self.tr("保存问题清单…"))
        self.next_button = QtWidgets.QPushButton(self.tr("下一步"))
        self.next_button.setObjectName("primaryButton")
        self.next_button.setStyleSheet(DISABLED_PRIMARY)
        self.next_button.setDefault(True)
        self.next_button.setMinimumWidth(110)
        self.close_button = QtWidgets.QPushButton(self.tr("关闭"))
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.save_issues_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self._connect_signals()
        self._show_step(self.FILE)

    @classmethod
    def start(
        cls, ctx: ServiceContext, importer: Importer, parent: QtWidgets.QWidget, path: Path | None = None
    ) -> ImportWizard:
        """Open the wizard (non-blocking); with ``path`` the file is read (and checked) at once."""
        wizard = cls(ctx, importer, parent)
        wizard.open()
        if path is not None:
            wizard.set_file(path)
        return wizard

    # ---------------------------------------------------------------- pages

    def _file_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(page)
        lay.setContentsMargins(0, 8, 0, 0)
        intro = QtWidgets.QLabel(self.importer.intro)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QtWidgets.QHBoxLayout()
        self.path_edit = QtWidgets.QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("选择要导入的文件"))
        self.path_edit.setReadOnly(True)
        self.browse_button = QtWidgets.QPushButton(icon("folder"), self.tr("选择文件…"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        lay.addLayout(row)
        box = QtWidgets.QGroupBox(self.tr("可以导入的列"))
        box_lay = QtWidgets.QVBoxLayout(box)
        text = QtWidgets.QLabel(self.importer.columns_text)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        box_lay.addWidget(text)
        tips = QtWidgets.QLabel(
            self.importer.tips
            or self.tr("导入前会自动备份数据库；导入过程中可以随时取消，取消后不会写入任何数据。")
        )
        tips.setObjectName("figureDetail")
        tips.setWordWrap(True)
        box_lay.addWidget(tips)
        box.setVisible(bool(self.importer.columns_text))
        lay.addWidget(box)
        lay.addStretch(1)
        return page

    def _result_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(page)
        lay.setContentsMargins(0, 4, 0, 0)
        self.summary_label = QtWidgets.QLabel("")
        self.summary_label.setObjectName("sectionTitle")
        self.summary_label.setWordWrap(True)
        lay.addWidget(self.summary_label)
        self.summary_detail = QtWidgets.QLabel("")
        self.summary_detail.setWordWrap(True)
        lay.addWidget(self.summary_detail)
        filters = QtWidgets.QHBoxLayout()
        self.issue_filter_combo = QtWidgets.QComboBox()
        self.issue_filter_combo.addItem(self.tr("全部问题"), ImportIssueFilterProxyModel.ALL)
        self.issue_filter_combo.addItem(self.tr("只看被拒绝的行"), ImportIssueFilterProxyModel.ERRORS)
        self.issue_filter_combo.addItem(
            self.tr("只看提示（已导入，请核对）"), ImportIssueFilterProxyModel.WARNINGS
        )
        filters.addWidget(self.issue_filter_combo)
        filters.addStretch(1)
        lay.addLayout(filters)
        self.issue_model = ImportIssueTableModel(self)
        self.issue_proxy = ImportIssueFilterProxyModel(self)
        self.issue_proxy.setSourceModel(self.issue_model)
        self.issue_table = QtWidgets.QTableView()
        self.issue_table.setObjectName("importIssueTable")
        self.issue_table.setModel(self.issue_proxy)
        self.issue_table.setAlternatingRowColors(True)
        self.issue_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issue_table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_table.setWordWrap(False)
        self.issue_table.verticalHeader().hide()
        self.issue_table.verticalHeader().setDefaultSectionSize(28)
        self.issue_table.setIconSize(QtCore.QSize(14, 14))
        header = self.issue_table.horizontalHeader()
        header.setHighlightSections(False)
        header.resizeSection(ImportIssueTableModel.ROW, 72)
        header.resizeSection(ImportIssueTableModel.FIELD, 110)
        header.resizeSection(ImportIssueTableModel.VALUE, 190)
        header.setStretchLastSection(True)
        lay.addWidget(self.issue_table, 1)
        return page

    def _done_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(page)
        lay.setContentsMargins(0, 24, 0, 0)
        row = QtWidgets.QHBoxLayout()
        badge = QtWidgets.QLabel()
        badge.setPixmap(icon("mdi6.check-circle-outline", "#2e7d32").pixmap(40, 40))
        badge.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(badge)
        texts = QtWidgets.QVBoxLayout()
        self.done_title = QtWidgets.QLabel("")
        self.done_title.setObjectName("pageTitle")
        self.done_text = QtWidgets.QLabel("")
        self.done_text.setWordWrap(True)
        self.done_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts.addWidget(self.done_title)
        texts.addWidget(self.done_text)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        lay.addLayout(row)
        lay.addStretch(1)
        return page

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.columns.sheet_chosen.connect(self._on_columns_sheet_chosen)
        self.columns.changed.connect(self._on_columns_changed)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.save_issues_button.clicked.connect(self._on_save_issues_button_clicked)
        self.task_bar.busy_changed.connect(self._on_task_bar_busy_changed)
        self.issue_filter_combo.currentIndexChanged.connect(self._on_issue_filter_combo_current_index_changed)

    # ---------------------------------------------------------------- steps

    def step(self) -> int:
        return self.stack.currentIndex()

    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        parts = []
        names = [(self.FILE, self.tr("选择文件")), (self.COLUMNS, self.tr("核对列"))]
        names += [(self.RESULT, self.tr("检查结果")), (self.DONE, self.tr("完成"))]
        if not self.has_columns:
            del names[self.COLUMNS]
        for n, (i, name) in enumerate(names):
            text = f"{'①②③④'[n]} {name}"
            if i == step:
                parts.append(f"<span style='color:#1f5fa8; font-weight:bold'>{text}</span>")
            else:
                parts.append(f"<span style='color:{'#34414f' if i < step else '#9aa5b1'}'>{text}</span>")
        self.steps_label.setText("&nbsp;&nbsp;›&nbsp;&nbsp;".join(parts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        step, busy = self.step(), self.is_busy()
        self.back_button.setVisible(step in (self.COLUMNS, self.RESULT))
        self.back_button.setEnabled(not busy)
        shown = self._shown_report()
        self.save_issues_button.setVisible(shown is not None and bool(shown.issues))
        self.save_issues_button.setEnabled(not busy)
        self.close_button.setVisible(step != self.DONE)
        self.close_button.setEnabled(True)
        if step == self.FILE:
            self.next_button.setText(self.tr("下一步"))
            self.next_button.setEnabled(self.path is not None and not busy)
        elif step == self.COLUMNS:
            self.next_button.setText(self.tr("检查数据"))
            self.next_button.setEnabled(not busy and not self.columns.problems())
        elif step == self.RESULT:
            n = self.importer.importable_rows(self.check_report) if self.check_report is not None else 0
            self.next_button.setText(self.tr("导入 %1 条有效记录").replace("%1", f"{n:,}"))
            self.next_button.setEnabled(n > 0 and not busy)
        else:
            self.next_button.setText(self.tr("完成"))
            self.next_button.setEnabled(True)

    def _on_next_button_clicked(self) -> None:
        step = self.step()
        if step == self.FILE and self.path is not None:
            self._read_file()
        elif step == self.COLUMNS:
            self.check()
        elif step == self.RESULT:
            self.import_valid_rows()
        elif step == self.DONE:
            self.accept()

    def _on_back_button_clicked(self) -> None:
        self.message_label.hide()
        back = self.COLUMNS if self.step() == self.RESULT and self.has_columns else self.FILE
        self._show_step(back)

    # ---------------------------------------------------------------- step 1: the file

    def _on_browse_button_clicked(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.importer.file_prompt, start, self.importer.file_filter
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Choose ``path`` and read it (in the background): its preview, then the columns step; or,
        for an importer without a columns step, check it at once."""
        self.path = Path(path)
        self.path_edit.setText(str(self.path))
        self._read_file()

    def _read_file(self) -> None:
        if self.has_columns:
            self.load_preview()
        else:
            self.check()

    def load_preview(self, sheet: str | None = None) -> None:
        assert self.path is not None
        ctx, path, importer = self.ctx, self.path, self.importer
        self._run(
            self.tr("正在读取“%1”…").replace("%1", path.name),
            lambda _report: importer.preview(ctx, path, sheet),
            self._on_preview_done,
        )

    def _on_preview_done(self, preview: ResidentPreview) -> None:
        self.preview = preview
        self.columns.set_preview(preview)
        self._show_step(self.COLUMNS)

    def _on_columns_sheet_chosen(self, sheet: str) -> None:
        if self.preview is not None and sheet != self.preview.sheet:
            self.load_preview(sheet)

    def _on_columns_changed(self) -> None:
        self._update_buttons()

    def set_field(self, column: int, key: str | None) -> None:
        """Choose the field ``column`` is imported as (None / "" = not imported), as the user would."""
        self.columns.set_field(column, key)

    def mapping(self) -> dict[str, str]:
        """{the file's header → field key or ""} for every column that has a header."""
        return self.columns.mapping() if self.has_columns else {}

    def request(self) -> ImportRequest:
        """The file, worksheet and column choices the check and the import read."""
        assert self.path is not None
        return ImportRequest(self.path, self._sheet(), self.mapping())

    # ---------------------------------------------------------------- step 3: checking every row

    def check(self) -> None:
        """Check every row (a dry run in the background) and show what would be imported."""
        ctx, request, importer = self.ctx, self.request(), self.importer
        self._run(
            self.tr("正在检查…"),
            lambda report: importer.check(ctx, request, report),
            self._on_check_done,
        )

    def _sheet(self) -> str | None:
        return self.preview.sheet if self.preview is not None else None

    def _on_check_done(self, report: ImportReport) -> None:
        self.check_report = report
        self.issue_model.set_issues(report.issues)
        self.issue_filter_combo.setCurrentIndex(0)
        errors, warnings = len(report.errors), len(report.warnings)
        headline, detail = self.importer.check_summary(report)
        self.summary_label.setText(headline)
        self.summary_detail.setText(detail)
        self.issue_table.setVisible(bool(report.issues))
        self.issue_filter_combo.setVisible(bool(errors and warnings))
        self._show_step(self.RESULT)

    def _on_issue_filter_combo_current_index_changed(self, _index: int) -> None:
        self.issue_proxy.set_mode(self.issue_filter_combo.currentData())

    def _shown_report(self) -> ImportReport | None:
        """The report the current step shows: the check's, or the import's on the last step."""
        step = self.step()
        if step == self.RESULT:
            return self.check_report
        return self.import_report if step == self.DONE else None

    def _on_save_issues_button_clicked(self) -> None:
        report = self._shown_report()
        if report is None or self.path is None:
            return
        suggested = str(self.path.with_name(f"{self.path.stem}_问题清单.xlsx"))
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("保存问题清单"), suggested, "Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"
        )
        if name:
            self.save_issues(Path(name))

    def save_issues(self, path: Path) -> None:
        """Write the 行号/字段/值/原因 workbook of the current step's report (in the background)."""
        report = self._shown_report()
        issues = list(report.issues) if report is not None else []
        self._run(
            self.tr("正在保存问题清单…"),
            lambda _report: write_issues(path, issues),
            lambda count: self._show_message(
                self.tr("已保存问题清单（%1 条）：%2").replace("%1", str(count)).replace("%2", str(path)),
                error=False,
            ),
        )

    # ---------------------------------------------------------------- step 4: importing

    def import_valid_rows(self) -> None:
        """Import the valid rows (one transaction, in the background; 取消 leaves the database as it was)."""
        ctx, request, importer = self.ctx, self.request(), self.importer
        self._run(
            self.tr("正在导入…"),
            lambda report: importer.commit(ctx, request, report),
            self._on_import_done,
        )

    def _on_import_done(self, report: ImportReport) -> None:
        self.import_report = report
        title, lines = self.importer.done_summary(report)
        self.done_title.setText(title)
        self.done_text.setText("\n".join(lines))
        self._show_step(self.DONE)
        self.imported.emit(report)

    # ---------------------------------------------------------------- background work

    def is_busy(self) -> bool:
        return self.task_bar.is_busy()

    def _run(self, label: str, work: Callable[[Report], Any], done: Callable[[Any], None]) -> None:
        self.message_label.hide()
        self.task_bar.run(label, work, lambda result: self._finish(done, result), self._on_task_failed)

    def _on_task_bar_busy_changed(self, _busy: bool) -> None:
        if not self._closed:
            self._update_buttons()

    def _finish(self, done: Callable[[Any], None], result: Any) -> None:
        if self._closed:
            if isinstance(result, ImportReport) and not result.dry_run:
                self.imported.emit(result)  # closed while the last step committed: the page must still reload
            self.deleteLater()
            return
        done(result)
        self._update_buttons()

    def _on_task_failed(self, exc: BaseException) -> None:
        if self._closed:
            self.deleteLater()
            return
        if isinstance(exc, CancelledError):
            text = self.tr("已取消。") + (self.tr("没有导入任何数据。") if self.step() == self.RESULT else "")
            self._show_message(text, error=False)
        elif isinstance(exc, ShequError):
            self._show_message(exc.message)
        else:
            show_error(self, exc, self.importer.title)

    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.message_label.setObjectName("errorText" if error else "figureDetail")
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)
        self.message_label.setText(text)
        self.message_label.show()

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisible() else ""

    def done(self, result: int) -> None:
        """Closing cancels what is running; the wizard is deleted once nothing runs any more."""
        self._closed = True
        super().done(result)
        if self.task_bar.is_busy():
            self.task_bar.cancel()
        else:
            self.deleteLater()
