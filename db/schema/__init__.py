"""All mapped tables. Importing this package registers every table on ``Base.metadata``."""

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
