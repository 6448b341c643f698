"""Parsing the cell values people really type: dates in many forms, whole numbers, genders, yes/no."""

from __future__ import annotations

import datetime as dt
import re

from desktop.domain.text import clean_text

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug folded in
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class ValueProblem(ValueError):
    """A cell value that cannot be read as the wanted type; the message is Chinese and user-facing."""


def parse_date(value: object, *, field: str = "日期") -> dt.date | None:
    """Excel dates and serials, 1980-05-06, 1980.5.6, 1980/05/06, 1980年5月6日, 19800506. Blank → None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10_000_000 <= value <= 99_991_231 and float(value).is_integer():  # 19800506 typed as a number
            return parse_date(str(int(value)), field=field)
        if 1 <= value < 2958466 and float(value).is_integer():
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueProblem(f"{field}“{value}”不是有效日期")
    text = clean_text(value).replace(" ", "")
    if not text:
        return None
    text = text.split("T")[0]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueProblem(f"{field}“{value}”不是有效日期（可写作 1980-05-06、1980.5.6 或 1980年5月6日）")


def parse_count(value: object, *, field: str = "数量") -> int | None:
    """A non-negative whole number; '1,234', '1234.0' and full-width digits accepted. Blank → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{field}“{value}”不是整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(f"{field}“{value}”不是整数")
        number = int(value)
    else:
        text = clean_text(value).replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            f = float(text)
        except ValueError:
            raise ValueProblem(f"{field}“{value}”不是整数") from None
        if not f.is_integer():
            raise ValueProblem(f"{field}“{value}”不是整数")
        number = int(f)
    if number < 0:
        raise ValueProblem(f"{field}不能为负数（“{value}”）")
    return number


def parse_gender(value: object) -> str | None:
    text = clean_text(value)
    if not text:
        return None
    if text in ("男", "男性", "M", "m", "1"):
        return "男"
    if text in ("女", "女性", "F", "f", "2"):
        return "女"
    raise ValueProblem(f"性别“{value}”无法识别，应为“男”或“女”")


def parse_bool(value: object, *, field: str = "") -> bool | None:
    text = clean_text(value)
    if not text:
        return None
    if text in ("是", "有", "Y", "y", "1", "√", "✓", "true", "True", "TRUE"):
        return True
    if text in ("否", "无", "N", "n", "0", "×", "false", "False", "FALSE"):
        return False
    raise ValueProblem(f"{field}“{value}”应填写“是”或“否”")
