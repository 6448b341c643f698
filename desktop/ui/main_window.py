"""The main window: a sidebar of areas, the pages, a menu and a status bar. It composes; pages do the work."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.migrate import MigrationOutcome
from desktop.core.errors import ShequError
from desktop.domain import accounts as perm
from desktop.services import backups
from desktop.services.context import ServiceContext
from desktop.ui import screen_fit
from desktop.ui.backup_text import describe_backup
from desktop.ui.data_changes import DataChanges
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.idle_lock import IdleLock
from desktop.ui.pages.base import Page
from desktop.ui.qt import QtCore, QtGui, QtWidgets
from desktop.ui.tasks import run_in_background
from desktop.ui.ui_settings import ui_settings

if TYPE_CHECKING:
    from desktop.ui.session_watch import SessionWatch

AUTO_BACKUP_MINUTES = 30
#: the window's size on first start, on a screen that has room for it (else it opens maximised)
DEFAULT_SIZE = QtCore.QSize(1280, 800)


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    icon: str
    #: builds the page (``parent``: the window's page stack, so that it is styled once, where it will live)
    factory: Callable[[ServiceContext, QtWidgets.QWidget | None], Page]
    #: the role needs one of these to see the area (none: every role)
    permissions: tuple[str, ...] = ()
    #: shown only to a signed-in account (the accounts and the audit log of a database with accounts)
    signed_in_only: bool = False
    #: starts the page's first load before the page is built, when the window opens on this area (the
    #: page takes it over in :meth:`Page.adopt_prefetch`)
    prefetch: Callable[[ServiceContext], Future[Any]] | None = None

    def visible_to(self, ctx: ServiceContext) -> bool:
        if ctx.account is None:
            return not self.signed_in_only
        return not self.permissions or any(ctx.account.can(p) for p in self.permissions)


def _home(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.home_page import HomePage

    return HomePage(ctx, parent)


def _home_figures(ctx: ServiceContext) -> Future[Any]:
    from desktop.ui.pages.home_page import prefetch_figures

    return prefetch_figures(ctx)


def _grids(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.grids.grids_page import GridsPage

    return GridsPage(ctx, parent)


def _residents(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.residents.residents_page import ResidentsPage

    return ResidentsPage(ctx, parent)


def _party(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.party.party_page import PartyPage

    return PartyPage(ctx, parent)


def _mediation(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.mediation.mediation_page import MediationPage

    return MediationPage(ctx, parent)


def _events(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.events.events_page import EventsPage

    return EventsPage(ctx, parent)


def _reports(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.reports.reports_page import ReportsPage

    return ReportsPage(ctx, parent)


def _judicial(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.judicial.judicial_page import JudicialPage

    return JudicialPage(ctx, parent)


def _visits(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.visits_page import VisitsPage

    return VisitsPage(ctx, parent)


def _settings(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.settings_page import SettingsPage

    return SettingsPage(ctx, parent)


def _accounts(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.accounts_page import AccountsPage

    return AccountsPage(ctx, parent)


def _audit(ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> Page:
    from desktop.ui.pages.audit_page import AuditPage

    return AuditPage(ctx, parent)


AREAS: list[Area] = [
    Area("home", "工作台", "home", _home, prefetch=_home_figures),
    Area("grids", "网格", "grid", _grids, (perm.GRIDS, perm.RESIDENTS_READ)),
    Area("residents", "居民", "residents", _residents, (perm.RESIDENTS_READ,)),
    Area("party", "党建", "party", _party, (perm.PARTY,)),
    Area("mediation", "人民调解", "mediation", _mediation, (perm.MEDIATION_READ,)),
    Area("court", "司法确认", "court", _judicial, (perm.JUDICIAL,)),
    Area("events", "网格事件", "events", _events, (perm.EVENTS,)),
    Area("visits", "分色走访", "mdi6.home-account", _visits, (perm.VISITS,)),
    Area("reports", "统计报表", "reports", _reports, (perm.REPORTS,)),
    Area("settings", "设置", "settings", _settings, (perm.SETTINGS,)),
    Area("accounts", "账号与角色", "mdi6.account-key", _accounts, (perm.ACCOUNTS,), signed_in_only=True),
    Area("audit", "审计日志", "mdi6.clipboard-text-clock", _audit, (perm.AUDIT,), signed_in_only=True),
]


class MainWindow(QtWidgets.QMainWindow):
    def __init__(
        self,
        ctx: ServiceContext,
        migration: MigrationOutcome | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = ui_settings()
        self.pages: dict[str, Page] = {}
        self._closing_backup_done = False
        # the first page's data is read while the window is built (the 工作台's figures: ~0.1 s of queries)
        first = next(a for a in AREAS if a.key == self._first_area())
        self._prefetched: dict[str, Future[Any]] = {first.key: first.prefetch(ctx)} if first.prefetch else {}
        self.setWindowTitle(self.tr("社区网格治理工作台"))
        self.setWindowIcon(icon("grid", "#1f5fa8"))
        self.resize(DEFAULT_SIZE)
        self.setMinimumSize(960, 600)

        central = QtWidgets.QWidget()
        layout = QtWidgets.QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        side = QtWidgets.QWidget()
        side.setObjectName("sidebarPanel")
        side.setFixedWidth(190)
        sl = QtWidgets.QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(0)
        title = QtWidgets.QLabel(self.tr("社区网格治理工作台"))
        title.setObjectName("appTitle")
        self.street_label = QtWidgets.QLabel("")
        self.street_label.setObjectName("appSubtitle")
        sl.addWidget(title)
        sl.addWidget(self.street_label)
        self.sidebar = QtWidgets.QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QtCore.QSize(20, 20))
        for area in AREAS:
            item = QtWidgets.QListWidgetItem(icon(area.icon, "#dbe4ef"), "  " + self.tr(area.title))
            item.setData(QtCore.Qt.ItemDataRole.UserRole, area.key)
            self.sidebar.addItem(item)
            item.setHidden(not area.visible_to(ctx))  # the services refuse them too
        sl.addWidget(self.sidebar, 1)
        layout.addWidget(side)
        self.stack = QtWidgets.QStackedWidget()
        self.stack.setObjectName("contentArea")
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        for _area in AREAS:  # a cheap empty slot per area; the page is built on first visit
            self.stack.addWidget(QtWidgets.QWidget())

        self._build_menu()
        self._build_status_bar()
        self._connect_signals()
        self.backup_timer = QtCore.QTimer(self)
        self.backup_timer.setInterval(AUTO_BACKUP_MINUTES * 60_000)
        self.backup_timer.timeout.connect(self._on_backup_timer_timeout)
        if ctx.database.is_sqlite:
            self.backup_timer.start()
        self.idle_lock: IdleLock | None = None
        #: follows the signed-in account's changes (role, scope, disabled) at once (issue 13)
        self.session_watch: SessionWatch | None = None
        #: the window that took over after this one's account was disabled and someone signed in again
        self.successor: MainWindow | None = None
        self._restore_state()
        # the guards filter every event of the application (in Python): set once the first page is built,
        # whose hundreds of construction events need no watching (~20 ms of start-up, issue 16)
        if ctx.account is not None:
            from desktop.services.accounts import load_policy
            from desktop.ui.session_watch import SessionWatch

            self.idle_lock = IdleLock(ctx, self, load_policy(ctx).idle_minutes)
            self.session_watch = SessionWatch(self)
        self.refresh_street_label()
        if migration is not None and migration.changed and migration.backup_path is not None:
            self.statusBar().showMessage(
                self.tr("数据库结构已升级，升级前的备份：") + str(migration.backup_path), 15000
            )

    # ---------------------------------------------------------------- construction

    def _build_menu(self) -> None:
        from desktop.ui.menus import build_menus

        build_menus(self)

    def open_guide(self) -> QtWidgets.QWidget:
        """帮助 → 使用说明: the offline guide (one window, brought forward when already open)."""
        from desktop.ui.help_window import show_guide

        return show_guide(self)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.db_status = QtWidgets.QLabel()
        self.db_status.setText(self.ctx.database.describe())
        self.db_status.setToolTip(self.tr("当前数据库"))
        account = self.ctx.account
        who = f"{account.display_name}（{account.login}，{account.role}）" if account else self.ctx.actor.label
        self.user_status = QtWidgets.QLabel(self.tr("用户：") + who)
        self.backup_status = QtWidgets.QLabel()
        for w in (self.db_status, self.user_status, self.backup_status):
            status.addPermanentWidget(w)
        self.refresh_backup_status()

    def _connect_signals(self) -> None:
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)
        self.import_grids_action.triggered.connect(self._on_import_grids_action_triggered)
        self.export_grids_action.triggered.connect(self._on_export_grids_action_triggered)
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._on_about_action_triggered)

    # ---------------------------------------------------------------- pages

    def page(self, key: str) -> Page:
        """The page of an area, built on first use."""
        if key not in self.pages:
            index = next(i for i, a in enumerate(AREAS) if a.key == key)
            before = set(self.stack.children())
            try:
                page = AREAS[index].factory(self.ctx, self.stack)
            except Exception:  # a page that failed half-way is not kept under the stack
                for child in self.stack.children():
                    if child not in before and isinstance(child, QtWidgets.QWidget):
                        child.hide()
                        child.deleteLater()
                raise
            page.title = page.title or AREAS[index].title
            pending = self._prefetched.pop(key, None)
            if pending is not None:
                page.adopt_prefetch(pending)
            page.changed.connect(self._on_page_changed)
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            page.navigate.connect(self.navigate_to)
            backup_made = getattr(page, "backup_made", None)
            if backup_made is not None:
                backup_made.connect(self.refresh_backup_status)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[key] = page
        return self.pages[key]

    def visible_areas(self) -> list[str]:
        return [a.key for a in AREAS if a.visible_to(self.ctx)]

    def show_area(self, key: str) -> None:
        if key not in self.visible_areas():  # a role's hidden area (a remembered one, a link)
            key = self.visible_areas()[0]
        row = next(i for i, a in enumerate(AREAS) if a.key == key)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)  # triggers _on_sidebar_current_row_changed
        else:
            self._on_sidebar_current_row_changed(row)

    def navigate_to(self, target: str) -> None:
        """``area`` or ``area/step``: show the area, then let its page begin the step (Page.start_step);
        ``file/<name>`` triggers the window's own ``<name>_action`` (file/import_grids)."""
        key, _, step = target.partition("/")
        if key == "file":
            action = getattr(self, f"{step}_action", None)
            if isinstance(action, QtGui.QAction):
                action.trigger()
            return
        if not any(a.key == key for a in AREAS):
            return
        self.show_area(key)
        if step:
            self.page(key).start_step(step)

    def current_area(self) -> str:
        return AREAS[max(self.sidebar.currentRow(), 0)].key

    def _on_sidebar_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        area = AREAS[row]
        try:
            page = self.page(area.key)
        except Exception as exc:  # nothing half-built is kept: the next click builds the page afresh
            shown = self.stack.currentIndex()
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(shown)  # the sidebar shows the page that is actually shown
            self.sidebar.blockSignals(False)
            show_error(self, exc, self.tr("无法打开“%1”").replace("%1", self.tr(area.title)))
            return
        self.stack.setCurrentWidget(page)
        self.setWindowTitle(f"{self.tr(area.title)} - {self.tr('社区网格治理工作台')}")
        page.activate()

    def _on_page_changed(self, changes: DataChanges) -> None:
        sender = self.sender()
        self.broadcast_changes(changes, sender if isinstance(sender, Page) else None)

    def broadcast_changes(self, changes: DataChanges, source: Page | None = None) -> list[str]:
        """Route what a write changed to every built page but its ``source``; each page decides whether
        it must refresh (pages not built yet load fresh on their first visit). Answers the keys of the
        pages that were interested."""
        if self.session_watch is not None and not self.session_watch.check():
            return []  # the account was disabled meanwhile: signed out
        if changes.touches({"structure"}):
            self.refresh_street_label()
        if changes.touches({"backup"}):
            self.refresh_backup_status()
        return [key for key, page in self.pages.items() if page is not source and page.apply_changes(changes)]

    def refresh_street_label(self) -> None:
        from desktop.services.structure import get_street

        street = get_street(self.ctx)
        self.street_label.setText(street.name if street else self.tr("（未设置街道）"))

    def refresh_backup_status(self) -> None:
        try:
            status = backups.backup_status(self.ctx)
        except ShequError as exc:
            self.backup_status.setText(self.tr("最近备份：") + exc.message)
            self.backup_status.setStyleSheet("")
            return
        self.backup_status.setText(self.tr("最近备份：") + describe_backup(status))
        self.backup_status.setStyleSheet("color: #c46a00;" if status.stale else "")

    # ---------------------------------------------------------------- actions

    def _on_import_grids_action_triggered(self) -> None:
        self.import_grids()

    def import_grids(self, path: Path | None = None) -> QtWidgets.QDialog:
        """The import wizard with the grids' importer (checking ``path`` at once when given)."""
        from desktop.ui.dialogs.import_wizard import ImportWizard
        from desktop.ui.importing.importers import grid_importer

        importer = grid_importer()
        wizard = ImportWizard.start(self.ctx, importer, self, path)
        wizard.imported.connect(lambda _report: self.broadcast_changes(importer.changes))
        return wizard

    def _on_export_grids_action_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            self.tr("导出网格"),
            str(Path.home() / "网格.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"),
        )
        if not path:
            return
        from desktop.services.structure import exchange as grid_exchange

        run_in_background(
            lambda _p: grid_exchange.export_grids(self.ctx, Path(path)),
            lambda n: self.statusBar().showMessage(
                self.tr("已导出 %1 个网格到 ").replace("%1", str(n)) + path, 8000
            ),
            parent=self,
            title=self.tr("正在导出网格…"),
            cancellable=False,
        )

    def _on_backup_action_triggered(self) -> None:
        run_in_background(
            lambda _p: backups.backup_now(self.ctx, "manual"),
            lambda _i: self.refresh_backup_status(),
            parent=self,
            title=self.tr("正在备份数据库…"),
            cancellable=False,
        )

    def _on_backup_timer_timeout(self) -> None:
        run_in_background(
            lambda _p: backups.backup_if_changed(self.ctx, "auto"),
            lambda _i: self.refresh_backup_status(),
            lambda exc: self.statusBar().showMessage(self.tr("自动备份失败：") + str(exc), 15000),
        )

    def _on_about_action_triggered(self) -> None:
        from desktop import __version__

        QtWidgets.QMessageBox.about(
            self,
            self.tr("关于"),
            f"<b>社区网格治理工作台</b> {__version__}<br>面向社区、街道的网格化治理桌面工作台。<br>"
            f"数据库：{self.ctx.database.describe()}",
        )

    # ---------------------------------------------------------------- state

    def _restore_state(self) -> None:
        """The place remembered for this screen, pulled inside its available geometry; on a screen
        smaller than the default size (1366×768 less a taskbar) the window opens maximised."""
        saved = screen_fit.saved_rect("main/geometry", self)
        maximised = self.settings.value(f"main/maximised/{screen_fit.screen_key(self)}")
        if saved is not None:
            self.setGeometry(screen_fit.clamped(saved, self))
        else:
            limit = screen_fit.client_limit(self)
            if limit.width() < DEFAULT_SIZE.width() or limit.height() < DEFAULT_SIZE.height():
                maximised = "true"
            self.setGeometry(screen_fit.clamped(QtCore.QRect(QtCore.QPoint(0, 0), DEFAULT_SIZE), self))
        if str(maximised).lower() == "true":
            self.setWindowState(self.windowState() | QtCore.Qt.WindowState.WindowMaximized)
        self.show_area(self._first_area())

    def _first_area(self) -> str:
        """The area the window opens on: the one shown when it was last closed, if this account sees it."""
        last = str(self.settings.value("main/area", "home"))
        return last if last in self.visible_areas() else self.visible_areas()[0]

    def save_state(self) -> None:
        screen_fit.save_rect("main/geometry", self, self.normalGeometry())
        self.settings.setValue(f"main/maximised/{screen_fit.screen_key(self)}", self.isMaximized())
        self.settings.setValue("main/area", self.current_area())
        self.settings.sync()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.idle_lock is not None:
            self.idle_lock.stop()
        if self.session_watch is not None:
            self.session_watch.stop()
        self.save_state()
        if self.ctx.database.is_sqlite and not self._closing_backup_done:
            self._closing_backup_done = True
            QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
            try:
                backups.backup_if_changed(self.ctx, "close")
            except Exception as exc:  # a failed backup must not stop the user from closing, but is reported
                QtWidgets.QApplication.restoreOverrideCursor()
                show_error(self, exc, self.tr("退出时备份失败"))
            else:
                QtWidgets.QApplication.restoreOverrideCursor()
        super().closeEvent(event)
