"""Every people's-mediation document (司法部 人民调解文书格式, 2010), printed from one :class:`CaseRecord`.

``DOCUMENTS`` names them; :func:`available` says which a case can print now (the one answer: the
preview's list, ``shequ print`` and :func:`write` all ask it, through :func:`resolve`); :func:`write` writes one
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


#: the documents that print an agreement or its consequences: a case without one has none of them
AGREEMENT_DOCUMENTS = ("agreement", "oral", "follow_up")


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


def resolve(rec: CaseRecord, key: str) -> str | None:
    """The document ``key`` is for this case (the 人民调解协议书 of an oral agreement is its 口头协议登记表),
    or None when the case cannot print it now (not in :func:`available`)."""
    if key == "agreement" and rec.agreement is not None and rec.agreement.oral:
        key = "oral"
    return key if key in available(rec) else None


def write(rec: CaseRecord, key: str, path: str | os.PathLike[str]) -> Path:
    """Write document ``key`` of ``rec`` to ``path`` (atomically) and return the path."""
    if key not in DOCUMENTS:
        raise KeyError(key)
    wanted = resolve(rec, key)
    if wanted is None:
        raise ValueError(f"case {rec.case_no} cannot print {key} now")
    if wanted == "case_file":
        return write_case_file(rec, path)
    key = wanted
    story = _builders(rec)[key]()
    return layout.build_pdf(path, story, title=f"{DOCUMENTS[key]} {rec.case_no}", subject=rec.title)


__all__ = ["AGREEMENT_DOCUMENTS", "DOCUMENTS", "CaseRecord", "available", "resolve", "write", "write_case_file"]
