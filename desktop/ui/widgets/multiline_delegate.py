"""A table cell edited in a wrapping, several-line editor (a long agreement clause is read whole while typed).

Enter starts a new line inside the clause; Tab, a click elsewhere or Ctrl+Enter keeps the text; Esc drops
the change. The editor is at least :data:`MIN_LINES` lines tall and stays inside the view.
"""

from __future__ import annotations

from desktop.ui.qt import Qt, QtCore, QtGui, QtWidgets

MIN_LINES = 4


class MultiLineDelegate(QtWidgets.QStyledItemDelegate):
    def createEditor(
        self,
        parent: QtWidgets.QWidget,
        option: QtWidgets.QStyleOptionViewItem,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> QtWidgets.QWidget:
        editor = QtWidgets.QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.WidgetWidth)
        editor.setFrameShape(QtWidgets.QFrame.Shape.Box)
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor: QtWidgets.QWidget, index: QtCore.QModelIndex | QtCore.QPersistentModelIndex) -> None:
        if isinstance(editor, QtWidgets.QPlainTextEdit):
            value = index.data(Qt.ItemDataRole.EditRole)
            editor.setPlainText("" if value is None else str(value))
            editor.moveCursor(QtGui.QTextCursor.MoveOperation.End)
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self,
        editor: QtWidgets.QWidget,
        model: QtCore.QAbstractItemModel,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QtWidgets.QPlainTextEdit):
            model.setData(index, editor.toPlainText().strip(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self,
        editor: QtWidgets.QWidget,
        option: QtWidgets.QStyleOptionViewItem,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
    ) -> None:
        rect = QtCore.QRect(option.rect)
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * MIN_LINES + 12))
        viewport = editor.parentWidget()
        if viewport is not None and rect.bottom() > viewport.height():  # keep it inside the view
            rect.moveBottom(max(viewport.height(), rect.height()))
            rect.moveTop(max(0, rect.top()))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (
            isinstance(watched, QtWidgets.QPlainTextEdit)
            and event.type() == QtCore.QEvent.Type.KeyPress
            and isinstance(event, QtGui.QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QtWidgets.QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(watched, event)
