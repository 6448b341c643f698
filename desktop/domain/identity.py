"""A person's identity: 公民身份号码 (GB 11643-1999), birth date and sex read from it, ages, phones, masking."""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass

from desktop.core.errors import ValidationError
from desktop.domain.text import clean_text, nfkc

#: the longest name of a person (居民, 党员, 当事人): the registers store 50 characters
NAME_MAX = 50
#: the earliest birth year an ID number or a birth date may carry
EARLIEST_BIRTH_YEAR = 1890
GENDERS = ("男", "女")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def id_check_char(first17: str) -> str:
    """GB 11643-1999 §5.4: the check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17:
        raise ValueError(f"id_check_char needs 17 digits, got {len(first17)}")
    return ID_CHECK[sum(map(operator.mul, map(int, first17), ID_WEIGHTS)) % 11]


def normalize_id_number(value: object) -> str:
    """Half-width, upper-case X, no spaces. Does not validate."""
    if type(value) is str and value.isascii() and value.isalnum():  # the usual case: nothing to normalise
        return value.upper()
    return re.sub(r"\s+", "", nfkc(value)).upper()


def id_number_problem(value: str, today: dt.date | None = None) -> str | None:
    """Why ``value`` (already normalised) is not a valid 18-character ID number, or None if it is.
    Given ``today``, a number whose birth date lies after it is refused too."""
    if len(value) == 15 and value.isdigit():
        return "15 位旧身份证号码，请换成 18 位号码"
    if len(value) != 18:
        return f"身份证号码应为 18 位，实际 {len(value)} 位"
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        return "身份证号码只能由数字和末位 X 组成"
    born = birth_date_from_id(value)
    if born is None:
        return f"身份证号码中的出生日期 {value[6:14]} 不是有效日期"
    if today is not None and born > today:
        return f"身份证号码中的出生日期 {value[6:14]} 晚于今天，不是有效日期"
    if id_check_char(value[:17]) != value[17]:
        return f"身份证号码校验位错误（应为 {id_check_char(value[:17])}）"
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def birth_date_from_id(value: str) -> dt.date | None:
    """The birth date digits 7–14 state (GB 11643-1999 §5.2), None unless a real date from 1890 on.
    Whether it lies in the future is the caller's question (it knows today): see :func:`id_number_problem`."""
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    return born if born.year >= EARLIEST_BIRTH_YEAR else None


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


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    """Age in whole years on ``day`` (a birthday on 29 February counts from 1 March in other years)."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def normalize_person_name(value: object) -> str:
    """A person's name as typed: folded and trimmed; spaces inside a Chinese name ("张  三") dropped."""
    name = clean_text(value)
    if not any("a" <= c.lower() <= "z" for c in name):
        name = name.replace(" ", "")
    return name


@dataclass(frozen=True)
class Person:
    """A person's checked, normalised identity."""

    name: str
    id_number: str | None
    gender: str | None
    birth_date: dt.date | None
    phone: str | None


def check_person(
    name: object,
    *,
    today: dt.date,
    id_number: object = None,
    gender: object = None,
    birth_date: dt.date | None = None,
    phone: object = None,
    stored_id_number: str | None = None,
    stored_phone: str | None = None,
    subject: str = "",
) -> Person:
    """Check and normalise the identity of a person (姓名, 公民身份号码, 性别, 出生日期, 联系电话).

    The one validator of 居民, 党员 and 调解当事人: the ID number is checked by GB 11643-1999 (check
    character, a real birth date); sex and birth date are read from it and must agree with what was
    typed; a birth date may not lie in the future. Raises :class:`ValidationError` naming the field;
    ``subject`` ("第 2 位当事人（张三）") is put in front of every message.

    A form that shows a stored value masked sends ``None`` for "unchanged": ``stored_id_number`` is
    kept when ``id_number`` is None or blank, ``stored_phone`` when ``phone`` is None (a blank phone
    clears it). Kept values are not checked again.
    """

    def fail(text: str, field: str) -> ValidationError:
        return ValidationError(f"{subject}：{text}" if subject else text, field=field)

    clean_name = normalize_person_name(name)
    if not clean_name:
        raise fail("姓名不能为空。", "name")
    if len(clean_name) > NAME_MAX:
        raise fail(f"姓名不能超过 {NAME_MAX} 个字。", "name")

    number = stored_id_number
    if id_number is not None and clean_text(id_number):
        number = normalize_id_number(id_number)
        if problem := id_number_problem(number, today):
            raise fail(f"{problem}。", "id_number")
    number = number or None

    sex = clean_text(gender) or None
    if sex is not None and sex not in GENDERS:
        raise fail("性别应为“男”或“女”。", "gender")
    birth = birth_date
    if number:
        id_birth, id_sex = birth_date_from_id(number), gender_from_id(number)
        if birth is not None and id_birth is not None and birth != id_birth:
            raise fail(
                f"出生日期 {birth:%Y-%m-%d} 与身份证号码中的出生日期 {id_birth:%Y-%m-%d} 不一致。",
                "birth_date",
            )
        if sex is not None and sex != id_sex:
            raise fail(f"性别“{sex}”与身份证号码不符（第 17 位表示{id_sex}性）。", "gender")
        birth, sex = birth or id_birth, id_sex
    if birth is not None and birth > today:
        raise fail("出生日期不能晚于今天。", "birth_date")
    if birth is not None and birth.year < EARLIEST_BIRTH_YEAR:
        raise fail(f"出生日期不能早于 {EARLIEST_BIRTH_YEAR} 年。", "birth_date")

    tel = stored_phone
    if phone is not None:
        tel = normalize_phone(phone) or None
        if tel and (problem := phone_problem(tel)):
            raise fail(f"{problem}。", "phone")
    return Person(clean_name, number, sex, birth, tel)
