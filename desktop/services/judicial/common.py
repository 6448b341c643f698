"""Shared pieces of the 司法确认 services: labels, the court settings, the holiday calendar, versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.judicial import HolidayDay
from desktop.core.errors import ValidationError
from desktop.domain.text import clean_text
from desktop.services.context import ServiceContext
from desktop.services.judicial.deadlines import HolidayCalendar
from desktop.services.settings import json_object, load_setting, store_setting

SUBJECT_LABELS = {
    "ORDINARY": "一般民事权利义务（可以申请）",
    "PERSONAL_STATUS": "确认身份关系",
    "MARRIAGE": "确认婚姻关系",
    "ADOPTION": "确认收养关系",
    "PROPERTY_TITLE": "物权确权",
    "IP_TITLE": "知识产权确权",
}
REFERRAL_RESULT_LABELS = {"SUCCESS": "调解成功", "FAILED": "调解失败", "TERMINATED": "终止调解"}
PERFORMANCE_LABELS = {
    "PERFORMED": "已履行",
    "PARTIAL": "部分履行",
    "NOT_PERFORMED": "未履行",
    "IN_PROGRESS": "履行中",
}

SETTINGS_KEY = "judicial.courts"


@dataclass(frozen=True)
class CourtSettings:
    """设置 → 司法确认: the base-level court of each committee's seat (民诉法 §201 (二))."""

    default_court: str = ""  # 调委会所在地基层人民法院, e.g. 嘉峪关市城区人民法院
    by_committee: dict[int, str] = field(default_factory=dict)

    def court_for(self, committee_id: int | None) -> str:
        if committee_id is not None and self.by_committee.get(committee_id):
            return self.by_committee[committee_id]
        return self.default_court


def load_court_settings(s: Session) -> CourtSettings:
    return load_setting(s, SETTINGS_KEY, CourtSettings(), _parse_court_settings)


def _parse_court_settings(value: Any) -> CourtSettings:
    stored = json_object(value or {})
    by = {int(k): str(v) for k, v in (stored.get("by_committee") or {}).items() if str(k).isdigit() and v}
    return CourtSettings(str(stored.get("default_court") or ""), by)


def court_settings(ctx: ServiceContext) -> CourtSettings:
    with ctx.read() as s:
        return load_court_settings(s)


def save_court_settings(ctx: ServiceContext, value: CourtSettings) -> None:
    default = clean_text(value.default_court)
    if len(default) > 100:
        raise ValidationError("法院名称过长（最多 100 字）。", field="default_court")
    if default and not default.endswith(("法院", "法庭")):
        raise ValidationError(f"“{default}”不像法院名称，应以“法院”或“法庭”结尾。", field="default_court")
    by = {int(k): clean_text(v) for k, v in value.by_committee.items() if clean_text(v)}
    value_json = {"default_court": default, "by_committee": {str(k): v for k, v in sorted(by.items())}}
    with ctx.write() as uow:
        store_setting(uow, SETTINGS_KEY, value_json, "司法确认管辖法院设置")


def load_calendar(s: Session) -> HolidayCalendar:
    rows = s.execute(
        select(HolidayDay.day, HolidayDay.kind, HolidayDay.name, HolidayDay.year, HolidayDay.provisional)
    ).all()
    return HolidayCalendar.of((r.day, r.kind, r.name, r.year, r.provisional) for r in rows)


def calendar(ctx: ServiceContext) -> HolidayCalendar:
    with ctx.read() as s:
        return load_calendar(s)


def not_future(day: dt.date | None, today: dt.date, label: str, field_name: str) -> None:
    if day is not None and day > today:
        raise ValidationError(f"{label}（{day:%Y-%m-%d}）不能晚于今天。", field=field_name)


def opt_text(value: object, limit: int, label: str, field_name: str) -> str | None:
    text = clean_text(value)
    if len(text) > limit:
        raise ValidationError(f"{label}过长（{len(text)} 字，最多 {limit} 字）。", field=field_name)
    return text or None
