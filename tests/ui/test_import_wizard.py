"""The one import flow with importers other than residents (the resident wizard has its own tests):
choose a file → check (row-level issues, savable) → commit, from the File menu and from the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop.core.errors import CancelledError
from desktop.services import structure
from desktop.services.structure import exchange as grid_exchange
from desktop.ui.dialogs.import_wizard import ImportWizard
from desktop.ui.importing.import_request import ImportRequest
from desktop.ui.importing.importers import grid_importer, holiday_importer
from desktop.ui.main_window import MainWindow
from desktop.ui.qt import Qt

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot: Any, street_ctx: Any) -> MainWindow:
    w = MainWindow(street_ctx)
    qtbot.addWidget(w)
    return w


def _grids_file(ctx: Any, tmp_path: Path) -> Path:
    """The street's grids exported, one changed, plus a new grid and a row with a bad 户数."""
    path = tmp_path / "网格.csv"
    grid_exchange.export_grids(ctx, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    households = header.index("户数")
    extra = lines[-1].split(",")
    extra[header.index("网格编号")], extra[header.index("网格名称")] = "GC-02-009", "朝阳九网格"
    bad = list(extra)
    bad[header.index("网格编号")], bad[households] = "GC-02-010", "很多"
    path.write_text("\n".join([*lines, ",".join(extra), ",".join(bad)]) + "\n", encoding="utf-8-sig")
    return path


def test_grids_import_from_the_file_menu_checks_then_commits(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    ctx = window.ctx
    path = _grids_file(ctx, tmp_path)
    before = len(structure.list_grids(ctx))
    window.page("grids")
    wizard = window.import_grids(path)
    assert isinstance(wizard, ImportWizard) and wizard.windowTitle() == "导入网格"
    qtbot.waitUntil(lambda: wizard.step() == wizard.RESULT, timeout=10000)
    report = wizard.check_report
    assert report is not None and report.dry_run and report.rejected == 1 and report.created == 1
    assert len(structure.list_grids(ctx)) == before  # the check wrote nothing
    assert "拒绝 1 行" in wizard.summary_label.text()
    issue = wizard.issue_table.model().index(0, 0)
    row, field, value = (issue.siblingAtColumn(c).data() for c in range(3))
    assert (field, value) == ("户数", "很多") and row == str(report.errors[0].row)
    saved = tmp_path / "问题清单.xlsx"
    wizard.save_issues(saved)
    qtbot.waitUntil(lambda: saved.exists() and not wizard.is_busy(), timeout=10000)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("行号", "字段", "值", "原因") and any("很多" in map(str, r) for r in rows)
    assert wizard.next_button.text() == "导入 4 条有效记录" and wizard.next_button.isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=10000):
        qtbot.mouseClick(wizard.next_button, LEFT)
    assert len(structure.list_grids(ctx)) == before + 1
    assert wizard.step() == wizard.DONE and wizard.done_title.text().startswith("已导入")
    assert window.page("grids").stale  # told through the one change signal
    wizard.accept()


def test_cancelling_the_commit_halfway_writes_nothing(street_ctx: Any, tmp_path: Path) -> None:
    path = _grids_file(street_ctx, tmp_path)
    before = [(g.code, g.name, g.households) for g in structure.list_grids(street_ctx)]
    calls: list[tuple[int, int]] = []

    def cancel_after_two_rows(done: int, total: int, text: str = "") -> None:
        calls.append((done, total))
        if total > 1 and done == 2:  # two rows already written inside the transaction
            raise CancelledError()

    with pytest.raises(CancelledError):
        grid_importer().commit(street_ctx, ImportRequest(path), cancel_after_two_rows)
    assert calls[-1] == (2, 4)
    assert [(g.code, g.name, g.households) for g in structure.list_grids(street_ctx)] == before


def test_a_holiday_file_with_an_error_cannot_be_imported(qtbot: Any, street_ctx: Any, tmp_path: Path) -> None:
    path = tmp_path / "2028.csv"
    path.write_text("日期,类型,名称,年度\n2028-01-01,放假,元旦,2028\n2028-13-01,放假,错日期,2028\n", "utf-8")
    wizard = ImportWizard(street_ctx, holiday_importer())
    qtbot.addWidget(wizard)
    assert not wizard.has_columns and "核对列" not in wizard.steps_label.text()
    wizard.set_file(path)
    qtbot.waitUntil(lambda: wizard.step() == wizard.RESULT, timeout=10000)
    assert wizard.check_report is not None and wizard.check_report.rejected == 1
    assert not wizard.next_button.isEnabled()  # all rows or none: nothing to import
    assert "整个文件都不会导入" in wizard.summary_detail.text()
    qtbot.mouseClick(wizard.back_button, LEFT)
    assert wizard.step() == wizard.FILE


def test_mediation_cases_import_through_the_wizard(qtbot: Any, street_ctx: Any, tmp_path: Path) -> None:
    from desktop.services.mediation import exchange
    from desktop.ui.pages.mediation.mediation_page import MediationPage

    page = MediationPage(street_ctx)
    qtbot.addWidget(page)
    path = tmp_path / "台账.xlsx"
    exchange.export_cases(street_ctx, path)
    wizard = page.import_from(path)
    assert wizard.windowTitle() == "导入调解台账"
    qtbot.waitUntil(lambda: wizard.step() == wizard.RESULT, timeout=10000)
    assert wizard.check_report is not None and wizard.check_report.dry_run
    wizard.reject()
