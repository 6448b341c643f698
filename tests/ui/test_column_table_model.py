"""The one column-spec table model: what columns declare is what the model answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.ui.models.column import Column
from desktop.ui.models.column_table_model import (
    DEFAULT_ROW_ROLE,
    DEFAULT_SORT_ROLE,
    ID_ROLE,
    ColumnTableModel,
)
from desktop.ui.qt import Qt, QtCore, QtGui

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass
class Item:
    id: int
    name: str
    amount: int | None
    done: bool = False


def _model() -> ColumnTableModel[Item]:
    def set_name(r: Item, value: object) -> bool:
        text = str(value).strip()
        if not text:
            return False
        r.name = text
        return True

    def set_done(r: Item, value: object) -> bool:
        r.done = bool(value)
        return True

    red = QtGui.QBrush(QtGui.QColor("#b3261e"))
    grey = QtGui.QColor("#8a94a0")
    model: ColumnTableModel[Item] = ColumnTableModel(
        [
            Column("名称", lambda r: r.name, edit_value=lambda r: r.name, set_value=set_name),
            Column(
                "金额",
                lambda r: r.amount,
                lambda v: "—" if v is None else f"{v:,}",
                align=RIGHT,
                header_align=RIGHT,
                sort_key=lambda r: r.amount,
                foreground=lambda r: red if r.amount is None else None,
                tooltip=lambda r: f"{r.name}的金额",
            ),
            Column("完成", lambda r: "", checked=lambda r: r.done, set_value=set_done),
        ],
        row_id=lambda r: r.id,
        row_foreground=lambda r: grey if r.done else None,
        numbered_rows=True,
        sorts_rows=True,
    )
    model.set_rows([Item(1, "乙", 1200), Item(2, "甲", None, done=True), Item(3, "丙", 30)])
    return model


def test_the_model_answers_what_the_columns_declare(qtmodeltester: Any) -> None:
    model = _model()
    qtmodeltester.check(model, force_py=True)
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)] == ["名称", "金额", "完成"]
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert model.headerData(2, Qt.Orientation.Vertical) == "3"
    amount = model.index(0, 1)
    assert amount.data() == "1,200" and model.index(1, 1).data() == "—"
    assert amount.data(Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert amount.data(Qt.ItemDataRole.ToolTipRole) == "乙的金额"
    assert amount.data(DEFAULT_SORT_ROLE) == 1200 and model.index(0, 0).data(DEFAULT_SORT_ROLE) == "乙"
    assert amount.data(ID_ROLE) == 1 and amount.data(DEFAULT_ROW_ROLE).name == "乙"
    # the column's colour wins over the row's; the row's applies where the column gives none
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#8a94a0"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, 2).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.row_for(3).name == "丙" and model.index_for(3).row() == 2


def test_editing_and_ticking_go_through_the_setters(qtbot: Any) -> None:
    model = _model()
    name, tick = model.index(0, 0), model.index(0, 2)
    assert model.flags(name) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(tick) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(name, " 丁 ")
    assert model.rows()[0].name == "丁" and name.data(Qt.ItemDataRole.EditRole) == "丁"
    assert not model.setData(name, "  ")  # refused by the setter: nothing changes
    assert model.rows()[0].name == "丁"
    assert model.setData(tick, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.rows()[0].done
    assert not model.setData(tick, True)  # a check box takes CheckStateRole only
    model.editable = False
    assert not model.flags(name) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(name, "戊")


def test_sorting_keeps_blanks_last_and_moves_persistent_indexes(qtmodeltester: Any) -> None:
    model = _model()
    persistent = QtCore.QPersistentModelIndex(model.index(0, 0))  # 乙
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in model.rows()] == ["乙", "丙", "甲"]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [r.name for r in model.rows()] == ["丙", "乙", "甲"]  # the blank amount stays last
    assert persistent.row() == 1 and model.index_for(1).row() == 1
    qtmodeltester.check(model, force_py=True)


def test_insert_and_remove_rows(qtmodeltester: Any) -> None:
    model = _model()
    assert model.insert_row(Item(4, "丁", 5)) == 3
    assert model.index_for(4).row() == 3
    model.remove_row(0)
    assert model.rowCount() == 3 and model.index_for(4).row() == 2 and model.row_for(1) is None
    qtmodeltester.check(model, force_py=True)


def test_agreement_terms_edit_in_place(qtmodeltester: Any) -> None:
    import datetime as dt
    import decimal

    from desktop.ui.models.mediation_term_model import MediationTermTableModel, TermRow

    model = MediationTermTableModel([TermRow("赔偿", decimal.Decimal("1234.5"), dt.date(2026, 4, 30))])
    amount, due = model.index(0, model.AMOUNT), model.index(0, model.DUE)
    assert amount.data() == "1,234.50" and amount.data(Qt.ItemDataRole.EditRole) == "1234.5"
    assert due.data() == "2026-04-30" and due.data(Qt.ItemDataRole.ToolTipRole) == "格式：2026-04-30"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert model.setData(amount, " 2,000元 ") and model.rows()[0].amount == decimal.Decimal("2000")
    assert not model.setData(amount, "两千")
    assert model.setData(due, "2026/5/1") and model.rows()[0].due_on == dt.date(2026, 5, 1)
    assert not model.setData(due, "五月")
    assert model.add_row() == 1 and model.rowCount() == 2
    assert [r.text for r in model.rows()] == ["赔偿"]  # the blank new term is not a term
    model.remove_row(1)
    qtmodeltester.check(model, force_py=True)
