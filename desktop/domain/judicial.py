"""司法确认: the track states and the record its documents are printed from (the mediation case record plus the track's facts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.domain.mediation import CaseRecord

STATE_LABELS = {
    "PREPARING": "准备申请",
    "FILED": "已申请待受理",
    "ACCEPTED": "已受理待裁定",
    "VALID": "裁定有效",
    "REJECTED": "裁定驳回",
    "NOT_ACCEPTED": "不予受理",
    "WITHDRAWN": "撤回/不申请",
}
RULING_LABELS = {"VALID": "裁定有效", "REJECTED": "裁定驳回"}
#: waiting for the court: the application is being prepared, filed, or accepted and awaiting a ruling
OPEN_STATES = ("PREPARING", "FILED", "ACCEPTED")
#: ended without a ruling (撤回 / 不予受理): the track can no longer change
CLOSED_STATES = ("NOT_ACCEPTED", "WITHDRAWN")


def state_is_closed(state: str) -> bool:
    return state in CLOSED_STATES


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
    late_reason: str | None = None  # why the parties apply after the deadline (recorded on the track)
    printed_on: dt.date | None = None  # the day the documents are printed: the application's date until filed

    @property
    def applicant_names(self) -> str:
        return "、".join(p.name for p in self.case.parties)


LAPSED_LABEL = "逾期未申请"


def application_lapsed(deadline: dt.date, filings: Iterable[dt.date | None], today: dt.date) -> bool:
    """申请期限届满未申请: the window to apply for judicial confirmation of a written, effective agreement —
    30 days from the day it took effect (《人民调解法》第三十三条; 《民事诉讼法》（2023年修正）第二百零五条), its last day
    moved off rest days — ended before ``today`` and no application was filed on or before that last day.

    ``filings``: the 申请日期 of the case's (not voided) confirmation tracks, None for a track never filed.
    An application filed after the window does not undo the lapse; an agreement that never got a track
    has a window all the same. The 台账, 工作台 and 月报 all decide with this one rule.
    """
    return deadline < today and not any(f is not None and f <= deadline for f in filings)
