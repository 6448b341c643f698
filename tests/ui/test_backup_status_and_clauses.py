"""最近备份 follows the import wizard's backup; long agreement clauses wrap and show whole on hover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.ui.main_window import MainWindow
from desktop.ui.qt import Qt
from tests.ui.test_import_wizard import _grids_file


def test_status_bar_shows_the_backup_the_grid_import_made(
    qtbot: Any, street_ctx: Any, tmp_path: Path
) -> None:
    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.backup_status.text() == "最近备份：尚无备份"
    wizard = window.import_grids(_grids_file(street_ctx, tmp_path))
    qtbot.waitUntil(lambda: wizard.step() == wizard.RESULT, timeout=10000)
    with qtbot.waitSignal(wizard.imported, timeout=10000):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert window.backup_status.text().startswith("最近备份：")
    assert "尚无备份" not in window.backup_status.text()
    wizard.accept()


def test_the_residents_import_tells_the_window_a_backup_was_made(qtbot: Any, street_ctx: Any) -> None:
    from desktop.services import backups

    window = MainWindow(street_ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.page("residents")
    backups.backup_now(street_ctx, "import")  # what the import does before it writes
    page._on_import_wizard_imported(object())
    assert "尚无备份" not in window.backup_status.text()


def test_long_clauses_wrap_in_the_workspace(qtbot: Any, street_ctx: Any) -> None:
    from desktop.ui.pages.mediation.case_workspace import CaseWorkspace

    workspace = CaseWorkspace(street_ctx)
    qtbot.addWidget(workspace)
    workspace.resize(640, 600)
    workspace.show()
    workspace.tabs.setCurrentIndex(2)
    clause = "甲方于2026年12月31日前一次性支付乙方房屋漏水造成的装修损失、家具损坏赔偿及临时租房费用，" * 3
    workspace.terms_model.set_rows(
        [(1, [1, clause, "12,000.00", "2026-12-31"], ""), (2, [2, "短", "", ""], "")]
    )
    view = workspace.terms_view
    qtbot.waitUntil(lambda: view.rowHeight(0) > 2 * view.fontMetrics().height(), timeout=2000)
    assert view.rowHeight(1) < view.rowHeight(0)
    assert workspace.terms_model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == clause


def test_the_clause_editor_model_gives_the_whole_clause_on_hover() -> None:
    from desktop.ui.models.mediation_term_model import MediationTermTableModel, TermRow

    clause = "乙方自愿放弃其他诉求，双方就本纠纷再无其他争议。" * 4
    model = MediationTermTableModel([TermRow(clause)])
    assert model.index(0, MediationTermTableModel.TEXT).data(Qt.ItemDataRole.ToolTipRole) == clause


def test_the_agreement_dialog_edits_a_clause_in_a_wrapping_editor(qtbot: Any, street_ctx: Any) -> None:
    from desktop.services import mediation as med
    from desktop.ui.dialogs.mediation_agreement_dialog import MediationAgreementDialog
    from desktop.ui.qt import QtWidgets
    from tests.conftest import TODAY
    from tests.unit.test_mediation_helpers import full_case, setup_committee

    cid, m1, _ = setup_committee(street_ctx)
    case = med.get_case(street_ctx, full_case(street_ctx, cid, m1))
    dialog = MediationAgreementDialog(street_ctx, case, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.terms_view
    index = dialog.terms.index(0, 0)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: isinstance(view.focusWidget(), QtWidgets.QPlainTextEdit), timeout=2000)
    editor = view.focusWidget()
    assert isinstance(editor, QtWidgets.QPlainTextEdit)
    assert editor.lineWrapMode() == QtWidgets.QPlainTextEdit.LineWrapMode.WidgetWidth
    assert editor.height() >= 4 * editor.fontMetrics().lineSpacing()  # several lines, not one
    clause = "甲方于2026年12月31日前一次性支付乙方装修损失、家具损坏赔偿及临时租房费用共计一万二千元，" * 2
    editor.setPlainText(clause + "\n逾期未付的，按日万分之五支付违约金。")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter: a new line inside the clause, the editor stays
    assert view.focusWidget() is editor and editor.toPlainText().count("\n") == 2
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter: done
    qtbot.waitUntil(lambda: not isinstance(view.focusWidget(), QtWidgets.QPlainTextEdit), timeout=2000)
    text = dialog.terms.index(0, 0).data(Qt.ItemDataRole.EditRole)
    assert text.startswith(clause) and "违约金" in text
    qtbot.waitUntil(lambda: view.rowHeight(0) > 2 * view.fontMetrics().height(), timeout=2000)  # wrapped
