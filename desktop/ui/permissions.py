"""The GUI offers only what the services allow: a page declares the permission each action needs with
:func:`guard`, and an action the signed-in account's role lacks stays disabled with the tooltip
"没有权限：<permission>" (the same words as the services' refusal).

The services enforce every permission themselves (GB/T 22239-2019 8.1.4.2, 访问控制); this only keeps the
buttons honest. A guarded widget stays disabled even when the page enables it again later (a selection, a
loaded list): the guard watches the widget's enabled state and tooltip. A database without accounts allows
everything (services.access.allowed), so nothing is guarded there.
"""

from __future__ import annotations

from desktop.domain.accounts import SETTING_OWNERS, SETTINGS, permission_label
from desktop.services.access import allowed
from desktop.services.context import ServiceContext
from desktop.ui.qt import QtCore, QtGui, QtWidgets

#: the dynamic property a guarded, refused widget or action carries: the permission it lacks (tests, tools)
DENIED_PROPERTY = "deniedPermission"


def denied_text(permission: str) -> str:
    """The tooltip of a refused action, in the services' words."""
    return f"没有权限：{permission_label(permission)}"


def may(ctx: ServiceContext, permission: str, *alternatives: str) -> bool:
    """Whether the context's account holds ``permission`` (or one of ``alternatives``)."""
    return any(allowed(ctx, p) for p in (permission, *alternatives))


def setting_permissions(key: str) -> tuple[str, ...]:
    """Who may change a setting: its area's owner (SETTING_OWNERS), or 系统与安全设置, which may change all."""
    owner = SETTING_OWNERS.get(key, SETTINGS)
    return (owner,) if owner == SETTINGS else (owner, SETTINGS)


class _WidgetLock(QtCore.QObject):
    """Keeps a widget disabled, its tooltip saying why, whatever the page does with it later."""

    def __init__(self, widget: QtWidgets.QWidget, text: str) -> None:
        super().__init__(widget)
        self.text = text
        widget.setEnabled(False)
        widget.setToolTip(text)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if isinstance(watched, QtWidgets.QWidget):
            kind = event.type()
            if kind == QtCore.QEvent.Type.EnabledChange and watched.isEnabled():
                watched.setEnabled(False)
            elif kind == QtCore.QEvent.Type.ToolTipChange and watched.toolTip() != self.text:
                watched.setToolTip(self.text)
        return False


class _ActionLock(QtCore.QObject):
    """The same for a menu action (QAction has no events: its ``changed`` signal)."""

    def __init__(self, action: QtGui.QAction, text: str) -> None:
        super().__init__(action)
        self.action = action
        self.text = text
        action.changed.connect(self._hold)
        self._hold()

    def _hold(self) -> None:
        if self.action.isEnabled():
            self.action.setEnabled(False)
        if self.action.toolTip() != self.text:
            self.action.setToolTip(self.text)
        if self.action.statusTip() != self.text:
            self.action.setStatusTip(self.text)


def guard(
    ctx: ServiceContext,
    target: QtWidgets.QWidget | QtGui.QAction,
    permission: str,
    *alternatives: str,
    hide: bool = False,
) -> bool:
    """Declare that ``target`` needs ``permission`` (or one of ``alternatives``). When the account lacks it
    the target is disabled for good, with "没有权限：…" as its tooltip — or, with ``hide``, not shown at all
    (an action of an area the role never works in). Answers whether it is allowed."""
    if may(ctx, permission, *alternatives):
        return True
    text = denied_text(permission)
    target.setProperty(DENIED_PROPERTY, permission)
    if hide:
        target.setVisible(False)
    if isinstance(target, QtGui.QAction):
        _ActionLock(target, text)
        menu = target.parent()
        if isinstance(menu, QtWidgets.QMenu):
            menu.setToolTipsVisible(True)
    else:
        _WidgetLock(target, text)
    return False


def guard_all(
    ctx: ServiceContext,
    targets: tuple[QtWidgets.QWidget | QtGui.QAction, ...],
    permission: str,
    *alternatives: str,
) -> bool:
    """:func:`guard` for several targets needing the same permission."""
    results = [guard(ctx, t, permission, *alternatives) for t in targets]
    return all(results)


def guard_setting(ctx: ServiceContext, target: QtWidgets.QWidget | QtGui.QAction, key: str) -> bool:
    """``target`` changes the setting (or dictionary) ``key``: its owner's permission, or 系统与安全设置."""
    return guard(ctx, target, *setting_permissions(key))


def unguard(target: QtWidgets.QWidget | QtGui.QAction) -> None:
    """Lift a refusal (the account's role changed): the target is enabled and shown again; the caller
    guards it anew for the new role."""
    for lock in target.findChildren(QtCore.QObject):
        if isinstance(lock, _WidgetLock) and isinstance(target, QtWidgets.QWidget):
            target.removeEventFilter(lock)
        elif isinstance(lock, _ActionLock):
            lock.action.changed.disconnect(lock._hold)
        else:
            continue
        lock.setParent(None)
        lock.deleteLater()
        target.setEnabled(True)
        target.setVisible(True)
        target.setToolTip("")
    target.setProperty(DENIED_PROPERTY, None)


def denied_permission(target: QtCore.QObject) -> str | None:
    """The permission a guarded target was refused for, or None when it is not refused."""
    value = target.property(DENIED_PROPERTY)
    return str(value) if value else None
