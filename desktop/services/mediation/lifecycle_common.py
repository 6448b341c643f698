"""Helpers shared by the lifecycle services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from db.schema.mediation import (
    CaseStage,
    MediationCase,
)
from desktop.core.errors import ValidationError
from desktop.domain.mediation import stage_is_open
from desktop.services.audit import snapshot
from desktop.services.context import UnitOfWork
from desktop.services.mediation.common import (
    editable,
)


def not_before_intake(case: MediationCase, day: dt.date, what: str, field_name: str) -> None:
    if day < case.accepted_on:
        raise ValidationError(f"{what}不能早于受理日期（{case.accepted_on:%Y-%m-%d}）。", field=field_name)


def start_mediating(case: MediationCase) -> None:
    if case.stage == CaseStage.ACCEPTED:
        case.stage = CaseStage.MEDIATING


def check_open(case: MediationCase) -> None:
    editable(case)
    if not stage_is_open(case.stage):
        raise ValidationError(f"案件 {case.case_no} 已结案，不能再修改调解过程。")


def audit_change(
    uow: UnitOfWork, action: str, entity: str, obj: object, summary: str, before: dict[str, Any] | None
) -> None:
    uow.audit(action, entity, getattr(obj, "id", None), summary=summary, before=before, after=snapshot(obj))
