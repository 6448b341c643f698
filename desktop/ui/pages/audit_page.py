"""审计日志 (the 审计管理员's page): every audit record, filtered by account, record type, action and dates;
exported as shown. Reading only: nobody edits the log."""

from __future__ import annotations

from pathlib import Path

from desktop.core.errors import ShequError
from desktop.services.accounts.audit_log import (
    ACTION_LABELS,
    AuditLine,
    AuditQuery,
    audit_choices,
    entity_label,
    export_audit,
    search_audit,
)
from desktop.services.audit import AuditVerdict
from desktop.services.context import ServiceContext
from desktop.ui.errors import show_error
from desktop.ui.icons import icon
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.pages.base import Page
from desktop.ui.qt import QtWidgets
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.combos import refill_filter_combo
from desktop.ui.widgets.date_field import DateField
from desktop.ui.widgets.page_header import PageHeader


class AuditPage(Page):
    title = "审计日志"

    def __init__(self, ctx: ServiceContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        root = QtWidgets.QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 20)
        root.setSpacing(10)
        header = PageHeader(self.tr("审计日志"), self.tr("谁在何时、在哪台计算机上做了什么（只读）"))
        root.addWidget(header)
        bar = QtWidgets.QHBoxLayout()
        self.user_combo = QtWidgets.QComboBox()
        self.entity_combo = QtWidgets.QComboBox()
        self.action_combo = QtWidgets.QComboBox()
        self.record_edit = QtWidgets.QLineEdit()
        self.record_edit.setPlaceholderText(self.tr("记录编号"))
        self.record_edit.setMaximumWidth(90)
        self.from_date = DateField(optional=True, empty_text=self.tr("不限"))
        self.to_date = DateField(optional=True, empty_text=self.tr("不限"))
        for combo in (self.user_combo, self.entity_combo, self.action_combo):  # filled later: "全部账号" whole
            combo.setMinimumContentsLength(5)
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.search_button = QtWidgets.QPushButton(icon("search"), self.tr("查询"))
        self.search_button.setObjectName("primaryButton")
        self.export_button = QtWidgets.QPushButton(icon("export"), self.tr("导出…"))
        for label, w in (
            (self.tr("账号"), self.user_combo),
            (self.tr("记录"), self.entity_combo),
            ("", self.record_edit),
            (self.tr("操作"), self.action_combo),
            (self.tr("从"), self.from_date),
            (self.tr("到"), self.to_date),
        ):
            if label:
                bar.addWidget(QtWidgets.QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.search_button)
        bar.addStretch(1)
        self.verify_button = QtWidgets.QPushButton(icon("verify"), self.tr("核对审计链"))
        self.verify_button.setToolTip(
            self.tr("逐条核对带密钥的审计链和库外保存的链头：记录被改动、删除或伪造，或最新的记录被删去时指出")
        )
        header.add_action(self.verify_button)  # the page's own actions beside its title; the bar filters
        header.add_action(self.export_button)
        root.addLayout(bar)
        self.model: ColumnTableModel[AuditLine] = ColumnTableModel(
            [
                Column(self.tr("时间"), lambda r: f"{r.at:%Y-%m-%d %H:%M:%S}", width=150),
                Column(self.tr("账号"), lambda r: r.user),
                Column(self.tr("计算机"), lambda r: r.host),
                Column(self.tr("操作"), lambda r: r.action_label),
                Column(self.tr("记录类型"), lambda r: entity_label(r.entity)),
                Column(self.tr("记录编号"), lambda r: r.entity_id or ""),
                Column(self.tr("摘要"), lambda r: r.summary, width=400),
            ],
            self,
            row_id=lambda r: (r.id, r.seq),  # an import's changes share their block's id
        )
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        root.addWidget(self.table, 1)
        self.verdict_label = QtWidgets.QLabel("")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.hide()
        root.addWidget(self.verdict_label)
        self.count_label = QtWidgets.QLabel()
        root.addWidget(self.count_label)
        self.search_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self._loaded = False

    def activate(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def query(self) -> AuditQuery:
        return AuditQuery(
            user=self.user_combo.currentData(),
            entity=self.entity_combo.currentData(),
            entity_id=self.record_edit.text().strip() or None,
            action=self.action_combo.currentData(),
            date_from=self.from_date.value(),
            date_to=self.to_date.value(),
        )

    def refresh(self) -> None:
        super().refresh()
        try:
            users, entities, actions = audit_choices(self.ctx)
            refill_filter_combo(self.user_combo, self.tr("全部账号"), [(u, u) for u in users])
            refill_filter_combo(
                self.entity_combo, self.tr("全部记录"), [(entity_label(e), e) for e in entities]
            )
            refill_filter_combo(
                self.action_combo, self.tr("全部操作"), [(ACTION_LABELS.get(a, a), a) for a in actions]
            )
            rows = search_audit(self.ctx, self.query())
        except ShequError as exc:
            show_error(self, exc, self.tr("无法读取审计日志"))
            return
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count_label.setText(self.tr("共 %1 条（最多显示 2000 条）").replace("%1", str(len(rows))))

    def export_to(self, path: Path) -> int:
        count = export_audit(self.ctx, self.query(), path)
        self.status_message.emit(self.tr("已导出 %1 条审计记录到 ").replace("%1", str(count)) + str(path))
        return count

    def _on_export_button_clicked(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self,
            self.tr("导出审计日志"),
            str(Path.home() / "审计日志.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"),
        )
        if not path:
            return
        try:
            self.export_to(Path(path))
        except ShequError as exc:
            show_error(self, exc, self.tr("导出失败"))

    def _on_verify_button_clicked(self) -> None:
        """The 审计管理员's check of the whole trail (``shequ audit verify``), off the GUI thread."""
        from desktop.services.audit import verify_audit_chain

        ctx = self.ctx
        self.verify_button.setEnabled(False)
        self.verdict_label.hide()

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            show_error(self, exc, self.tr("无法核对审计链"))

        run_in_background(
            lambda _p: verify_audit_chain(ctx),
            self.show_verdict,
            failed,
            parent=self,
            title=self.tr("正在核对审计链…"),
        )

    def show_verdict(self, verdict: AuditVerdict) -> None:
        self.verify_button.setEnabled(True)
        self.verdict_label.setObjectName("okBanner" if verdict.intact else "errorBanner")
        self.verdict_label.setStyleSheet(
            "color: #1b5e20; font-weight: bold;" if verdict.intact else "color: #b71c1c; font-weight: bold;"
        )
        self.verdict_label.setText(("✔ " if verdict.intact else "✘ ") + verdict.message)
        self.verdict_label.show()
