"""Every people's-mediation document (司法部 人民调解文书格式, 2010), printed from one :class:`CaseRecord`.

``DOCUMENTS`` names them; :func:`available` says which a case can print now; :func:`write` writes one
(A4, embedded fonts, 禁则 line-breaking, page numbers) atomically; ``write(rec, "case_file", …)`` writes
the whole 卷宗.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from desktop.documents import layout
from desktop.documents.mediation import agreement as agreement_docs
from desktop.documents.mediation import closing, forms
from desktop.documents.mediation.casefile import write_case_file
from desktop.domain.mediation import CaseRecord

DOCUMENTS: dict[str, str] = {
    "application": "人民调解申请书",
    "intake": "人民调解受理登记表",
    "notice": "当事人权利义务告知书",
    "investigation": "人民调解调查记录",
    "minutes": "人民调解记录",
    "agreement": "人民调解协议书",
    "oral": "人民调解口头协议登记表",
    "follow_up": "人民调解回访记录",
    "closing": "人民调解结案报告表",
    "cover": "卷宗封面及卷内目录",
    "case_file": "人民调解卷宗（全部文书）",
}


def _joined(blocks: list[list[Flowable]]) -> list[Flowable]:
    out: list[Flowable] = []
    for i, block in enumerate(blocks):
        if i:
            out.append(PageBreak())
        out += block
    return out


def _builders(rec: CaseRecord) -> dict[str, Callable[[], list[Flowable]]]:
    visits = [v for v in rec.follow_ups if v.done]
    many = len(rec.sessions) > 1
    return {
        "application": lambda: forms.application(rec),
        "intake": lambda: forms.intake_register(rec),
        "notice": lambda: forms.rights_notice(rec),
        "investigation": lambda: _joined([forms.investigation(rec, i) for i in rec.investigations]),
        "minutes": lambda: _joined(
            [forms.minutes(rec, s, n if many else None) for n, s in enumerate(rec.sessions, 1)]
        ),
        "agreement": lambda: agreement_docs.agreement(rec),
        "oral": lambda: agreement_docs.oral_register(rec),
        "follow_up": lambda: _joined(
            [closing.follow_up(rec, v, n if len(visits) > 1 else None) for n, v in enumerate(visits, 1)]
            or [closing.follow_up(rec, None)]
        ),
        "closing": lambda: closing.closing_report(rec),
        "cover": lambda: _joined(
            [closing.cover(rec), closing.contents([(name, "", "") for name in _content_names(rec)])]
        ),
    }


def _content_names(rec: CaseRecord) -> list[str]:
    from desktop.documents.mediation.casefile import parts

    return [part.name for part in parts(rec)] + ["卷内备考表（封底）"]


def available(rec: CaseRecord) -> list[str]:
    """The documents this case can print now, in filing order."""
    keys = ["application", "intake", "notice"]
    if rec.investigations:
        keys.append("investigation")
    if rec.sessions:
        keys.append("minutes")
    if rec.agreement is not None:
        keys.append("oral" if rec.agreement.oral else "agreement")
        keys.append("follow_up")
    if rec.outcome:
        keys.append("closing")
    keys += ["cover", "case_file"]
    return keys


def write(rec: CaseRecord, key: str, path: str | os.PathLike[str]) -> Path:
    """Write document ``key`` of ``rec`` to ``path`` (atomically) and return the path."""
    if key == "case_file":
        return write_case_file(rec, path)
    if key not in DOCUMENTS:
        raise KeyError(key)
    if key in ("agreement", "oral", "follow_up") and rec.agreement is None:
        raise ValueError("case has no agreement")
    if key == "agreement" and rec.agreement is not None and rec.agreement.oral:
        key = "oral"
    story = _builders(rec)[key]()
    return layout.build_pdf(path, story, title=f"{DOCUMENTS[key]} {rec.case_no}", subject=rec.title)


__all__ = ["DOCUMENTS", "CaseRecord", "available", "write", "write_case_file"]
