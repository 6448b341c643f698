"""Committee settings: the 人民调解委员会's name, the short name in case numbers, the seal, its mediators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.mediation import MediationCase, MediationCommittee, Mediator
from desktop.core.errors import ConflictError, NotFoundError, ValidationError
from desktop.domain.identity import normalize_phone, phone_problem
from desktop.domain.text import clean_text
from desktop.services.audit import snapshot
from desktop.services.common import check_version
from desktop.services.context import ServiceContext


@dataclass(frozen=True)
class CommitteeInfo:
    id: int
    name: str
    short_name: str
    seal_text: str | None
    kind: str | None
    community_id: int | None
    address: str | None
    phone: str | None
    case_count: int
    retired_on: dt.date | None
    version: int


@dataclass(frozen=True)
class MediatorInfo:
    id: int
    committee_id: int
    name: str
    gender: str | None
    phone: str | None
    title: str | None
    active: bool
    version: int


@dataclass
class CommitteeInput:
    name: str
    short_name: str
    seal_text: str | None = None
    kind: str | None = "社区(居)调委会"
    community_id: int | None = None
    address: str | None = None
    phone: str | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class MediatorInput:
    committee_id: int
    name: str
    gender: str | None = None
    phone: str | None = None
    title: str | None = None
    active: bool = True
    id: int | None = None
    version: int | None = None


def _info(c: MediationCommittee, cases: int) -> CommitteeInfo:
    return CommitteeInfo(
        c.id,
        c.name,
        c.short_name,
        c.seal_text,
        c.kind,
        c.community_id,
        c.address,
        c.phone,
        cases,
        c.retired_on,
        c.version,
    )


def _mediator_info(m: Mediator) -> MediatorInfo:
    return MediatorInfo(m.id, m.committee_id, m.name, m.gender, m.phone, m.title, m.active, m.version)


def list_committees(ctx: ServiceContext, include_retired: bool = False) -> list[CommitteeInfo]:
    with ctx.read() as s:
        counts = dict(
            s.execute(
                select(MediationCase.committee_id, func.count()).group_by(MediationCase.committee_id)
            ).all()
        )
        q = select(MediationCommittee).order_by(MediationCommittee.id)
        if not include_retired:
            q = q.where(MediationCommittee.retired_on.is_(None))
        return [_info(c, counts.get(c.id, 0)) for c in s.scalars(q)]


def get_committee(ctx: ServiceContext, committee_id: int) -> CommitteeInfo:
    with ctx.read() as s:
        c = s.get(MediationCommittee, committee_id)
        if c is None:
            raise NotFoundError(f"找不到编号为 {committee_id} 的人民调解委员会。")
        n = s.scalar(select(func.count()).where(MediationCase.committee_id == c.id)) or 0
        return _info(c, n)


def _check(data: CommitteeInput) -> tuple[str, str, str | None]:
    name, short = clean_text(data.name), clean_text(data.short_name).replace(" ", "")
    if not name:
        raise ValidationError("请填写人民调解委员会名称。", field="name")
    if len(name) > 80:
        raise ValidationError("人民调解委员会名称不能超过 80 个字符。", field="name")
    if not short:
        raise ValidationError("请填写用于案件编号的简称（例如“新华社区”）。", field="short_name")
    if len(short) > 30 or any(c in short for c in "（）()〔〕第号"):
        raise ValidationError("简称不能超过 30 个字，且不能含括号、“第”或“号”。", field="short_name")
    phone = normalize_phone(data.phone) or None
    if phone and (problem := phone_problem(phone)):
        raise ValidationError(f"联系电话：{problem}", field="phone")
    return name, short, phone


def save_committee(ctx: ServiceContext, data: CommitteeInput) -> int:
    """Create or update a committee; the short name only changes the numbers of cases added later."""
    name, short, phone = _check(data)
    with ctx.write() as uow:
        s = uow.session
        for col, value, label in (
            (MediationCommittee.name, name, "名称"),
            (MediationCommittee.short_name, short, "简称"),
        ):
            other = s.scalar(select(MediationCommittee.id).where(col == value))
            if other is not None and other != data.id:
                raise ConflictError(f"已有{label}为“{value}”的人民调解委员会。")
        if data.id is None:
            c = MediationCommittee(name=name, short_name=short)
            s.add(c)
            before = None
        else:
            found = s.get(MediationCommittee, data.id)
            if found is None:
                raise NotFoundError("该人民调解委员会已不存在。")
            c = found
            check_version(c.version, data.version)
            before = snapshot(c)
            c.name, c.short_name = name, short
        c.seal_text = clean_text(data.seal_text) or name
        c.kind = clean_text(data.kind) or None
        c.community_id = data.community_id
        c.address = clean_text(data.address) or None
        c.phone = phone
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "mediation_committee",
            c.id,
            summary=f"人民调解委员会：{name}（简称 {short}）",
            before=before,
            after=snapshot(c),
        )
        return c.id


def list_mediators(
    ctx: ServiceContext, committee_id: int | None = None, active_only: bool = False
) -> list[MediatorInfo]:
    with ctx.read() as s:
        q = select(Mediator).order_by(Mediator.committee_id, Mediator.id)
        if committee_id is not None:
            q = q.where(Mediator.committee_id == committee_id)
        if active_only:
            q = q.where(Mediator.active.is_(True))
        return [_mediator_info(m) for m in s.scalars(q)]


def save_mediator(ctx: ServiceContext, data: MediatorInput) -> int:
    name = clean_text(data.name).replace(" ", "")
    if not name:
        raise ValidationError("请填写调解员姓名。", field="name")
    if len(name) > 50:
        raise ValidationError("调解员姓名不能超过 50 个字符。", field="name")
    phone = normalize_phone(data.phone) or None
    if phone and (problem := phone_problem(phone)):
        raise ValidationError(f"联系电话：{problem}", field="phone")
    gender = clean_text(data.gender) or None
    if gender not in (None, "男", "女"):
        raise ValidationError("性别应为“男”或“女”。", field="gender")
    with ctx.write() as uow:
        s = uow.session
        if s.get(MediationCommittee, data.committee_id) is None:
            raise NotFoundError("该人民调解委员会已不存在。")
        if data.id is None:
            m = Mediator(committee_id=data.committee_id, name=name)
            s.add(m)
            before = None
        else:
            found = s.get(Mediator, data.id)
            if found is None:
                raise NotFoundError("该调解员已不存在。")
            m = found
            check_version(m.version, data.version)
            before = snapshot(m)
            m.name = name
        m.gender, m.phone, m.title, m.active = gender, phone, clean_text(data.title) or None, data.active
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "mediator",
            m.id,
            summary=f"人民调解员：{name}" + ("" if m.active else "（已停用）"),
            before=before,
            after=snapshot(m),
        )
        return m.id


def mediator_by_name(s: Session, committee_id: int, name: str) -> Mediator | None:
    return s.scalar(
        select(Mediator)
        .where(Mediator.committee_id == committee_id, Mediator.name == name)
        .order_by(Mediator.id)
    )
