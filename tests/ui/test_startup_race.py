"""Clicking the sidebar as soon as the window shows (issue 14, defect 2).

The probe (:mod:`tests.ui.race_probe`) runs in a fresh interpreter, so the pages' modules are imported for
the first time while 工作台's background task runs, as on a user's first clicks. It clicks every area, round
after round, a few milliseconds apart; no error may show, the page asked for must be the page shown and
highlighted, and no module may be imported first on a worker thread (what workers need is imported
before they start).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.ui.main_window import AREAS, MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def street_db(file_keys, street_ctx, db_path: Path) -> Path:  # the probe process reads the key file
    from tests.unit.test_mediation_helpers import full_case, setup_committee

    cid, m1, _ = setup_committee(street_ctx)
    full_case(street_ctx, cid, m1)  # mediation and 司法确认 have something to load
    street_ctx.database.dispose()
    return db_path


@pytest.mark.parametrize("attempt", range(3))
def test_every_area_clicked_at_once_opens_without_error(street_db: Path, attempt: int) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "tests.ui.race_probe", str(street_db), "3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["errors"] == [], result["errors"]
    assert result["worker_imports"] == [], result["worker_imports"]
    clicks = result["clicks"]
    assert len(clicks) == 3 * (len(AREAS) - 1)
    wrong = [c for c in clicks if not c[0] == c[1] == c[2]]
    assert not wrong, wrong


def test_a_page_that_fails_to_build_shows_its_error_once_and_opens_next_time(
    qtbot, street_ctx, monkeypatch, no_modal_boxes
) -> None:
    import desktop.ui.main_window as mw
    from desktop.ui.pages.placeholder_page import PlaceholderPage

    calls = []

    def flaky(ctx, parent=None):
        calls.append(1)
        if len(calls) == 1:
            PlaceholderPage(ctx, "半途", "mediation", [], parent)  # a page that fails half-way through
            raise KeyError("desktop.services.judicial")  # as a racing import once did
        return PlaceholderPage(ctx, "人民调解", "mediation", [], parent)

    index = next(i for i, a in enumerate(AREAS) if a.key == "mediation")
    areas = list(mw.AREAS)
    areas[index] = mw.Area("mediation", "人民调解", "mediation", flaky)
    monkeypatch.setattr(mw, "AREAS", areas)
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    window.show()
    home = window.stack.currentWidget()
    window.sidebar.setCurrentRow(index)
    assert len(no_modal_boxes) == 1 and "内部错误" in no_modal_boxes[0][1]
    assert "mediation" not in window.pages  # nothing half-built is kept
    qtbot.waitUntil(lambda: window.stack.findChild(PlaceholderPage) is None, timeout=2000)
    assert window.stack.currentWidget() is home and window.current_area() == "home"  # highlight follows
    window.sidebar.setCurrentRow(index)  # opened again: built afresh
    assert len(no_modal_boxes) == 1 and window.current_area() == "mediation"
    assert window.stack.currentWidget() is window.pages["mediation"]
