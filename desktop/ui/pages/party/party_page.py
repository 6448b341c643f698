"""党建: the organisation tree with its warnings on the left; on the right the members, recruitment (who is
due for which step and when), dues arrears, meetings (what is overdue) and the organisation itself.

The tree and every tab load in the background; a tab reloads when it is shown after the selection or
the data changed. Dialogs open window-modal with ``open()``; the ``open_*`` methods return them.
"""

from __future__ import annotations

from pathlib import Path

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.party_org_tree_model import PartyOrgTreeModel
from desktop.ui.pages.base import Page
from desktop.ui.pages.party.dues_tab import DuesTab
from desktop.ui.pages.party.meetings_tab import MeetingsTab
from desktop.ui.pages.party.members_tab import MembersTab
from desktop.ui.pages.party.org_tab import OrgTab
from desktop.ui.pages.party.recruitment_tab import RecruitmentTab
from desktop.ui.pages.party.tab_base import PartyTab
from desktop.ui.qt import Qt, QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.lazy_tabs import LazyTabWidget
from desktop.ui.widgets.page_header import PageHeader

PAGE_QSS = """
QTreeView#partyOrgTree { border: none; background: #ffffff; outline: none; }
QTreeView#partyOrgTree::item { padding: 4px 2px; }
QTableView::item { padding: 0px 6px; }
QLabel#orgWarnings { color: #b3261e; font-size: 9.5pt; }
"""


class PartyPage(Page):
    title = "党建"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"structure", "party"})
    #: the organisation tree was (re)loaded
    loaded = Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.loading = False
        self._has_loaded = False
        self._generation = 0
        self._alive = [True]
        alive = self._alive
        self.destroyed.connect(lambda *_a: alive.__setitem__(0, False))
        self.setStyleSheet(PAGE_QSS)

        self.header = PageHeader(self.tr("党建"), self.tr("正在载入…"))
        self.add_button = QtWidgets.QPushButton(icon("add", "#ffffff"), self.tr("新增党员"))
        self.add_button.setObjectName("primaryButton")
        self.more_button = QtWidgets.QPushButton(icon("person_add"), self.tr("登记"))
        more = QtWidgets.QMenu(self.more_button)
        self.applicant_action = more.addAction(self.tr("新增入党申请人…"))
        self.transfer_action = more.addAction(self.tr("组织关系转入…"))
        self.more_button.setMenu(more)
        self.import_button = QtWidgets.QPushButton(icon("import"), self.tr("导入名册"))
        self.export_button = QtWidgets.QPushButton(icon("export"), self.tr("导出名册"))
        self.print_button = QtWidgets.QPushButton(icon("print"), self.tr("打印名册"))
        self.refresh_button = QtWidgets.QPushButton(icon("refresh"), self.tr("刷新"))
        for b in (self.refresh_button, self.import_button, self.export_button, self.print_button, self.more_button,
                  self.add_button):  # fmt: skip
            self.header.add_action(b)

        self.tree_model = PartyOrgTreeModel(self)
        self.tree = QtWidgets.QTreeView()
        self.tree.setObjectName("partyOrgTree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)
        self.tree.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        theader = self.tree.header()
        theader.setStretchLastSection(False)
        theader.setSectionResizeMode(PartyOrgTreeModel.NAME, QtWidgets.QHeaderView.ResizeMode.Stretch)
        theader.setSectionResizeMode(
            PartyOrgTreeModel.MEMBERS, QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        self.warnings_label = QtWidgets.QLabel()
        self.warnings_label.setObjectName("orgWarnings")
        self.warnings_label.setWordWrap(True)
        left = QtWidgets.QFrame()
        left.setObjectName("card")
        left.setMinimumWidth(250)
        ll = QtWidgets.QVBoxLayout(left)
        ll.setContentsMargins(8, 10, 8, 8)
        ll.setSpacing(4)
        tree_title = QtWidgets.QLabel(self.tr("党组织"))
        tree_title.setObjectName("sectionTitle")
        tree_title.setContentsMargins(6, 0, 0, 0)
        ll.addWidget(tree_title)
        ll.addWidget(self.tree, 1)
        ll.addWidget(self.warnings_label)

        self.members_tab = MembersTab(ctx)
        self.recruitment_tab = RecruitmentTab(ctx)
        self.dues_tab = DuesTab(ctx)
        self.meetings_tab = MeetingsTab(ctx, self.tree_model.nodes)
        self.org_tab = OrgTab(ctx)
        self.tabs = LazyTabWidget()  # a tab's page is styled and laid out when first shown
        self.tabs.setDocumentMode(True)
        for tab, text in ((self.members_tab, self.tr("党员")), (self.recruitment_tab, self.tr("发展党员")),
                          (self.dues_tab, self.tr("党费")), (self.meetings_tab, self.tr("三会一课")),
                          (self.org_tab, self.tr("组织与班子"))):  # fmt: skip
            self.tabs.add_tab(tab, text)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([290, 990])
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(8)
        outer.addWidget(self.header)
        outer.addWidget(split, 1)
        self._connect_signals()

    def search_field(self) -> QtWidgets.QWidget | None:
        """Ctrl+F searches the members: their tab is brought forward."""
        self.tabs.setCurrentWidget(self.members_tab)
        return self.members_tab.search_edit

    @property
    def all_tabs(self) -> list[PartyTab]:
        return [self.members_tab, self.recruitment_tab, self.dues_tab, self.meetings_tab, self.org_tab]

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.reload)
        self.add_button.clicked.connect(lambda: self.open_member_dialog("new"))
        self.applicant_action.triggered.connect(lambda: self.open_member_dialog("applicant"))
        self.transfer_action.triggered.connect(lambda: self.open_member_dialog("transfer_in"))
        self.recruitment_tab.applicant_requested.connect(lambda: self.open_member_dialog("applicant"))
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.print_button.clicked.connect(self.open_roster_dialog)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection_changed)
        for tab in self.all_tabs:
            tab.changed.connect(self._after_change)
            tab.member_requested.connect(self.open_member_card)
            tab.status_message.connect(self.status_message)

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        if not self._has_loaded or self.stale:
            self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self) -> None:
        self._has_loaded = True
        self._generation += 1
        generation, ctx = self._generation, self.ctx
        self.loading = True

        alive = self._alive

        def done(nodes: list[party.OrgNode]) -> None:
            if not alive[0] or generation != self._generation:
                return
            self._show_tree(nodes)
            self.loading = False
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if alive[0] and generation == self._generation:
                self.loading = False
                show_error(self, exc, self.tr("载入党组织失败"))

        run_in_background(lambda _p: party.list_org_tree(ctx), done, failed, parent=self)

    def _show_tree(self, nodes: list[party.OrgNode]) -> None:
        keep = self.selected_org_id()
        self.tree.selectionModel().blockSignals(True)
        self.tree_model.set_nodes(nodes)
        self.tree.selectionModel().blockSignals(False)
        for n in nodes:
            if n.depth < 2 and n.kind != "GROUP":
                self.tree.expand(self.tree_model.index_of(n.id))
        members = sum(n.subtree_members for n in nodes if n.depth == 0)
        serious = sum(len(n.serious_warnings) for n in nodes)
        self.header.set_subtitle(
            self.tr("党组织 {0} 个 · 党员 {1} 名 · 需关注 {2} 项").format(len(nodes), f"{members:,}", serious)
            if nodes
            else self.tr("还没有党组织：请在“组织与班子”中新增，或导入党员名册前先建立党支部")
        )
        target = (
            keep
            if keep is not None and self.tree_model.node_by_id(keep)
            else (nodes[0].id if nodes else None)
        )
        if target is not None:
            self.select_org(target)
        else:
            self._apply_org(None)

    def select_org(self, org_id: int) -> None:
        index = self.tree_model.index_of(org_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            self._apply_org(org_id)

    def selected_org_id(self) -> int | None:
        node = self.tree_model.node(self.tree.currentIndex())
        return node.id if node else None

    def _apply_org(self, org_id: int | None) -> None:
        node = self.tree_model.node_by_id(org_id) if org_id is not None else None
        serious = node.serious_warnings if node else []
        self.warnings_label.setText("\n".join(f"⚠ {w.text}" for w in serious))
        self.warnings_label.setVisible(bool(serious))
        for tab in self.all_tabs:
            tab.set_org(org_id)

    def _on_tree_selection_changed(self, *_a: object) -> None:
        self._apply_org(self.selected_org_id())

    def _after_change(self) -> None:
        self.reload()
        for tab in self.all_tabs:
            tab.invalidate()
        self.emit_changes("party")

    # ---------------------------------------------------------------- dialogs

    def open_member_card(self, member_id: int) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_member_card_dialog import PartyMemberCardDialog

        dialog = PartyMemberCardDialog(self.ctx, member_id, self.tree_model.nodes(), self)

        def finished(*_a: object) -> None:
            if dialog.changed:
                self._after_change()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def open_member_dialog(self, mode: str = "new") -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_member_dialog import PartyMemberDialog

        org = self.tree_model.node_by_id(self.selected_org_id() or 0)
        org_id = org.id if org and org.kind in ("BRANCH", "GENERAL_BRANCH", "COMMITTEE") else None
        dialog = PartyMemberDialog(self.ctx, self.tree_model.nodes(), mode, org_id=org_id, parent=self)

        def done() -> None:
            self.status_message.emit(self.tr("已登记：{0}").format(dialog.saved_name))
            self._after_change()

        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def open_roster_dialog(self) -> QtWidgets.QDialog:
        from desktop.ui.dialogs.party_roster_dialog import PartyRosterDialog

        dialog = PartyRosterDialog(self.ctx, self.tree_model.nodes(), self.selected_org_id(), self)
        dialog.status_message.connect(self.status_message)
        dialog.open()
        return dialog

    # ---------------------------------------------------------------- exchange

    def import_file(self, path: Path | None = None) -> QtWidgets.QDialog:
        """The import wizard with the Party roster's importer (checking ``path`` at once when given)."""
        from desktop.ui.dialogs.import_wizard import ImportWizard
        from desktop.ui.importing.importers import party_member_importer

        wizard = ImportWizard.start(self.ctx, party_member_importer(), self, path)
        wizard.imported.connect(self._on_import_wizard_imported)
        return wizard

    def _on_import_wizard_imported(self, report: object) -> None:
        self.last_import = report
        self._after_change()
        self.emit_changes("backup")  # the import backed the database up first

    def _on_import_button_clicked(self) -> None:
        self.import_file()

    def export_file(self, path: Path, reason: str) -> None:
        from desktop.services.party import roster_exchange

        ctx, org_id = self.ctx, self.selected_org_id()
        run_in_background(
            lambda _p: roster_exchange.export_members(ctx, path, org_id=org_id, reason=reason),
            lambda n: self.status_message.emit(self.tr("已导出 {0} 人到 {1}").format(n, path)),
            lambda exc: show_error(self, exc, self.tr("导出党员名册失败")),
            parent=self,
            title=self.tr("正在导出党员名册…"),
            cancellable=False,
        )

    def _on_export_button_clicked(self) -> None:
        reason, ok = QtWidgets.QInputDialog.getText(
            self,
            self.tr("导出党员名册"),
            self.tr("名册含完整身份证号码和电话。请写明导出原因（记入操作日志）："),
            text=self.tr("报送全国党员管理信息系统"),
        )
        if not ok or not reason.strip():
            return
        node = self.tree_model.node_by_id(self.selected_org_id() or 0)
        name = f"党员名册-{node.name if node else '全部'}.xlsx"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("导出党员名册（含完整身份证号，将记入操作日志）"), str(Path.home() / name),
            self.tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"),
        )  # fmt: skip
        if path:
            self.export_file(Path(path), reason.strip())
