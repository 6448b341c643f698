"""Column specifications shared by the spreadsheet reader and writer.

One ``ColumnSpec`` describes a table for both directions: the export writes ``Column.header`` with the
cell type of ``Column.kind``; the import finds the header row by matching ``header`` and ``synonyms``
(after :func:`normalize_header`) and checks that every ``required`` column is there.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

# "（必填）", "(选填)", "［必填］" …: markers templates put in headers; removed before matching
_MARKERS = re.compile(r"[(\[（［【<《]\s*(必填|必填项|选填|可选|非必填|必录|选录)\s*[)\]）］】>》]")
_NOISE = re.compile(r"[\s*＊※★☆:：]+")
_TRAILING_NOTE = re.compile(r"[(\[（［【][^()\[\]（）［］【】]*[)\]）］】]$")


class ColumnKind(enum.StrEnum):
    AUTO = "auto"  # numbers as numbers, dates as dates, text as text
    TEXT = "text"  # always text ("@" format): ID numbers, phones, codes, names
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str  # English identifier the code uses ("households")
    header: str  # the Chinese header written on export and shown in messages ("户数")
    synonyms: tuple[str, ...] = ()  # other headers accepted on import ("总户数", …)
    required: bool = False  # the import refuses a file without this column
    kind: ColumnKind = ColumnKind.AUTO
    max_width: int = 60  # cap for the export's column width, in character cells

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


def normalize_header(text: object) -> str:
    """Header text as compared: NFKC, no spaces/newlines/asterisks/colons, no "（必填）" marker, lower-case."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    t = _MARKERS.sub("", t)
    return _NOISE.sub("", t).lower()


def _without_note(normalized: str) -> str:
    """ "户数(户)" → "户数": a trailing unit or note in brackets (NFKC made the brackets half-width)."""
    return _TRAILING_NOTE.sub("", normalized)


@dataclass(frozen=True)
class ColumnSpec:
    """The columns of one table, in export order."""

    columns: tuple[Column, ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys: set[str] = set()
        names: dict[str, str] = {}
        for col in self.columns:
            if col.key in keys:
                raise ValueError(f"duplicate column key {col.key!r}")
            keys.add(col.key)
            for name in col.names:
                n = normalize_header(name)
                if n in names and names[n] != col.key:
                    raise ValueError(f"header {name!r} is claimed by {names[n]!r} and {col.key!r}")
                names[n] = col.key
        object.__setattr__(self, "_lookup", names)

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def match(self, header_text: object) -> Column | None:
        """The column a header cell names, or None."""
        n = normalize_header(header_text)
        if not n:
            return None
        key = self._lookup.get(n) or self._lookup.get(_without_note(n))
        return None if key is None else self[key]
