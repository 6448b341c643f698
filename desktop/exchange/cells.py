"""Cell values, rows and sheets as read from a spreadsheet, before any header is known."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

#: a cell starting with one of these is a formula to Excel, WPS and LibreOffice (CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def present(raw: object) -> CellValue:
    """The value a validator wants: blank → None, whole float → int, strings stripped."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, float):
        if math.isfinite(raw) and raw.is_integer():
            return int(raw)
        return raw
    return raw  # type: ignore[return-value]


def exact_text(raw: object) -> str:
    """The cell as text, exactly: strings untouched, numbers without exponent or ".0", dates ISO."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if math.isfinite(raw) and raw.is_integer():
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ") if raw.time() != dt.time() else raw.date().isoformat()
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    return str(raw)


@dataclass(frozen=True, slots=True)
class Cell:
    raw: object  # what the file held (None for blank): str, int, float, bool, date, datetime, time, timedelta
    filled_from: int | None = None  # row number of the merged range's anchor when filled down

    @property
    def value(self) -> CellValue:
        return present(self.raw)

    @property
    def text(self) -> str:
        return exact_text(self.raw)

    @property
    def is_blank(self) -> bool:
        return self.value is None

    @property
    def is_number(self) -> bool:
        """Stored as a number in the file (an ID or phone here has lost its text form)."""
        return isinstance(self.raw, int | float) and not isinstance(self.raw, bool)


BLANK = Cell(None)


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int  # row number as Excel shows it, 1-based
    values: tuple[object, ...]  # raw cell values, None for blank; index = column (A = 0)
    filled: Mapping[int, int] = field(default_factory=dict)  # column → anchor row, for merged fill-down

    def cell(self, col: int) -> Cell:
        raw = self.values[col] if col < len(self.values) else None
        return Cell(raw, self.filled.get(col))

    def is_blank(self, cols: Iterable[int] | None = None) -> bool:
        indexes = range(len(self.values)) if cols is None else cols
        return all(present(self.values[c]) is None for c in indexes if c < len(self.values))


@dataclass(frozen=True)
class MergedRange:
    first_row: int  # row numbers, 1-based as Excel shows them
    last_row: int
    first_col: int  # column indexes, 0-based (A = 0)
    last_col: int


@dataclass
class Sheet:
    source: Path
    name: str
    rows: list[SheetRow]  # non-blank rows only, in order
    merged: list[MergedRange] = field(default_factory=list)
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only

    @property
    def label(self) -> str:
        """“居民.xlsx”工作表“Sheet1” — for messages."""
        if self.encoding is not None:
            return f"“{self.source.name}”"
        return f"“{self.source.name}”工作表“{self.name}”"


def column_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def trim_row(values: tuple[object, ...]) -> tuple[object, ...]:
    """Drop trailing blank cells."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]
