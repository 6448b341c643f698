"""Turn a dispute event into a people's mediation case in one step, carrying the parties over.

The case is created by the mediation service (``create_case``: its number, its checks, its audit), with the
event's linked resident as applicant and the residents named as respondents; then the event is linked to
the case and gets a 转人民调解 step (state 已就地处置: the community's committee handles it; 核查 and 结案
follow as for any event). Both halves are one transaction: the case with its parties, the event's link and
its step are all written, or none (a stale event version, a refused party: nothing is saved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from db.schema.events import GridEvent
from db.schema.mediation import CaseSource, MediationCase, PartyKind, PartyRole
from db.schema.people import Resident
from desktop.core.errors import ValidationError
from desktop.domain.events import next_state
from desktop.services.common import check_version
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.events.common import apply_step, load_event
from desktop.services.mediation import CaseInput, PartyInput
from desktop.services.mediation.cases import create_case_in
from desktop.services.mediation.dictionary import load_dispute_types, match_dispute_type
from desktop.services.residents.common import format_address


def _party(r: Resident, role: str) -> PartyInput:
    h = r.household
    address = format_address(h.estate, h.building, h.unit, h.room) if h is not None else ""
    return PartyInput(
        name=r.name,
        role=role,
        kind=PartyKind.PERSON,
        gender=r.gender,
        ethnicity=r.ethnicity,
        birth_date=r.birth_date,
        phone=r.phone,
        address=address or None,
        id_number=r.id_number,
        resident_id=r.id,
    )


def to_mediation_case(
    ctx: ServiceContext,
    event_id: int,
    version: int | None,
    *,
    committee_id: int,
    respondent_ids: Sequence[int] = (),
    other_parties: Sequence[PartyInput] = (),
    dispute_type: str | None = None,
    mediator_id: int | None = None,
    source: str = CaseSource.OWN_INITIATIVE,
    accepted_on: dt.date | None = None,
    actor: str | None = None,
) -> str:
    """转人民调解: create the case (parties: the event's resident as 申请人, ``respondent_ids`` as
    被申请人, then ``other_parties``), link it to the event; returns the case number."""
    with ctx.write() as uow:
        s = uow.session
        event = load_event(s, event_id)
        check_version(event.version, version, f"事件 {event.event_no} ")
        next_state(event.state, "TO_MEDIATION")
        if event.mediation_case_id is not None:
            raise ValidationError(f"事件 {event.event_no} 已关联人民调解案件。", field="mediation_case_id")
        parties: list[PartyInput] = []
        if event.resident_id is not None:
            applicant = s.get(Resident, event.resident_id)
            if applicant is not None:
                parties.append(_party(applicant, PartyRole.APPLICANT))
        for rid in respondent_ids:
            r = s.get(Resident, rid)
            if r is None:
                raise ValidationError(f"被申请人（居民编号 {rid}）不存在。", field="respondent_ids")
            parties.append(_party(r, PartyRole.RESPONDENT))
        parties.extend(other_parties)
        if not parties:
            raise ValidationError(
                f"事件 {event.event_no} 没有关联居民，请指定调解的当事人。", field="respondent_ids"
            )
        types = load_dispute_types(s)
        found = match_dispute_type(dispute_type or event.subcategory or "", types)
        if dispute_type and found is None:
            raise ValidationError(f"纠纷类型“{dispute_type}”不在纠纷类型字典中。", field="dispute_type")
        data = CaseInput(
            committee_id=committee_id,
            accepted_on=accepted_on or ctx.today(),
            source=source,
            dispute_type=(found.code if found else "其他"),
            summary=event.description,
            referred_by=(event.source if source == CaseSource.REFERRAL else None),
            mediator_id=mediator_id,
            registrar=ctx.actor.user[:50],
            grid_id=event.grid_id,
            notes=f"由网格事件 {event.event_no} 转入",
            parties=parties,
            details_later=True,
        )
        case = create_case_in(uow, data, today=ctx.today())
        link_case(uow, event, version, case, actor, ctx.now())
        return case.case_no


def link_case(
    uow: UnitOfWork,
    event: GridEvent,
    version: int | None,
    case: MediationCase,
    actor: str | None,
    now: dt.datetime,
) -> None:
    """The event's half of 转人民调解: the link and the step, in the transaction that created ``case``."""
    apply_step(
        uow,
        event,
        version,
        "TO_MEDIATION",
        at=max(now.replace(second=0, microsecond=0), max((st.at for st in event.steps), default=now)),
        actor=actor,
        note=f"转人民调解，案件编号 {case.case_no}",
        changes={"mediation_case_id": case.id},
    )
