"""Add or edit a grid (网格). Errors stay in the dialog, next to what the user typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from desktop.services import structure
from desktop.services.context import ServiceContext
from desktop.ui.dialogs.form_dialog import FormDialog
from desktop.ui.qt import QtWidgets

SPIN_MAX = 100_000


def count_spin(value: int | None, parent: QtWidgets.QWidget | None = None) -> QtWidgets.QSpinBox:
    """0…100 000; 0 is shown as “未填写” and saved as not given."""
    spin = QtWidgets.QSpinBox(parent)
    spin.setRange(0, SPIN_MAX)
    spin.setGroupSeparatorShown(True)
    # Typed, not clicked: hide the arrows (↑/↓ and the wheel still step). Not NoButtons: under the
    # app's stylesheet that leaves the edit field 1 px wide.
    spin.setStyleSheet("QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }")
    spin.lineEdit().setTextMargins(4, 0, 0, 0)
    spin.setSpecialValueText(QtWidgets.QApplication.translate("GridDialog", "未填写"))
    spin.setMinimumWidth(110)
    spin.setValue(value or 0)
    return spin


class GridDialog(FormDialog):
    """``saved_id`` holds the grid's id once saved."""

    def __init__(
        self,
        ctx: ServiceContext,
        communities: Iterable[structure.CommunityRow],
        detail: structure.GridDetail | None = None,
        community_id: int | None = None,
        suggest_code: Callable[[int], str] | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        grid = detail.grid if detail else None
        super().__init__(
            self.tr("编辑网格 {0}").format(grid.code) if grid else self.tr("新增网格"),
            parent=parent,
            ctx=ctx,
            width=520,
        )
        self.detail = detail
        self.saved_id: int | None = None
        self._suggest_code = suggest_code

        self.community_combo = QtWidgets.QComboBox()
        for c in communities:
            if c.retired_on is None or (grid and c.id == grid.community_id):
                self.community_combo.addItem(c.name, c.id)
        wanted = grid.community_id if grid else community_id
        if wanted is not None and (i := self.community_combo.findData(wanted)) >= 0:
            self.community_combo.setCurrentIndex(i)
        self.code_edit = QtWidgets.QLineEdit(grid.code if grid else "")
        self.code_edit.setMaxLength(30)
        self._update_code_hint()
        self.community_combo.currentIndexChanged.connect(self._update_code_hint)
        self.name_edit = QtWidgets.QLineEdit(grid.name if grid else "")
        self.name_edit.setMaxLength(80)
        self.name_edit.setPlaceholderText(self.tr("例如：新华社区第一网格"))
        self.kind_combo = QtWidgets.QComboBox()
        for kind, label in structure.GRID_KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), str(kind))
        if grid is not None:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(grid.kind)))
        self.boundary_edit = QtWidgets.QPlainTextEdit((grid.boundary or "") if grid else "")
        self.boundary_edit.setPlaceholderText(self.tr("东至……，南至……，西至……，北至……"))
        self.boundary_edit.setTabChangesFocus(True)
        self.boundary_edit.setFixedHeight(72)
        self.households_spin = count_spin(grid.households if grid else None)
        self.population_spin = count_spin(grid.population if grid else None)
        self.notes_edit = QtWidgets.QPlainTextEdit((detail.notes or "") if detail else "")
        self.notes_edit.setPlaceholderText(self.tr("覆盖的小区、楼栋，其他说明"))
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(60)

        form = self.form
        form.addRow(self.tr("所属社区 *"), self.community_combo)
        form.addRow(self.tr("网格编号 *"), self.code_edit)
        form.addRow(self.tr("网格名称 *"), self.name_edit)
        form.addRow(self.tr("网格类型 *"), self.kind_combo)
        form.addRow(self.tr("四至范围"), self.boundary_edit)
        counts = QtWidgets.QHBoxLayout()
        counts.setSpacing(8)
        counts.addWidget(self.households_spin)
        counts.addSpacing(12)
        counts.addWidget(QtWidgets.QLabel(self.tr("人数")))
        counts.addWidget(self.population_spin)
        counts.addStretch(1)
        form.addRow(self.tr("户数"), counts)
        hint = QtWidgets.QLabel(self.tr("户数、人数按网格划分方案填写；在册居民数由居民登记自动统计。"))
        hint.setObjectName("figureDetail")
        hint.setWordWrap(True)
        form.addRow("", hint)
        form.addRow(self.tr("备注"), self.notes_edit)

        self.fields = {
            "community_id": self.community_combo,
            "code": self.code_edit,
            "name": self.name_edit,
            "kind": self.kind_combo,
            "households": self.households_spin,
            "population": self.population_spin,
        }
        if self.community_combo.count() == 0:
            self.errors.show_message(self.tr("还没有社区，请先在“设置”中添加社区。"))
            self.ok_button.setEnabled(False)
        (self.name_edit if grid else self.code_edit).setFocus()

    def grid_input(self) -> structure.GridInput:
        grid = self.detail.grid if self.detail else None
        return structure.GridInput(
            community_id=self.community_combo.currentData(),
            code=self.code_edit.text(),
            name=self.name_edit.text(),
            kind=self.kind_combo.currentData(),
            boundary=self.boundary_edit.toPlainText(),
            households=self.households_spin.value() or None,
            population=self.population_spin.value() or None,
            notes=self.notes_edit.toPlainText(),
            id=grid.id if grid else None,
            version=grid.version if grid else None,
        )

    def _update_code_hint(self, *_args: object) -> None:
        """The placeholder suggests the community's next free grid code (GC-01-006 → GC-01-007)."""
        community_id = self.community_combo.currentData()
        hint = self._suggest_code(community_id) if self._suggest_code and community_id is not None else ""
        self.code_edit.setPlaceholderText(self.tr("例如：{0}").format(hint or "GC-01-001"))

    def submit(self) -> None:
        self.saved_id = structure.save_grid(self.ctx, self.grid_input())
