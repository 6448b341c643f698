"""编写月报说明 on the reports page: the three parts for the chosen month and scope, saved and printed in the
regenerated 月报, a stale edit refused inside the dialog, the dialog fitting 1366×768, the Word export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from desktop.core.identity import Actor
from desktop.domain.reports import Narrative
from desktop.services.reports.narrative import load_narrative, save_narrative
from desktop.ui.dialogs.form_dialog import MAX_SIZE
from desktop.ui.pages.reports.reports_page import ReportsPage
from desktop.ui.qt import Qt, QtWidgets
from tests.unit.test_reports_dataset import MONTH, TODAY, build_known_dataset

LEFT = Qt.MouseButton.LeftButton
WORK = "本月开展矛盾纠纷集中排查化解活动。"


@pytest.fixture
def page(qtbot: Any, street_ctx: Any) -> ReportsPage:
    build_known_dataset(street_ctx)
    p = ReportsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1280, 720)
    p.show()
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.activate()
    p.monthly.set_today(TODAY)
    return p


def _generate(qtbot: Any, page: ReportsPage) -> None:
    with qtbot.waitSignal(page.monthly.generated, timeout=20000):
        qtbot.mouseClick(page.monthly.generate_button, LEFT)


def test_write_the_narrative_and_see_it_in_the_report(qtbot: Any, page: ReportsPage, street_ctx: Any) -> None:
    panel = page.monthly
    panel.choose(MONTH, "新华社区")
    _generate(qtbot, page)
    assert "尚未填写：工作开展情况、存在问题、下一步打算" in panel.info_label.text()
    qtbot.mouseClick(panel.narrative_button, LEFT)
    dialog = panel.findChild(QtWidgets.QDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.heading_label.text() == "钢城街道新华社区2026年10月月报说明"
    assert dialog.width() <= MAX_SIZE.width() and dialog.height() <= MAX_SIZE.height()
    assert dialog.ok_button.isVisible()
    dialog.editors["work_done"].setPlainText(WORK)
    dialog.editors["next_steps"].setPlainText("补齐专职网格员。")
    with qtbot.waitSignal(panel.generated, timeout=20000):
        qtbot.mouseClick(dialog.ok_button, LEFT)  # saved; the shown report of that month is regenerated
    saved = load_narrative(street_ctx, MONTH, "新华社区")
    assert (saved.work_done, saved.problems, saved.version) == (WORK, "", 1)
    assert panel.report is not None and panel.report.narrative.work_done == WORK
    assert "尚未填写：存在问题（" in panel.info_label.text()
    text = (
        "".join(p.extract_text() for p in PdfReader(panel.current).pages).replace(" ", "").replace("\n", "")
    )
    assert f"一、工作开展情况{WORK}" in text and "二、党建引领" in text


def test_a_stale_edit_stays_in_the_dialog(qtbot: Any, page: ReportsPage, street_ctx: Any) -> None:
    dialog = page.monthly.open_narrative()
    assert dialog is not None and dialog.heading_label.text() == "钢城街道2026年10月月报说明"
    save_narrative(street_ctx.with_actor(Actor("李四", "pc-2")), MONTH, None, Narrative("李四写的。"))
    dialog.editors["work_done"].setPlainText("我写的。")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert "已被其他用户（李四）修改" in dialog.error_label.text() and dialog.error_label.isVisible()
    assert load_narrative(street_ctx, MONTH).work_done == "李四写的。"
    dialog.reject()


def test_save_word(qtbot: Any, page: ReportsPage, tmp_path: Path, monkeypatch: Any) -> None:
    panel = page.monthly
    assert not panel.save_docx_button.isEnabled()
    _generate(qtbot, page)
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "月报"), "")
    )
    with qtbot.waitSignal(panel.saved, timeout=20000) as blocker:
        qtbot.mouseClick(panel.save_docx_button, LEFT)
    assert blocker.args == [str(tmp_path / "月报.docx")]
    assert len(docx.Document(blocker.args[0]).tables) == len(list(panel.report.tables()))
