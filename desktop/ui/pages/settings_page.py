"""设置: the street, its communities, the database and its backups, and the program itself."""

from __future__ import annotations

from desktop import __version__
from desktop.core.errors import ShequError
from desktop.core.paths import log_dir
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.backup_text import describe_backup
from desktop.ui.data_changes import DataChanges
from desktop.ui.dialogs.community_dialog import CommunityDialog
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.pages.base import Page
from desktop.ui.pages.settings_backup import BackupRestoreBox
from desktop.ui.pages.settings_events import EventSettingsSection
from desktop.ui.pages.settings_security import SecurityBox
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.page_header import PageHeader
from desktop.ui.widgets.step_hint import StepHint


class SettingsPage(Page):
    title = "设置"
    #: the areas whose change makes this page out of date (see Page.apply_changes)
    depends_on = frozenset({"structure", "settings", "backup"})
    new_button_names = ("add_community_button",)
    backup_made = Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._street: structure.StreetInfo | None = None
        self._communities: list[structure.CommunityRow] = []
        scroll = QtWidgets.QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        body = QtWidgets.QWidget()
        body.setObjectName("contentArea")
        scroll.setWidget(body)
        root = QtWidgets.QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(scroll)
        outer = QtWidgets.QVBoxLayout(body)
        body.setMaximumWidth(1100)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(14)
        outer.addWidget(PageHeader(self.tr("设置"), self.tr("街道与社区、网格事件与走访、数据库与备份")))

        # --- street
        street_box = QtWidgets.QGroupBox(self.tr("街道信息"))
        form = QtWidgets.QFormLayout(street_box)
        self.street_name = QtWidgets.QLineEdit()
        self.street_name.setPlaceholderText(self.tr("例如：钢城街道"))
        self.street_district = QtWidgets.QLineEdit()
        self.street_city = QtWidgets.QLineEdit()
        self.street_address = QtWidgets.QLineEdit()
        self.street_phone = QtWidgets.QLineEdit()
        form.addRow(self.tr("街道名称 *"), self.street_name)
        form.addRow(self.tr("所属区县"), self.street_district)
        form.addRow(self.tr("所属城市"), self.street_city)
        form.addRow(self.tr("办公地址"), self.street_address)
        form.addRow(self.tr("办公电话"), self.street_phone)
        self.save_street_button = QtWidgets.QPushButton(self.tr("保存街道信息"))
        self.save_street_button.setObjectName("primaryButton")
        self.save_street_button.clicked.connect(self._on_save_street_button_clicked)
        save_row = QtWidgets.QHBoxLayout()
        save_row.addWidget(self.save_street_button)
        save_row.addStretch(1)
        form.addRow("", save_row)
        outer.addWidget(street_box)

        # --- communities
        comm_box = QtWidgets.QGroupBox(self.tr("社区"))
        cl = QtWidgets.QVBoxLayout(comm_box)
        bar = QtWidgets.QHBoxLayout()
        self.add_community_button = QtWidgets.QPushButton(icon("add"), self.tr("新增社区"))
        self.edit_community_button = QtWidgets.QPushButton(icon("edit"), self.tr("编辑"))
        self.add_community_button.clicked.connect(self._on_add_community_button_clicked)
        self.edit_community_button.clicked.connect(self._on_edit_community_button_clicked)
        bar.addWidget(self.add_community_button)
        bar.addWidget(self.edit_community_button)
        self.community_hint = StepHint()
        self.community_hint.navigate.connect(self.start_step)
        bar.addWidget(self.community_hint, 1)
        bar.addStretch(1)
        cl.addLayout(bar)
        retired = self.tr("（已撤销）")
        self.community_model: ColumnTableModel[structure.CommunityRow] = ColumnTableModel(
            [
                Column(self.tr("社区名称"), lambda c: c.name + (retired if c.retired_on else "")),
                Column(self.tr("编码"), lambda c: c.code),
                Column(
                    self.tr("网格数"),
                    lambda c: c.grid_count,
                    align=QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter,
                ),
                Column(self.tr("办公地址"), lambda c: c.address),
                Column(self.tr("办公电话"), lambda c: c.phone),
            ],
            self,
            row_id=lambda c: c.id,
        )
        self.community_table = QtWidgets.QTableView()
        self.community_table.setModel(self.community_model)
        self.community_table.verticalHeader().hide()
        self.community_table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.community_table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.community_table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.community_table.horizontalHeader().setSectionResizeMode(
            3, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        self.community_table.setMinimumHeight(220)
        self.community_table.doubleClicked.connect(self._on_edit_community_button_clicked)
        cl.addWidget(self.community_table)
        outer.addWidget(comm_box)

        # --- grid events and visits (settings_events)
        self.events_section = EventSettingsSection(ctx)
        self.events_section.saved.connect(self._on_events_section_saved)
        outer.addWidget(self.events_section)

        # --- database & backups
        db_box = QtWidgets.QGroupBox(self.tr("数据库与备份"))
        dl = QtWidgets.QFormLayout(db_box)
        self.db_label = QtWidgets.QLabel(ctx.database.describe())
        self.db_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_label.setWordWrap(True)
        dl.addRow(self.tr("当前数据库"), self.db_label)
        self.backup_label = QtWidgets.QLabel("")
        self.backup_label.setWordWrap(True)
        dl.addRow(self.tr("最近备份"), self.backup_label)
        row = QtWidgets.QHBoxLayout()
        self.backup_button = QtWidgets.QPushButton(icon("backup"), self.tr("立即备份"))
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.open_backups_button = QtWidgets.QPushButton(icon("folder"), self.tr("打开备份文件夹"))
        self.open_backups_button.clicked.connect(self._on_open_backups_button_clicked)
        row.addWidget(self.backup_button)
        row.addWidget(self.open_backups_button)
        row.addStretch(1)
        dl.addRow("", row)
        note = QtWidgets.QLabel(
            self.tr(
                "每次备份都会校验完整性；升级数据库结构前和退出程序时（有修改时）会自动备份。"
                "多台电脑共用时请使用 PostgreSQL 服务器，不要把数据库文件放在共享文件夹里。"
            )
        )
        note.setObjectName("figureDetail")
        note.setWordWrap(True)
        dl.addRow("", note)
        if not ctx.database.is_sqlite:
            self.backup_button.setEnabled(False)
            self.open_backups_button.setEnabled(False)
        outer.addWidget(db_box)
        self.restore_box = BackupRestoreBox(ctx)
        self.restore_box.restored.connect(self._on_restore_box_restored)
        outer.addWidget(self.restore_box)
        self.security_box = SecurityBox(ctx)
        outer.addWidget(self.security_box)

        about = QtWidgets.QGroupBox(self.tr("关于"))
        al = QtWidgets.QFormLayout(about)
        al.addRow(self.tr("程序版本"), QtWidgets.QLabel(f"社区网格治理工作台 {__version__}"))
        al.addRow(self.tr("当前用户"), QtWidgets.QLabel(ctx.actor.label))
        logs = QtWidgets.QPushButton(icon("folder"), self.tr("打开日志文件夹"))
        logs.clicked.connect(
            lambda: QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(log_dir())))
        )
        al.addRow(self.tr("日志"), logs)
        outer.addWidget(about)
        outer.addStretch(1)

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        super().refresh()
        self.reload()

    def reload(self) -> None:
        self._street = structure.get_street(self.ctx)
        s = self._street
        for edit, value in (
            (self.street_name, s.name if s else ""),
            (self.street_district, s.district if s else ""),
            (self.street_city, s.city if s else ""),
            (self.street_address, s.address if s else ""),
            (self.street_phone, s.phone if s else ""),
        ):
            edit.setText(value or "")
        self._communities = structure.list_communities(self.ctx, include_retired=True)
        self.community_model.set_rows(self._communities)
        self.add_community_button.setEnabled(self._street is not None)
        self.events_section.reload()
        if self._street is None:  # a community belongs to the street: say so, not just grey the button
            text = self.tr("请先在上方填写街道名称并点击“保存街道信息”，再新增社区。")
            self.add_community_button.setToolTip(text)
            self.community_hint.set_hint(text, self.tr("填写街道名称"), "street")
        else:
            self.add_community_button.setToolTip("")
            self.community_hint.clear_hint()
        self.refresh_backup_label()

    def start_step(self, step: str) -> None:
        """"street": the cursor in 街道名称; "community": 新增社区 (or the street first, when not saved)."""
        if step == "community" and self.add_community_button.isEnabled():
            self.add_community_button.click()
        elif step in ("street", "community"):
            self.street_name.setFocus(Qt.FocusReason.OtherFocusReason)
            self.street_name.selectAll()
            if step == "community":
                self.status_message.emit(self.tr("请先填写街道名称并保存，再新增社区。"))
        else:
            super().start_step(step)

    def refresh_backup_label(self) -> None:
        from desktop.services import backups

        self.backup_label.setText(describe_backup(backups.backup_status(self.ctx)))
        self.restore_box.reload()

    def _on_restore_box_restored(self, _outcome: object) -> None:
        self.reload()
        self.changed.emit(DataChanges.everything())  # every page shows the restored data
        self.backup_made.emit()

    # ---------------------------------------------------------------- slots

    def _on_save_street_button_clicked(self) -> None:
        s = self._street
        try:
            structure.save_street(
                self.ctx,
                self.street_name.text(),
                self.street_district.text(),
                self.street_city.text(),
                self.street_address.text(),
                self.street_phone.text(),
                version=s.version if s else None,
            )
        except ShequError as exc:
            show_error(self, exc)
            return
        self.reload()
        self.emit_changes("structure")
        self.status_message.emit(self.tr("街道信息已保存"))

    def open_community_dialog(self, row: structure.CommunityRow | None = None) -> CommunityDialog:
        dialog = CommunityDialog(self.ctx, row, self)
        dialog.accepted.connect(self._on_community_dialog_accepted)
        dialog.open()
        return dialog

    def _on_add_community_button_clicked(self) -> None:
        self.open_community_dialog()

    def _on_edit_community_button_clicked(self) -> None:
        rows = self.community_table.selectionModel().selectedRows()
        if not rows:
            QtWidgets.QMessageBox.information(
                self, self.tr("编辑社区"), self.tr("请先在列表中选择一个社区。")
            )
            return
        self.open_community_dialog(self._communities[rows[0].row()])

    def _on_community_dialog_accepted(self) -> None:
        self.reload()
        self.emit_changes("structure")
        self.status_message.emit(self.tr("社区已保存"))

    def _on_events_section_saved(self, message: str) -> None:
        self.emit_changes("settings")
        self.status_message.emit(message)

    def _on_backup_button_clicked(self) -> None:
        from desktop.services import backups

        self.backup_button.setEnabled(False)

        def done(info: object) -> None:
            self.backup_button.setEnabled(True)
            self.refresh_backup_label()
            self.backup_made.emit()
            self.status_message.emit(self.tr("备份完成并已校验"))

        def failed(exc: BaseException) -> None:
            self.backup_button.setEnabled(True)
            show_error(self, exc, self.tr("备份失败"))

        run_in_background(
            lambda _p: backups.backup_now(self.ctx, "manual"),
            done,
            failed,
            parent=self,
            title=self.tr("正在备份数据库…"),
            cancellable=False,
        )

    def _on_open_backups_button_clicked(self) -> None:
        from desktop.services import backups

        try:
            folder = backups.backup_folder(self.ctx)
        except ShequError as exc:
            show_error(self, exc)
            return
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(folder)))
