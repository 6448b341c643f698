"""What the 司法确认 documents are printed from: the mediation case record plus the track's facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from desktop.documents.mediation.record import CaseRecord

BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"  # a date to write by hand
APPLICATION_CODE = "APPLICATION"  # the checklist line of the application itself


@dataclass(frozen=True)
class MaterialLine:
    label: str
    required: bool
    received: bool
    copies: int | None = None
    note: str | None = None
    code: str = ""  # the checklist's code (APPLICATION, AGREEMENT, ID:1 …: services.judicial.rules)


@dataclass(frozen=True)
class ConfirmationRecord:
    case: CaseRecord  # parties, agreement, committee (from the mediation services)
    court: str | None  # 受理法院; None → a blank line to fill in
    effective_on: dt.date
    deadline: dt.date
    filed_on: dt.date | None = None  # the date printed under the signatures; None → blank
    court_case_no: str | None = None
    referral_court: str | None = None  # 诉前委派: the assigning court
    referral_no: str | None = None
    agent_applies: bool = False
    materials: tuple[MaterialLine, ...] = field(default_factory=tuple)
    state_label: str = ""

    @property
    def applicant_names(self) -> str:
        return "、".join(p.name for p in self.case.parties)
