"""The grid list as a spreadsheet: columns for export and import (社区 … 四至)."""

from __future__ import annotations

import re

from desktop.domain.text import clean_text
from desktop.exchange.columns import Column, ColumnKind, ColumnSpec

NAME_SEPARATOR = "、"  # between several names in 网格长 / 网格员
_SPLIT_NAMES = re.compile(r"[、,，;；/／|\n]+")
_LATIN = re.compile(r"[A-Za-z]")

GRID_COLUMNS = ColumnSpec(
    (
        Column(
            "community",
            "社区",
            ("社区名称", "所属社区", "社区(村)", "村(社区)"),
            required=True,
            kind=ColumnKind.TEXT,
            max_width=20,
        ),
        Column(
            "code",
            "网格编号",
            ("网格编码", "网格代码", "网格号", "网格序号"),
            required=True,
            kind=ColumnKind.TEXT,
            max_width=20,
        ),
        Column("name", "网格名称", ("网格名", "网格"), required=True, kind=ColumnKind.TEXT, max_width=30),
        Column("kind", "网格类型", ("网格类别", "类型"), kind=ColumnKind.TEXT, max_width=12),
        Column("chiefs", "网格长", ("网格长姓名",), kind=ColumnKind.TEXT, max_width=20),
        Column(
            "workers",
            "网格员",
            ("专职网格员", "网格员姓名", "专职网格员姓名"),
            kind=ColumnKind.TEXT,
            max_width=30,
        ),
        Column("households", "户数", ("总户数",), kind=ColumnKind.NUMBER, max_width=10),
        Column("population", "人数", ("总人数", "人口数", "人口"), kind=ColumnKind.NUMBER, max_width=10),
        Column(
            "boundary",
            "四至",
            ("四至范围", "网格四至", "四至边界", "范围"),
            kind=ColumnKind.TEXT,
            max_width=60,
        ),
    )
)


def split_names(text: object) -> list[str]:
    """ "王建国、李晓梅" / "王建国,李晓梅" / one per line → names; spaces inside a Chinese name dropped."""
    names: list[str] = []
    for part in _SPLIT_NAMES.split(clean_text(text)):
        name = part.strip()
        if name and not _LATIN.search(name):
            name = re.sub(r"\s+", "", name)  # "王  刚" (padded to line up) is 王刚
        if name and name not in names:
            names.append(name)
    return names


def join_names(names: list[str]) -> str:
    return NAME_SEPARATOR.join(names)
