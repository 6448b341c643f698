"""网格: browse the street's grids by community, see one grid's facts and staff, add, edit and retire.

Layout: communities on the left; on the right the search row, the grid table and, below it, the
selected grid's card and staff. The grid list is loaded in the background (all grids, retired ones
included, ~50 ms at street scale) and filtered in a proxy model, so the community list, the search
box and “显示已撤销” act instantly. Dialogs are opened with ``open()`` (window-modal, non-blocking)
by the ``open_*_dialog`` methods, which return the dialog.
"""

from __future__ import annotations

from desktop.domain import accounts as perm
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.icons import icon
from desktop.ui.models.community_list_model import CommunityListModel
from desktop.ui.models.grid_filter_proxy_model import GridFilterProxyModel
from desktop.ui.models.grid_table_model import GridTableModel
from desktop.ui.pages.base import Page
from desktop.ui.pages.grids.grid_actions import GridActionsMixin
from desktop.ui.pages.grids.grid_detail_panel import GridDetailPanel
from desktop.ui.permissions import guard_all
from desktop.ui.qt import Qt, QtCore, QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.page_header import PageHeader

COLUMN_WIDTHS = (100, 150, 86, 76, 70, 88, 72, 60, 66, 76)
PAGE_QSS = """
QLabel#emptyState { color: palette(placeholder-text); font-size: 11pt; }
QTreeView#communityList { border: none; background: transparent; outline: none; }
QTreeView#communityList::item { padding: 6px 4px; }
QTableView#gridTable::item, QTableView#staffTable::item { padding: 0px 6px; }
"""


class GridsPage(GridActionsMixin, Page):
    title = "网格"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"structure", "grids", "residents"})
    #: the grid list was (re)loaded and is shown
    loaded = Signal()
    #: the selected grid changed (its id, or 0 when none)
    grid_selected = Signal(int)

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loading = False
        self.communities: list[structure.CommunityRow] = []
        self._generation = 0
        self._has_loaded = False
        self._select_after_load: int | None = None
        self._restoring = False
        self._detail_id: int | None = None
        self._alive = [True]
        alive = self._alive
        self.destroyed.connect(lambda *_a: alive.__setitem__(0, False))
        self.setStyleSheet(PAGE_QSS)

        self.header = PageHeader(self.tr("网格"), self.tr("正在载入…"))
        self.new_button = QtWidgets.QPushButton(icon("add", "#ffffff"), self.tr("新增网格"))
        self.new_button.setObjectName("primaryButton")
        self.edit_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.retire_button = QtWidgets.QPushButton(icon("retire"), self.tr("撤销网格"))
        self.refresh_button = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        for button in (self.refresh_button, self.new_button, self.edit_button, self.retire_button):
            self.header.add_action(button)

        self.community_model = CommunityListModel(self)
        self.community_view = QtWidgets.QTreeView()
        self.community_view.setObjectName("communityList")
        self.community_view.setModel(self.community_model)
        self.community_view.setHeaderHidden(True)
        self.community_view.setRootIsDecorated(False)
        self.community_view.setItemsExpandable(False)
        self.community_view.setUniformRowHeights(True)
        self.community_view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.community_view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        cheader = self.community_view.header()
        cheader.setStretchLastSection(False)
        cheader.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        cheader.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        left = QtWidgets.QFrame()
        left.setObjectName("card")
        left.setMinimumWidth(170)
        ll = QtWidgets.QVBoxLayout(left)
        ll.setContentsMargins(8, 10, 8, 8)
        ll.setSpacing(4)
        community_title = QtWidgets.QLabel(self.tr("社区"))
        community_title.setObjectName("sectionTitle")
        community_title.setContentsMargins(6, 0, 0, 0)
        ll.addWidget(community_title)
        ll.addWidget(self.community_view, 1)

        self.search_edit = QtWidgets.QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索编号、名称或四至"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QtWidgets.QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setMinimumWidth(260)
        self.show_retired_check = QtWidgets.QCheckBox(self.tr("显示已撤销"))
        tools = QtWidgets.QHBoxLayout()
        tools.setSpacing(12)
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.show_retired_check)
        tools.addStretch(1)

        self.grid_model = GridTableModel(self)
        self.proxy = GridFilterProxyModel(self)
        self.proxy.setSourceModel(self.grid_model)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("gridTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(GridTableModel.CODE, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(48)
        for col, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(col, width)
        header.setSectionResizeMode(GridTableModel.NAME, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.empty_label = QtWidgets.QLabel(self.tr("正在载入网格…"))
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        empty_card = QtWidgets.QFrame()
        empty_card.setObjectName("card")
        QtWidgets.QVBoxLayout(empty_card).addWidget(self.empty_label)
        self.table_stack = QtWidgets.QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(empty_card)
        self.table_stack.setCurrentIndex(1)

        self.detail_panel = GridDetailPanel()
        panel = self.detail_panel
        staff = (panel.add_staff_button, panel.edit_staff_button, panel.retire_staff_button)
        # a role without 网格与社区结构 (a 网格员, a 调解员) reads the grids here and changes nothing
        editing = (self.new_button, self.edit_button, self.retire_button, *staff)
        self.may_edit = guard_all(ctx, editing, perm.GRIDS)
        upper = QtWidgets.QWidget()
        ul = QtWidgets.QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.setSpacing(8)
        ul.addLayout(tools)
        ul.addWidget(self.table_stack, 1)
        self.right_splitter = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setChildrenCollapsible(False)
        self.right_splitter.addWidget(upper)
        self.right_splitter.addWidget(self.detail_panel)
        self.right_splitter.setStretchFactor(0, 1)
        self.right_splitter.setStretchFactor(1, 0)
        self.right_splitter.setSizes([420, 290])
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right_splitter)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 1000])

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        outer.addWidget(self.header)
        outer.addWidget(self.splitter, 1)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.retire_button.clicked.connect(self._on_retire_button_clicked)
        self.refresh_button.clicked.connect(self.reload)
        self.community_view.selectionModel().currentRowChanged.connect(
            self._on_community_view_current_row_changed
        )
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.show_retired_check.toggled.connect(self._on_show_retired_check_toggled)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.detail_panel.add_staff_requested.connect(self._on_detail_panel_add_staff_requested)
        self.detail_panel.edit_staff_requested.connect(self.open_edit_staff_dialog)
        self.detail_panel.retire_staff_requested.connect(self.open_retire_staff_dialog)
        self.detail_panel.show_moved_toggled.connect(lambda _on: self.refresh_detail(force=True))

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Load communities and grids in the background; keep (or move to ``select_id``) the selection."""
        if select_id is not None:
            self._select_after_load = select_id
        self._generation += 1
        generation, ctx, alive = self._generation, self.ctx, self._alive
        self.loading = True

        def load(_progress: object) -> tuple[list[structure.CommunityRow], list[structure.GridRow]]:
            return (
                structure.list_communities(ctx, include_retired=True),
                structure.list_grids(ctx, include_retired=True),
            )

        def done(result: tuple[list[structure.CommunityRow], list[structure.GridRow]]) -> None:
            if alive[0] and generation == self._generation:
                self._show_loaded(*result)

        def failed(exc: BaseException) -> None:
            if alive[0] and generation == self._generation:
                self.loading = False
                from desktop.ui.errors import show_error

                show_error(self, exc)

        run_in_background(load, done, failed, parent=self)

    def _show_loaded(self, communities: list[structure.CommunityRow], grids: list[structure.GridRow]) -> None:
        keep = self._select_after_load or self.selected_grid_id()
        old_row = self._current_proxy_row()
        self._select_after_load = None
        self.communities = communities
        self._restoring = True
        try:
            self.grid_model.set_rows(grids)
            self._rebuild_community_list()
            if keep is not None:
                self._make_visible(keep)
        finally:
            self._restoring = False
        if not (keep is not None and self.select_grid(keep)):
            self._select_row(old_row if old_row >= 0 else 0)
        self._has_loaded = True
        self.loading = False
        self._filters_changed()
        self.refresh_detail(force=True)
        self.loaded.emit()

    def _rebuild_community_list(self) -> None:
        current = self.proxy.community_id
        self.community_model.set_data(self.communities, self.grid_model.rows(), self.proxy.show_retired)
        row = self.community_model.row_of(current)
        if row < 0:
            row, current = 0, None
        self.community_view.setCurrentIndex(self.community_model.index(row, 0))
        self.proxy.set_community_id(current)

    def _make_visible(self, grid_id: int) -> None:
        """A grid that was just saved must show: widen the filters it falls outside."""
        row = self.grid_model.row_for(grid_id)
        if row is None or self.proxy.accepts(row):
            return
        if row.retired_on is not None and not self.proxy.show_retired:
            return
        if self.proxy.text:
            self.search_edit.clear()
        if not self.proxy.accepts(row):
            self.select_community(row.community_id)
            self.proxy.set_community_id(row.community_id)

    # ---------------------------------------------------------------- selection

    def selected_grid_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.grid_model.row_id(self.proxy.mapToSource(rows[0])) if rows else None

    def selected_grid(self) -> structure.GridRow | None:
        grid_id = self.selected_grid_id()
        return None if grid_id is None else self.grid_model.row_for(grid_id)

    def select_grid(self, grid_id: int) -> bool:
        """Select a grid shown in the table; False when it is filtered out or unknown."""
        index = self.proxy.mapFromSource(self.grid_model.index_for(grid_id))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def select_community(self, community_id: int | None) -> bool:
        row = self.community_model.row_of(community_id)
        if row < 0:
            return False
        self.community_view.setCurrentIndex(self.community_model.index(row, 0))
        return True

    def _current_proxy_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _select_row(self, row: int) -> None:
        count = self.proxy.rowCount()
        if count == 0:
            self.table.clearSelection()
            return
        self.table.selectRow(min(max(row, 0), count - 1))

    # ---------------------------------------------------------------- filters

    def _on_community_view_current_row_changed(
        self, current: QtCore.QModelIndex, _prev: QtCore.QModelIndex
    ) -> None:
        if self._restoring:
            return
        self.proxy.set_community_id(self.community_model.row_id(current))
        self._filters_changed()

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._filters_changed()

    def _on_show_retired_check_toggled(self, checked: bool) -> None:
        self.proxy.set_show_retired(checked)
        self._rebuild_community_list()
        self._filters_changed()

    def _filters_changed(self) -> None:
        """After any filter change: keep a selection if possible, then update the texts around the table."""
        if self._restoring:
            return
        if not self.table.selectionModel().selectedRows() and self.proxy.rowCount():
            self._select_row(0)
        self._update_empty_state()
        self._update_subtitle()
        self._update_buttons()
        self.refresh_detail()

    def _update_empty_state(self) -> None:
        if not self._has_loaded:
            return
        self.detail_panel.setVisible(self.proxy.rowCount() > 0)
        # one community: its name in every row says nothing
        self.table.setColumnHidden(GridTableModel.COMMUNITY, self.proxy.community_id is not None)
        if self.proxy.rowCount():
            self.table_stack.setCurrentIndex(0)
            return
        if not any(c.retired_on is None for c in self.communities):
            text = self.tr("还没有社区。请先在“设置”中添加社区，再新增网格。")
        elif self.proxy.text:
            text = self.tr("没有找到与“{0}”相符的网格。").format(self.search_edit.text().strip())
            if self.proxy.community_id is not None:
                text += self.tr("\n可以在左侧选择“全部社区”再试。")
        elif self.proxy.community_id is not None:
            text = self.tr("该社区还没有网格，点击“新增网格”添加。")
        else:
            text = self.tr("还没有网格，点击“新增网格”添加。")
        self.empty_label.setText(text)
        self.table_stack.setCurrentIndex(1)

    def _update_subtitle(self) -> None:
        if not self._has_loaded:
            return
        shown = [self.grid_model.row_for(gid) for gid in self.visible_grid_ids()]
        active = [g for g in shown if g is not None and g.retired_on is None]
        retired = len(shown) - len(active)
        text = self.tr("共 {0} 个网格").format(len(active))
        if retired:
            text += self.tr("（另有已撤销 {0} 个）").format(retired)
        households = sum(g.households or 0 for g in active)
        population = sum(g.population or 0 for g in active)
        registered = sum(g.registered_residents for g in active)
        text += self.tr(" · 申报 {0} 户、{1} 人 · 在册居民 {2} 人").format(
            f"{households:,}", f"{population:,}", f"{registered:,}"
        )
        self.header.set_subtitle(text)

    def visible_grid_ids(self) -> list[int]:
        """The ids of the grids the table shows, in display order."""
        out = []
        for row in range(self.proxy.rowCount()):
            gid = self.grid_model.row_id(self.proxy.mapToSource(self.proxy.index(row, 0)))
            if gid is not None:
                out.append(gid)
        return out

    # ---------------------------------------------------------------- detail & buttons

    def _on_table_selection_changed(self, *_args: object) -> None:
        if self._restoring:
            return
        self._update_buttons()
        self.refresh_detail()

    def refresh_detail(self, force: bool = False) -> None:
        """Show the selected grid in the detail panel (one quick query); ``force`` re-reads it."""
        grid_id = self.selected_grid_id()
        if grid_id == self._detail_id and not force:
            return
        self._detail_id = grid_id
        self.grid_selected.emit(grid_id or 0)
        if grid_id is None:
            self.detail_panel.show_detail(None)
            return
        try:
            detail = structure.get_grid(
                self.ctx, grid_id, include_retired_staff=self.detail_panel.show_moved_check.isChecked()
            )
        except Exception as exc:
            self._detail_id = None
            self.detail_panel.show_detail(None)
            from desktop.ui.errors import show_error

            show_error(self, exc)
            return
        self.detail_panel.show_detail(detail)

    def _update_buttons(self) -> None:
        grid = self.selected_grid()
        self.new_button.setEnabled(any(c.retired_on is None for c in self.communities))
        self.edit_button.setEnabled(grid is not None)
        self.retire_button.setEnabled(grid is not None)
        if grid is not None and grid.retired_on is not None:
            self.retire_button.setText(self.tr("恢复网格"))
            self.retire_button.setIcon(icon("restore"))
        else:
            self.retire_button.setText(self.tr("撤销网格"))
            self.retire_button.setIcon(icon("retire"))

    # ---------------------------------------------------------------- slots that open dialogs

    def _on_new_button_clicked(self) -> None:
        self.open_new_grid_dialog()

    def _on_edit_button_clicked(self) -> None:
        self.open_edit_grid_dialog()

    def _on_retire_button_clicked(self) -> None:
        grid = self.selected_grid()
        if grid is not None and grid.retired_on is not None:
            self.restore_grid(grid.id)
        else:
            self.open_retire_grid_dialog()

    def _on_table_double_clicked(self, index: QtCore.QModelIndex) -> None:
        grid_id = self.grid_model.row_id(self.proxy.mapToSource(index))
        if grid_id is not None and self.may_edit:
            self.open_edit_grid_dialog(grid_id)

    def _on_detail_panel_add_staff_requested(self) -> None:
        self.open_new_staff_dialog()

    def _on_table_context_menu_requested(self, pos: QtCore.QPoint) -> None:
        grid = self.selected_grid()
        if grid is None or not self.table.indexAt(pos).isValid() or not self.may_edit:
            return
        menu = QtWidgets.QMenu(self)
        menu.addAction(icon("edit"), self.tr("编辑网格…"), lambda: self.open_edit_grid_dialog())
        if grid.retired_on is None:
            menu.addAction(icon("person_add"), self.tr("添加人员…"), lambda: self.open_new_staff_dialog())
            menu.addSeparator()
            menu.addAction(icon("retire"), self.tr("撤销网格…"), lambda: self.open_retire_grid_dialog())
        else:
            menu.addSeparator()
            menu.addAction(icon("restore"), self.tr("恢复网格"), lambda: self.restore_grid())
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.table.viewport().mapToGlobal(pos))
