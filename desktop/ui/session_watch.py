"""An open session follows its account: when the administrator changes the signed-in account's role, scope
or permissions, or disables it, this PC's window takes the change at once — not at the next sign-in.

The window asks the database for its account again (``accounts.reload_signed_in``, one row by its key):

* on the user's next click or key press (at most every :data:`CHECK_GAP_MS`; the check runs before the
  click reaches its button, so the service call the click makes already runs as the changed account);
* when a write anywhere in the window is routed to the pages (``DataChanges``, with ``accounts`` when the
  accounts page changed one);
* every :data:`POLL_MS` while the window is open, so that a disabled account leaves an unattended PC.

Other PCs sharing the database (PostgreSQL) see the change the same way, on their next click or poll.
A changed role, permissions or scope (community, grids, committee) rebuilds the window's pages — their
actions guarded for the new role (:mod:`desktop.ui.permissions`), their lists read in the new scope — and
the sidebar shows the areas of the new role (a form open in a page closes with it). A disabled account is signed out: its data is hidden, the user is told
why, and the login dialog opens; closing it closes the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.errors import ShequError
from desktop.core.identity import SignedIn
from desktop.services import accounts
from desktop.ui.qt import QtCore, QtWidgets

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

#: the least time between two checks triggered by input
CHECK_GAP_MS = 2_000
#: the check of a window nobody touches
POLL_MS = 60_000

_INPUT = {QtCore.QEvent.Type.MouseButtonPress, QtCore.QEvent.Type.KeyPress}


def _tr(text: str) -> str:
    return QtWidgets.QApplication.translate("SessionWatch", text)


def show_account(window: MainWindow) -> None:
    """The window shows what its (changed) account may: the sidebar's areas, the menus' actions, the user
    in the status bar, and pages built afresh — their actions guarded for the new role, their lists read
    in the new scope (a page not visited yet is built on its first visit, as always)."""
    from desktop.ui.main_window import AREAS
    from desktop.ui.menus import fit_view_menu, guard_actions

    ctx = window.ctx
    visible = window.visible_areas()
    current = window.current_area()
    for row, area in enumerate(AREAS):
        window.sidebar.item(row).setHidden(area.key not in visible)
    fit_view_menu(window)
    guard_actions(window)
    if ctx.account is not None:
        account = ctx.account
        who = f"{account.display_name}（{account.login}，{account.role}）"
        window.user_status.setText(_tr("用户：") + who)
    for page in list(window.pages.values()):  # a dialog a page opened closes with it
        index = window.stack.indexOf(page)
        window.stack.insertWidget(index, QtWidgets.QWidget())
        window.stack.removeWidget(page)
        page.hide()
        page.deleteLater()
    window.pages.clear()
    window.show_area(current if current in visible else visible[0])


class SessionWatch(QtCore.QObject):
    """Keeps ``window.ctx.account`` equal to the account in the database (see the module's text)."""

    #: the account's role, permissions or scope changed and the window now shows the new ones
    account_changed = QtCore.Signal(object)  # the new SignedIn
    #: the account was disabled and this session signed out
    signed_out = QtCore.Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.since = QtCore.QElapsedTimer()
        self.since.start()
        self.poll = QtCore.QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.check)
        self.poll.start()
        self.active = True
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if self.active and event.type() in _INPUT and self.since.elapsed() >= CHECK_GAP_MS:
            before = self.window.ctx.account
            going = self.check()
            # the window changed under the pointer (or was signed out): this press is not delivered to
            # the page it was aimed at; the next one reaches the page as it is now
            return not going or self.window.ctx.account != before
        return False

    def stop(self) -> None:
        self.active = False
        self.poll.stop()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def check(self) -> bool:
        """Compare the session's account with the database's; apply a change. Answers whether the
        session goes on (False: it was signed out)."""
        self.since.restart()
        ctx = self.window.ctx
        if not self.active or ctx.account is None:
            return self.active
        lock = self.window.idle_lock
        if lock is not None and lock.is_locked:  # nothing shows; a disabled account cannot unlock either
            return True
        try:
            fresh = accounts.reload_signed_in(ctx)
        except ShequError:  # the database is unreachable: the next service call says so itself
            return True
        if fresh == ctx.account:
            return True
        if fresh is None:
            self.sign_out()
            return False
        self.apply(fresh)
        return True

    def apply(self, fresh: SignedIn) -> None:
        """The same account with another role, permissions or scope: the window shows what it may now."""
        window = self.window
        old = window.ctx.account
        window.ctx.account = fresh  # in place: every page and dialog holds this context
        permissions_changed = old is None or old.permissions != fresh.permissions or old.role != fresh.role
        show_account(window)
        what = _tr("权限") if permissions_changed else _tr("负责范围")
        window.statusBar().showMessage(
            _tr("系统管理员修改了本账号的{0}，已按新的{0}显示（{1}）").format(what, fresh.role), 15000
        )
        self.account_changed.emit(fresh)

    def sign_out(self) -> None:
        """The account was disabled: hide its data, say why, and offer the login again."""
        from desktop.ui.dialogs.login_dialog import sign_in_interactively

        window = self.window
        login = window.ctx.account.login if window.ctx.account is not None else ""
        self.stop()
        if window.idle_lock is not None:
            window.idle_lock.stop()
        window.hide()  # nothing of the account stays on screen
        self.signed_out.emit()
        app = QtWidgets.QApplication.instance()
        quits = isinstance(app, QtWidgets.QApplication) and app.quitOnLastWindowClosed()
        if isinstance(app, QtWidgets.QApplication):
            app.setQuitOnLastWindowClosed(False)  # the window is hidden while the login dialog is open
        try:
            QtWidgets.QMessageBox.warning(
                None,
                _tr("已退出登录"),
                _tr(
                    "账号“{0}”已被系统管理员停用，本机已退出登录。\n请用其他账号登录；如有疑问请联系系统管理员。"
                ).format(login),
            )
            ctx = sign_in_interactively(window.ctx.signed_in(None))
            if ctx is not None:
                from desktop.ui.main_window import MainWindow

                successor = MainWindow(ctx)
                window.successor = successor
                successor.show()
        finally:
            if isinstance(app, QtWidgets.QApplication):
                app.setQuitOnLastWindowClosed(quits)
        window.close()
        if window.successor is None and quits and isinstance(app, QtWidgets.QApplication):
            app.quit()  # nobody signed in again: the application ends, as when its window is closed
