"""司法确认 documents (法释〔2011〕5号 §3), printed from one :class:`ConfirmationRecord`.

``write(rec, key, path)`` writes one of ``DOCUMENTS`` atomically (A4, embedded fonts, 禁则, page
numbers). The case package is one PDF: the application, the agreement (the mediation module's
人民调解协议书 builder), the materials checklist, a 送达地址确认书 per applicant and, when an agent
applies, the 授权委托书 forms.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from desktop.documents import layout
from desktop.documents.judicial import forms
from desktop.documents.judicial.application import application
from desktop.documents.mediation.agreement import agreement
from desktop.domain.judicial import ConfirmationRecord, MaterialLine

DOCUMENTS: dict[str, str] = {
    "application": "司法确认申请书",
    "service_address": "送达地址确认书",
    "power_of_attorney": "授权委托书",
    "checklist": "司法确认申请材料清单",
    "package": "司法确认申请材料（合订）",
}


def _joined(blocks: list[list[Flowable]]) -> list[Flowable]:
    out: list[Flowable] = []
    for i, block in enumerate(blocks):
        if i:
            out.append(PageBreak())
        out += block
    return out


def _poa(rec: ConfirmationRecord) -> list[list[Flowable]]:
    principals = [p for p in rec.case.parties if p.agent]
    return [forms.power_of_attorney(rec, p) for p in principals] or [forms.power_of_attorney(rec)]


def _service_addresses(rec: ConfirmationRecord) -> list[list[Flowable]]:
    return [forms.service_address(rec, p) for p in rec.case.parties]


def _builders(rec: ConfirmationRecord) -> dict[str, Callable[[], list[Flowable]]]:
    return {
        "application": lambda: application(rec),
        "service_address": lambda: _joined(_service_addresses(rec)),
        "power_of_attorney": lambda: _joined(_poa(rec)),
        "checklist": lambda: forms.checklist(rec),
        "package": lambda: _joined(
            [
                application(rec),
                agreement(rec.case),
                forms.checklist(rec),
                *_service_addresses(rec),
                *(_poa(rec) if rec.agent_applies or any(p.agent for p in rec.case.parties) else []),
            ]
        ),
    }


def write(rec: ConfirmationRecord, key: str, path: str | os.PathLike[str]) -> Path:
    if key not in DOCUMENTS:
        raise KeyError(key)
    if rec.case.agreement is None:
        raise ValueError("case has no agreement")
    story = _builders(rec)[key]()
    return layout.build_pdf(
        path,
        story,
        title=f"{DOCUMENTS[key]} {rec.case.case_no}",
        subject=f"{rec.case.title} 司法确认",
        running=rec.court_case_no or rec.case.case_no,
    )


__all__ = ["DOCUMENTS", "ConfirmationRecord", "MaterialLine", "write"]
