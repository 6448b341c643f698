"""All mapped tables. Importing this package registers every table on ``Base.metadata``."""

from db.schema.audit import AuditRecord
from db.schema.people import Household, Resident, ResidentTag
from db.schema.settings import DictionaryEntry, Setting
from db.schema.structure import Community, Grid, GridStaff, Street

__all__ = [
    "AuditRecord",
    "Community",
    "DictionaryEntry",
    "Grid",
    "GridStaff",
    "Household",
    "Resident",
    "ResidentTag",
    "Setting",
    "Street",
]
