"""Retention of people who are gone (个人信息保护法 第四十七条: personal information is deleted once the
purpose is served or the retention period has ended).

A resident who moved out (迁出), left (离开) or died (死亡) more than N years ago (setting
``residents.retention_years``, 3 by default) can be anonymised in one audited step, preceded by a verified
backup. What identifies the person goes: name (replaced by 已匿名), pinyin initials, ID number and its
blind index, phone (and its indexes), notes, the special-group tags (they may reveal a criminal record or a
health condition), the household link and relation, the reasons and approvers written on the status
records. What the reports count stays: the record itself, its community and grid, gender, ethnicity,
residence kind, colour tier, status and the day it changed, the status records' kinds and dates, the region
code of the ID (the district, not the person) and the year of birth (the day set to 1 January, so age bands
stay within a year).

The audit log keeps its earlier records as they are: it is the evidence of who did what (网络安全法 第二十一条
asks logs to be kept at least six months) and its chain must stay verifiable; it shows ID numbers and phones
masked, and the anonymisation itself is one record listing the residents' internal numbers only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update

from db.schema.people import Resident, ResidentEvent, ResidentStatus, ResidentTag
from desktop.core.errors import ValidationError
from desktop.domain.accounts import RESIDENTS_WRITE
from desktop.services.access import require, resident_scope
from desktop.services.context import ServiceContext
from desktop.services.settings import load_setting, store_setting

RETENTION_KEY = "residents.retention_years"
DEFAULT_RETENTION_YEARS = 3
ANONYMOUS_NAME = "已匿名"
GONE = (ResidentStatus.MOVED, ResidentStatus.LEFT, ResidentStatus.DECEASED)


def _years(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return value
    return DEFAULT_RETENTION_YEARS


def retention_years(ctx: ServiceContext) -> int:
    with ctx.read() as s:
        return load_setting(s, RETENTION_KEY, DEFAULT_RETENTION_YEARS, _years)


def save_retention_years(ctx: ServiceContext, years: int) -> None:
    require(ctx, RESIDENTS_WRITE)
    if not 1 <= years <= 100:
        raise ValidationError("保存年限应在 1 到 100 年之间。", field="retention_years")
    with ctx.write() as uow:
        store_setting(uow, RETENTION_KEY, years, f"离开人员信息保存年限改为 {years} 年")


def cutoff(today: dt.date, years: int) -> dt.date:
    """The last day a status change may fall on to be due: ``years`` years before ``today`` (29 February
    → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class Anonymised:
    years: int
    before: dt.date  # status changed on or before this day
    count: int
    dry_run: bool
    backup: str | None = None  # the verified backup taken first


def _due(ctx: ServiceContext, before: dt.date) -> list[int]:
    q = select(Resident.id).where(
        Resident.status.in_([str(g) for g in GONE]),
        Resident.status_changed_on.is_not(None),
        Resident.status_changed_on <= before,
        Resident.name != ANONYMOUS_NAME,
    )
    scope = resident_scope(ctx)  # a 社区书记 only their community's, a 网格员 their grids'
    if scope is not None:
        q = q.where(scope.condition(Resident.community_id, Resident.grid_id))
    with ctx.read() as s:
        return list(s.scalars(q.order_by(Resident.id)))


def anonymise_departed(ctx: ServiceContext, *, years: int | None = None, dry_run: bool = False) -> Anonymised:
    """Anonymise the residents gone for more than ``years`` years (default: the setting); all or nothing,
    after a verified backup. ``dry_run`` only counts them."""
    require(ctx, RESIDENTS_WRITE)
    years = retention_years(ctx) if years is None else years
    if not 1 <= years <= 100:
        raise ValidationError("保存年限应在 1 到 100 年之间。", field="years")
    before = cutoff(ctx.today(), years)
    ids = _due(ctx, before)
    if dry_run or not ids:
        return Anonymised(years, before, len(ids), dry_run)
    from desktop.services.backups import backup_before

    taken = backup_before(ctx, "anonymise")
    with ctx.write() as uow:
        s = uow.session
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            births = s.execute(select(Resident.id, Resident.birth_date).where(Resident.id.in_(chunk))).all()
            s.execute(
                update(Resident)
                .where(Resident.id.in_(chunk))
                .values(
                    name=ANONYMOUS_NAME,
                    name_initials=None,
                    id_number=None,
                    id_number_bidx=None,
                    phone=None,
                    phone_bidx=None,
                    phone_tail=None,
                    notes=None,
                    household_id=None,
                    relation_to_head=None,
                    version=Resident.version + 1,
                )
            )
            for rid, born in births:  # the year of birth only
                if born is not None:
                    s.execute(
                        update(Resident).where(Resident.id == rid).values(birth_date=dt.date(born.year, 1, 1))
                    )
            s.execute(delete(ResidentTag).where(ResidentTag.resident_id.in_(chunk)))
            s.execute(
                update(ResidentEvent)
                .where(ResidentEvent.resident_id.in_(chunk))
                .values(reason=None, approver=None)
            )
        uow.audit(
            "anonymise",
            "resident",
            None,
            summary=f"匿名化 {len(ids)} 名离开满 {years} 年的人员（状态变更在 {before:%Y-%m-%d} 以前）",
            after={"resident_ids": ids, "years": years, "before": before.isoformat()},
        )
    return Anonymised(years, before, len(ids), False, str(taken.path) if taken is not None else None)
