"""The 导入居民 wizard and the 导出居民 dialog, driven through real widgets from the 居民 page (offscreen).

Set ``SHEQU_SHOTS=/some/folder`` to also save screenshots of the wizard's steps and the export dialog.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from db.schema.audit import AuditRecord
from db.schema.people import Household, Resident
from desktop.core.errors import CancelledError
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import read_sheet
from desktop.services.residents import exchange as resident_exchange
from desktop.services.residents.exchange import load_mappings, preview_residents
from desktop.ui.dialogs.resident_export_dialog import ResidentExportDialog
from desktop.ui.dialogs.resident_import_wizard import ResidentImportWizard
from desktop.ui.models.import_issue_filter_proxy_model import ImportIssueFilterProxyModel
from desktop.ui.models.import_issue_table_model import IS_ERROR_ROLE, ImportIssueTableModel
from desktop.ui.models.import_preview_model import FIELD_ROLE, ImportPreviewTableModel
from desktop.ui.pages.residents.residents_page import ResidentsPage
from desktop.ui.qt import Qt
from tests.unit.resident_rosters import id_ending_in_x, make_id, person, rounded_id_pair, write_xlsx

W = ResidentImportWizard
WANG = make_id(born="19600512", seq="011")
LI = make_id(born="19620303", seq="022")
SHOTS = os.environ.get("SHEQU_SHOTS")


def shot(widget, name: str) -> None:
    if SHOTS:
        from desktop.ui.qt import QtWidgets

        QtWidgets.QApplication.processEvents()  # let the layouts catch up with the texts
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def messy_roster(tmp_path: Path) -> Path:
    """8 rows: 5 good (one with a gender warning), an ID stored as a number, an unknown grid, a duplicate."""
    _true, rounded = rounded_id_pair()
    rows = [
        person("王建国", WANG, gender="男", birth=dt.datetime(1960, 5, 12), phone="13809371234", estate="新华小区",
               building="3", unit="2", room="301", household="H001", relation="户主", tags="空巢老人、独居老人", tier="蓝"),
        person("李秀兰", LI, birth="1962.03.03", household="H001", relation="配偶", gender="男"),
        person("钱学文", float(rounded)),
        person("赵磊", id_ending_in_x().lower(), birth="1975年1月1日", grid="新华九网格"),
        person("张伟", make_id("410102", "19850101", "033"), community="朝阳社区", grid="GC-02-001"),
        person("孙丽", make_id(born="19900101", seq="044"), grid="GC-01-002"),
        person("周敏", make_id(born="19700202", seq="055")),
        person("王建国", WANG),
    ]  # fmt: skip
    return write_xlsx(tmp_path / "新华社区实有人口.xlsx", rows)


def count(ctx, model) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def page(qtbot, street_ctx):
    p = ResidentsPage(street_ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    p.activate()
    qtbot.waitUntil(lambda: not p.is_searching(), timeout=5000)
    return p


def open_wizard(qtbot, page: ResidentsPage) -> ResidentImportWizard:
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = next(w for w in page.findChildren(ResidentImportWizard) if w.isVisible())
    wizard.resize(1100, 700)
    return wizard


def wait_idle(qtbot, wizard: ResidentImportWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.is_busy(), timeout=20000)


def issue_rows(wizard: ResidentImportWizard) -> list[tuple[str, str, str, str]]:
    m = wizard.issue_table.model()
    return [tuple(m.data(m.index(r, c)) for c in range(4)) for r in range(m.rowCount())]


# ---------------------------------------------------------------- the models


def test_issue_model_and_filter_pass_the_model_tester(qtmodeltester):
    model = ImportIssueTableModel()
    model.set_issues(
        [
            ImportIssue(5, "公民身份号码", "1.2E+17", "身份证号码被 Excel 存成了数字", Severity.ERROR),
            ImportIssue(6, "性别", "男", "与身份证号码不符", Severity.WARNING),
            ImportIssue(None, None, None, "整个文件", Severity.ERROR),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(1, 3)) == "提示：与身份证号码不符"
    assert (
        model.data(model.index(2, 1)) == "（整行）"
        and model.data(
            model.index(
                0,
                0,
            ),
            IS_ERROR_ROLE,
        )
        is True
    )
    proxy = ImportIssueFilterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_mode(proxy.WARNINGS)
    assert proxy.rowCount() == 1
    proxy.set_mode(proxy.ERRORS)
    assert proxy.rowCount() == 2


def test_preview_model_passes_the_model_tester(qtmodeltester, street_ctx, tmp_path):
    preview = preview_residents(street_ctx, messy_roster(tmp_path))
    labels = {k: h for k, h, _r in resident_exchange.field_choices()}
    model = ImportPreviewTableModel(labels, {"name", "id_number"})
    model.set_preview(preview)
    qtmodeltester.check(model, force_py=True)
    id_col = next(c.index for c in preview.columns if c.field == "id_number")
    assert model.data(model.index(0, id_col)) == "公民身份号码"
    assert model.data(model.index(0, id_col), FIELD_ROLE) == "id_number"
    assert model.data(model.index(1, id_col), Qt.ItemDataRole.BackgroundRole) is not None  # required: tinted
    assert model.headerData(1, Qt.Orientation.Vertical) == "5"  # the Excel row number
    model.set_field(id_col, None)
    assert model.data(model.index(0, id_col)) == "（不导入）"
    model.set_preview(None)
    assert model.rowCount() == 0


# ---------------------------------------------------------------- the wizard, step by step


def test_the_wizard_previews_checks_lists_every_problem_and_imports_the_valid_rows(
    qtbot, page, street_ctx, tmp_path
):
    wizard = open_wizard(qtbot, page)
    assert wizard.step() == W.FILE and not wizard.next_button.isEnabled()
    shot(wizard, "wizard_1_file.png")
    wizard.set_file(messy_roster(tmp_path))
    assert wizard.is_busy()
    wait_idle(qtbot, wizard)
    # step 2: the detected header row and the first rows, with each column's field
    assert wizard.step() == W.COLUMNS
    assert (
        "表头在第 4 行" in wizard.columns.file_label.text()
        and wizard.columns.sheet_combo.currentText() == "实有人口"
    )
    headers = [wizard.columns.model.header_text(c) for c in range(wizard.columns.model.columnCount())]
    assert headers[:5] == ["序号", "姓名", "性别", "民族", "身份证号"]
    assert (
        wizard.columns.field_combo(4).currentData() == "id_number"
        and wizard.columns.field_combo(0).currentData() == ""
    )
    assert wizard.columns.model.rowCount() == 1 + 8  # the 导入为 row and 8 people (no totals row)
    assert wizard.next_button.text() == "检查数据" and wizard.next_button.isEnabled()
    assert "不导入的列：序号" in wizard.columns.hint_label.text()
    shot(wizard, "wizard_2_columns.png")
    # step 3: every row checked in the background
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert wizard.step() == W.RESULT
    assert wizard.summary_label.text() == "共 8 行：可以导入 5 行，拒绝 3 行。"
    rows = issue_rows(wizard)
    assert [(r[0], r[1]) for r in rows] == [
        ("6", "性别"),
        ("7", "公民身份号码"),
        ("8", "所属网格"),
        ("12", "公民身份号码"),
    ]
    assert (
        rows[0][3].startswith("提示：")
        and "存成了数字" in rows[1][3]
        and rows[3][3] == "与第 5 行重复（同一身份证号码）"
    )
    assert wizard.next_button.text() == "导入 5 条有效记录"
    assert count(street_ctx, Resident) == 0  # checking writes nothing
    wizard.issue_filter_combo.setCurrentIndex(1)
    assert len(issue_rows(wizard)) == 3
    wizard.issue_filter_combo.setCurrentIndex(0)
    shot(wizard, "wizard_3_errors.png")
    # the error workbook
    assert wizard.save_issues_button.isVisible()
    errors_file = tmp_path / "问题清单.xlsx"
    wizard.save_issues(errors_file)
    wait_idle(qtbot, wizard)
    saved = [r.values for r in read_sheet(errors_file).rows]
    assert saved[0] == ("行号", "字段", "值", "原因") and len(saved) == 5
    assert "已保存问题清单（4 条）" in wizard.message()
    # step 4: import the valid rows; the page reloads
    with qtbot.waitSignal(wizard.imported, timeout=20000):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert wizard.step() == W.DONE and wizard.done_title.text() == "已导入 5 名居民"
    assert "被拒绝的 3 行没有导入" in wizard.done_text.text()
    shot(wizard, "wizard_4_done.png")
    assert count(street_ctx, Resident) == 5 and count(street_ctx, Household) == 1
    qtbot.waitUntil(lambda: not page.is_searching(), timeout=5000)
    assert page.count_label.text() == "共 5 人"
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)  # 完成
    assert not wizard.isVisible()
    qtbot.waitUntil(lambda: page.findChildren(ResidentImportWizard) == [], timeout=5000)  # no leftovers


def test_unrecognised_headers_are_mapped_by_hand_and_remembered(qtbot, page, street_ctx, tmp_path):
    path = write_xlsx(
        tmp_path / "odd.xlsx",
        [
            ["王建国", WANG, "新华社区", "新华小区3-2-301"],
            ["李秀兰", LI, "新华社区", "新华小区3号楼2单元301室"],
        ],
        header=["居民名字", "证件号", "社区", "住在哪"],
        totals=False,
    )
    wizard = open_wizard(qtbot, page)
    wizard.set_file(path)
    wait_idle(qtbot, wizard)
    assert wizard.step() == W.COLUMNS
    assert not wizard.next_button.isEnabled()
    assert (
        wizard.columns.problem_label.text()
        == "缺少必需的列：姓名、公民身份号码。请在表格第一行为相应的列选择。"
    )
    shot(wizard, "wizard_2_unmapped.png")
    wizard.set_field(0, "name")
    wizard.set_field(1, "name")  # a mistake: the same field twice
    assert "“姓名”被选给了 A、B 列，只能选一列。" in wizard.columns.problem_label.text()
    assert not wizard.next_button.isEnabled()
    wizard.set_field(1, "id_number")
    wizard.set_field(3, "address")
    assert wizard.columns.problem_label.isHidden() and wizard.next_button.isEnabled()
    assert wizard.mapping() == {
        "居民名字": "name",
        "证件号": "id_number",
        "社区": "community",
        "住在哪": "address",
    }
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert (
        wizard.check_report is not None
        and wizard.check_report.valid_rows == 2
        and not wizard.issue_table.isVisible()
    )
    assert load_mappings(street_ctx) == {}  # a check alone does not remember anything
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert wizard.step() == W.DONE and count(street_ctx, Resident) == 2
    assert load_mappings(street_ctx) == {"居民名字": "name", "证件号": "id_number", "住在哪": "address"}
    wizard.accept()
    # the next file with the same headers opens with the columns already mapped
    again = open_wizard(qtbot, page)
    again.set_file(path)
    wait_idle(qtbot, again)
    assert [again.columns.field_combo(c).currentData() for c in range(4)] == [
        "name",
        "id_number",
        "community",
        "address",
    ]
    assert again.next_button.isEnabled()
    again.reject()


def test_cancelling_the_import_commits_nothing(qtbot, page, street_ctx, tmp_path, monkeypatch):
    real = resident_exchange.import_residents
    writing = threading.Event()

    def slow(ctx, path, sheet=None, dry_run=False, mapping=None, progress=None):
        def held(done: int, total: int, text: str) -> None:
            if not dry_run and text.startswith("正在写入居民"):
                writing.set()  # households are written by now, inside the transaction
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    progress(done, total, text)  # raises CancelledError once 取消 is clicked
                    time.sleep(0.01)
            progress(done, total, text)

        return real(ctx, path, sheet, dry_run, mapping, held)

    monkeypatch.setattr(resident_exchange, "import_residents", slow)
    wizard = open_wizard(qtbot, page)
    wizard.set_file(messy_roster(tmp_path))
    wait_idle(qtbot, wizard)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    audit_before = count(street_ctx, AuditRecord)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(writing.is_set, timeout=20000)
    assert wizard.task_bar.isVisible() and not wizard.back_button.isEnabled()
    qtbot.mouseClick(wizard.task_bar.cancel_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert wizard.step() == W.RESULT and wizard.message() == "已取消。没有导入任何数据。"
    assert count(street_ctx, Resident) == 0 and count(street_ctx, Household) == 0
    assert count(street_ctx, AuditRecord) == audit_before + 1  # only the backup taken before the import
    assert wizard.next_button.isEnabled()  # and it can be tried again


def test_an_unreadable_file_is_explained_on_the_first_step(qtbot, page, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    wizard = open_wizard(qtbot, page)
    wizard.set_file(path)
    wait_idle(qtbot, wizard)
    assert wizard.step() == W.FILE and "PNG 图片" in wizard.message()
    wizard.reject()


def test_closing_the_wizard_while_it_works_cancels_the_work(qtbot, page, street_ctx, tmp_path, monkeypatch):
    started = threading.Event()

    def endless(ctx, path, sheet=None, dry_run=False, mapping=None, progress=None):
        started.set()
        while True:
            progress(0, 1, "正在检查…")
            time.sleep(0.01)

    wizard = open_wizard(qtbot, page)
    wizard.set_file(messy_roster(tmp_path))
    wait_idle(qtbot, wizard)
    monkeypatch.setattr(resident_exchange, "import_residents", endless)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set)
    wizard.reject()
    qtbot.waitUntil(lambda: not wizard.is_busy(), timeout=5000)
    qtbot.waitUntil(lambda: page.findChildren(ResidentImportWizard) == [], timeout=5000)  # then deleted


# ---------------------------------------------------------------- export


def test_export_masked_or_full_with_a_reason(qtbot, page, street_ctx, tmp_path, no_modal_boxes):
    resident_exchange.import_residents(street_ctx, messy_roster(tmp_path))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in page.findChildren(ResidentExportDialog) if d.isVisible())
    assert not dialog.reason_combo.isEnabled() and not dialog.grid_combo.isEnabled()
    out = tmp_path / "名单.xlsx"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=20000) as signal:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert signal.args == [5, str(out)]
    ws = openpyxl.load_workbook(out).active
    assert ws["D2"].value.count("*") == 8  # masked

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in page.findChildren(ResidentExportDialog) if d.isVisible())
    dialog.community_combo.setCurrentIndex(dialog.community_combo.findText("新华社区"))
    assert dialog.grid_combo.isEnabled() and dialog.grid_combo.count() == 3
    dialog.full_radio.setChecked(True)
    assert dialog.reason_combo.isEnabled() and dialog.warning_label.isVisible()
    full = tmp_path / "完整.csv"
    dialog.path_edit.setText(str(full))
    shot(dialog, "export_dialog.png")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "完整导出需要填写原因（将记入操作日志）。" and not full.exists()
    line = dialog.reason_combo.lineEdit()
    assert line is not None
    line.setText("报送街道核对")
    with qtbot.waitSignal(dialog.exported, timeout=20000) as signal:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert signal.args[0] == 4  # 新华社区 only
    assert WANG in full.read_text(encoding="utf-8-sig")
    with street_ctx.read() as s:
        last = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "export").order_by(AuditRecord.id.desc())
        ).first()
    assert last is not None and json.loads(last.after)["reason"] == "报送街道核对"
    assert no_modal_boxes == []


def test_a_cancelled_export_is_reported_in_the_dialog(qtbot, page, tmp_path, monkeypatch):
    def cancelled(*args, **kwargs):
        raise CancelledError()

    monkeypatch.setattr(resident_exchange, "export_residents", cancelled)
    dialog = page.open_export_dialog()
    dialog.path_edit.setText(str(tmp_path / "x.xlsx"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=5000)
    assert "已取消" in dialog.error_label.text() and dialog.isVisible() and dialog.ok_button.isEnabled()
    dialog.reject()
