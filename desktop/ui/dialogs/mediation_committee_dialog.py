"""调委会设置: the committee's name, the short name used in case numbers, its seal text, its mediators."""

from __future__ import annotations

from desktop.services import mediation as med
from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.dialogs.mediation_form import line
from desktop.ui.qt import QtWidgets


class MediationCommitteeDialog(FormDialog):
    """Edits one committee (or creates the first); mediators are added in the list below, one per line."""

    def __init__(
        self,
        ctx: ServiceContext,
        committee: med.CommitteeInfo | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("调委会设置"), parent=parent, ctx=ctx, width=560)
        self.committee = committee
        self.saved_id: int | None = None
        c = committee
        self.name_edit = line(c.name if c else "", self.tr("例如：新华社区人民调解委员会"), 80)
        self.short_edit = line(c.short_name if c else "", self.tr("用于案件编号，例如：新华社区"), 30)
        self.seal_edit = line(c.seal_text if c else "", self.tr("印章上的文字（默认同名称）"), 80)
        self.community_combo = QtWidgets.QComboBox()
        self.community_combo.addItem(self.tr("（不指定）"), None)
        for com in structure.list_communities(ctx):
            self.community_combo.addItem(com.name, com.id)
        if c and c.community_id:
            self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(c.community_id)))
        self.address_edit = line(c.address if c else "", "", 200)
        self.phone_edit = line(c.phone if c else "", "", 30)
        self.example = QtWidgets.QLabel()
        self.example.setObjectName("figureDetail")
        self.short_edit.textChanged.connect(self._update_example)
        self._update_example()
        self.mediators = QtWidgets.QListWidget()
        self.mediators.setMinimumHeight(110)
        if c:
            for m in med.list_mediators(ctx, c.id):
                self.mediators.addItem(
                    f"{m.name}（{m.title or '调解员'}）" + ("" if m.active else self.tr("（已停用）"))
                )
        self.new_mediator_edit = line("", self.tr("新调解员姓名"), 50)
        self.new_mediator_title = line("", self.tr("职务，如：委员"), 50)
        add = QtWidgets.QPushButton(self.tr("添加调解员"))
        add.clicked.connect(self._on_add_clicked)
        add_row = QtWidgets.QHBoxLayout()
        add_row.addWidget(self.new_mediator_edit, 2)
        add_row.addWidget(self.new_mediator_title, 1)
        add_row.addWidget(add)
        for label, w in (
            (self.tr("委员会名称 *"), self.name_edit),
            (self.tr("简称 *"), self.short_edit),
            ("", self.example),
            (self.tr("印章文字"), self.seal_edit),
            (self.tr("所属社区"), self.community_combo),
            (self.tr("地址"), self.address_edit),
            (self.tr("电话"), self.phone_edit),
            (self.tr("人民调解员"), self.mediators),
        ):
            self.form.addRow(label, w)
        self.form.addRow("", add_row)
        self.fields = {"name": self.name_edit, "short_name": self.short_edit, "phone": self.phone_edit}
        self.finish_form()

    def _update_example(self, *_a: object) -> None:
        short = self.short_edit.text().strip() or "××"
        self.example.setText(self.tr("案件编号示例：（2026）{0}人调字第001号").format(short))

    def _on_add_clicked(self) -> None:
        assert self.errors is not None
        if self.committee is None:
            try:
                self._save_committee()
            except Exception as exc:
                self.errors.handle(self, exc)
                return
        assert self.committee is not None
        try:
            med.save_mediator(
                self.ctx,
                med.MediatorInput(
                    self.committee.id, self.new_mediator_edit.text(), title=self.new_mediator_title.text()
                ),
            )
        except Exception as exc:
            self.errors.handle(self, exc)
            return
        self.mediators.addItem(
            f"{self.new_mediator_edit.text().strip()}（{self.new_mediator_title.text().strip() or '调解员'}）"
        )
        self.new_mediator_edit.clear()
        self.new_mediator_title.clear()

    def _save_committee(self) -> None:
        c = self.committee
        self.saved_id = med.save_committee(
            self.ctx,
            med.CommitteeInput(
                self.name_edit.text(),
                self.short_edit.text(),
                self.seal_edit.text(),
                community_id=self.community_combo.currentData(),
                address=self.address_edit.text(),
                phone=self.phone_edit.text(),
                id=c.id if c else None,
                version=c.version if c else None,
            ),
        )
        self.committee = med.get_committee(self.ctx, self.saved_id)

    def submit(self) -> None:
        self._save_committee()
