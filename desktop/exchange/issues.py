"""Problems an import finds, one per cell or row, with the row number as Excel shows it."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"  # the row is rejected
    WARNING = "warning"  # the row is imported; the user should look at it


@dataclass(frozen=True)
class ImportIssue:
    """One problem: where (row, field), what (value) and why (reason, in Chinese).

    ``reason`` reads on after the field name: "值“abc”不是整数", "不能为空". ``code`` is a short
    machine-readable reason ("required", "not_integer", "duplicate" …) for tests and statistics.
    """

    row: int | None  # 1-based row number in the source sheet; None for the file as a whole
    field: str | None  # the column's Chinese header; None for the row as a whole
    value: object
    reason: str
    severity: Severity = Severity.ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def describe(self) -> str:
        """ "第 5 行 · 户数：值“abc”不是整数"."""
        where = f"第 {self.row} 行" if self.row is not None else "文件"
        tag = "（提示）" if self.severity == Severity.WARNING else ""
        if self.field:
            return f"{where} · {self.field}：{tag}{self.reason}"
        return f"{where}：{tag}{self.reason}"


def value_text(value: object) -> str:
    """A cell value as a person reads it in a message or the error workbook."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def rejected_rows(issues: list[ImportIssue]) -> set[int]:
    """Row numbers with at least one error."""
    return {i.row for i in issues if i.is_error and i.row is not None}
