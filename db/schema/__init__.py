"""All mapped tables. Importing this package registers every table on ``Base.metadata``."""

from db.schema.audit import AuditRecord
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
from db.schema.settings import DictionaryEntry, Setting
from db.schema.structure import Community, Grid, GridStaff, Street

__all__ = [
    "AuditRecord",
    "Community",
    "CommunityCheckIn",
    "DictionaryEntry",
    "DuesPayment",
    "DuesRateBand",
    "Grid",
    "GridStaff",
    "Household",
    "MeetingAttendance",
    "PartyMeeting",
    "PartyMember",
    "PartyMemberEvent",
    "PartyOrg",
    "PartyPost",
    "RecruitmentStep",
    "Resident",
    "ResidentTag",
    "Setting",
    "Street",
]
