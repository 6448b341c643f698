"""The one PDF preview widget: shows the pages of a real PDF, saves the same bytes, survives a failed render."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.core.errors import ValidationError
from desktop.documents import layout
from desktop.ui.qt import QtPrintSupport
from desktop.ui.widgets.pdf_preview import PdfPreview


def _write_pdf(out: Path) -> Path:
    return layout.build_pdf(out, [layout.para("预览测试第一段。" * 300)], title="预览测试")


@pytest.fixture
def preview(qtbot):
    widget = PdfPreview(print_title="打印测试")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_shows_the_pages_prints_and_saves_the_same_bytes(qtbot, preview: PdfPreview, tmp_path: Path) -> None:
    assert not preview.print_button.isEnabled() and not preview.save_button.isEnabled()
    with qtbot.waitSignal(preview.rendered, timeout=15000) as blocker:
        preview.render(_write_pdf, name="测试")
    shown = preview.current
    assert shown is not None and blocker.args[0] == shown
    pages = len(PdfReader(shown).pages)
    assert pages >= 2 and preview.document.pageCount() == pages == preview.page_count()
    assert preview.info_label.text() == f"共 {pages} 页"
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()

    printed: list[tuple[int, str]] = []
    preview.printed.connect(lambda n, name: printed.append((n, name)))
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    assert preview.print_to(printer) == pages
    assert printed == [(pages, str(tmp_path / "printed.pdf"))]

    with qtbot.waitSignal(preview.saved) as saved:
        target = preview.save_to(tmp_path / "另存.pdf")
    assert saved.args == [str(target)] and target.read_bytes() == shown.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temporary file


def test_a_failed_render_shows_the_error_and_keeps_nothing(
    qtbot, preview: PdfPreview, tmp_path: Path
) -> None:
    with qtbot.waitSignal(preview.rendered, timeout=15000):
        preview.render(_write_pdf)

    def refuse(_out: Path) -> Path:
        raise ValidationError("已超过期限，不能生成。")

    with qtbot.waitSignal(preview.failed, timeout=15000) as failed:
        preview.render(refuse)
    assert failed.args == ["已超过期限，不能生成。"]
    assert preview.info_label.text() == "已超过期限，不能生成。"
    assert preview.current is None and preview.document.pageCount() == 0
    assert not preview.print_button.isEnabled() and not preview.save_button.isEnabled()


def test_a_bug_in_rendering_goes_to_the_error_path(qtbot, preview: PdfPreview, no_modal_boxes) -> None:
    def broken(_out: Path) -> Path:
        raise RuntimeError("boom")

    with qtbot.waitSignal(preview.failed, timeout=15000):
        preview.render(broken)
    assert preview.info_label.text() == "生成失败"
    assert [title for title, _text in no_modal_boxes] == ["程序错误"]


def test_the_newest_render_wins_and_landscape_prints_landscape(qtbot, tmp_path: Path) -> None:
    from desktop.ui.qt import QtGui

    widget = PdfPreview(landscape=True)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.rendered, timeout=15000) as blocker:
        widget.render(lambda out: _write_pdf(out) and "first")
        widget.render(lambda out: _write_pdf(out) and "second")
    assert blocker.args == ["second"]
    qtbot.wait(200)
    assert widget.result == "second"
    printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "landscape.pdf"))
    printer.setResolution(72)
    assert widget.print_to(printer) >= 2
    assert printer.pageLayout().orientation() == QtGui.QPageLayout.Orientation.Landscape
