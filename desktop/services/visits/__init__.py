"""分色走访 (visits by colour tier): records, frequencies, 今日应走访 and the visit rate. Qt-free.

Design
------
* **Records.** ``visit`` (date, visitor, way, findings, household, grid, raised event) and
  ``visit_member`` (the residents seen, with the date copied for the index). A one-resident visit is a
  visit with one member; a household visit has the members seen. Visits are records of work done; there
  are no check-ins, points or online-time counters.
* **When a tier took effect** is read from the register's own history (``resident_event`` of kind
  CARE_TIER, written by ``residents.set_care_tier``), else the day the resident was registered.
* **Rules in one place**: ``desktop.domain.visits`` (periods, the stricter of tier and group, due state,
  month counts). Frequencies are settings (``config``), defaults while unset.
* **Whole-street speed**: ``due.due_list`` reads the register in four queries and works in period keys.

Layering: visits sits above events (a visit can raise one), below reports and the dashboard.
"""

from desktop.services.visits.config import Frequencies, frequencies, save_frequencies
from desktop.services.visits.due import (
    LOOKBACK_DAYS,
    DueList,
    DueRow,
    GridRate,
    due_list,
    month_rates,
    total_rate,
    visit_rates,
)
from desktop.services.visits.record import VisitInput, VisitRow, check_visit, record_visit, visits_of

__all__ = [
    "LOOKBACK_DAYS",
    "DueList",
    "DueRow",
    "Frequencies",
    "GridRate",
    "VisitInput",
    "VisitRow",
    "check_visit",
    "due_list",
    "frequencies",
    "month_rates",
    "record_visit",
    "save_frequencies",
    "total_rate",
    "visit_rates",
    "visits_of",
]
