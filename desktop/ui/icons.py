"""Icons: glyphs of the Material Design Icons 6 font that qtawesome ships, cached by name and colour.

The glyph is drawn the way qtawesome draws it (the character centred, 7/8 of the icon's height, the
palette's disabled text colour when disabled), but straight from the one font file: importing qtawesome
pulls in qtpy, whose ``from PySide6.QtGui import *`` builds every Qt class (~0.15 s), and its first icon
registers all ten bundled fonts (~0.07 s), both on the way to the first window (issue 16). qtawesome stays
the font's source (and the fallback when the file cannot be found or a name is not an ``mdi6`` one).
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from desktop.ui.qt import QtCore, QtGui, QtWidgets

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


MDI6 = "mdi6."


@cache
def icon(name: str, color: str = MUTED) -> QtGui.QIcon:
    full = NAMES.get(name, name)
    font = _mdi6_font()
    char = font[1].get(full[len(MDI6) :]) if font and full.startswith(MDI6) else None
    if font is None or char is None:
        import qtawesome as qta  # another icon set, or the font file not found: qtawesome itself

        return qta.icon(full, color=color)
    engine = GlyphIconEngine(font[0], char, QtGui.QColor(color))
    _engines.append(engine)  # the QIcon does not keep the Python object alive
    return QtGui.QIcon(engine)


_engines: list[QtGui.QIconEngine] = []


def _fonts_folder() -> Path | None:
    spec = importlib.util.find_spec("qtawesome")  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) / "fonts" if locations else None


@cache
def _mdi6_font() -> tuple[str, dict[str, str]] | None:
    """(font family, icon name → character) of qtawesome's Material Design Icons 6 font; None if absent."""
    folder = _fonts_folder()
    if folder is None or QtWidgets.QApplication.instance() is None:
        return None
    ttf = sorted(folder.glob("materialdesignicons6-webfont-[0-9]*.ttf"))
    charmap = sorted(folder.glob("materialdesignicons6-webfont-charmap-*.json"))
    if not ttf or not charmap:
        return None
    font_id = QtGui.QFontDatabase.addApplicationFont(str(ttf[-1]))
    families = QtGui.QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    codes: dict[str, str] = json.loads(charmap[-1].read_text(encoding="utf-8"))
    return families[0], {n: chr(int(code, 16)) for n, code in codes.items()}


class GlyphIconEngine(QtGui.QIconEngine):
    """One character of an icon font, in one colour (the disabled text colour when disabled)."""

    def __init__(self, family: str, char: str, color: QtGui.QColor) -> None:
        super().__init__()
        self.family, self.char, self.color = family, char, color

    def paint(
        self, painter: QtGui.QPainter, rect: QtCore.QRect, mode: QtGui.QIcon.Mode, state: QtGui.QIcon.State
    ) -> None:
        painter.save()
        if mode == QtGui.QIcon.Mode.Disabled:
            palette = QtWidgets.QApplication.palette()
            painter.setPen(palette.color(QtGui.QPalette.ColorGroup.Disabled, QtGui.QPalette.ColorRole.Text))
        else:
            painter.setPen(self.color)
        font = QtGui.QFont(self.family)
        font.setPixelSize(max(1, round(0.875 * rect.height())))  # qtawesome's proportion (font bearing)
        painter.setFont(font)
        painter.drawText(rect, int(QtCore.Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QtCore.QSize, mode: QtGui.QIcon.Mode, state: QtGui.QIcon.State) -> QtGui.QPixmap:
        pm = QtGui.QPixmap(size)
        pm.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(pm)
        self.paint(painter, QtCore.QRect(QtCore.QPoint(0, 0), size), mode, state)
        painter.end()
        return pm

    def clone(self) -> QtGui.QIconEngine:
        twin = GlyphIconEngine(self.family, self.char, self.color)
        _engines.append(twin)
        return twin
