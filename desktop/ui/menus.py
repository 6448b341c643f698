"""The main window's menu bar, with the 加速键 Chinese users expect: 文件(F) 编辑(E) 视图(V) 帮助(H).

* 文件: 导入网格…, 导出网格…, 立即备份, 退出 (Ctrl+Q).
* 编辑: 查找 (Ctrl+F) puts the cursor in the current page's search box, 新建 (Ctrl+N) starts the page's
  "new" action — through the page protocol of :class:`~desktop.ui.pages.base.Page`.
* 视图: every area (Ctrl+1 … Ctrl+0), 刷新 (F5) reloads the current page.
* 帮助: 使用说明 (F1, offline, :mod:`desktop.ui.help_window`) and 关于.

The actions are kept on the window under the names its handlers and tests use (``import_grids_action`` …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain import accounts as perm
from desktop.ui.icons import icon
from desktop.ui.permissions import guard, unguard
from desktop.ui.qt import QtGui, QtWidgets

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.pages.base import Page


def _tr(text: str) -> str:
    return QtWidgets.QApplication.translate("MainWindow", text)


def build_menus(window: MainWindow) -> None:
    from desktop.ui.main_window import AREAS

    bar = window.menuBar()
    file_menu = bar.addMenu(_tr("文件(&F)"))
    window.import_grids_action = file_menu.addAction(icon("import"), _tr("导入网格(&I)…"))
    window.export_grids_action = file_menu.addAction(icon("export"), _tr("导出网格(&E)…"))
    guard_actions(window)
    file_menu.addSeparator()
    window.backup_action = file_menu.addAction(icon("backup"), _tr("立即备份(&B)"))
    window.backup_action.setEnabled(window.ctx.database.is_sqlite)
    file_menu.addSeparator()
    window.quit_action = file_menu.addAction(_tr("退出(&X)"))
    window.quit_action.setShortcut(QtGui.QKeySequence("Ctrl+Q"))

    edit_menu = bar.addMenu(_tr("编辑(&E)"))
    window.find_action = edit_menu.addAction(icon("search"), _tr("查找(&F)"))
    window.find_action.setShortcut(QtGui.QKeySequence("Ctrl+F"))
    window.find_action.setStatusTip(_tr("把光标放到本页的搜索框"))
    window.find_action.triggered.connect(
        lambda: _current(window).focus_search() or _say(window, "本页没有搜索框")
    )
    window.new_action = edit_menu.addAction(icon("add"), _tr("新建(&N)"))
    window.new_action.setShortcut(QtGui.QKeySequence("Ctrl+N"))
    window.new_action.setStatusTip(_tr("本页的新增或登记（如新增居民、受理登记）"))
    window.new_action.triggered.connect(lambda: _current(window).trigger_new() or _why_no_new(window))

    view_menu = bar.addMenu(_tr("视图(&V)"))
    window.area_actions = {}
    for area in AREAS:
        action = view_menu.addAction(icon(area.icon), _tr(area.title))
        action.triggered.connect(lambda _checked=False, key=area.key: window.show_area(key))
        window.area_actions[area.key] = action
    fit_view_menu(window)
    view_menu.addSeparator()
    window.refresh_action = view_menu.addAction(icon("refresh"), _tr("刷新(&R)"))
    window.refresh_action.setShortcut(QtGui.QKeySequence("F5"))
    window.refresh_action.triggered.connect(lambda: _current(window).refresh())

    help_menu = bar.addMenu(_tr("帮助(&H)"))
    window.guide_action = help_menu.addAction(icon("info"), _tr("使用说明(&G)"))
    window.guide_action.setShortcut(QtGui.QKeySequence("F1"))
    window.guide_action.triggered.connect(window.open_guide)
    window.about_action = help_menu.addAction(icon("info"), _tr("关于(&A)"))


def fit_view_menu(window: MainWindow) -> None:
    """视图 offers the areas the sidebar shows (a role's hidden areas are not offered here either), with
    Ctrl+1 … Ctrl+0 in their order; again when the account's role changed."""
    shown = window.visible_areas()
    for key, action in window.area_actions.items():
        action.setVisible(key in shown)
        place = shown.index(key) if key in shown else 10
        keys = f"Ctrl+{(place + 1) % 10}" if place < 10 else ""
        action.setShortcut(QtGui.QKeySequence(keys))


def guard_actions(window: MainWindow) -> None:
    """The menu actions a role may lack (the services refuse them too); again when the account changed."""
    for action in (window.import_grids_action, window.export_grids_action):
        unguard(action)
        guard(window.ctx, action, perm.GRIDS, hide=True)


def _current(window: MainWindow) -> Page:
    return window.page(window.current_area())


def _why_no_new(window: MainWindow) -> bool:
    """Ctrl+N did nothing: say why (a greyed button's tooltip says what to do first)."""
    button = _current(window).new_button_widget()
    if button is None:
        return _say(window, "本页没有新增操作")
    reason = button.toolTip() or _tr("请先在本页选择要操作的记录")
    window.statusBar().showMessage(_tr("“{0}”暂不可用：").format(button.text().strip()) + reason, 6000)
    return False


def _say(window: MainWindow, text: str) -> bool:
    window.statusBar().showMessage(_tr(text), 3000)
    return False
