"""Reading a large table row by row: the same table :func:`~desktop.exchange.reading.read_table` finds, without
holding every cell of the sheet as a Python object.

:func:`stream_table` finds the header in the top rows (the same rules: title rows, two-row headers, merged
titles), then yields the data rows one at a time — totals and footer rows skipped, vertically merged cells
filled down from their anchor, blank rows left out — so a caller that checks each row as it comes keeps
only what it makes of the rows. python-calamine still holds the sheet's cells in its own compact form
while the rows are read (about a third of their size as Python objects); it is released when the last row
has been read. A CSV file is read whole (:func:`~desktop.exchange.reading.find_table`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import python_calamine as calamine

from desktop.exchange.cells import MergedRange, Sheet, SheetRow, trim_row
from desktop.exchange.columns import ColumnSpec
from desktop.exchange.csvfiles import read_csv_sheet
from desktop.exchange.reading import (
    HEADER_SCAN_ROWS,
    Record,
    Table,
    _calamine_failure,
    _classify,
    _guard_calamine,
    _guess_header,
    _missing_required,
    _open_workbook,
    _pick_sheet,
    _skip_reason,
    _worksheet_names,
    find_table,
)

#: sheets read whole because the row iterator did not line up (for tests; never expected)
whole_reads: list[str] = []
#: the top rows are read twice (once as a whole, to check that the row-by-row reading lines up)
_TOP_RAW_ROWS = HEADER_SCAN_ROWS * 3


@dataclass
class TableStream:
    """A table whose records come one by one (``records``, read once); ``table`` has the header, its
    columns and the top rows (``table.records`` is empty); ``skipped`` and ``count`` are complete once
    ``records`` has been read to the end."""

    table: Table
    records: Iterator[Record]
    estimate: int  # rows in the sheet (blank ones included): for progress
    skipped: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0


def _sheet_row(index: int, values: Any) -> SheetRow | None:
    cleaned = tuple(None if v == "" else v for v in values)
    if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in cleaned):
        return SheetRow(index + 1, trim_row(cleaned))
    return None


def _calamine_rows(
    path: Path, wb: calamine.CalamineWorkbook, name: str
) -> tuple[Sheet, Iterator[SheetRow], int]:
    """(the sheet with its merged ranges and no rows, its non-blank rows one by one, its height)."""
    ws = _guard_calamine(path, lambda: wb.get_sheet_by_name(name))
    ranges = _guard_calamine(path, lambda: ws.merged_cell_ranges or [])
    merged = [MergedRange(r0 + 1, r1 + 1, c0, c1) for (r0, c0), (r1, c1) in ranges if (r0, c0) != (r1, c1)]
    end = ws.end
    height = end[0] + 1 if end is not None else 0
    top = _guard_calamine(path, lambda: ws.to_python(skip_empty_area=False, nrows=_TOP_RAW_ROWS))

    def rows() -> Iterator[SheetRow]:
        start = ws.start
        pad: list[object] = [""] * (start[1] if start is not None else 0)
        try:
            source = iter(ws.iter_rows())
            # iter_rows begins at row 1 but at the first used column: line it up with to_python's rows,
            # and check that it does on the top rows before giving any
            head = [pad + list(values) for values in itertools.islice(source, len(top))]
            if head != [list(values) for values in top]:  # numbered otherwise: read it whole instead
                source, head, pad = iter(ws.to_python(skip_empty_area=False)), [], []
                whole_reads.append(name)
            for index, values in enumerate(itertools.chain(head, (pad + list(v) for v in source))):
                if (row := _sheet_row(index, values)) is not None:
                    yield row
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # pyo3's PanicException derives from BaseException
            raise _calamine_failure(path, exc) from exc

    return Sheet(path, name, [], merged), rows(), height


def _top_sheet(sheet: Sheet, rows: Iterator[SheetRow], scan_rows: int) -> tuple[Sheet, list[SheetRow]]:
    """The sheet with its top non-blank rows (enough for the header rules), and those rows."""
    top: list[SheetRow] = []
    for row in rows:
        top.append(row)
        if len(top) >= scan_rows + 3:
            break
    return replace(sheet, rows=top), top


def _records(
    stream: TableStream, sheet: Sheet, top: list[SheetRow], rest: Iterator[SheetRow]
) -> Iterator[Record]:
    """find_table's rules for the data rows, one row at a time."""
    table = stream.table
    header_end, columns = table.header_end, table.columns
    used = sorted(set(columns.values()))
    ranges = [m for m in sheet.merged if m.first_row > header_end and m.last_row > m.first_row]
    covering: dict[int, list[MergedRange]] = {}
    for m in ranges:
        for number in range(m.first_row + 1, m.last_row + 1):
            covering.setdefault(number, []).append(m)
    anchor_rows = {m.first_row for m in ranges}
    anchors: dict[int, SheetRow] = {}

    def all_rows() -> Iterator[SheetRow]:
        yield from top
        yield from rest

    for row in all_rows():
        if row.number in anchor_rows:
            anchors[row.number] = row
        if row.number <= header_end:
            continue
        reason = _skip_reason(row)
        if reason:
            stream.skipped.append((row.number, reason))
            continue
        for m in covering.get(row.number, ()):
            anchor = anchors.get(m.first_row)
            value = anchor.values[m.first_col] if anchor and m.first_col < len(anchor.values) else None
            if value is None:
                continue
            values = list(row.values) + [None] * max(0, m.first_col + 1 - len(row.values))
            if values[m.first_col] is None:
                values[m.first_col] = value
                row = replace(row, values=tuple(values), filled={**row.filled, m.first_col: m.first_row})
        if not row.is_blank(used):
            stream.count += 1
            yield Record(row.number, row, columns)


def stream_table(
    path: Path, spec: ColumnSpec, sheet: str | int | None = None, *, scan_rows: int = HEADER_SCAN_ROWS
) -> TableStream:
    """Like :func:`~desktop.exchange.reading.read_table` (the same sheet, header and rows; the same
    messages), the records read one by one. Raises before any record when the header is not found."""
    path = Path(path)
    data, is_workbook = _classify(path)
    if not is_workbook:
        table = find_table(read_csv_sheet(path, data), spec, scan_rows=scan_rows)
        stream = TableStream(table, iter(table.records), len(table.records), list(table.skipped))
        stream.count = len(table.records)
        return stream
    wb = _open_workbook(path, data)
    try:
        names = _worksheet_names(path, wb)
        name = _pick_sheet(path, wb, names, sheet) if sheet is not None or len(names) == 1 else None
        if name is None:
            for candidate in names:
                sheet_top = _calamine_rows(path, wb, candidate)
                found = _guess_header(_top_sheet(sheet_top[0], sheet_top[1], scan_rows)[0], spec, scan_rows)
                if found.score and not _missing_required(spec, found.columns):
                    name = candidate
                    break
            name = name or names[0]
        bare, rows, height = _calamine_rows(path, wb, name)
        top_sheet, top = _top_sheet(bare, rows, scan_rows)
        found_table = find_table(top_sheet, spec, scan_rows=scan_rows)  # the header; its records are redone
    except BaseException:
        wb.close()
        raise
    table = replace(found_table, records=[], skipped=[])
    stream = TableStream(table, iter(()), height)
    stream.records = _closing(_records(stream, bare, top, rows), wb.close)
    return stream


def _closing(records: Iterator[Record], close: Callable[[], None]) -> Iterator[Record]:
    try:
        yield from records
    finally:
        close()
