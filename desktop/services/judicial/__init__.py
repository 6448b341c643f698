"""司法确认 and 诉前委派调解 (issue 6; 人民调解法 §33, 民诉法 §201–202, 法释〔2011〕5号): tracks, court
referrals, the holiday calendar, deadlines and warnings. Qt-free; every change is one audited transaction."""

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
