"""帮助 → 使用说明: the offline guide, an HTML file shipped in ``resources/help/`` shown in a QTextBrowser.

Nothing is fetched from the network: links inside the guide (``#居民``) jump within it; links to other
places are not followed.
"""

from __future__ import annotations

from desktop.core.paths import resources_dir
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

GUIDE_FILE = "guide.html"


def guide_path() -> str:
    return str(resources_dir() / "help" / GUIDE_FILE)


class GuideWindow(QtWidgets.QWidget):
    """A separate window, so that the guide can stay open beside the work."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("使用说明 - 社区网格治理工作台"))
        self.browser = QtWidgets.QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.browser.setSearchPaths([str(resources_dir() / "help")])
        self.browser.setSource(QtCore.QUrl.fromLocalFile(guide_path()))
        close = QtWidgets.QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        QtGui.QShortcut(QtGui.QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addLayout(buttons)
        screen = (parent.screen() if parent is not None else None) or QtGui.QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1366, 728)
        self.resize(min(860, room.width() - 40), min(700, room.height() - 60))

    def show_section(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)


def show_guide(parent: QtWidgets.QWidget | None = None, anchor: str = "") -> GuideWindow:
    """Open (or bring forward) the guide, at ``anchor`` when given."""
    existing = parent.findChild(GuideWindow) if parent is not None else None
    window = existing if isinstance(existing, GuideWindow) else GuideWindow(parent)
    window.show()
    window.raise_()
    window.activateWindow()
    if anchor:
        window.show_section(anchor)
    return window
