"""打印党员名册: the roster PDF in the one PDF preview (landscape), printed or saved as PDF.

The PDF is written in the background by :class:`~desktop.ui.widgets.pdf_preview.PdfPreview`; 另存为
regenerates the roster through the service, so the saved file is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.services import party
from desktop.services.context import ServiceContext
from desktop.services.party import roster
from desktop.ui.dialogs.form_dialog import MAX_SIZE, SizedDialog
from desktop.ui.dialogs.party_member_dialog import org_items
from desktop.ui.qt import QtCore, QtPrintSupport, QtWidgets, Signal
from desktop.ui.tasks import Progress
from desktop.ui.widgets.pdf_preview import PdfPreview


class PartyRosterDialog(SizedDialog):
    #: the preview is ready (number of pages)
    rendered = Signal(int)
    status_message = Signal(str)

    def sizeHint(self) -> QtCore.QSize:
        """A page wide and most of the screen high: never more than the screen allows (SizedDialog)."""
        return QtCore.QSize(1100, 700).boundedTo(MAX_SIZE)

    def __init__(
        self,
        ctx: ServiceContext,
        orgs: Sequence[party.OrgNode],
        org_id: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("打印党员名册"))
        self.printed: roster.RosterPrint | None = None
        self.pdf = PdfPreview(
            self, print_title=self.tr("打印党员名册"), landscape=True, known_errors_in_dialog=True
        )
        self.pdf.doc_name = self.tr("党员名册")
        self.pdf.saver = self.save_to
        self.document, self.view = self.pdf.document, self.pdf.view
        self.info_label, self.print_button, self.save_button = (
            self.pdf.info_label,
            self.pdf.print_button,
            self.pdf.save_button,
        )
        self.org_combo = QtWidgets.QComboBox()
        self.org_combo.addItem(self.tr("全部党支部"), None)
        for text, oid in org_items(
            orgs, ("WORKING_COMMITTEE", "COMMITTEE", "GENERAL_BRANCH", "BRANCH", "GROUP")
        ):
            self.org_combo.addItem(text, oid)
        # the selected branch, not the whole street (hundreds of pages): the street is one choice away
        self._street_ids = {n.id for n in orgs if n.kind == "WORKING_COMMITTEE"}
        if org_id is None or org_id in self._street_ids:
            org_id = next(
                (
                    oid
                    for i in range(1, self.org_combo.count())
                    if (oid := self.org_combo.itemData(i)) not in self._street_ids
                ),
                None,
            )
        if org_id is not None and (i := self.org_combo.findData(org_id)) >= 0:
            self.org_combo.setCurrentIndex(i)
        self.org_combo.setMinimumWidth(260)
        self.close_button = QtWidgets.QPushButton(self.tr("关闭"))
        self.pdf.bar.insertWidget(0, QtWidgets.QLabel(self.tr("党组织")))
        self.pdf.bar.insertWidget(1, self.org_combo)
        self.pdf.bar.addWidget(self.close_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addWidget(self.pdf)
        self.org_combo.currentIndexChanged.connect(self._on_org_combo_current_index_changed)
        self.pdf.rendered.connect(self._on_pdf_rendered)
        self.pdf.printed.connect(self._on_pdf_printed)
        self.pdf.status_message.connect(self.status_message)
        self.close_button.clicked.connect(self.reject)
        self.render()

    @property
    def current(self) -> Path | None:
        return self.pdf.current

    def org_id(self) -> int | None:
        return self.org_combo.currentData()

    def render(self) -> None:
        ctx, org_id = self.ctx, self.org_id()
        self.pdf.doc_name = f"党员名册-{self.org_combo.currentText().strip()}-{self.ctx.today():%Y%m%d}"

        def make(out: Path, progress: Progress) -> roster.RosterPrint:
            return roster.print_party_roster(ctx, out, org_id=org_id, audit=False, progress=progress)

        street = org_id is None or org_id in self._street_ids  # with a progress bar and 取消
        self.pdf.render(
            make,
            name="党员名册",
            text=self.tr("正在生成名册…"),
            reports_progress=True,
            progress_title=self.tr("正在生成整个街道的党员名册…") if street else "",
        )

    def _on_pdf_rendered(self, result: roster.RosterPrint) -> None:
        self.printed = result
        pages = self.document.pageCount()
        self.info_label.setText(
            self.tr("{0}：{1} 个党组织、{2} 名党员，共 {3} 页").format(
                result.header, result.sections, result.members, pages
            )
        )
        self.rendered.emit(pages)

    def _on_org_combo_current_index_changed(self, *_a: object) -> None:
        self.render()

    # ---------------------------------------------------------------- print and save

    def open_print_dialog(self) -> QtPrintSupport.QPrintDialog:
        return self.pdf.open_print_dialog()

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Draw every page at ~300 dpi onto ``printer`` (landscape); returns the number of pages printed."""
        return self.pdf.print_to(printer)

    def _on_pdf_printed(self, pages: int, printer_name: str) -> None:
        if self.printed is not None:
            roster.record_printed(self.ctx, self.printed, pages, printer_name)

    def save_to(self, target: Path) -> Path:
        """Write the roster to ``target`` (regenerated, so the file is complete and audited)."""
        return roster.print_party_roster(self.ctx, target, org_id=self.org_id()).path
