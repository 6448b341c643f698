"""司法确认 and 诉前委派调解 (issue 6; 人民调解法 §33, 民诉法 §201–202, 法释〔2011〕5号): tracks, court
referrals, the holiday calendar, deadlines and warnings. Qt-free; every change is one audited transaction.

Importing the package is cheap: each name is loaded from its module when first used (PEP 562), so a caller
of one function (工作台's warnings, an event's calendar) does not load the holiday import/export (XlsxWriter)
or the eligibility rules (the whole mediation service) at start-up (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.lazy import lazy_names

if TYPE_CHECKING:
    from desktop.services.judicial.common import CourtSettings, court_settings, save_court_settings
    from desktop.services.judicial.detail import get_track, track_for_case
    from desktop.services.judicial.eligibility import check_case
    from desktop.services.judicial.holidays import (
        HolidayInput,
        delete_day,
        export_days,
        import_file,
        list_days,
        save_day,
        year_summaries,
    )
    from desktop.services.judicial.queries import list_candidates, list_tracks
    from desktop.services.judicial.referrals import ReferralInput, get_referral, list_referrals, save_referral
    from desktop.services.judicial.tracks import (
        StartInput,
        TrackInput,
        close_track,
        record_late_reason,
        retire_track,
        save_track,
        set_material,
        start_confirmation,
    )
    from desktop.services.judicial.warnings import dashboard_warnings

_MODULE_OF = {
    "CourtSettings": "common",
    "court_settings": "common",
    "save_court_settings": "common",
    "get_track": "detail",
    "track_for_case": "detail",
    "check_case": "eligibility",
    "HolidayInput": "holidays",
    "delete_day": "holidays",
    "export_days": "holidays",
    "import_file": "holidays",
    "list_days": "holidays",
    "save_day": "holidays",
    "year_summaries": "holidays",
    "list_candidates": "queries",
    "list_tracks": "queries",
    "ReferralInput": "referrals",
    "get_referral": "referrals",
    "list_referrals": "referrals",
    "save_referral": "referrals",
    "StartInput": "tracks",
    "TrackInput": "tracks",
    "close_track": "tracks",
    "record_late_reason": "tracks",
    "retire_track": "tracks",
    "save_track": "tracks",
    "set_material": "tracks",
    "start_confirmation": "tracks",
    "dashboard_warnings": "warnings",
}


__getattr__ = lazy_names(__name__, _MODULE_OF, globals())


__all__ = [
    "CourtSettings",
    "HolidayInput",
    "ReferralInput",
    "StartInput",
    "TrackInput",
    "check_case",
    "close_track",
    "court_settings",
    "dashboard_warnings",
    "delete_day",
    "export_days",
    "get_referral",
    "get_track",
    "import_file",
    "list_candidates",
    "list_days",
    "list_referrals",
    "list_tracks",
    "record_late_reason",
    "retire_track",
    "save_court_settings",
    "save_day",
    "save_referral",
    "save_track",
    "set_material",
    "start_confirmation",
    "track_for_case",
    "year_summaries",
]
