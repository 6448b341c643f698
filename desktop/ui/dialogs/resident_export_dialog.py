"""导出居民: which residents (社区, 网格), masked or full (full needs a reason, which is audited), and where.

The export runs in the background with a cancellable progress dialog; a cancelled export leaves no
file behind. ``exported`` carries (count, path) when the file is written.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.errors import ShequError
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.services.residents import exchange as resident_exchange
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.import_wizard import DISABLED_PRIMARY
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.qt import QtCore, QtWidgets, Signal
from desktop.ui.tasks import run_in_background

SAVE_FILTER = "Excel 文件 (*.xlsx);;CSV 文件（UTF-8） (*.csv)"
COMMON_REASONS = (
    "报送街道/民政部门核对",
    "入户走访需要联系居民",
    "协助公安、卫健等部门核查",
    "迁移到新电脑或新系统",
)


def _documents() -> Path:
    found = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class ResidentExportDialog(FormDialog):
    exported = Signal(int, str)

    def __init__(
        self,
        ctx: ServiceContext,
        community_id: int | None = None,
        grid_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("导出居民"), parent=parent, ctx=ctx, width=560)
        self.ctx = ctx
        self.running = False
        self.count: int | None = None
        form = self.form
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.addItem(self.tr("全部社区"), None)
        for c in structure.list_communities(ctx):
            self.community_combo.addItem(c.name, c.id)
            if c.id == community_id:
                self.community_combo.setCurrentIndex(self.community_combo.count() - 1)
        self.add_row("community", self.tr("社区"), self.community_combo)
        self.grid_combo = QtWidgets.QComboBox()
        self.add_row("grid", self.tr("网格"), self.grid_combo)
        self._fill_grids(grid_id)

        self.masked_radio = QtWidgets.QRadioButton(
            self.tr("脱敏导出（推荐）：身份证号码和电话只显示部分数字")
        )
        self.full_radio = QtWidgets.QRadioButton(self.tr("完整导出：包含完整的身份证号码和电话"))
        self.masked_radio.setChecked(True)
        choice = QtWidgets.QVBoxLayout()
        choice.setSpacing(4)
        choice.addWidget(self.masked_radio)
        choice.addWidget(self.full_radio)
        form.addRow(self.tr("内容"), choice)
        self.reason_combo = QtWidgets.QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(COMMON_REASONS)
        self.reason_combo.setCurrentIndex(-1)
        line = self.reason_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("完整导出时必须填写，将记入操作日志"))
        self.reason_combo.setEnabled(False)
        self.add_row("reason", self.tr("导出原因"), self.reason_combo)

        where = QtWidgets.QHBoxLayout()
        self.path_edit = QtWidgets.QLineEdit(str(_documents() / f"居民名单_{ctx.today():%Y%m%d}.xlsx"))
        self.browse_button = QtWidgets.QPushButton(icon("folder"), self.tr("浏览…"))
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        form.addRow(self.tr("保存到"), where)
        self.fields["path"] = self.path_edit

        self.warning_label = QtWidgets.QLabel(
            self.tr(
                "身份证号码和电话属于敏感个人信息。完整导出的文件请妥善保管，用后及时删除；"
                "导出的人数、原因和文件指纹（SHA-256）会记入操作日志。"
            )
        )
        self.warning_label.setWordWrap(True)
        self.warning_label.setObjectName("figureDetail")
        self.warning_label.hide()
        self.extra.addWidget(self.warning_label)
        self.ok_button.setText(self.tr("导出"))
        self.ok_button.setStyleSheet(DISABLED_PRIMARY)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.community_combo.currentIndexChanged.connect(self._on_community_combo_current_index_changed)
        self.full_radio.toggled.connect(self._on_full_radio_toggled)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)

    def _fill_grids(self, grid_id: int | None = None) -> None:
        self.grid_combo.clear()
        self.grid_combo.addItem(self.tr("全部网格"), None)
        community_id = self.community_combo.currentData()
        self.grid_combo.setEnabled(community_id is not None)
        if community_id is None:
            return
        for g in structure.list_grids(self.ctx, community_id=community_id):
            self.grid_combo.addItem(f"{g.name}（{g.code}）", g.code)
            if g.id == grid_id:
                self.grid_combo.setCurrentIndex(self.grid_combo.count() - 1)

    def _on_community_combo_current_index_changed(self, _index: int) -> None:
        self._fill_grids()

    def _on_full_radio_toggled(self, full: bool) -> None:
        self.reason_combo.setEnabled(full)
        self.warning_label.setVisible(full)
        if full:
            self.reason_combo.setFocus()

    def _on_browse_button_clicked(self) -> None:
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("导出居民"), self.path_edit.text(), SAVE_FILTER
        )
        if name:
            self.path_edit.setText(name)

    def _fail(self, message: str, field: str | None = None) -> None:
        self.errors.show_message(message, field)

    def _on_buttons_accepted(self) -> None:
        # not one service call then accept() (FormDialog's way): the export runs in the background and
        # the dialog is accepted when it is done

        if self.running:
            return
        full = self.full_radio.isChecked()
        reason = self.reason_combo.currentText().strip()
        path = Path(self.path_edit.text().strip())
        if not self.path_edit.text().strip():
            self._fail(self.tr("请选择保存位置。"), "path")
            return
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
            self.path_edit.setText(str(path))
        if full and not reason:
            self._fail(self.tr("完整导出需要填写原因（将记入操作日志）。"), "reason")
            return
        self.errors.clear()
        community = (
            self.community_combo.currentText() if self.community_combo.currentData() is not None else None
        )
        ctx, grid = self.ctx, self.grid_combo.currentData()
        self.running = True
        self.ok_button.setEnabled(False)
        run_in_background(
            lambda progress: resident_exchange.export_residents(
                ctx, path, community=community, grid=grid, full=full, reason=reason or None, progress=progress
            ),
            lambda count: self._on_export_done(count, path),
            self._on_export_failed,
            parent=self,
            title=self.tr("正在导出居民…"),
        )

    def _on_export_done(self, count: int, path: Path) -> None:
        self.running = False
        self.count = count
        self.exported.emit(count, str(path))
        self.accept()

    def done(self, result: int) -> None:
        super().done(result)
        if not self.running:
            self.deleteLater()

    def _on_export_failed(self, exc: BaseException) -> None:
        self.running = False
        if not self.isVisible():
            self.deleteLater()
            return
        self.ok_button.setEnabled(True)
        if isinstance(exc, ShequError):
            self._fail(exc.message)
        else:
            show_error(self, exc, self.tr("导出居民"))
