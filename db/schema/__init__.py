"""The mapped tables, one module per area. Importing a module registers its tables on ``Base.metadata``
together with those its foreign keys point at (each module imports them), so a process maps only what it
uses: ``shequ print agreement`` never builds the party, event or visit classes (issue 16). ``load_all()``
registers every table (Alembic, the schema tests); ``from db.schema import Resident`` still works (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from desktop.core.lazy import lazy_names

if TYPE_CHECKING:
    from db.schema.accounts import Account, Role
    from db.schema.audit import AuditEntryIndex, AuditRecord
    from db.schema.events import EventAttachment, EventNumberCounter, EventStep, GridEvent
    from db.schema.judicial import CourtReferral, HolidayDay, JudicialConfirmation, JudicialMaterial
    from db.schema.mediation import (
        Agreement,
        AgreementTerm,
        CaseFileItem,
        CaseNumberCounter,
        CaseParty,
        FollowUp,
        Investigation,
        MediationCase,
        MediationCommittee,
        MediationSession,
        Mediator,
        Performance,
    )
    from db.schema.party import (
        CommunityCheckIn,
        DuesPayment,
        DuesRateBand,
        MeetingAttendance,
        PartyMeeting,
        PartyMember,
        PartyMemberEvent,
        PartyOrg,
        PartyPost,
        RecruitmentStep,
    )
    from db.schema.people import Household, Resident, ResidentTag
    from db.schema.reports import ReportNarrative
    from db.schema.security import DatabaseIdentity
    from db.schema.settings import DictionaryEntry, Setting
    from db.schema.structure import Community, Grid, GridStaff, Street
    from db.schema.visits import Visit, VisitMember

MODULES = (
    "accounts",
    "audit",
    "events",
    "judicial",
    "mediation",
    "party",
    "people",
    "reports",
    "security",
    "settings",
    "structure",
    "visits",
)

_MODULE_OF = {
    "Account": "accounts",
    "Role": "accounts",
    "AuditEntryIndex": "audit",
    "AuditRecord": "audit",
    "EventAttachment": "events",
    "EventNumberCounter": "events",
    "EventStep": "events",
    "GridEvent": "events",
    "CourtReferral": "judicial",
    "HolidayDay": "judicial",
    "JudicialConfirmation": "judicial",
    "JudicialMaterial": "judicial",
    "Agreement": "mediation",
    "AgreementTerm": "mediation",
    "CaseFileItem": "mediation",
    "CaseNumberCounter": "mediation",
    "CaseParty": "mediation",
    "FollowUp": "mediation",
    "Investigation": "mediation",
    "MediationCase": "mediation",
    "MediationCommittee": "mediation",
    "MediationSession": "mediation",
    "Mediator": "mediation",
    "Performance": "mediation",
    "CommunityCheckIn": "party",
    "DuesPayment": "party",
    "DuesRateBand": "party",
    "MeetingAttendance": "party",
    "PartyMeeting": "party",
    "PartyMember": "party",
    "PartyMemberEvent": "party",
    "PartyOrg": "party",
    "PartyPost": "party",
    "RecruitmentStep": "party",
    "Household": "people",
    "Resident": "people",
    "ResidentTag": "people",
    "ReportNarrative": "reports",
    "DatabaseIdentity": "security",
    "DictionaryEntry": "settings",
    "Setting": "settings",
    "Community": "structure",
    "Grid": "structure",
    "GridStaff": "structure",
    "Street": "structure",
    "Visit": "visits",
    "VisitMember": "visits",
}


def load_all() -> None:
    """Register every table on ``Base.metadata`` (Alembic's comparisons, the schema tests)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")


__getattr__ = lazy_names(__name__, _MODULE_OF, globals())


__all__ = [
    "Account",
    "Agreement",
    "AgreementTerm",
    "AuditEntryIndex",
    "AuditRecord",
    "CaseFileItem",
    "CaseNumberCounter",
    "CaseParty",
    "Community",
    "CommunityCheckIn",
    "CourtReferral",
    "DatabaseIdentity",
    "DictionaryEntry",
    "DuesPayment",
    "DuesRateBand",
    "EventAttachment",
    "EventNumberCounter",
    "EventStep",
    "FollowUp",
    "Grid",
    "GridEvent",
    "GridStaff",
    "HolidayDay",
    "Household",
    "Investigation",
    "JudicialConfirmation",
    "JudicialMaterial",
    "MediationCase",
    "MediationCommittee",
    "MediationSession",
    "Mediator",
    "MeetingAttendance",
    "PartyMeeting",
    "PartyMember",
    "PartyMemberEvent",
    "PartyOrg",
    "PartyPost",
    "Performance",
    "RecruitmentStep",
    "ReportNarrative",
    "Resident",
    "ResidentTag",
    "Role",
    "Setting",
    "Street",
    "Visit",
    "VisitMember",
]
