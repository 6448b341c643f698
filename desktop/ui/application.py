"""Creating the QApplication (Chinese locale and translations, style, fonts) and running the GUI."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from desktop import __version__
from desktop.core.errors import ShequError
from desktop.core.logs import log_exception, setup_logging
from desktop.core.paths import resources_dir
from desktop.ui.qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from desktop.services.context import ServiceContext

_translators: list[QtCore.QTranslator] = []  # keep references, or Python collects them


def create_application(argv: list[str] | None = None) -> QtWidgets.QApplication:
    app = QtWidgets.QApplication.instance()
    if app is None:
        QtCore.QCoreApplication.setOrganizationName("Shequ")
        QtCore.QCoreApplication.setApplicationName("ShequWorkbench")
        app = QtWidgets.QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationDisplayName("社区网格治理工作台")
    app.setApplicationVersion(__version__)
    zh = QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
    QtCore.QLocale.setDefault(zh)
    if not _translators:
        path = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)
        for name in ("qtbase",):
            tr = QtCore.QTranslator(app)
            if tr.load(zh, name, "_", path):
                app.installTranslator(tr)
                _translators.append(tr)
    app.setStyle("Fusion")
    _ensure_cjk_font(app)
    qss = resources_dir() / "style.qss"
    if qss.exists():
        icons = (resources_dir() / "icons").as_posix()
        app.setStyleSheet(qss.read_text(encoding="utf-8").replace("{icons}", icons))
    return app


def _ensure_cjk_font(app: QtWidgets.QApplication) -> None:
    """Use a system CJK UI font; fall back to the bundled WenQuanYi Micro Hei when there is none."""
    families = set(QtGui.QFontDatabase.families(QtGui.QFontDatabase.WritingSystem.SimplifiedChinese))
    preferred = [
        "Microsoft YaHei UI",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
        "PingFang SC",
        "SimHei",
    ]
    choice = next((f for f in preferred if f in families), None)
    if choice is None and not families:
        bundled = resources_dir() / "fonts" / "wqy-microhei.ttc"
        if bundled.exists():
            fid = QtGui.QFontDatabase.addApplicationFont(str(bundled))
            loaded = QtGui.QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            choice = loaded[0] if loaded else None
    if choice:
        font = app.font()
        font.setFamilies([choice, *font.families()])
        app.setFont(font)


def run_gui(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    setup_logging()
    app = create_application()
    from desktop.ui.errors import install_excepthook, show_error

    install_excepthook()
    from desktop.core.errors import DamagedDatabaseError, StaleWalError
    from desktop.services.bootstrap import open_database

    QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    try:
        try:
            try:
                opened = open_database(getattr(args, "db", None))
            except StaleWalError as stale:  # a -wal that is not the file's: ask before anything is applied
                QtWidgets.QApplication.restoreOverrideCursor()
                from desktop.ui.pages.settings_backup import offer_stale_wal

                choice = offer_stale_wal(stale)
                if choice is None:
                    return 1
                QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
                opened = open_database(getattr(args, "db", None), stale_wal=choice)
        except DamagedDatabaseError as damaged:  # offer the newest verified backup, then open again
            QtWidgets.QApplication.restoreOverrideCursor()
            from desktop.ui.pages.settings_backup import offer_restore

            if not offer_restore(damaged, getattr(args, "db", None)):
                return 1
            QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
            opened = open_database(getattr(args, "db", None))
    except ShequError as exc:
        QtWidgets.QApplication.restoreOverrideCursor()
        show_error(None, exc, "无法打开数据库")
        return 1
    except Exception as exc:
        QtWidgets.QApplication.restoreOverrideCursor()
        log_exception(exc, "打开数据库")
        show_error(None, exc, "无法打开数据库")
        return 1
    QtWidgets.QApplication.restoreOverrideCursor()
    # a new database asks for its administrator, then everyone signs in (issue 13)
    try:
        ctx = _stdin_sign_in(args, opened.ctx) if getattr(args, "password_stdin", False) else None
    except ShequError as exc:
        show_error(None, exc, "无法登录")
        return 3
    if ctx is None:
        from desktop.ui.dialogs.login_dialog import sign_in_interactively

        ctx = sign_in_interactively(opened.ctx)
    if ctx is None:
        opened.ctx.database.dispose()
        return 0
    from desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, migration=opened.migration)
    window.show()
    from desktop.core import startup

    startup.finished()  # the window is up: from here on garbage is collected as usual
    import logging

    logging.getLogger("shequ").info("主窗口已显示，用时 %.2f 秒", time.perf_counter() - started)
    if getattr(args, "smoke", False):
        _quit_when_ready(window, started)
    status = app.exec()
    window.ctx.database.dispose()  # checkpoint: the .sqlite3 file alone holds the day's work
    return status


def _stdin_sign_in(args: argparse.Namespace, ctx: ServiceContext) -> ServiceContext | None:
    """``--user NAME --password-stdin`` opens the window signed in (the start-up benchmark, kiosk scripts);
    a password that must be changed still goes through the dialogs."""
    from desktop.core.errors import LoginRequired
    from desktop.services.access import accounts_exist
    from desktop.services.accounts import sign_in

    if not accounts_exist(ctx):
        return None
    if not getattr(args, "user", None):
        raise LoginRequired("需要登录：请同时给出 --user 登录名")
    result = sign_in(ctx, args.user, sys.stdin.readline().rstrip("\r\n"), meanwhile=load_window_modules)
    return None if result.must_change_password else ctx.signed_in(result.account)


def load_window_modules() -> None:
    """Import the main window and 工作台 (no widget made, no database read): done while scrypt checks the
    password at sign-in (``accounts.sign_in(meanwhile=…)``), so the window needs no extra time for them."""
    import desktop.ui.main_window
    import desktop.ui.pages.home_page  # noqa: F401


def _quit_when_ready(window: QtWidgets.QMainWindow, started: float) -> None:
    """--smoke: quit as soon as the window is usable (工作台 shows its figures), printing the time taken."""
    timer = QtCore.QTimer(window)

    def check() -> None:
        home = getattr(window, "pages", {}).get("home")
        if home is None or getattr(home, "figures", None) is not None:
            timer.stop()
            print(f"ready {time.perf_counter() - started:.3f}", flush=True)
            window.close()

    timer.timeout.connect(check)
    timer.start(5)
