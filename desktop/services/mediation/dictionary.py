"""The mediation dictionaries: dispute types (司法行政 statistics) with sub-types, routes, retention.

The 18 dispute types are the default of the ``DISPUTE_TYPE`` dictionary (``dictionary_entry``); a
street can rename, reorder or add types and sub-types in 设置 without a program change. Codes are the
type without the trailing 纠纷 (``婚姻家庭``); labels carry it (``婚姻家庭纠纷``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.settings import DictionaryEntry
from desktop.core.errors import ValidationError
from desktop.domain.text import clean_text
from desktop.services.context import ServiceContext

DISPUTE_TYPE_KIND = "DISPUTE_TYPE"
DISPUTE_SUBTYPE_KIND = "DISPUTE_SUBTYPE"

#: (code, sub-types) in the order of the 司法局 statistics
DEFAULT_DISPUTE_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("婚姻家庭", ("婚姻", "赡养", "抚养", "扶养", "继承", "家庭财产", "其他家庭")),
    ("邻里", ("相邻通行", "采光通风", "噪音", "漏水", "宠物", "其他邻里")),
    ("房屋宅基地", ("房屋租赁", "房屋买卖", "宅基地", "房屋修缮")),
    ("合同", ("借款", "买卖", "承揽", "装修", "其他合同")),
    ("生产经营", ("合伙", "经营场地", "其他经营")),
    ("损害赔偿", ("人身损害", "财产损害", "动物致害")),
    ("山林土地", ("土地承包", "林权", "土地使用")),
    ("征地拆迁", ("征收补偿", "安置")),
    ("环境污染", ("噪声污染", "油烟", "水污染", "其他污染")),
    ("劳动争议", ("拖欠工资", "工伤", "劳动合同", "社会保险")),
    ("消费", ("商品质量", "服务质量", "预付卡")),
    ("医疗", ("医疗损害", "医疗费用")),
    ("道路交通事故", ("人身伤害", "车辆损失")),
    ("物业", ("物业费", "停车", "公共设施", "物业服务")),
    ("旅游", ()),
    ("知识产权", ()),
    ("互联网", ("网络购物", "网络侵权")),
    ("其他", ()),
)

ROUTES = ("向人民法院起诉", "申请仲裁", "请求行政机关处理", "申请其他调解组织调解")
RETENTION_PERIODS = ("永久", "长期", "短期")
COMMITTEE_KINDS = (
    "社区(居)调委会",
    "村(嘎查)调委会",
    "街道调委会",
    "乡镇(苏木)调委会",
    "企事业单位调委会",
    "专业性行业性调委会",
)


@dataclass(frozen=True)
class DisputeType:
    code: str  # 婚姻家庭
    label: str  # 婚姻家庭纠纷
    subtypes: tuple[str, ...]
    active: bool = True


def _label(code: str) -> str:
    return code if code.endswith("纠纷") else f"{code}纠纷"


def default_dispute_types() -> list[DisputeType]:
    return [DisputeType(code, _label(code), subs) for code, subs in DEFAULT_DISPUTE_TYPES]


def load_dispute_types(session: Session, include_inactive: bool = False) -> list[DisputeType]:
    """The dictionary as the street keeps it; the 18 defaults while it is empty."""
    rows = session.scalars(
        select(DictionaryEntry)
        .where(DictionaryEntry.kind.in_((DISPUTE_TYPE_KIND, DISPUTE_SUBTYPE_KIND)))
        .order_by(DictionaryEntry.sort_key, DictionaryEntry.id)
    ).all()
    types = [r for r in rows if r.kind == DISPUTE_TYPE_KIND]
    if not types:
        return default_dispute_types()
    subs: dict[str, list[str]] = {}
    for r in rows:
        if r.kind == DISPUTE_SUBTYPE_KIND and r.parent_code and (r.active or include_inactive):
            subs.setdefault(r.parent_code, []).append(r.label)
    return [
        DisputeType(t.code, t.label, tuple(subs.get(t.code, ())), t.active)
        for t in types
        if t.active or include_inactive
    ]


def match_dispute_type(text: object, types: list[DisputeType]) -> DisputeType | None:
    """ "婚姻家庭纠纷", "婚姻家庭", "婚姻家庭纠纷（赡养）" → the type (with or without the trailing 纠纷)."""
    t = clean_text(text).replace(" ", "")
    if not t:
        return None
    for sep in ("（", "("):
        t = t.split(sep)[0]
    key = t.removesuffix("纠纷")
    for dt_ in types:
        if key in (dt_.code, dt_.code.removesuffix("纠纷"), dt_.label.removesuffix("纠纷")):
            return dt_
    return None


def dispute_label(code: str, types: list[DisputeType]) -> str:
    for t in types:
        if t.code == code:
            return t.label
    return _label(code)


def dispute_types(ctx: ServiceContext) -> list[DisputeType]:
    """The active dispute types with their sub-types (for forms and filters)."""
    with ctx.read() as s:
        return load_dispute_types(s)


def parse_dispute_types(text: str) -> list[DisputeType]:
    """ "婚姻家庭纠纷：赡养、抚养" per line → types (the code drops the trailing 纠纷); blank lines skipped."""
    out: list[DisputeType] = []
    seen: set[str] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = clean_text(raw)
        if not line:
            continue
        name, _sep, subs = line.replace(":", "：").partition("：")
        code = clean_text(name).replace(" ", "").removesuffix("纠纷")
        if not code:
            raise ValidationError(f"第 {n} 行没有纠纷类型名称。", field="dispute_types")
        if len(code) > 36:
            raise ValidationError(f"第 {n} 行的纠纷类型名称太长（不超过 36 个字）。", field="dispute_types")
        if code in seen:
            raise ValidationError(f"纠纷类型“{_label(code)}”重复（第 {n} 行）。", field="dispute_types")
        seen.add(code)
        parts = [clean_text(x) for x in re.split(r"[、,，;；/]+", subs) if clean_text(x)]
        out.append(DisputeType(code, _label(code), tuple(dict.fromkeys(parts))))
    if not out:
        raise ValidationError("至少要有一个纠纷类型。", field="dispute_types")
    return out


def format_dispute_types(types: list[DisputeType]) -> str:
    return "\n".join(t.label + ("：" + "、".join(t.subtypes) if t.subtypes else "") for t in types)


def save_dispute_types(ctx: ServiceContext, types: list[DisputeType]) -> None:
    """Replace the street's dictionary. Types no longer listed are deactivated, never deleted (cases use them)."""
    with ctx.write() as uow:
        s = uow.session
        before = format_dispute_types(load_dispute_types(s))
        rows = {
            (r.kind, r.code): r
            for r in s.scalars(
                select(DictionaryEntry).where(
                    DictionaryEntry.kind.in_((DISPUTE_TYPE_KIND, DISPUTE_SUBTYPE_KIND))
                )
            )
        }
        for r in rows.values():
            r.active = False
        for i, t in enumerate(types, start=1):
            row = rows.get((DISPUTE_TYPE_KIND, t.code))
            if row is None:
                row = DictionaryEntry(kind=DISPUTE_TYPE_KIND, code=t.code, label=t.label)
                s.add(row)
            row.label, row.sort_key, row.active, row.parent_code = t.label, i, True, None
            for j, sub in enumerate(t.subtypes, start=1):
                code = f"{t.code}/{sub}"[:40]
                srow = rows.get((DISPUTE_SUBTYPE_KIND, code))
                if srow is None:
                    srow = DictionaryEntry(kind=DISPUTE_SUBTYPE_KIND, code=code, label=sub)
                    s.add(srow)
                    rows[(DISPUTE_SUBTYPE_KIND, code)] = srow
                srow.label, srow.parent_code, srow.sort_key, srow.active = sub, t.code, i * 100 + j, True
        s.flush()
        uow.audit(
            "update",
            "dictionary_entry",
            DISPUTE_TYPE_KIND,
            summary="纠纷类型字典",
            before={"types": before},
            after={"types": format_dispute_types(types)},
        )
