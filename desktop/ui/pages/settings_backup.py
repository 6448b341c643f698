"""设置 → 备份与恢复: this database's backups, and putting one back (also offered at start-up when the
database file is damaged). The work is ``services.backups.restore_backup``: the backup is verified
(SHA-256, integrity_check), the current database is backed up and kept aside under a new name (never
deleted), stale -wal/-shm go with it, the database is reopened and the restore is audited."""

from __future__ import annotations

from pathlib import Path

from desktop.core.errors import DamagedDatabaseError, ShequError, StaleWalError
from desktop.services import backups
from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.qt import QtCore, QtWidgets, Signal


def describe_outcome(outcome: backups.RestoreOutcome) -> str:
    lines = [f"已从备份恢复并校验：{outcome.backup.name}"]
    if outcome.kept_as is not None:
        lines.append(f"原数据库已改名保留（没有删除）：{outcome.kept_as}")
    if outcome.safety_backup is not None:
        lines.append(f"恢复前已备份原数据库：{outcome.safety_backup.path.name}")
    return "\n".join(lines)


class BackupRestoreBox(QtWidgets.QGroupBox):
    """The list of this database's backups (newest first) and 从所选备份恢复…"""

    restored = Signal(object)  # services.backups.RestoreOutcome

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(self.tr("备份与恢复"), parent)
        self.ctx = ctx
        self._backups: list[backups.BackupInfo] = []
        layout = QtWidgets.QVBoxLayout(self)
        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("备份时间"), self.tr("类型"), self.tr("大小"), self.tr("文件")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        layout.addWidget(self.table)
        row = QtWidgets.QHBoxLayout()
        self.restore_button = QtWidgets.QPushButton(icon("backup"), self.tr("从所选备份恢复…"))
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addLayout(row)
        note = QtWidgets.QLabel(
            self.tr(
                "恢复前会校验备份文件（SHA-256 校验值和完整性检查），并先备份当前数据库；"
                "当前数据库文件改名保留在原文件夹中，不会删除。恢复记入操作日志。"
            )
        )
        note.setObjectName("figureDetail")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.sealed_note = QtWidgets.QLabel()
        self.sealed_note.setObjectName("figureDetail")
        self.sealed_note.setWordWrap(True)
        self.sealed_note.hide()
        layout.addWidget(self.sealed_note)
        if not ctx.database.is_sqlite:
            self.restore_button.setEnabled(False)
            self.table.setEnabled(False)

    def reload(self) -> None:
        self._backups = backups.list_all(self.ctx) if self.ctx.database.is_sqlite else []
        self.table.setRowCount(len(self._backups))
        for r, b in enumerate(self._backups):
            for c, text in enumerate(
                (
                    f"{b.created_at:%Y-%m-%d %H:%M:%S}",
                    b.reason_label + (self.tr("（已加密）") if b.sealed else ""),
                    f"{b.size / 1e6:.1f} MB",
                    b.path.name,
                )
            ):
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        for c in range(3):
            self.table.resizeColumnToContents(c)
        sealed = sum(b.sealed for b in self._backups)
        self.sealed_note.setText(
            self.tr(
                "标注“已加密”的 {n} 个备份是升级到加密版本之前做的，原含明文身份证号和电话："
                "已用本数据库的数据密钥整体加密（AES-256-GCM），明文文件已覆盖后删除；恢复时自动解密，"
                "换电脑时凭恢复密钥同样可以恢复。"
            ).format(n=sealed)
        )
        self.sealed_note.setVisible(sealed > 0)
        self.restore_button.setEnabled(self.ctx.database.is_sqlite and bool(self._backups))

    def selected_backup(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def _on_restore_button_clicked(self) -> None:
        chosen = self.selected_backup()
        if chosen is None:
            QtWidgets.QMessageBox.information(
                self, self.tr("恢复备份"), self.tr("请先在列表中选择一个备份。")
            )
            return
        answer = QtWidgets.QMessageBox.question(
            self,
            self.tr("恢复备份"),
            self.tr(
                "用 %1 的备份（%2）替换当前数据库？\n\n此后的修改将不在恢复后的数据库中；"
                "当前数据库会先备份，并改名保留，不会删除。"
            )
            .replace("%1", f"{chosen.created_at:%Y-%m-%d %H:%M}")
            .replace("%2", chosen.reason_label),
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        self.restore(chosen.path)

    def restore(self, path: Path) -> backups.RestoreOutcome | None:
        """Restore ``path`` now (the window waits: nothing else may use the database meanwhile)."""
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            outcome = backups.restore_backup(self.ctx.database, path, self.ctx.actor, self.ctx.clock)
        except Exception as exc:
            QtWidgets.QApplication.restoreOverrideCursor()
            show_error(self, exc, self.tr("恢复失败"))
            return None
        QtWidgets.QApplication.restoreOverrideCursor()
        self.reload()
        self.restored.emit(outcome)
        QtWidgets.QMessageBox.information(self, self.tr("恢复完成"), describe_outcome(outcome))
        return outcome


def offer_restore(exc: DamagedDatabaseError, db_arg: str | None) -> bool:
    """At start-up, the database file is damaged: offer its newest verified backup. True if restored."""
    from db.engine import Database, resolve_url
    from desktop.core.identity import current_actor
    from desktop.services.context import ServiceContext

    backup = exc.backup
    if not isinstance(backup, backups.BackupInfo):
        show_error(None, exc, "无法打开数据库")
        return False
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "数据库文件已损坏", exc.message)
    restore = box.addButton("从最新备份恢复", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    ctx = ServiceContext(Database(resolve_url(db_arg)), current_actor())
    try:
        outcome = backups.restore_backup(ctx.database, backup.path, ctx.actor, ctx.clock)
    except ShequError as failed:
        show_error(None, failed, "恢复失败")
        return False
    finally:
        ctx.database.dispose()
    QtWidgets.QMessageBox.information(None, "恢复完成", describe_outcome(outcome))
    return True


def offer_stale_wal(exc: StaleWalError) -> str | None:
    """At start-up, a ``-wal`` beside the file does not belong to it: set it aside (renamed, kept), apply it
    anyway, or quit. Returns the ``open_database(stale_wal=…)`` choice, or None to quit."""
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "数据库旁有不属于它的文件", exc.message)
    aside = box.addButton("改名放在一旁后打开", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    apply = box.addButton("照常写入后打开", QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("退出", QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(aside)
    box.exec()
    clicked = box.clickedButton()
    return "set-aside" if clicked is aside else "apply" if clicked is apply else None
