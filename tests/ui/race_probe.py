"""Click every sidebar area as soon as the main window is shown, in a fresh interpreter (not a test).

``python -m tests.ui.race_probe DB ROUNDS`` opens the database, shows the main window on 工作台 (its
background task starts at once), then clicks each area in turn, ``ROUNDS`` times over, with only a few
milliseconds of events between clicks. Prints one JSON line: the errors seen (uncaught exceptions and
error boxes) and, for each click, the area asked for and the page shown. Run in a subprocess so that
the pages' modules are imported for the first time, as on a user's first click.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


class _WorkerImports:
    """A meta path finder that finds nothing: it notes each module first imported off the GUI thread."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def find_spec(self, fullname, path=None, target=None):
        if threading.current_thread() is not threading.main_thread():
            self.seen.append(fullname)
        return None


def main(db: Path, rounds: int) -> dict:
    worker_imports = _WorkerImports()
    sys.meta_path.insert(0, worker_imports)
    from desktop.core.identity import Actor
    from desktop.ui.application import create_application

    app = create_application()
    errors: list[str] = []

    def hook(kind, exc, tb) -> None:
        errors.append(f"{kind.__name__}: {exc}")

    sys.excepthook = hook
    from desktop.ui import errors as ui_errors
    from desktop.ui.qt import QtCore, QtWidgets

    def record(_parent, exc, title="操作未完成") -> None:
        errors.append(f"{title}: {type(exc).__name__}: {exc}")

    ui_errors.show_error = record
    setattr(QtWidgets.QMessageBox, "exec", lambda box: errors.append(f"box: {box.text()}") or 0)  # noqa: B010
    from desktop.services.bootstrap import open_database

    ctx = open_database(db, actor=Actor("测试员", "probe")).ctx
    from desktop.ui.main_window import AREAS, MainWindow

    window = MainWindow(ctx)
    window.show()
    home = window.page("home")
    clicks: list[tuple[str, str, str]] = []
    for _ in range(rounds):
        for row, area in enumerate(AREAS):
            if area.key == "home":
                continue
            window.sidebar.setCurrentRow(row)
            shown = next((k for k, p in window.pages.items() if p is window.stack.currentWidget()), "")
            highlighted = AREAS[window.sidebar.currentRow()].key
            clicks.append((area.key, shown, highlighted))
            deadline = time.monotonic() + 0.005
            while time.monotonic() < deadline:
                app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 2)
    # let the background tasks finish: their errors count too
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        getattr(home, "_loading", False) or QtCore.QThreadPool.globalInstance().activeThreadCount()
    ):
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
    app.processEvents()
    window.settings.clear()
    window.hide()
    ctx.database.dispose()
    return {"errors": errors, "clicks": clicks, "worker_imports": worker_imports.seen}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2])), ensure_ascii=False))
