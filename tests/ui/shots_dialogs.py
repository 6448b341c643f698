"""Screenshots of the main dialogs and the main window on a real X server (not collected as a test).

``xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb SHEQU_SHOTS=/tmp/shots \\
.venv/bin/python -m pytest -q tests/ui/shots_dialogs.py`` saves PNGs of the whole screen, so what lies
beyond the screen's edge is seen to be missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.ui.qt import QtGui
from tests.ui.test_dialog_fit import FACTORIES, world  # noqa: F401  (fixture)
from tests.ui.test_judicial_page import filled, page  # noqa: F401  (fixtures)
from tests.ui.test_party_page import roll  # noqa: F401  (fixture)

OUT = os.environ.get("SHEQU_SHOTS", "")
pytestmark = pytest.mark.skipif(not OUT, reason="screenshots only when SHEQU_SHOTS names a folder")


def _screen(qtbot, name: str, ms: int = 300) -> Path:
    qtbot.wait(ms)
    path = Path(OUT) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    QtGui.QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
    return path


@pytest.mark.parametrize("name", ["mediation_case_new", "mediation_agreement", "mediation_party"])
def test_shot_dialog(qtbot, world, name: str) -> None:  # noqa: F811
    ctx, w = world
    dialog = FACTORIES[name](ctx, w)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    _screen(qtbot, name)
    if name == "mediation_party":
        dialog.party_form.occupation_edit.clear()  # what the agreement needs: refused where it is
    dialog.ok_button.click()  # an empty or incomplete form: the error line shows
    _screen(qtbot, name + "_error")
    dialog.reject()


def test_shot_judicial_preview(qtbot, page, filled) -> None:  # noqa: F811
    _ctx, nos = filled
    urgent = next(r.id for r in page.track_model.rows() if r.case_no == nos["urgent"])
    page.hide()
    dialog = page.open_preview_dialog(urgent)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rendered, timeout=15000):
        pass
    _screen(qtbot, "judicial_preview", 600)
    dialog.reject()


def test_shot_main_window_first_start(qtbot, street_ctx) -> None:
    from desktop.ui.main_window import MainWindow

    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.page("home").figures is not None, timeout=5000)
    _screen(qtbot, "main_window_first_start", 600)
    window.settings.clear()


def test_shot_party_roster(qtbot, world) -> None:  # noqa: F811
    ctx, w = world
    from desktop.ui.dialogs.party_roster_dialog import PartyRosterDialog

    dialog = PartyRosterDialog(ctx, w["orgs"], w["orgs"][2].id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rendered, timeout=30000):
        dialog.show()
    _screen(qtbot, "party_roster", 600)
    dialog.reject()
