"""网格事件 (grid events): intake from 8 sources, the 吹哨报到 loop to closure, time limits, warning lights,
extensions, 督办, attachments, and turning a dispute into a mediation case. Qt-free.

Design
------
* **Records.** ``grid_event`` holds the event and where it stands (state, the department holding it, the
  time limit given at intake and the moment it ends); ``event_step`` is the append-only record of every
  step (who, when, what; nothing is deleted or edited); ``event_attachment`` keeps files as bytes in the
  database. The state on the event is a cache of the last step's ``state_after``, written in the same
  transaction as the step.
* **Rules in one place.** ``desktop.domain.events`` is pure: the state machine (``TRANSITIONS``: which steps
  each state allows and where they lead), working-day and hour limits on the holiday calendar
  (``desktop.domain.calendar``, the data of 设置 → 节假日 shared with 司法确认), and the light rule. The
  services never decide a transition themselves: ``common.apply_step`` asks ``next_state``.
* **Lights are never stored.** The end of the limit is stored (computed at intake from the category's rule,
  recomputed only by an approved extension); the light is computed from it and the closed time at a moment
  ``as_of`` (``queries.list_events``, ``todays_alerts``, ``event_detail``), so a list asked "as of" any
  moment gives the lights of that moment.
* **Every change** is one service call → one transaction → one step (when it is a step) and one audit
  record; the caller passes the version it saw and a stale one is refused (``ConflictError``). Functions
  return the event's new version, so a card can go on without reloading.
* **Settings are data.** Sources, categories with sub-categories, departments (dictionaries), each
  category's limits and department (``events.category_rules``), who may whistle (``events.whistlers``)
  and the attachment limits (``events.attachment_limits``) live in ``config``, defaults while unset;
  设置 saves them all at once (``save_event_settings``, checked as a whole). An event's limit and
  department are fixed at receipt: a changed rule applies to events received afterwards.
* **What a whistled department owes** (签收 within 1 hour, 联系社区 within 24 hours, 报到 within 3 or 5
  working days) is computed from the step records (``detail.whistle_status``); ``duties.whistle_duties``
  lists the open events whose department is late to sign or to contact, for the 督办 tab.
* **办理时间.** Every step takes the moment it happened (``at``, default now): never in the future, never
  before the event's last step (``common.step_time``).
* **Numbers** ``SJ2026-000123`` come from a per-year counter row taken in the saving transaction.

Layering: events sits above mediation (it creates cases) and judicial (the holiday calendar's loader),
below reports and the dashboard, which read it.

Importing the package is cheap: each name is loaded from its module when first used (PEP 562), so the
first window loads only the modules 工作台 reads (issue 16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.lazy import lazy_names

if TYPE_CHECKING:
    from desktop.services.events.attachments import (
        AttachmentInfo,
        add_attachment,
        list_attachments,
        read_attachment,
    )
    from desktop.services.events.config import (
        AttachmentLimits,
        CategoryRule,
        EventCategory,
        EventDictionary,
        EventSettings,
        EventSubcategory,
        event_dictionary,
        event_settings,
        save_attachment_limits,
        save_event_categories,
        save_event_departments,
        save_event_settings,
        save_event_sources,
        save_whistlers,
        whistlers,
        with_rule,
    )
    from desktop.services.events.detail import EventDetail, StepInfo, WhistleStatus, event_detail
    from desktop.services.events.duties import DutyRow, whistle_duties
    from desktop.services.events.intake import (
        EventInput,
        create_event,
        format_event_no,
        parse_event_no,
        update_event,
    )
    from desktop.services.events.loop import (
        accept_event,
        close_event,
        contact_community,
        dispatch,
        dispose,
        handle_on_site,
        rate_department,
        record_visit,
        report_in,
        return_order,
        sign_for,
        verify,
        whistle,
    )
    from desktop.services.events.oversight import (
        approve_extension,
        recompute_event_deadlines,
        refuse_extension,
        request_extension,
        supervise,
    )
    from desktop.services.events.queries import (
        DepartmentLine,
        EventFilter,
        EventList,
        EventRow,
        SupervisionRow,
        TodaysAlerts,
        department_ledger,
        list_events,
        supervision_list,
        todays_alerts,
    )
    from desktop.services.events.to_mediation import to_mediation_case

_MODULE_OF = {
    "AttachmentInfo": "attachments",
    "add_attachment": "attachments",
    "list_attachments": "attachments",
    "read_attachment": "attachments",
    "AttachmentLimits": "config",
    "CategoryRule": "config",
    "EventCategory": "config",
    "EventDictionary": "config",
    "EventSettings": "config",
    "EventSubcategory": "config",
    "event_dictionary": "config",
    "event_settings": "config",
    "save_attachment_limits": "config",
    "save_event_categories": "config",
    "save_event_departments": "config",
    "save_event_settings": "config",
    "save_event_sources": "config",
    "save_whistlers": "config",
    "whistlers": "config",
    "with_rule": "config",
    "EventDetail": "detail",
    "StepInfo": "detail",
    "WhistleStatus": "detail",
    "event_detail": "detail",
    "DutyRow": "duties",
    "whistle_duties": "duties",
    "EventInput": "intake",
    "create_event": "intake",
    "format_event_no": "intake",
    "parse_event_no": "intake",
    "update_event": "intake",
    "accept_event": "loop",
    "close_event": "loop",
    "contact_community": "loop",
    "dispatch": "loop",
    "dispose": "loop",
    "handle_on_site": "loop",
    "rate_department": "loop",
    "record_visit": "loop",
    "report_in": "loop",
    "return_order": "loop",
    "sign_for": "loop",
    "verify": "loop",
    "whistle": "loop",
    "approve_extension": "oversight",
    "recompute_event_deadlines": "oversight",
    "refuse_extension": "oversight",
    "request_extension": "oversight",
    "supervise": "oversight",
    "DepartmentLine": "queries",
    "EventFilter": "queries",
    "EventList": "queries",
    "EventRow": "queries",
    "SupervisionRow": "queries",
    "TodaysAlerts": "queries",
    "department_ledger": "queries",
    "list_events": "queries",
    "supervision_list": "queries",
    "todays_alerts": "queries",
    "to_mediation_case": "to_mediation",
}


__getattr__ = lazy_names(__name__, _MODULE_OF, globals())


__all__ = [
    "AttachmentInfo",
    "AttachmentLimits",
    "CategoryRule",
    "DepartmentLine",
    "DutyRow",
    "EventCategory",
    "EventDetail",
    "EventDictionary",
    "EventFilter",
    "EventInput",
    "EventList",
    "EventRow",
    "EventSettings",
    "EventSubcategory",
    "StepInfo",
    "SupervisionRow",
    "TodaysAlerts",
    "WhistleStatus",
    "accept_event",
    "add_attachment",
    "approve_extension",
    "close_event",
    "contact_community",
    "create_event",
    "department_ledger",
    "dispatch",
    "dispose",
    "event_detail",
    "event_dictionary",
    "event_settings",
    "format_event_no",
    "handle_on_site",
    "list_attachments",
    "list_events",
    "parse_event_no",
    "rate_department",
    "read_attachment",
    "recompute_event_deadlines",
    "record_visit",
    "refuse_extension",
    "report_in",
    "request_extension",
    "return_order",
    "save_attachment_limits",
    "save_event_categories",
    "save_event_departments",
    "save_event_settings",
    "save_event_sources",
    "save_whistlers",
    "sign_for",
    "supervise",
    "supervision_list",
    "to_mediation_case",
    "todays_alerts",
    "update_event",
    "verify",
    "whistle",
    "whistle_duties",
    "whistlers",
    "with_rule",
]
