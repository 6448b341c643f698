"""打印名册: the selected branch by default, not the whole street; the street with a progress bar and 取消."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.errors import CancelledError
from desktop.services.party import roster
from desktop.ui.qt import QtWidgets
from tests.ui.test_party_page import page, roll  # noqa: F401  (fixtures)


def test_the_street_selected_defaults_to_the_organisation_below(qtbot, page, roll) -> None:  # noqa: F811
    page.select_org(page.tree_model.nodes()[0].id)  # 钢城街道党工委
    dialog = page.open_roster_dialog()
    assert dialog.org_combo.currentText().strip() == "新华社区党委"
    with qtbot.waitSignal(dialog.rendered, timeout=15000):
        pass
    assert not dialog.findChildren(QtWidgets.QProgressDialog)  # one community: no progress bar
    dialog.reject()


def test_a_selected_branch_is_the_default(qtbot, page, roll) -> None:  # noqa: F811
    _ctx, ids = roll
    page.select_org(ids["small"])
    dialog = page.open_roster_dialog()
    assert dialog.org_id() == ids["small"]
    with qtbot.waitSignal(dialog.rendered, timeout=15000):
        pass
    assert "2 名党员" in dialog.info_label.text()
    dialog.reject()


def test_the_whole_street_shows_progress_and_can_be_cancelled(qtbot, page, roll, monkeypatch) -> None:  # noqa: F811
    real = roster.print_party_roster
    started = threading.Event()

    def held(ctx, out, **kw):
        progress = kw["progress"]
        started.set()
        for _ in range(500):  # hold the worker until the user cancels (at most 5 s)
            if progress.cancelled:
                break
            threading.Event().wait(0.01)
        return real(ctx, out, **kw)

    dialog = page.open_roster_dialog()
    with qtbot.waitSignal(dialog.rendered, timeout=15000):
        pass
    monkeypatch.setattr(roster, "print_party_roster", held)
    dialog.org_combo.setCurrentIndex(0)  # 全部党支部
    bars = [d for d in dialog.findChildren(QtWidgets.QProgressDialog)]
    assert len(bars) == 1 and bars[0].labelText() == "正在生成整个街道的党员名册…"
    assert started.wait(5)
    (cancel,) = [b for b in bars[0].findChildren(QtWidgets.QPushButton) if b.text() == "取消"]
    cancel.click()
    qtbot.waitUntil(lambda: not dialog.pdf.busy, timeout=10000)
    assert dialog.info_label.text() == "已取消生成。"
    assert not dialog.print_button.isEnabled()
    dialog.reject()


def test_the_roster_reports_each_section_and_stops_when_told(roll, tmp_path: Path) -> None:  # noqa: F811
    ctx, _ids = roll
    seen: list[tuple[int, int]] = []
    roster.print_party_roster(
        ctx, tmp_path / "all.pdf", audit=False, progress=lambda d, t, _s: seen.append((d, t))
    )
    assert seen and seen[0] == (0, seen[0][1]) and seen[-1][0] == seen[0][1] - 1

    def stop(done: int, _total: int, _text: str) -> None:
        if done >= 1:
            raise CancelledError()

    with pytest.raises(CancelledError):
        roster.print_party_roster(ctx, tmp_path / "stopped.pdf", audit=False, progress=stop)
    assert not (tmp_path / "stopped.pdf").exists()
    assert not list(tmp_path.glob(".~*"))  # no half-written file left behind
