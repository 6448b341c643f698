"""居民: the resident register — search as you type, filters, a lazy table of up to 130,000+ rows.

The search runs off the GUI thread (``run_in_background``) ~150 ms after the last keystroke; each run
carries a sequence number and a result that is no longer the latest is dropped. The worker returns
the ordered ids and the first page of rows, so the table shows rows without touching the database
on the GUI thread; later pages are fetched by the model as the user scrolls (~3 ms per 200 rows).
"""

from __future__ import annotations

from desktop.core.errors import ShequError
from desktop.domain import accounts as perm
from desktop.services import residents, structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import open_dialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.marks import tier_dot
from desktop.ui.models.resident_table_model import ResidentTableModel
from desktop.ui.pages.base import Page
from desktop.ui.permissions import guard, guard_all
from desktop.ui.qt import Qt, QtCore, QtWidgets
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.combos import refill_filter_combo
from desktop.ui.widgets.page_header import PageHeader
from desktop.ui.widgets.step_hint import StepHint

SEARCH_DELAY_MS = 150
#: column widths (fit 1280×800); 住址 takes what is left, at least ADDRESS_MIN_WIDTH
COLUMN_WIDTHS = {
    ResidentTableModel.NAME: 74,
    ResidentTableModel.GENDER: 42,
    ResidentTableModel.AGE: 42,
    ResidentTableModel.ID_NUMBER: 152,
    ResidentTableModel.PHONE: 94,
    ResidentTableModel.KIND: 74,
    ResidentTableModel.COMMUNITY: 74,
    ResidentTableModel.GRID: 72,
    ResidentTableModel.RELATION: 82,
    ResidentTableModel.TAGS: 84,
    ResidentTableModel.TIER: 60,
}
ADDRESS_MIN_WIDTH = 150


class ResidentsPage(Page):
    title = "居民"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"structure", "grids", "settings"})

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._seq = 0  # the latest search's number; older results are dropped
        self._shown_seq = 0
        self._loaded = False
        self._sort = ("default", False)
        self._filling = False  # filling the filter combos: no searches meanwhile
        self.last_search_ms: float | None = None

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        self.header = PageHeader(self.tr("居民"), self.tr("实有人口登记 · 身份证号和电话默认脱敏显示"))
        self.add_button = QtWidgets.QPushButton(icon("add", "#ffffff"), self.tr("新增居民"))
        self.add_button.setObjectName("primaryButton")
        self.open_button = QtWidgets.QPushButton(icon("person"), self.tr("查看详情"))
        self.open_button.setEnabled(False)
        self.refresh_button = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        self.import_button = QtWidgets.QPushButton(icon("import"), self.tr("导入…"))
        self.import_button.setToolTip(self.tr("从 Excel 或 CSV 名单导入居民（可预览、检查后再导入）"))
        self.export_button = QtWidgets.QPushButton(icon("export"), self.tr("导出…"))
        self.export_button.setToolTip(self.tr("把在册居民导出为 Excel 或 CSV（默认脱敏）"))
        # what the role may do (the services refuse the rest too)
        guard_all(ctx, (self.add_button, self.import_button), perm.RESIDENTS_WRITE)
        guard(ctx, self.export_button, perm.RESIDENTS_EXPORT)
        for b in (
            self.open_button,
            self.add_button,
            self.import_button,
            self.export_button,
            self.refresh_button,
        ):
            self.header.add_action(b)
        outer.addWidget(self.header)
        self.step_hint = StepHint()
        self.step_hint.navigate.connect(self.navigate)
        outer.addWidget(self.step_hint)

        search_row = QtWidgets.QHBoxLayout()
        search_row.setSpacing(12)
        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("姓名、拼音首字母、身份证号或手机尾号"))
        self.search_edit.setToolTip(
            self.tr("也可输入住址（如“新华小区3号楼”）；多个词用空格分开时须全部匹配")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setMinimumHeight(32)
        search_row.addWidget(self.search_edit, 1)
        self.count_label = QtWidgets.QLabel("")
        self.count_label.setObjectName("sectionTitle")
        self.count_label.setMinimumWidth(150)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        search_row.addWidget(self.count_label)
        outer.addLayout(search_row)

        filters = QtWidgets.QHBoxLayout()
        filters.setSpacing(8)
        self.community_combo = self._combo(140)
        self.grid_combo = self._combo(150)
        self.tag_combo = self._combo(150)
        self.tier_combo = self._combo(110)
        self.kind_combo = self._combo(110)
        self.kind_combo.addItem(self.tr("户籍和流动"), None)
        self.kind_combo.addItem(self.tr("户籍人口"), "REGISTERED")
        self.kind_combo.addItem(self.tr("流动人口"), "FLOATING")
        self.inactive_check = QtWidgets.QCheckBox(self.tr("含已迁出/死亡"))
        self.inactive_check.setToolTip(self.tr("同时显示已迁出、离开和死亡的居民（灰色显示）"))
        self.clear_button = QtWidgets.QPushButton(self.tr("清除筛选"))
        for w in (self.community_combo, self.grid_combo, self.tag_combo, self.tier_combo, self.kind_combo):
            filters.addWidget(w)
        filters.addSpacing(4)
        filters.addWidget(self.inactive_check)
        filters.addStretch(1)
        filters.addWidget(self.clear_button)
        outer.addLayout(filters)

        self.model = ResidentTableModel(lambda ids: residents.fetch_resident_rows(self.ctx, ids), self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("residentTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setIconSize(QtCore.QSize(12, 12))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(40)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.table.viewport().installEventFilter(self)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        outer.addWidget(self.table, 1)

        self.hint_label = QtWidgets.QLabel(
            self.tr("双击或按回车查看居民详情；点击列标题排序（姓名按拼音）。")
        )
        self.hint_label.setObjectName("figureDetail")
        outer.addWidget(self.hint_label)

        self.search_timer = QtCore.QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._connect_signals()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QtCore.QEvent.Type.Resize:
            self._fit_address_column()
        return super().eventFilter(watched, event)

    def _fit_address_column(self) -> None:
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(c) for c in range(self.model.columnCount()) if c != ResidentTableModel.ADDRESS
        )
        header.resizeSection(
            ResidentTableModel.ADDRESS, max(ADDRESS_MIN_WIDTH, self.table.viewport().width() - others)
        )

    def _on_header_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != ResidentTableModel.ADDRESS:
            self._fit_address_column()

    def _combo(self, width: int) -> QtWidgets.QComboBox:
        combo = QtWidgets.QComboBox()
        combo.setMinimumWidth(width)
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self.search_now)
        self.search_timer.timeout.connect(self.search_now)
        self.community_combo.currentIndexChanged.connect(self._on_community_combo_current_index_changed)
        for combo in (self.grid_combo, self.tag_combo, self.tier_combo, self.kind_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.inactive_check.toggled.connect(self._on_filter_changed)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.refresh_button.clicked.connect(self.reload)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.import_button.clicked.connect(self.open_import_wizard)
        self.export_button.clicked.connect(self.open_export_dialog)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.table.horizontalHeader().sectionResized.connect(self._on_header_section_resized)

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        if not self._loaded or self.stale:
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self) -> None:
        """Refresh the filter choices (keeping what is selected) and run the search again."""
        self._loaded = True
        try:
            self._fill_filters()
        except ShequError as exc:
            show_error(self, exc)
            return
        self.search_now()

    def _fill_filters(self) -> None:
        self._filling = True
        try:
            tiers = residents.care_tiers(self.ctx)
            self.model.set_tiers(tiers)
            communities = structure.list_communities(self.ctx)
            refill_filter_combo(self.community_combo, self.tr("全部社区"), [(c.name, c.id) for c in communities])
            self._require_communities(bool(communities))
            self._fill_grids()
            refill_filter_combo(
                self.tag_combo, self.tr("全部特殊人群"), [(t, t) for t in residents.special_groups(self.ctx)]
            )
            keep = self.tier_combo.currentData()
            self.tier_combo.clear()
            self.tier_combo.addItem(self.tr("全部等级"), None)
            for t in tiers:
                self.tier_combo.addItem(tier_dot(t.colour), t.label, t.code)
            self.tier_combo.setCurrentIndex(max(self.tier_combo.findData(keep), 0))
        finally:
            self._filling = False

    def _require_communities(self, present: bool) -> None:
        """A resident is registered in a community: without one, 新增居民 and 导入 say what to do first."""
        text = "" if present else self.tr("还没有社区：居民要登记到社区。请先在“设置”中新增社区。")
        for button in (self.add_button, self.import_button):
            button.setEnabled(present)
        self.add_button.setToolTip(text)
        self.import_button.setToolTip(text or self.tr("从 Excel 或 CSV 名单导入居民（可预览、检查后再导入）"))
        if present:
            self.step_hint.clear_hint()
        else:
            self.step_hint.set_hint(text, self.tr("去新增社区"), "settings/community")

    def start_step(self, step: str) -> None:
        """"import": the import wizard (when there is a community to import into)."""
        if step == "import":
            if self.import_button.isEnabled():
                self.import_button.click()
        else:
            super().start_step(step)

    def _fill_grids(self) -> None:
        community_id = self.community_combo.currentData()
        grids = structure.list_grids(self.ctx, community_id=community_id) if community_id is not None else []
        refill_filter_combo(self.grid_combo, self.tr("全部网格"), [(g.name, g.id) for g in grids])
        self.grid_combo.setEnabled(community_id is not None)
        self.grid_combo.setToolTip("" if community_id is not None else self.tr("先选择社区"))

    def current_filter(self) -> residents.ResidentFilter:
        return residents.ResidentFilter(
            text=self.search_edit.text(),
            community_id=self.community_combo.currentData(),
            grid_id=self.grid_combo.currentData(),
            tag=self.tag_combo.currentData(),
            care_tier=self.tier_combo.currentData(),
            residence_kind=self.kind_combo.currentData(),
            status=None if self.inactive_check.isChecked() else "ACTIVE",
            sort=self._sort[0],
            descending=self._sort[1],
        )

    def search_now(self) -> None:
        """Run the search for the current text and filters (off the GUI thread)."""
        self.search_timer.stop()
        self._seq += 1
        seq, flt, ctx, page = self._seq, self.current_filter(), self.ctx, self.model.PAGE_SIZE
        started = QtCore.QElapsedTimer()
        started.start()

        def work(_progress):
            ids = residents.search_resident_ids(ctx, flt)
            return ids, residents.fetch_resident_rows(ctx, ids[:page])

        run_in_background(
            work,
            lambda result: self._on_search_done(seq, result, started.elapsed()),
            lambda exc: self._on_search_failed(seq, exc),
            parent=self,
        )

    def is_searching(self) -> bool:
        return self._shown_seq != self._seq

    def _on_search_done(
        self, seq: int, result: tuple[list[int], list[residents.ResidentRow]], ms: int
    ) -> None:
        if seq != self._seq:
            return  # a newer search is under way: this result is stale
        self._shown_seq = seq
        self.last_search_ms = ms
        ids, first_rows = result
        selected = self.selected_id()
        self.model.set_ids(ids, first_rows)
        self.count_label.setText(self.tr("共 %1 人").replace("%1", f"{len(ids):,}"))
        if selected is not None and (row := self.model.row_of(selected)) >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._on_table_selection_changed()

    def _on_search_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self._shown_seq = seq
            show_error(self, exc, self.tr("查询居民失败"))

    # ---------------------------------------------------------------- selection and dialogs

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None

    def open_card(self, resident_id: int) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.resident_card_dialog import ResidentCardDialog

        dialog = ResidentCardDialog(self.ctx, resident_id, self)
        dialog.finished.connect(lambda _r: dialog.changed and self._after_change())
        return open_dialog(dialog)

    def _after_change(self) -> None:
        self.model.refresh()
        self.search_now()
        self.emit_changes("residents")

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self.search_timer.start()

    def _on_community_combo_current_index_changed(self, _index: int) -> None:
        if self._filling:
            return
        try:
            self._fill_grids()
        except ShequError as exc:
            show_error(self, exc)
        self.search_now()

    def _on_filter_changed(self, *_args: object) -> None:
        if not self._filling:
            self.search_now()

    def _on_clear_button_clicked(self) -> None:
        self._filling = True
        for combo in (self.community_combo, self.tag_combo, self.tier_combo, self.kind_combo):
            combo.setCurrentIndex(0)
        self._fill_grids()
        self.inactive_check.setChecked(False)
        self.search_edit.clear()
        self._filling = False
        self.search_now()

    def _on_model_sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        if self._loaded:
            self.search_now()

    def _on_table_activated(self, index: QtCore.QModelIndex) -> None:
        rid = self.model.row_id(index.row())
        if rid is not None:
            self.open_card(rid)

    def _on_open_button_clicked(self) -> None:
        rid = self.selected_id()
        if rid is not None:
            self.open_card(rid)

    def _on_table_selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.selected_id() is not None)

    def _on_add_button_clicked(self) -> None:
        from desktop.ui.dialogs.resident_dialog import ResidentDialog

        dialog = ResidentDialog(self.ctx, community_id=self.community_combo.currentData(), parent=self)
        dialog.accepted.connect(lambda: self._on_resident_dialog_accepted(dialog))
        open_dialog(dialog)

    def _on_resident_dialog_accepted(self, dialog: QtWidgets.QDialog) -> None:
        if getattr(dialog, "saved_id", None) is not None:
            self.status_message.emit(self.tr("已登记居民：") + getattr(dialog, "saved_name", ""))
            self._after_change()

    # ---------------------------------------------------------------- import / export (window-modal, opened with open())

    def open_import_wizard(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.resident_import_wizard import ResidentImportWizard

        wizard = ResidentImportWizard(self.ctx, self)
        wizard.imported.connect(self._on_import_wizard_imported)
        wizard.open()
        return wizard

    def _on_import_wizard_imported(self, report: object) -> None:
        self.status_message.emit(self.tr("居民导入完成：") + getattr(report, "source", ""))
        self.model.refresh()
        self.reload()  # new grids' people, new tags: the filter choices too
        self.emit_changes("residents", "backup")  # the import backed the database up first

    def open_export_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.resident_export_dialog import ResidentExportDialog

        dialog = ResidentExportDialog(
            self.ctx, self.community_combo.currentData(), self.grid_combo.currentData(), self
        )
        dialog.exported.connect(self._on_export_dialog_exported)
        dialog.open()
        return dialog

    def _on_export_dialog_exported(self, count: int, path: str) -> None:
        self.status_message.emit(
            self.tr("已导出 %1 名居民到 %2").replace("%1", f"{count:,}").replace("%2", path)
        )
