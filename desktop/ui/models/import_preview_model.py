"""The import wizard's preview: the file's first rows under its own headers, with each column's field.

Row 0 is the “导入为” row (the wizard puts a combo box on each of its cells); the rows below are the
file's data rows, numbered as Excel numbers them. A column mapped to a required field is tinted blue,
a column that will not be imported is greyed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desktop.services.residents.exchange import ResidentPreview
from desktop.ui.icons import icon
from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import ColumnTableModel
from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

#: the field key (str) of a column, or None when it is not imported
FIELD_ROLE = Qt.ItemDataRole.UserRole + 1
REQUIRED_TINT = "#e3eefb"
MAPPING_TINT = "#f4f7fb"


#: a row of the preview: (Excel row number, cells); the “导入为” row is ``MAPPING_ROW``
PreviewRow = tuple[int, Sequence[str]]
MAPPING_ROW: PreviewRow = (0, ())


class ImportPreviewTableModel(ColumnTableModel[PreviewRow]):
    sort_role = Qt.ItemDataRole.UserRole + 2
    row_role = Qt.ItemDataRole.UserRole + 3

    def __init__(
        self,
        labels: Mapping[str, str],
        required: set[str],
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__([], parent)
        self._labels = dict(labels)  # field key → Chinese header
        self._required = set(required)
        self._preview: ResidentPreview | None = None
        self._fields: list[str | None] = []
        self._mapping_row = self.tr("导入为")
        self._skip = self.tr("（不导入）")
        self._no_header = self.tr("（无表头）")
        self._unknown_tip = self.tr("“%1”不是能自动识别的表头，请在下面选择它对应的字段")
        self._unknown_icon = icon("mdi6.help-circle-outline", "#c46a00")
        palette = QtWidgets.QApplication.palette()
        self._muted = QtGui.QBrush(
            QtGui.QColor(
                palette.color(QtGui.QPalette.ColorGroup.Active, QtGui.QPalette.ColorRole.PlaceholderText)
            )
        )
        self._required_brush = QtGui.QBrush(QtGui.QColor(REQUIRED_TINT))
        self._mapping_brush = QtGui.QBrush(QtGui.QColor(MAPPING_TINT))

    def _column(self, col: int) -> Column[PreviewRow]:
        def text(r: PreviewRow) -> str:
            if r is MAPPING_ROW:
                key = self._fields[col]
                return self._labels.get(key, "") if key else self._skip
            return r[1][col] if col < len(r[1]) else ""

        def background(r: PreviewRow) -> QtGui.QBrush | None:
            if r is MAPPING_ROW:
                return self._mapping_brush
            return self._required_brush if self._fields[col] in self._required else None

        def foreground(r: PreviewRow) -> QtGui.QBrush | None:
            return self._muted if self._fields[col] is None else None

        header = self._preview.columns[col].header if self._preview is not None else ""
        return Column(header, text, background=background, foreground=foreground)

    # ---------------------------------------------------------------- data in / out

    def set_preview(self, preview: ResidentPreview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self._fields = [c.field for c in preview.columns] if preview is not None else []
        self.columns = [self._column(i) for i in range(len(self._fields))]
        self._rows = [] if preview is None else [MAPPING_ROW, *preview.rows]
        self.endResetModel()

    def preview(self) -> ResidentPreview | None:
        return self._preview

    def field(self, column: int) -> str | None:
        return self._fields[column] if 0 <= column < len(self._fields) else None

    def fields(self) -> dict[int, str | None]:
        return dict(enumerate(self._fields))

    def set_field(self, column: int, key: str | None) -> None:
        if not 0 <= column < len(self._fields) or self._fields[column] == key:
            return
        self._fields[column] = key
        self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    def header_text(self, column: int) -> str:
        if self._preview is None or not 0 <= column < len(self._preview.columns):
            return ""
        return self._preview.columns[column].header

    # ---------------------------------------------------------------- Qt model API

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        preview = self._preview
        if preview is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(preview.columns):
            column = preview.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{column.letter}  {column.header or self._no_header}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.header if column.default else self._unknown_tip.replace("%1", column.header)
            if role == Qt.ItemDataRole.DecorationRole and column.header and column.default is None:
                return self._unknown_icon
            if role == Qt.ItemDataRole.ForegroundRole and self._fields[section] is None:
                return self._muted
            return None
        if orientation == Qt.Orientation.Vertical and 0 <= section <= len(preview.rows):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._mapping_row if section == 0 else str(preview.rows[section - 1][0])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

    def cell_data(self, row: PreviewRow, col: Column[PreviewRow], role: int) -> object:
        if role == FIELD_ROLE:
            return self._fields[self.columns.index(col)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return super().cell_data(row, col, role)
