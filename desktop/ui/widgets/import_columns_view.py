"""The import wizard's 核对列 step: the file's header row and first rows, a “导入为” combo on each column.

``set_preview`` shows a :class:`~desktop.services.residents.exchange.ResidentPreview`; the user's choices
come back through :meth:`mapping` ({the file's header → field key, "" = not imported}); :meth:`problems`
says what keeps the file from being checked (a required field without a column, a field chosen for two
columns). ``changed`` is emitted on every choice, ``sheet_chosen`` when another worksheet is picked.
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop.services.residents import exchange as resident_exchange
from desktop.services.residents.exchange import ResidentPreview
from desktop.ui.models.import_preview_model import ImportPreviewTableModel
from desktop.ui.qt import Qt, QtWidgets, Signal


class ImportColumnsView(QtWidgets.QWidget):
    changed = Signal()
    sheet_chosen = Signal(str)

    def __init__(
        self, labels: Mapping[str, str], required: set[str], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._labels = dict(labels)
        self.preview: ResidentPreview | None = None
        self._combos: list[QtWidgets.QComboBox] = []
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        top = QtWidgets.QHBoxLayout()
        self.file_label = QtWidgets.QLabel("")
        self.file_label.setObjectName("sectionTitle")
        top.addWidget(self.file_label, 1)
        top.addWidget(QtWidgets.QLabel(self.tr("工作表")))
        self.sheet_combo = QtWidgets.QComboBox()
        self.sheet_combo.setMinimumWidth(160)
        top.addWidget(self.sheet_combo)
        lay.addLayout(top)
        self.hint_label = QtWidgets.QLabel("")
        self.hint_label.setWordWrap(True)
        lay.addWidget(self.hint_label)
        self.problem_label = QtWidgets.QLabel("")
        self.problem_label.setObjectName("errorText")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        lay.addWidget(self.problem_label)
        self.model = ImportPreviewTableModel(labels, required, self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("importPreviewTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setDefaultSectionSize(120)
        self.table.horizontalHeader().setHighlightSections(False)
        lay.addWidget(self.table, 1)
        legend = QtWidgets.QLabel(
            self.tr(
                "第一行选择每列导入为哪个字段；蓝色底的列是必需的列，灰色的列不导入。下面是文件的前 %1 行。"
            ).replace("%1", str(resident_exchange.PREVIEW_ROWS))
        )
        legend.setObjectName("figureDetail")
        lay.addWidget(legend)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)

    # ---------------------------------------------------------------- showing a file

    def set_preview(self, preview: ResidentPreview) -> None:
        self.preview = preview
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        if preview.sheet is None:
            self.sheet_combo.addItem(self.tr("（CSV 文件）"))
            self.sheet_combo.setEnabled(False)
        else:
            self.sheet_combo.addItems(preview.sheets)
            self.sheet_combo.setCurrentText(preview.sheet)
            self.sheet_combo.setEnabled(len(preview.sheets) > 1)
        self.sheet_combo.blockSignals(False)
        where = (
            self.tr("，表头在第 %1 行").replace("%1", str(preview.header_row)) if preview.header_row else ""
        )
        self.file_label.setText(preview.source + where)
        self.model.set_preview(preview)
        self._make_combos()
        self._fit_columns()
        self._refresh()

    def _make_combos(self) -> None:
        self._combos = []
        if self.preview is None:
            return
        for col, column in enumerate(self.preview.columns):
            combo = QtWidgets.QComboBox()
            combo.addItem(self.tr("（不导入）"), "")
            for key, header, required in resident_exchange.field_choices():
                combo.addItem(header + (self.tr("（必需）") if required else ""), key)
            combo.setCurrentIndex(max(combo.findData(column.field or ""), 0))
            combo.setEnabled(bool(column.header))
            if not column.header:
                combo.setToolTip(self.tr("这一列没有表头，无法对应"))
            combo.currentIndexChanged.connect(lambda _i, c=col: self._on_field_combo_changed(c))
            self.table.setIndexWidget(self.model.index(0, col), combo)
            self._combos.append(combo)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            self.table.resizeColumnToContents(col)
            header.resizeSection(col, min(max(header.sectionSize(col), 128), 240))

    def _on_sheet_combo_activated(self, _index: int) -> None:
        self.sheet_chosen.emit(self.sheet_combo.currentText())

    # ---------------------------------------------------------------- the choices

    def field_combo(self, column: int) -> QtWidgets.QComboBox:
        return self._combos[column]

    def set_field(self, column: int, key: str | None) -> None:
        combo = self._combos[column]
        combo.setCurrentIndex(max(combo.findData(key or ""), 0))

    def _on_field_combo_changed(self, column: int) -> None:
        self.model.set_field(column, self._combos[column].currentData() or None)
        self._refresh()

    def mapping(self) -> dict[str, str]:
        """{the file's header → field key or ""} for every column that has a header."""
        if self.preview is None:
            return {}
        return {c.header: self.model.field(c.index) or "" for c in self.preview.columns if c.header}

    def problems(self) -> list[str]:
        if self.preview is None:
            return [self.tr("请先选择文件")]
        problems = []
        missing = self.preview.missing_required(self.model.fields())
        if missing:
            problems.append(
                self.tr("缺少必需的列：%1。请在表格第一行为相应的列选择。").replace("%1", "、".join(missing))
            )
        seen: dict[str, list[str]] = {}
        for c in self.preview.columns:
            key = self.model.field(c.index)
            if key:
                seen.setdefault(key, []).append(c.letter)
        for key, letters in seen.items():
            if len(letters) > 1:
                problems.append(
                    self.tr("“%1”被选给了 %2 列，只能选一列。")
                    .replace("%1", self._labels[key])
                    .replace("%2", "、".join(letters))
                )
        return problems

    def _refresh(self) -> None:
        preview = self.preview
        if preview is None:
            return
        recognised = sum(1 for c in preview.columns if self.model.field(c.index))
        unknown = [c.header for c in preview.columns if c.header and not self.model.field(c.index)]
        if preview.problem and recognised == sum(1 for c in preview.columns if c.field):
            hint = self.tr("没有找到全部必需的列，请为各列选择对应的字段。")
        else:
            hint = self.tr("已对应 %1 列。").replace("%1", str(recognised))
            if unknown:
                hint += self.tr("不导入的列：%1。如需导入，请在第一行选择对应的字段。").replace(
                    "%1", "、".join(unknown[:8]) + ("…" if len(unknown) > 8 else "")
                )
        self.hint_label.setText(hint)
        problems = self.problems()
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))
        self.changed.emit()
