"""Icons from qtawesome (Material Design Icons), cached by name."""

from __future__ import annotations

from functools import cache

import qtawesome as qta

from desktop.ui.qt import QtGui

ACCENT = "#b3261e"  # 党建红, used sparingly
PRIMARY = "#1f5fa8"
MUTED = "#5f6b7a"

NAMES = {
    "home": "mdi6.view-dashboard-outline",
    "grid": "mdi6.grid",
    "residents": "mdi6.account-group-outline",
    "party": "mdi6.flag-variant-outline",
    "mediation": "mdi6.handshake-outline",
    "court": "mdi6.scale-balance",
    "events": "mdi6.alert-circle-outline",
    "reports": "mdi6.chart-box-outline",
    "settings": "mdi6.cog-outline",
    "add": "mdi6.plus",
    "edit": "mdi6.pencil-outline",
    "retire": "mdi6.archive-arrow-down-outline",
    "restore": "mdi6.archive-arrow-up-outline",
    "import": "mdi6.file-import-outline",
    "export": "mdi6.file-export-outline",
    "refresh": "mdi6.refresh",
    "search": "mdi6.magnify",
    "backup": "mdi6.database-export-outline",
    "database": "mdi6.database-outline",
    "user": "mdi6.account-circle-outline",
    "person": "mdi6.account-outline",
    "person_add": "mdi6.account-plus-outline",
    "person_move": "mdi6.account-arrow-right-outline",
    "phone": "mdi6.phone-outline",
    "household": "mdi6.home-outline",
    "community": "mdi6.domain",
    "warning": "mdi6.alert-outline",
    "info": "mdi6.information-outline",
    "folder": "mdi6.folder-open-outline",
    "print": "mdi6.printer-outline",
    "pdf": "mdi6.file-pdf-box",
    "clear": "mdi6.close-circle-outline",
    "verify": "mdi6.shield-check-outline",
}


@cache
def icon(name: str, color: str = MUTED) -> QtGui.QIcon:
    return qta.icon(NAMES.get(name, name), color=color)
