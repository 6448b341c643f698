"""A read-only list of rows: one row selected at a time, no row numbers, the last column taking the rest."""

from __future__ import annotations

from desktop.ui.qt import QtCore, QtWidgets


def row_table(model: QtCore.QAbstractItemModel) -> QtWidgets.QTableView:
    table = QtWidgets.QTableView()
    table.setModel(model)
    table.verticalHeader().hide()
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    return table
