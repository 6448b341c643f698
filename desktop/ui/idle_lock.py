"""The idle lock (GB/T 22239-2019 8.1.4.1 d: 登录连接超时自动退出): after ``idle_minutes`` without a key or
mouse press the application hides every window's content behind an opaque cover and asks for the password.

Nothing is closed: a dialog with half a form stays open under its cover, and its content is there when the
right password is given. Wrong passwords count as failed logins (five lock the account as at login).
"""

from __future__ import annotations

from desktop.services import accounts
from desktop.services.context import ServiceContext
from desktop.ui.qt import QtCore, QtGui, QtWidgets

_ACTIVITY = {
    QtCore.QEvent.Type.KeyPress,
    QtCore.QEvent.Type.MouseButtonPress,
    QtCore.QEvent.Type.MouseMove,
    QtCore.QEvent.Type.Wheel,
}


class Cover(QtWidgets.QWidget):
    """An opaque child over the whole of a window while the application is locked."""

    def __init__(self, window: QtWidgets.QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor("#1f3b5c"))
        self.setPalette(palette)
        label = QtWidgets.QLabel(self.tr("已锁定"), self)
        label.setStyleSheet("color: white; font-size: 18px;")
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(label, 0, QtCore.Qt.AlignmentFlag.AlignCenter)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Resize and isinstance(watched, QtWidgets.QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


class LockScreen(QtWidgets.QDialog):
    """The password prompt of a locked application: modal over everything, cannot be closed without it."""

    unlocked = QtCore.Signal()

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        assert ctx.account is not None
        self.ctx = ctx
        self.setWindowTitle(self.tr("已锁定"))
        self.setWindowModality(QtCore.Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(QtCore.Qt.WindowType.WindowCloseButtonHint, False)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 20)
        title = QtWidgets.QLabel(self.tr("工作台已锁定"))
        title.setObjectName("sectionTitle")
        who = ctx.account.display_name or ctx.account.login
        self.who_label = QtWidgets.QLabel(
            self.tr("长时间没有操作，数据已隐藏。请输入 %1（%2）的密码继续。")
            .replace("%1", who)
            .replace("%2", ctx.account.login)
        )
        self.who_label.setWordWrap(True)
        self.password_edit = QtWidgets.QLineEdit()
        self.password_edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.error_label = QtWidgets.QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.unlock_button = QtWidgets.QPushButton(self.tr("解锁"))
        self.unlock_button.setObjectName("primaryButton")
        self.unlock_button.setDefault(True)
        self.quit_button = QtWidgets.QPushButton(self.tr("退出程序"))
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.quit_button)
        row.addWidget(self.unlock_button)
        for w in (title, self.who_label, self.password_edit, self.error_label):
            lay.addWidget(w)
        lay.addLayout(row)
        self.setMinimumWidth(420)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.password_edit.returnPressed.connect(self.try_unlock)
        self.quit_button.clicked.connect(QtWidgets.QApplication.quit)

    def try_unlock(self) -> bool:
        password = self.password_edit.text()
        self.password_edit.clear()
        if accounts.verify_again(self.ctx, password):
            self.error_label.clear()
            self.accept()
            self.unlocked.emit()
            return True
        self.error_label.setText(self.tr("密码错误，或账号已锁定/停用。连续输错将锁定账号。"))
        return False

    def reject(self) -> None:  # Esc does not unlock
        return

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.result() != QtWidgets.QDialog.DialogCode.Accepted:
            event.ignore()
            return
        super().closeEvent(event)


class IdleLock(QtCore.QObject):
    """Watches the application's input; after ``minutes`` without any, covers every window and locks."""

    locked = QtCore.Signal()

    def __init__(self, ctx: ServiceContext, window: QtWidgets.QWidget, minutes: float) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.lock)
        self.screen: LockScreen | None = None
        self.covers: list[Cover] = []
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if self.screen is None and event.type() in _ACTIVITY:
            self.timer.start()  # restart: the idle time counts from the last input
        return False

    def lock(self) -> None:
        if self.screen is not None:
            return
        self.timer.stop()
        self.covers = [
            Cover(w)
            for w in QtWidgets.QApplication.topLevelWidgets()
            if w.isVisible() and not isinstance(w, LockScreen | QtWidgets.QMenu)
        ]
        self.screen = LockScreen(self.ctx, self.window)
        self.screen.unlocked.connect(self._on_unlocked)
        self.screen.show()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.password_edit.setFocus()
        self.locked.emit()

    def _on_unlocked(self) -> None:
        for cover in self.covers:
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.deleteLater()
        self.covers = []
        if self.screen is not None:
            self.screen.deleteLater()
        self.screen = None
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
