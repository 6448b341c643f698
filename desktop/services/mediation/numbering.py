"""Case numbers: ``（2026）新华社区人调字第001号``, per committee per year, never reused.

The next number comes from ``case_number_counter`` in the same transaction that saves the case:

* an UPDATE … SET last_seq = last_seq + 1 … RETURNING — on PostgreSQL the UPDATE takes the row lock,
  so a second PC adding a case at the same moment waits for the first transaction and then gets the
  next number; on SQLite the write transaction (BEGIN IMMEDIATE) already serialises writers;
* the first case of a year inserts the row; if another PC inserted it meanwhile (unique key), the
  insert is undone with a savepoint and the UPDATE is tried again.

A number is never computed from max()+1 and never handed out twice, even when the case that took it
is later retired. The agreement number and the 卷号 are the case number: the 回访记录 repeats the
agreement's 编号 and the 结案报告表 the cover's 卷号 (fill-in notes of 司法部's 2010 人民调解文书格式).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.schema.mediation import CaseNumberCounter
from desktop.domain.text import clean_text

_T = cast(Table, CaseNumberCounter.__table__)
# （2026）新华社区人调字第001号 — full- or half-width brackets, 〔〕 too, spaces tolerated
_CASE_NO = re.compile(r"^[（(〔\[]\s*(\d{4})\s*[）)〕\]]\s*(.+?)\s*人调字?\s*第\s*(\d{1,6})\s*号$")


@dataclass(frozen=True)
class CaseNumber:
    year: int
    short_name: str
    seq: int

    def __str__(self) -> str:
        return format_case_no(self.year, self.short_name, self.seq)


def format_case_no(year: int, short_name: str, seq: int) -> str:
    return f"（{year}）{short_name}人调字第{seq:03d}号"


def parse_case_no(text: object) -> CaseNumber | None:
    """The parts of a number in our scheme, or None for another scheme (an old ledger's own numbers)."""
    t = clean_text(text)
    m = _CASE_NO.match(t)
    if not m:
        return None
    return CaseNumber(int(m.group(1)), m.group(2), int(m.group(3)))


def normalize_case_no(text: object) -> str:
    """Our scheme in its canonical form (full-width brackets, 3 digits); other text as typed, trimmed."""
    parsed = parse_case_no(text)
    return str(parsed) if parsed else clean_text(text)


def take_number(session: Session, committee_id: int, year: int) -> int:
    """The next sequence number of ``committee_id`` in ``year``, inside the caller's transaction."""
    for _attempt in range(5):
        seq = session.execute(
            update(_T)
            .where(_T.c.committee_id == committee_id, _T.c.year == year)
            .values(last_seq=_T.c.last_seq + 1)
            .returning(_T.c.last_seq)
        ).scalar()
        if seq is not None:
            return int(seq)
        try:
            with session.begin_nested():
                session.execute(insert(_T).values(committee_id=committee_id, year=year, last_seq=1))
            return 1
        except IntegrityError:
            continue  # another PC created the year's counter first: take the next one from it
    raise RuntimeError("case number counter could not be updated")  # pragma: no cover


def reserve_number(session: Session, committee_id: int, year: int, seq: int) -> None:
    """Make sure the counter is at least ``seq`` (an imported case kept its number)."""
    done = session.execute(
        update(_T)
        .where(_T.c.committee_id == committee_id, _T.c.year == year, _T.c.last_seq < seq)
        .values(last_seq=seq)
        .returning(_T.c.last_seq)
    ).scalar()
    if done is not None:
        return
    exists = session.scalar(select(_T.c.last_seq).where(_T.c.committee_id == committee_id, _T.c.year == year))
    if exists is None:
        try:
            with session.begin_nested():
                session.execute(insert(_T).values(committee_id=committee_id, year=year, last_seq=seq))
        except IntegrityError:
            reserve_number(session, committee_id, year, seq)


def last_number(session: Session, committee_id: int, year: int) -> int:
    return int(
        session.scalar(select(_T.c.last_seq).where(_T.c.committee_id == committee_id, _T.c.year == year)) or 0
    )
