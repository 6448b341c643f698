"""The resident roster as a spreadsheet: its columns (import and export) and the pure cell parsers.

Import accepts the header names rosters really use (公民身份号码/身份证号/身份证号码, 联系电话/手机号,
所属网格/网格/网格编号 …) and, through :func:`mapped_spec`, the names a user mapped by hand in the
import wizard. Everything here is Qt- and database-free; the rules that need the register live in
``desktop.services.residents.exchange``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from desktop.domain.identity import id_number_problem, normalize_id_number, upgrade_15_digit_id
from desktop.domain.text import clean_text
from desktop.exchange.cells import Cell
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec, normalize_header

RESIDENT_COLUMNS = ColumnSpec(
    (
        Column("name", "姓名", ("居民姓名", "人员姓名", "户主及成员姓名"), required=True, kind=ColumnKind.TEXT, max_width=12),
        Column("gender", "性别", (), kind=ColumnKind.TEXT, max_width=6),
        Column("ethnicity", "民族", (), kind=ColumnKind.TEXT, max_width=10),
        Column(
            "id_number",
            "公民身份号码",
            ("身份证号", "身份证号码", "身份证", "证件号码", "公民身份证号码", "身份证件号码", "公民身份证号"),
            required=True,
            kind=ColumnKind.TEXT,
            max_width=22,
        ),
        Column("birth_date", "出生日期", ("出生年月日", "出生年月", "生日"), kind=ColumnKind.DATE, max_width=12),
        Column(
            "phone",
            "联系电话",
            ("手机号", "手机号码", "电话", "联系方式", "手机", "电话号码", "联系电话号码"),
            kind=ColumnKind.TEXT,
            max_width=16,
        ),
        Column(
            "residence_kind",
            "户籍/流动",
            ("人口类型", "户籍类型", "人员类型", "户籍流动", "人口类别", "户籍类别"),
            kind=ColumnKind.TEXT,
            max_width=10,
        ),
        Column("community", "社区", ("所属社区", "社区名称", "社区(村)"), kind=ColumnKind.TEXT, max_width=12),
        Column("grid", "所属网格", ("网格", "网格编号", "网格名称", "网格编码"), kind=ColumnKind.TEXT, max_width=14),
        Column("estate", "小区", ("小区名称", "小区/街路", "街路巷"), kind=ColumnKind.TEXT, max_width=16),
        Column("building", "楼栋", ("楼号", "楼栋号", "栋号", "楼"), kind=ColumnKind.TEXT, max_width=8),
        Column("unit", "单元", ("单元号",), kind=ColumnKind.TEXT, max_width=8),
        Column("room", "门牌", ("门牌号", "房号", "房间号", "室号"), kind=ColumnKind.TEXT, max_width=8),
        Column(
            "address",
            "现住址",
            ("住址", "现居住地址", "居住地址", "家庭住址", "现住地址", "地址", "现居住地"),
            kind=ColumnKind.TEXT,
            max_width=36,
        ),
        Column("household_no", "户号", ("户编号", "户籍户号"), kind=ColumnKind.TEXT, max_width=14),
        Column("relation", "与户主关系", ("与户主的关系", "关系", "家庭关系"), kind=ColumnKind.TEXT, max_width=10),
        Column(
            "tags",
            "特殊人群",
            ("标签", "特殊人群标签", "人群类别", "重点人群", "特殊人群类别"),
            kind=ColumnKind.TEXT,
            max_width=24,
        ),
        Column("care_tier", "分色等级", ("分色管理", "等级", "管理等级", "颜色等级"), kind=ColumnKind.TEXT, max_width=10),
        Column("notes", "备注", ("说明",), kind=ColumnKind.TEXT, max_width=40),
    )
)  # fmt: skip

HEADERS = {c.key: c.header for c in RESIDENT_COLUMNS}
FIELD_KEYS = tuple(HEADERS)
TAG_SEPARATOR = "、"
_SPLIT_TAGS = re.compile(r"[、，,;；/／\s]+")
_SPLIT_PHONES = re.compile(r"[、，,;；/／]+|\s{2,}")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_HAS_LATIN = re.compile(r"[A-Za-z]")
_HAS_DIGIT = re.compile(r"\d")

RESIDENCE_WORDS = {
    "REGISTERED": ("户籍", "户籍人口", "常住", "常住人口", "本地", "本地人口", "户籍居民"),
    "FLOATING": ("流动", "流动人口", "外来", "外来人口", "暂住", "暂住人口", "非户籍", "寄住"),
}


# ---------------------------------------------------------------- column mapping


@dataclass(frozen=True)
class MappedColumnSpec(ColumnSpec):
    """A spec whose :meth:`match` first looks a header up in ``mapping`` (normalised header → key, "" = skip).

    This is how the wizard's confirmed mapping ("居民名字" is 姓名, "身份证" is not to be imported …)
    reaches :func:`~desktop.exchange.reading.find_table` without copying its header search.
    """

    mapping: Mapping[str, str] = field(default_factory=dict)

    def match(self, header_text: object) -> Column | None:
        n = normalize_header(header_text)
        if n in self.mapping:
            key = self.mapping[n]
            return self[key] if key else None
        return super().match(header_text)


def mapped_spec(mapping: Mapping[str, str] | None) -> ColumnSpec:
    """RESIDENT_COLUMNS with ``mapping`` ({header as typed or normalised → field key or ""}) applied."""
    if not mapping:
        return RESIDENT_COLUMNS
    clean: dict[str, str] = {}
    for header, key in mapping.items():
        n = normalize_header(header)
        if n and (not key or key in HEADERS):
            clean[n] = key or ""
    return MappedColumnSpec(RESIDENT_COLUMNS.columns, mapping=clean)


def default_field(header_text: object) -> str | None:
    """The field a header names without any user mapping."""
    column = RESIDENT_COLUMNS.match(header_text)
    return None if column is None else column.key


# ---------------------------------------------------------------- cell parsers (pure)


@dataclass(frozen=True)
class IdReading:
    """An ID cell as read: the normalised number, or why it was refused; ``note`` is a warning."""

    value: str | None
    problem: str | None = None
    note: str | None = None
    shown: str | None = None  # a number cell as Excel keeps it (15 significant digits), for messages


def excel_number_text(raw: float | int) -> str:
    """A large number the way Excel's General format shows it: 1.10105E+17."""
    if abs(raw) < 1e11:
        return str(int(raw)) if float(raw).is_integer() else repr(raw)
    mantissa, exponent = f"{float(raw):.5E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"


def excel_digits(number: float) -> str:
    """A whole number as Excel keeps it — 15 significant digits, the rest zeros — or "" if it is not one."""
    if not math.isfinite(number) or not float(number).is_integer():
        return ""
    return str(int(decimal.Decimal(f"{number:.15g}")))


def read_id_number(cell: Cell, today: dt.date) -> IdReading:
    """公民身份号码 from a cell (GB 11643), refusing what cannot be trusted.

    * a number cell of more than 15 digits: Excel keeps 15 significant digits, so the last ones are
      gone — refused even when the rounded number happens to pass the check digit;
    * a text like "1.10105E+17" (a CSV saved from Excel): the same loss, refused;
    * a masked number (110105********002X): refused;
    * a 15-digit legacy number (text, or a number — 15 digits survive): upgraded to 18 with a note.
    """
    raw = cell.raw
    if cell.is_number:
        number = float(raw)  # type: ignore[arg-type]
        if not math.isfinite(number) or not number.is_integer() or abs(number) >= 1e15:
            kept = excel_digits(number)
            where = f"显示为 {excel_number_text(number)}，只存下了 {kept}" if kept else f"显示为 {raw}"
            return IdReading(
                None,
                f"身份证号码被 Excel 存成了数字（{where}），最后几位已经丢失，无法核对；"
                "请把该列设置为“文本”格式后重新录入完整号码",
                shown=kept or str(raw),
            )
        text = str(int(number))
    else:
        text = cell.text
    value = normalize_id_number(text)
    if not value:
        return IdReading(None)
    if "*" in value:
        return IdReading(
            None, "身份证号码是脱敏后的（含 *），无法识别居民；请使用完整号码（导出时选择完整信息）"
        )
    if _SCIENTIFIC.match(value):
        return IdReading(
            None,
            f"身份证号码显示成了科学计数法（{value}），最后几位已经丢失；请把该列设置为“文本”格式后重新录入完整号码",
        )
    note = None
    if len(value) == 15 and value.isdigit():
        upgraded = upgrade_15_digit_id(value)
        if (problem := id_number_problem(upgraded, today)) is not None:
            return IdReading(None, f"15 位旧身份证号码无效：{problem}")
        note = f"15 位旧身份证号码已按国家标准升为 18 位：{upgraded}，请核对"
        value = upgraded
    elif (problem := id_number_problem(value, today)) is not None:
        return IdReading(None, problem)
    return IdReading(value, None, note)


def clean_name(value: object) -> str:
    """A person's name: spaces padding a Chinese name dropped ("王  刚" → 王刚), others kept single."""
    text = clean_text(value)
    if not text:
        return ""
    if _HAS_LATIN.search(text):
        return re.sub(r"\s+", " ", text)
    return re.sub(r"\s+", "", text)


def name_problem(name: str) -> str | None:
    if not name:
        return "不能为空"
    if len(name) > 50:
        return "不能超过 50 个字"
    if _HAS_DIGIT.search(name):
        return f"姓名“{name}”中有数字，可能是列错位了"
    return None


def split_tags(value: object) -> list[str]:
    """ "留守老人、低保户" / "留守老人,低保户" / "留守老人 低保户" → labels, in order, without repeats."""
    tags: list[str] = []
    for part in _SPLIT_TAGS.split(clean_text(value)):
        tag = part.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def split_phones(value: object) -> list[str]:
    """Several numbers in one cell ("13800000000/0937-6221234") → the numbers, in order."""
    return [p for p in (s.strip() for s in _SPLIT_PHONES.split(clean_text(value))) if p]


def residence_kind_from_text(value: object) -> str | None:
    """户籍 → REGISTERED, 流动 → FLOATING; None when the text is neither."""
    text = clean_text(value).replace(" ", "")
    for code, words in RESIDENCE_WORDS.items():
        if text in words or text.upper() == code:
            return code
    return None


def tier_lookup(labels: Mapping[str, str]) -> dict[str, str]:
    """Every way a care tier is written → its code: 绿, 绿色, GREEN, green and the configured label."""
    table: dict[str, str] = {}
    defaults = {"GREEN": "绿", "BLUE": "蓝", "ORANGE": "橙", "RED": "红"}
    for code, first in defaults.items():
        for word in (first, first + "色", first + "色等级", code, code.lower(), code.title()):
            table[word] = code
    for code, label in labels.items():
        label = clean_text(label)
        if label:
            table[label] = code
            table[label.removesuffix("色")] = code
    return table


# ---------------------------------------------------------------- addresses

_BUILDING = r"[0-9A-Za-z]+(?:号楼|号院|栋|幢|号|楼|座)"
_UNIT = r"[0-9A-Za-z]+单元"
_ROOM = r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?(?:室|号房|号|户)?"
_ADDRESS_RE = re.compile(
    rf"^(?P<estate>.*?[^\d\s-])\s*(?P<building>{_BUILDING})?\s*(?P<unit>{_UNIT})?\s*(?P<room>{_ROOM})?$"
)
_DASHED_RE = re.compile(r"^(?P<estate>.*?[^\d\s-])\s*(?P<building>\d+)-(?P<unit>\d+)-(?P<room>\d+)$")
_PART_SUFFIX = re.compile(r"^([0-9A-Za-z]+)(号楼|号院|栋|幢|号|楼|座|单元|室|号房|户)$")


@dataclass(frozen=True, slots=True)
class AddressParts:
    estate: str | None = None
    building: str | None = None
    unit: str | None = None
    room: str | None = None

    def is_blank(self) -> bool:
        return not any((self.estate, self.building, self.unit, self.room))


def split_address(value: object) -> AddressParts:
    """现住址 → 小区, 楼栋, 单元, 门牌: 新华小区3号楼2单元301室, 新华小区3-2-301, 建设路12号.

    What cannot be split stays whole in 小区 (for a household it is the address either way).
    """
    text = re.sub(r"\s+", " ", clean_text(value))
    if not text:
        return AddressParts()
    m = _DASHED_RE.match(text)
    if m is not None:
        return AddressParts(m["estate"].strip(), m["building"], m["unit"], m["room"])
    m = _ADDRESS_RE.match(text)
    if m is not None and (m["building"] or m["unit"] or m["room"]):
        return AddressParts(m["estate"].strip(), m["building"], m["unit"], m["room"])
    return AddressParts(text)


@lru_cache(maxsize=65536)  # an import compares the same few thousand parts hundreds of thousands of times
def part_key(value: str | None) -> str:
    """A building/unit/room (already cleaned) as compared: "3号楼", "3栋" and "3" are the same; case and
    spaces ignored."""
    text = (value or "").replace(" ", "").upper()
    m = _PART_SUFFIX.match(text)
    return m.group(1) if m else text


def address_key(parts: AddressParts) -> tuple[str, str, str, str] | None:
    """The key two rows (or a row and a household) share when they are the same address."""
    if parts.is_blank():
        return None
    estate = (parts.estate or "").replace(" ", "")
    return (estate, part_key(parts.building), part_key(parts.unit), part_key(parts.room))
