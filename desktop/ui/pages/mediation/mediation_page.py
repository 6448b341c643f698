"""人民调解: the case list (调解台账) with deadline colours on the left, the selected case's workspace on the right.

The list is loaded in the background (all cases of the street, ~0.1 s for two years) and filtered by
text, year, stage and “只看期限提醒” in the service query. Dialogs open with ``open()`` and are returned
by the ``open_*`` methods, so tests can fill them in.
"""

from __future__ import annotations

from pathlib import Path

from desktop.domain import accounts as perm
from desktop.domain.mediation import STAGE_FILTER_LABELS
from desktop.services import mediation as med
from desktop.services.context import ServiceContext
from desktop.services.judicial.exchange import LEDGER_SHEET
from desktop.services.judicial.queries import confirmation_by_case
from desktop.services.mediation import exchange
from desktop.ui.data_changes import DataChanges
from desktop.ui.dialogs.mediation_case_dialog import MediationCaseDialog
from desktop.ui.dialogs.mediation_committee_dialog import MediationCommitteeDialog
from desktop.ui.dialogs.mediation_rules_dialog import MediationRulesDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.mediation_case_model import MediationCaseFilterProxyModel, MediationCaseTableModel
from desktop.ui.pages.base import Page
from desktop.ui.pages.mediation.case_workspace import CaseWorkspace
from desktop.ui.permissions import guard_all, guard_setting
from desktop.ui.qt import Qt, QtCore, QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.column_fit import fit_columns
from desktop.ui.widgets.legend import ORANGE, RED, YELLOW, colour_legend
from desktop.ui.widgets.page_header import PageHeader

COLUMN_WIDTHS = (200, 88, 116, 150, 60, 60, 130, 240)


class MediationPage(Page):
    title = "人民调解"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"mediation", "judicial", "settings"})
    #: the case list was (re)loaded and is shown
    loaded = Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._generation = 0
        self._select_after_load: int | None = None
        self.header = PageHeader(self.tr("人民调解"), self.tr("正在载入…"))
        self.new_button = QtWidgets.QPushButton(icon("add", "#ffffff"), self.tr("受理登记"))
        self.new_button.setObjectName("primaryButton")
        self.committee_button = QtWidgets.QPushButton(icon("settings"), self.tr("设置"))
        settings_menu = QtWidgets.QMenu(self.committee_button)
        settings_menu.addAction(self.tr("调委会设置…"), self.open_committee_dialog)
        settings_menu.addAction(self.tr("期限与纠纷类型…"), self.open_rules_dialog)
        self.committee_button.setMenu(settings_menu)
        self.export_button = QtWidgets.QPushButton(icon("export"), self.tr("导出台账"))
        self.import_button = QtWidgets.QPushButton(icon("import"), self.tr("导入台账"))
        self.refresh_button = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        guard_all(ctx, (self.new_button, self.import_button), perm.MEDIATION_WRITE)
        guard_setting(ctx, self.committee_button, "mediation.rules")  # the committee and its rules
        for b in (
            self.refresh_button,
            self.import_button,
            self.export_button,
            self.committee_button,
            self.new_button,
        ):
            self.header.add_action(b)

        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索案件编号、当事人或纠纷情况"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        self.year_combo = QtWidgets.QComboBox()
        self.year_combo.addItem(self.tr("全部年度"), None)
        this_year = self.ctx.today().year
        for y in range(this_year, this_year - 6, -1):
            self.year_combo.addItem(self.tr("{0}年").format(y), y)
        self.stage_combo = QtWidgets.QComboBox()
        self.stage_combo.addItem(self.tr("全部阶段"), None)
        for code, label in STAGE_FILTER_LABELS.items():
            self.stage_combo.addItem(self.tr(label), code)
        self.warnings_check = QtWidgets.QCheckBox(self.tr("只看期限提醒"))
        tools = QtWidgets.QHBoxLayout()
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.year_combo)
        tools.addWidget(self.stage_combo)
        tools.addWidget(self.warnings_check)
        self.search_timer = QtCore.QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(250)

        self.model = MediationCaseTableModel(self)
        self.proxy = MediationCaseFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(MediationCaseTableModel.ACCEPTED, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for col, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.columns = fit_columns(self.table, "mediation/cases")
        self.legend = colour_legend(
            [
                (RED, self.tr("红"), self.tr("超期")),
                (ORANGE, self.tr("橙"), self.tr("即将到期或回访逾期")),
                (YELLOW, self.tr("黄"), self.tr("近日应回访")),
            ]
        )
        left = QtWidgets.QWidget()
        ll = QtWidgets.QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(tools)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.legend)

        self.workspace = CaseWorkspace(ctx)
        right = QtWidgets.QFrame()
        right.setObjectName("card")
        rl = QtWidgets.QVBoxLayout(right)
        rl.setContentsMargins(12, 10, 12, 10)
        rl.addWidget(self.workspace)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([620, 640])

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        outer.addWidget(self.header)
        outer.addWidget(self.splitter, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.open_new_case_dialog)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.search_timer.timeout.connect(lambda: self.reload())
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.stage_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.warnings_check.toggled.connect(lambda _on: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.workspace.changed.connect(self._on_workspace_changed)
        self.workspace.status_message.connect(self.status_message)

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        self.refresh()

    def start_step(self, step: str) -> None:
        """"committee": 调委会设置 (the first-run path's last step)."""
        if step == "committee":
            self.open_committee_dialog()
        else:
            super().start_step(step)

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def case_filter(self) -> med.CaseFilter:
        return med.CaseFilter(
            text=self.search_edit.text(),
            year=self.year_combo.currentData(),
            stage=self.stage_combo.currentData(),
            warnings_only=self.warnings_check.isChecked(),
        )

    def reload(self, select_id: int | None = None) -> None:
        if select_id is not None:
            self._select_after_load = select_id
        elif self._select_after_load is None and self.workspace.case is not None:
            self._select_after_load = self.workspace.case.id
        self._generation += 1
        generation, ctx, flt = self._generation, self.ctx, self.case_filter()
        # the lazy package's names are resolved here, on the GUI thread: a module is never first imported
        # on a worker thread (racing imports once left a half-built package; tests/ui/test_startup_race.py)
        list_cases, list_committees = med.list_cases, med.list_committees

        def load(_p: object) -> tuple[list[med.CaseRow], int]:
            rows = list_cases(ctx, flt, confirmations=confirmation_by_case)
            return rows, len(list_committees(ctx))

        def done(result: tuple[list[med.CaseRow], int]) -> None:
            if generation != self._generation:
                return
            rows, committees = result
            self.model.set_rows(rows)
            warned = sum(1 for r in rows if r.level)
            if committees == 0:
                self.header.set_subtitle(self.tr("还没有人民调解委员会：请先在“设置 → 调委会设置”中建立。"))
            else:
                self.header.set_subtitle(
                    self.tr("共 {0} 件，其中 {1} 件有期限提醒").format(len(rows), warned)
                )
            wanted, self._select_after_load = self._select_after_load, None
            if wanted is not None and self.model.row_for(wanted) is not None:
                self.select_case(wanted)
            elif self.workspace.case is not None and self.model.row_for(self.workspace.case.id) is None:
                self.workspace.show_case(None)
            self.loaded.emit()

        run_in_background(load, done, lambda exc: show_error(self, exc), parent=self)

    def select_case(self, case_id: int) -> None:
        index = self.proxy.mapFromSource(self.model.index_for(case_id))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def visible_case_numbers(self) -> list[str]:
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    def _on_table_current_row_changed(
        self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex
    ) -> None:
        case_id = current.data(Qt.ItemDataRole.UserRole) if current.isValid() else None
        try:
            self.workspace.load(case_id)
        except Exception as exc:
            show_error(self, exc)
            return
        row = self.model.row_for(case_id) if case_id is not None else None
        self.workspace.set_deadlines(row.deadline_text if row else "")

    def _on_workspace_changed(self) -> None:
        self.emit_changes("mediation")
        self.reload()

    # ---------------------------------------------------------------- dialogs and exchange

    def open_new_case_dialog(self) -> MediationCaseDialog:
        dialog = MediationCaseDialog(self.ctx, None, self)

        def saved() -> None:
            if dialog.saved_case_no:
                case = med.get_case(self.ctx, dialog.saved_case_no)
                self.status_message.emit(self.tr("已受理：{0}").format(case.case_no))
                self.emit_changes("mediation")
                self.reload(case.id)

        dialog.accepted.connect(saved)
        dialog.open()
        return dialog

    def open_committee_dialog(self) -> MediationCommitteeDialog:
        committees = med.list_committees(self.ctx)
        dialog = MediationCommitteeDialog(self.ctx, committees[0] if committees else None, self)
        dialog.accepted.connect(lambda: self.reload())
        dialog.open()
        return dialog

    def open_rules_dialog(self) -> MediationRulesDialog:
        dialog = MediationRulesDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.reload())
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        def work(_p: object) -> dict[str, int]:
            return exchange.export_cases(self.ctx, path, confirmations=LEDGER_SHEET)

        def done(counts: dict[str, int]) -> None:
            self.status_message.emit(
                self.tr("已导出调解台账（身份证号码和电话已脱敏）：{0} 件").format(counts.get("案件", 0))
            )

        run_in_background(
            work, done, lambda exc: show_error(self, exc), parent=self, title=self.tr("正在导出调解台账…")
        )

    def import_from(self, path: Path | None = None) -> QtWidgets.QDialog:
        """The import wizard with the case register's importer (checking ``path`` at once when given)."""
        from desktop.ui.dialogs.import_wizard import ImportWizard
        from desktop.ui.importing.importers import mediation_case_importer

        importer = mediation_case_importer()
        wizard = ImportWizard.start(self.ctx, importer, self, path)
        wizard.imported.connect(lambda _report: self._after_import(importer.changes))
        return wizard

    def _after_import(self, changes: DataChanges) -> None:
        self.changed.emit(changes)
        self.reload()

    def _on_export_button_clicked(self) -> None:
        name = f"调解台账-{self.ctx.today():%Y%m%d}.xlsx"
        target, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("导出调解台账"), str(Path.home() / name), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if target:
            self.export_to(Path(target))

    def _on_import_button_clicked(self) -> None:
        self.import_from()
