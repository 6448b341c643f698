"""A person's identity: 公民身份号码 (GB 11643-1999), birth date and sex read from it, ages, phones, masking."""

from __future__ import annotations

import datetime as dt
import re

from desktop.domain.text import nfkc

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def normalize_id_number(value: object) -> str:
    """Half-width, upper-case X, no spaces. Does not validate."""
    return re.sub(r"\s+", "", nfkc(value)).upper()


def id_number_problem(value: str) -> str | None:
    """Why ``value`` (already normalised) is not a valid 18-character ID number, or None if it is."""
    if len(value) == 15 and value.isdigit():
        return "15 位旧身份证号码，请换成 18 位号码"
    if len(value) != 18:
        return f"身份证号码应为 18 位，实际 {len(value)} 位"
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        return "身份证号码只能由数字和末位 X 组成"
    if birth_date_from_id(value) is None:
        return f"身份证号码中的出生日期 {value[6:14]} 不是有效日期"
    if id_check_char(value[:17]) != value[17]:
        return f"身份证号码校验位错误（应为 {id_check_char(value[:17])}）"
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def birth_date_from_id(value: str) -> dt.date | None:
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    if born.year < 1890 or born > dt.date.today():
        return None
    return born


def gender_from_id(value: str) -> str:
    return "男" if int(value[16]) % 2 == 1 else "女"


def upgrade_15_digit_id(value: str) -> str:
    """Legacy 15-digit number → 18 digits (insert the century, add the check digit)."""
    first17 = value[:6] + "19" + value[6:]
    return first17 + id_check_char(first17)


def normalize_phone(value: object) -> str:
    text = re.sub(r"[\s()（）]", "", nfkc(value))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    return text


def phone_problem(value: str) -> str | None:
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value):
        return None
    if value.isdigit() and len(value) == 11:
        return "手机号码应以 13–19 开头"
    return "联系电话格式不正确（应为 11 位手机号或带区号的固定电话）"


def mask_id_number(value: str | None) -> str:
    """110105********002X — keep the region code and the last four."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****8000 for mobiles; a landline keeps its area code and last four."""
    if not value:
        return ""
    if len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * len(value)
