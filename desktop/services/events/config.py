"""The street's event settings: sources, categories with sub-categories (each with its time limits and its
responsible department), departments, who may whistle, and the attachment size limits.

Sources, categories, sub-categories and departments are dictionaries (``dictionary_entry`` kinds
``EVENT_SOURCE``, ``EVENT_CATEGORY``, ``EVENT_SUBCATEGORY`` with ``parent_code``, ``EVENT_DEPARTMENT``); the
defaults below apply while a dictionary is empty, as for the mediation dispute types. The limits and the
department of each category (and of a sub-category that differs from its category) are the setting
``events.category_rules``: ``{"消防安全": {"department": "消防救援站", "normal": [5, "WORKDAY"],
"urgent": [24, "HOUR"]}, "消防安全/消防通道堵塞": {"normal": [2, "WORKDAY"]}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.schema.events import GridEvent
from db.schema.settings import DictionaryEntry
from desktop.core.errors import ValidationError
from desktop.domain.events import DEFAULT_NORMAL_LIMIT, DEFAULT_URGENT_LIMIT, TimeLimit
from desktop.domain.text import clean_text
from desktop.services.context import ServiceContext
from desktop.services.settings import json_object, load_setting, store_setting

SOURCE_KIND = "EVENT_SOURCE"
CATEGORY_KIND = "EVENT_CATEGORY"
SUBCATEGORY_KIND = "EVENT_SUBCATEGORY"
DEPARTMENT_KIND = "EVENT_DEPARTMENT"
RULES_KEY = "events.category_rules"
WHISTLERS_KEY = "events.whistlers"
ATTACHMENT_KEY = "events.attachment_limits"

DEFAULT_SOURCES = (
    "网格员巡查", "居民反映", "12345热线", "两代表一委员", "上级交办", "部门移交", "视频监控", "其他",
)  # fmt: skip
DEFAULT_DEPARTMENTS = (
    "街道综治中心", "派出所", "城管执法中队", "市场监管所", "住建部门", "消防救援站", "环卫所",
    "街道应急办", "街道社会事务办", "供水供电供气单位",
)  # fmt: skip
#: (category, department, sub-categories)
DEFAULT_CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("矛盾纠纷", "街道综治中心", ("邻里纠纷", "婚姻家庭纠纷", "物业纠纷", "劳动争议", "其他纠纷")),
    ("治安隐患", "派出所", ("可疑人员", "噪音扰民", "非法经营", "其他治安隐患")),
    ("安全生产", "街道应急办", ("燃气安全", "危险化学品", "施工安全", "特种设备")),
    ("环境卫生", "环卫所", ("垃圾堆放", "污水外溢", "油烟扰民", "病媒生物")),
    ("市政设施", "住建部门", ("道路破损", "路灯损坏", "井盖缺失", "排水堵塞", "供水供电供气")),
    ("违章建筑", "城管执法中队", ("违法搭建", "占道经营", "毁绿占绿")),
    ("消防安全", "消防救援站", ("消防通道堵塞", "电动车违规充电", "消防设施损坏")),
    ("民生服务", "街道社会事务办", ("社会救助", "养老服务", "就业帮扶", "食品安全")),
    ("其他", "街道综治中心", ()),
)
#: sub-categories whose department or limit differs from their category's
DEFAULT_SUB_RULES: dict[str, dict[str, Any]] = {
    "民生服务/食品安全": {"department": "市场监管所"},
    "市政设施/供水供电供气": {"department": "供水供电供气单位"},
    "消防安全/消防通道堵塞": {"normal": [2, "WORKDAY"]},
    "治安隐患/非法经营": {"department": "市场监管所"},
}
DEFAULT_FILE_KB = 10 * 1024  # 10 MB a file
DEFAULT_EVENT_KB = 50 * 1024  # 50 MB an event


@dataclass(frozen=True)
class CategoryRule:
    """A category's (or sub-category's) responsible department and limits; None: inherited."""

    department: str | None = None
    normal: TimeLimit | None = None
    urgent: TimeLimit | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.department:
            out["department"] = self.department
        if self.normal:
            out["normal"] = self.normal.to_json()
        if self.urgent:
            out["urgent"] = self.urgent.to_json()
        return out


@dataclass(frozen=True)
class EventSubcategory:
    label: str
    rule: CategoryRule = CategoryRule()


@dataclass(frozen=True)
class EventCategory:
    code: str  # also its label: 消防安全
    rule: CategoryRule = CategoryRule()
    subcategories: tuple[EventSubcategory, ...] = ()
    active: bool = True

    def subcategory(self, label: str | None) -> EventSubcategory | None:
        return next((s for s in self.subcategories if s.label == label), None)


@dataclass(frozen=True)
class Resolved:
    """What an event of a category, sub-category and urgency is given at intake."""

    limit: TimeLimit
    department: str | None


@dataclass(frozen=True)
class EventDictionary:
    sources: tuple[str, ...]
    categories: tuple[EventCategory, ...]
    departments: tuple[str, ...]

    def category(self, code: str) -> EventCategory | None:
        code = clean_text(code)
        return next((c for c in self.categories if c.code == code), None)

    def resolve(self, category: str, subcategory: str | None, urgency: str) -> Resolved:
        cat = self.category(category)
        rules = [cat.rule] if cat else []
        sub = cat.subcategory(subcategory) if cat else None
        if sub is not None:
            rules.insert(0, sub.rule)
        department = next((r.department for r in rules if r.department), None)
        if urgency == "URGENT":
            limit = next((r.urgent for r in rules if r.urgent), DEFAULT_URGENT_LIMIT)
        else:
            limit = next((r.normal for r in rules if r.normal), DEFAULT_NORMAL_LIMIT)
        return Resolved(limit, department)


@dataclass(frozen=True)
class AttachmentLimits:
    file_kb: int = DEFAULT_FILE_KB
    event_kb: int = DEFAULT_EVENT_KB


def _rule_from_json(value: Any) -> CategoryRule:
    d = json_object(value)
    dept = clean_text(d.get("department")) or None
    normal = TimeLimit.from_json(d["normal"]) if d.get("normal") else None
    urgent = TimeLimit.from_json(d["urgent"]) if d.get("urgent") else None
    return CategoryRule(dept, normal, urgent)


def _parse_rules(value: Any) -> dict[str, CategoryRule]:
    return {str(k): _rule_from_json(v) for k, v in json_object(value).items()}


def _default_rules() -> dict[str, CategoryRule]:
    rules = {code: CategoryRule(dept) for code, dept, _subs in DEFAULT_CATEGORIES}
    rules.update({k: _rule_from_json(v) for k, v in DEFAULT_SUB_RULES.items()})
    return rules


def _entries(s: Session, kinds: tuple[str, ...]) -> list[DictionaryEntry]:
    return list(
        s.scalars(
            select(DictionaryEntry)
            .where(DictionaryEntry.kind.in_(kinds))
            .order_by(DictionaryEntry.sort_key, DictionaryEntry.id)
        )
    )


def load_event_dictionary(s: Session, include_inactive: bool = False) -> EventDictionary:
    """The street's dictionaries and rules; the defaults for a dictionary still empty."""
    rows = _entries(s, (SOURCE_KIND, CATEGORY_KIND, SUBCATEGORY_KIND, DEPARTMENT_KIND))
    shown = [r for r in rows if r.active or include_inactive]
    sources = tuple(r.label for r in shown if r.kind == SOURCE_KIND)
    departments = tuple(r.label for r in shown if r.kind == DEPARTMENT_KIND)
    rules = load_setting(s, RULES_KEY, _default_rules(), _parse_rules)
    if any(r.kind == CATEGORY_KIND for r in rows):
        subs: dict[str, list[str]] = {}
        for r in shown:
            if r.kind == SUBCATEGORY_KIND and r.parent_code:
                subs.setdefault(r.parent_code, []).append(r.label)
        cats = [(r.code, tuple(subs.get(r.code, ())), r.active) for r in rows if r.kind == CATEGORY_KIND]
    else:
        cats = [(code, subs_, True) for code, _d, subs_ in DEFAULT_CATEGORIES]
    categories = tuple(
        EventCategory(
            code,
            rules.get(code, CategoryRule()),
            tuple(EventSubcategory(sub, rules.get(f"{code}/{sub}", CategoryRule())) for sub in subs_),
            active,
        )
        for code, subs_, active in cats
        if active or include_inactive
    )
    has = {r.kind for r in rows}
    return EventDictionary(
        sources if SOURCE_KIND in has else DEFAULT_SOURCES,
        categories,
        departments if DEPARTMENT_KIND in has else DEFAULT_DEPARTMENTS,
    )


def event_dictionary(ctx: ServiceContext) -> EventDictionary:
    """The active sources, categories (with sub-categories and rules) and departments, for forms and filters."""
    with ctx.read() as s:
        return load_event_dictionary(s)


def _clean_names(values: list[str], what: str, field_name: str, limit: int = 40) -> list[str]:
    out: list[str] = []
    for n, raw in enumerate(values, start=1):
        name = clean_text(raw)
        if not name:
            continue
        if len(name) > limit:
            raise ValidationError(f"第 {n} 个{what}“{name}”太长（不超过 {limit} 个字）。", field=field_name)
        if name in out:
            raise ValidationError(f"{what}“{name}”重复（第 {n} 个）。", field=field_name)
        out.append(name)
    if not out:
        raise ValidationError(f"至少要有一个{what}。", field=field_name)
    return out


def _replace_entries(
    s: Session, kinds: tuple[str, ...], wanted: list[tuple[str, str, str, str | None]]
) -> None:
    """Make the active entries of ``kinds`` exactly ``wanted`` (kind, code, label, parent); others are
    deactivated, never deleted (events keep their codes)."""
    rows = {(r.kind, r.code): r for r in _entries(s, kinds)}
    for r in rows.values():
        r.active = False
    for i, (kind, code, label, parent) in enumerate(wanted, start=1):
        row = rows.get((kind, code))
        if row is None:
            row = DictionaryEntry(kind=kind, code=code, label=label)
            s.add(row)
            rows[(kind, code)] = row
        row.label, row.parent_code, row.sort_key, row.active = label, parent, i, True
    s.flush()


def save_event_sources(ctx: ServiceContext, sources: list[str]) -> None:
    names = _clean_names(sources, "事件来源", "sources")
    with ctx.write() as uow:
        _replace_entries(uow.session, (SOURCE_KIND,), [(SOURCE_KIND, n, n, None) for n in names])
        uow.audit("update", "dictionary_entry", SOURCE_KIND, summary="事件来源字典", after={"sources": names})


def save_event_departments(ctx: ServiceContext, departments: list[str]) -> None:
    names = _clean_names(departments, "职能部门", "departments", 60)
    with ctx.write() as uow:
        _check_categories(load_event_dictionary(uow.session).categories, names)  # none left without one
        _replace_entries(uow.session, (DEPARTMENT_KIND,), [(DEPARTMENT_KIND, n, n, None) for n in names])
        uow.audit(
            "update",
            "dictionary_entry",
            DEPARTMENT_KIND,
            summary="职能部门字典",
            after={"departments": names},
        )


def _check_categories(
    categories: list[EventCategory] | tuple[EventCategory, ...], departments: tuple[str, ...] | list[str]
) -> tuple[list[tuple[str, str, str, str | None]], dict[str, Any], list[str]]:
    """The dictionary entries and the rules of ``categories``, or a ValidationError naming the category:
    names blank, too long or repeated, a responsible department not in ``departments``."""
    codes = _clean_names([c.code for c in categories], "事件类别", "categories", 36)
    if len(codes) != len(categories):
        raise ValidationError("事件类别名称不能为空。", field="categories")
    wanted: list[tuple[str, str, str, str | None]] = []
    rules: dict[str, Any] = {}

    def check_department(rule: CategoryRule, where: str) -> None:
        if rule.department and rule.department not in departments:
            raise ValidationError(
                f"事件类别“{where}”的责任部门“{rule.department}”不在职能部门列表中，请先添加该部门或改选其他部门。",
                field="categories",
            )

    for cat, code in zip(categories, codes, strict=True):
        wanted.append((CATEGORY_KIND, code, code, None))
        check_department(cat.rule, code)
        if cat.rule.to_json():
            rules[code] = cat.rule.to_json()
        labels = [s.label for s in cat.subcategories]
        subs = _clean_names(labels, f"“{code}”的子类", "subcategories", 30) if labels else []
        if len(subs) != len(labels):
            raise ValidationError(f"“{code}”的子类名称不能为空。", field="subcategories")
        for sub, label in zip(cat.subcategories, subs, strict=True):
            key = f"{code}/{label}"
            check_department(sub.rule, f"{code} / {label}")
            wanted.append((SUBCATEGORY_KIND, key[:40], label, code))
            if sub.rule.to_json():
                rules[key] = sub.rule.to_json()
    return wanted, rules, codes


def save_event_categories(ctx: ServiceContext, categories: list[EventCategory]) -> None:
    """Replace the category dictionary and its rules (one audited transaction)."""
    with ctx.write() as uow:
        departments = load_event_dictionary(uow.session).departments
        wanted, rules, codes = _check_categories(categories, departments)
        _replace_entries(uow.session, (CATEGORY_KIND, SUBCATEGORY_KIND), wanted)
        store_setting(uow, RULES_KEY, rules, "事件类别时限与责任部门")
        uow.audit(
            "update", "dictionary_entry", CATEGORY_KIND, summary="事件类别字典", after={"categories": codes}
        )


def with_rule(category: EventCategory, subcategory: str | None = None, **changes: Any) -> EventCategory:
    """``category`` with its rule (or one sub-category's) changed: ``department=``, ``normal=``, ``urgent=``."""
    if subcategory is None:
        return replace(category, rule=replace(category.rule, **changes))
    subs = tuple(
        replace(s, rule=replace(s.rule, **changes)) if s.label == subcategory else s
        for s in category.subcategories
    )
    return replace(category, subcategories=subs)


# ---------------------------------------------------------------- whistlers and attachments


def load_whistlers(s: Session) -> tuple[str, ...]:
    """Who may 吹哨 (names or posts, e.g. 社区书记); empty: anyone (the setting not yet made)."""
    return load_setting(s, WHISTLERS_KEY, (), lambda v: tuple(str(x) for x in v if isinstance(x, str) and x))


def _check_whistlers(names: list[str] | tuple[str, ...]) -> list[str]:
    cleaned = list(dict.fromkeys(clean_text(n) for n in names if clean_text(n)))
    long = next((n for n in cleaned if len(n) > 50), None)
    if long:
        raise ValidationError(f"吹哨人员“{long[:20]}…”太长（不超过 50 个字）。", field="whistlers")
    return cleaned


def save_whistlers(ctx: ServiceContext, names: list[str]) -> None:
    cleaned = _check_whistlers(names)
    with ctx.write() as uow:
        store_setting(uow, WHISTLERS_KEY, cleaned, "可以吹哨的人员")


def whistlers(ctx: ServiceContext) -> tuple[str, ...]:
    with ctx.read() as s:
        return load_whistlers(s)


def _parse_limits(value: Any) -> AttachmentLimits:
    d = json_object(value)
    file_kb, event_kb = int(d["file_kb"]), int(d["event_kb"])
    if not 1 <= file_kb <= event_kb:
        raise ValueError("bad limits")
    return AttachmentLimits(file_kb, event_kb)


def load_attachment_limits(s: Session) -> AttachmentLimits:
    return load_setting(s, ATTACHMENT_KEY, AttachmentLimits(), _parse_limits)


def _check_attachments(limits: AttachmentLimits) -> None:
    if limits.file_kb < 1:
        raise ValidationError("单个附件的大小上限至少 1 KB。", field="file_kb")
    if limits.event_kb < limits.file_kb:
        raise ValidationError("每个事件的附件总量上限不能小于单个附件的上限。", field="event_kb")


def save_attachment_limits(ctx: ServiceContext, limits: AttachmentLimits) -> None:
    _check_attachments(limits)
    with ctx.write() as uow:
        value = {"file_kb": limits.file_kb, "event_kb": limits.event_kb}
        store_setting(uow, ATTACHMENT_KEY, value, "事件附件大小上限")


# ---------------------------------------------------------------- all of it at once (设置 → 网格事件)


@dataclass(frozen=True)
class EventSettings:
    """Everything 设置 → 网格事件 edits: the active dictionaries, the rules, whistlers and attachment limits."""

    sources: tuple[str, ...]
    departments: tuple[str, ...]
    categories: tuple[EventCategory, ...]
    whistlers: tuple[str, ...]
    attachments: AttachmentLimits


def event_settings(ctx: ServiceContext) -> EventSettings:
    with ctx.read() as s:
        d = load_event_dictionary(s)
        return EventSettings(
            d.sources, d.departments, d.categories, load_whistlers(s), load_attachment_limits(s)
        )


def _open_with_other_rule(s: Session, dic: EventDictionary) -> int:
    """Open events whose limit or department differs from what ``dic`` gives their category now (they keep
    theirs: both are fixed at receipt)."""
    rows = s.execute(
        select(
            GridEvent.category,
            GridEvent.subcategory,
            GridEvent.urgency,
            GridEvent.limit_amount,
            GridEvent.limit_unit,
            func.count(),
        )
        .where(GridEvent.closed_at.is_(None), GridEvent.extended_days == 0)
        .group_by(
            GridEvent.category,
            GridEvent.subcategory,
            GridEvent.urgency,
            GridEvent.limit_amount,
            GridEvent.limit_unit,
        )
    )
    kept = 0
    for category, sub, urgency, amount, unit, n in rows:
        if dic.resolve(category, sub, urgency).limit != TimeLimit(amount, unit):
            kept += n
    return kept


def save_event_settings(ctx: ServiceContext, settings: EventSettings) -> int:
    """Save all of 设置 → 网格事件 in one audited transaction, checked first as a whole (a category's
    department must be in the departments saved with it). New limits and departments apply to events
    received from now on; returns how many open events keep a limit that differs from the new rules."""
    sources = _clean_names(list(settings.sources), "事件来源", "sources")
    departments = _clean_names(list(settings.departments), "职能部门", "departments", 60)
    wanted, rules, codes = _check_categories(settings.categories, departments)
    whistler_names = _check_whistlers(settings.whistlers)
    _check_attachments(settings.attachments)
    with ctx.write() as uow:
        s = uow.session
        _replace_entries(s, (SOURCE_KIND,), [(SOURCE_KIND, n, n, None) for n in sources])
        _replace_entries(s, (DEPARTMENT_KIND,), [(DEPARTMENT_KIND, n, n, None) for n in departments])
        _replace_entries(s, (CATEGORY_KIND, SUBCATEGORY_KIND), wanted)
        store_setting(uow, RULES_KEY, rules, "事件类别时限与责任部门")
        store_setting(uow, WHISTLERS_KEY, whistler_names, "可以吹哨的人员")
        limits = settings.attachments
        store_setting(
            uow, ATTACHMENT_KEY, {"file_kb": limits.file_kb, "event_kb": limits.event_kb}, "事件附件大小上限"
        )
        uow.audit(
            "update",
            "dictionary_entry",
            CATEGORY_KIND,
            summary="网格事件设置：来源、职能部门、事件类别",
            after={"sources": sources, "departments": departments, "categories": codes},
        )
        return _open_with_other_rule(s, load_event_dictionary(s))
