"""The UI's own settings file (window geometry, dialog sizes): ``ui.ini`` in the data folder."""

from __future__ import annotations

from desktop.core.paths import data_dir
from desktop.ui.qt import QtCore


def ui_settings() -> QtCore.QSettings:
    """The same file the main window keeps its geometry in."""
    return QtCore.QSettings(str(data_dir() / "ui.ini"), QtCore.QSettings.Format.IniFormat)
