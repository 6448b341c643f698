"""The whole 卷宗 as one PDF: cover, 卷内目录 with page numbers, every document, 封底.

Two passes: the first lays the file out and records on which page each document starts (a zero-size
marker flowable); the second writes the contents list with those page numbers. The contents list has
the same rows both times, so the pages do not move.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from desktop.documents import layout
from desktop.documents.mediation import agreement as agreement_docs
from desktop.documents.mediation import closing, forms
from desktop.documents.mediation.common import cn_date
from desktop.domain.mediation import CaseRecord, FileItemRecord


class _Mark(Flowable):
    """Records the page it lands on."""

    def __init__(self, key: str, sink: dict[str, int]) -> None:
        super().__init__()
        self.key, self.sink = key, sink
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.sink.setdefault(self.key, self.canv.getPageNumber())


@dataclass(frozen=True)
class Part:
    key: str
    name: str
    build: Callable[[], list[Flowable]] | None  # None: a paper item, listed only
    note: str = ""


def parts(rec: CaseRecord) -> list[Part]:
    """The documents of the file in filing order, paper items where the 卷内目录 puts them."""
    paper = {i.code: i for i in rec.file_items if not i.generated and i.present}

    def paper_part(code: str) -> list[Part]:
        item: FileItemRecord | None = paper.get(code)
        if item is None:
            return []
        note = (
            "纸质材料，另附"
            + (f"，{item.pages} 页" if item.pages else "")
            + (f"；{item.note}" if item.note else "")
        )
        return [Part(code, item.title, None, note)]

    out: list[Part] = []
    if rec.source == "APPLICATION":
        out.append(Part("application", "人民调解申请书", lambda: forms.application(rec)))
    out.append(Part("intake", "人民调解受理登记表", lambda: forms.intake_register(rec)))
    if rec.rights_notified_on:
        out.append(Part("notice", "当事人权利义务告知书", lambda: forms.rights_notice(rec)))
    out += paper_part("ID_PROOF") + paper_part("POWER_OF_ATTORNEY")
    for i, inv in enumerate(rec.investigations, start=1):
        out.append(
            Part(
                f"investigation{i}",
                f"人民调解调查记录（{cn_date(inv.held_on)}）",
                partial(forms.investigation, rec, inv),
            )
        )
    out += paper_part("EVIDENCE")
    many = len(rec.sessions) > 1
    for i, s in enumerate(rec.sessions, start=1):
        out.append(
            Part(
                f"minutes{i}",
                f"人民调解记录（{cn_date(s.held_at.date())}）",
                partial(forms.minutes, rec, s, i if many else None),
            )
        )
    if rec.agreement is not None:
        if rec.agreement.oral:
            out.append(Part("agreement", "人民调解口头协议登记表", lambda: agreement_docs.oral_register(rec)))
        else:
            out.append(Part("agreement", "人民调解协议书", lambda: agreement_docs.agreement(rec)))
    out += paper_part("PERFORMANCE_PROOF")
    visits = [v for v in rec.follow_ups if v.done]
    for i, v in enumerate(visits, start=1):
        out.append(
            Part(
                f"follow_up{i}",
                f"人民调解回访记录（{cn_date(v.visited_on)}）",
                partial(closing.follow_up, rec, v, i if len(visits) > 1 else None),
            )
        )
    out += paper_part("JUDICIAL")
    if rec.closed_on:
        out.append(Part("closing", "人民调解结案报告表", lambda: closing.closing_report(rec)))
    out += paper_part("NOTES")
    return out


def _story(
    rec: CaseRecord, items: list[Part], pages: dict[str, str], marks: dict[str, int], total: int
) -> list[Flowable]:
    entries = [
        (part.name, pages.get(part.key, "另附" if part.build is None else ""), part.note) for part in items
    ]
    entries.append(("卷内备考表（封底）", pages.get("back", ""), ""))
    story: list[Flowable] = [*closing.cover(rec), PageBreak(), *closing.contents(entries)]
    printed = [part for part in items if part.build is not None]
    for part in printed:
        assert part.build is not None
        story += [PageBreak(), _Mark(part.key, marks), *part.build()]
    paper = [(part.name, None) for part in items if part.build is None]
    story += [PageBreak(), _Mark("back", marks), *closing.back_cover(rec, len(printed), total, paper)]
    return story


def write_case_file(rec: CaseRecord, path: str | os.PathLike[str]) -> Path:
    items = parts(rec)
    marks: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(suffix=".pdf")
    os.close(fd)
    try:
        layout.build_pdf(
            tmp, _story(rec, items, {}, marks, 0), title=f"人民调解卷宗 {rec.case_no}", running=rec.case_no
        )
        total = max(marks.values(), default=2)
    finally:
        Path(tmp).unlink(missing_ok=True)
    keys = [part.key for part in items if part.build is not None] + ["back"]
    pages: dict[str, str] = {}
    for i, key in enumerate(keys):
        first = marks.get(key)
        if first is None:
            continue
        last = marks[keys[i + 1]] - 1 if i + 1 < len(keys) and keys[i + 1] in marks else first
        pages[key] = str(first) if last <= first else f"{first}–{last}"
    final: dict[str, int] = {}
    return layout.build_pdf(
        path,
        _story(rec, items, pages, final, total),
        title=f"人民调解卷宗 {rec.case_no}",
        subject=rec.title,
        running=rec.case_no,
    )
