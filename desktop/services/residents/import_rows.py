"""Resident import, step 1: every row checked on its own (no database writes), against reference data.

:func:`load_reference` reads what the rules need once (communities, grids, the tag dictionary, the
care-tier labels); :func:`check_rows` turns each :class:`~desktop.exchange.reading.Record` into a
:class:`ParsedRow` or into issues. Rules that need the register itself (the ID already registered
under another name, households and their heads) are step 2, in ``residents.import_check``
(then written by ``residents.import_write``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from db.schema.people import ResidentTag
from db.schema.structure import Community, Grid
from desktop.domain.identity import birth_date_from_id, gender_from_id, normalize_phone, phone_problem
from desktop.domain.text import clean_text, normalize_code
from desktop.exchange.cells import BLANK, Cell, CellValue, exact_text, present
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import Record
from desktop.exchange.residents import (
    HEADERS,
    AddressParts,
    clean_name,
    name_problem,
    read_id_number,
    residence_kind_from_text,
    split_address,
    split_phones,
    split_tags,
    tier_lookup,
)
from desktop.exchange.values import ValueProblem, parse_date, parse_gender
from desktop.services import dictionaries
from desktop.services.context import ServiceContext
from desktop.services.residents.common import clean_free_text
from desktop.services.residents.config import care_tiers, special_groups

Progress = Callable[[int, int, str], None]
RELATION_ALIASES = {
    "本人": "户主",
    "户主本人": "户主",
    "妻": "配偶",
    "夫": "配偶",
    "妻子": "配偶",
    "丈夫": "配偶",
}
_LIMITS = {"ethnicity": 20, "relation": 20, "household_no": 30, "notes": 1000}
_PART_LIMITS = {"estate": 60, "building": 20, "unit": 20, "room": 20}


def issue(
    row: int, key: str | None, value: object, reason: str, code: str, *, warning: bool = False
) -> ImportIssue:
    return ImportIssue(
        row,
        HEADERS[key] if key else None,
        value,
        reason,
        Severity.WARNING if warning else Severity.ERROR,
        code,
    )


def listing(items: Iterable[str], limit: int = 20) -> str:
    items = list(items)
    text = "、".join(items[:limit])
    return text + (f" 等 {len(items)} 项" if len(items) > limit else "")


# ---------------------------------------------------------------- reference data


@dataclass(frozen=True)
class GridRef:
    id: int
    code: str
    name: str
    community_id: int
    retired: bool


@dataclass
class Reference:
    """What row checks need from the database and the settings, read once."""

    communities: dict[str, int]  # name → id (active)
    retired_communities: set[str]
    community_names: dict[int, str]
    grids_by_code: dict[str, GridRef]
    grids_by_name: dict[str, list[GridRef]]
    tag_dictionary: list[str]
    tags_in_use: set[str]  # labels residents carry (a label retired from the dictionary may stay on them)
    tiers: dict[str, str]  # any spelling → code
    tier_labels: list[str]
    today: dt.date  # no one is born after it

    @property
    def only_community(self) -> int | None:
        return next(iter(self.communities.values())) if len(self.communities) == 1 else None


def load_reference(ctx: ServiceContext) -> Reference:
    tiers = care_tiers(ctx)
    tags = special_groups(ctx)
    with ctx.read() as s:
        communities = list(s.execute(select(Community.id, Community.name, Community.retired_on)))
        in_use = set(s.scalars(select(ResidentTag.tag).distinct()))
        grids = [
            GridRef(
                g.id, normalize_code(g.code), clean_text(g.name), g.community_id, g.retired_on is not None
            )
            for g in s.execute(
                select(Grid.id, Grid.code, Grid.name, Grid.community_id, Grid.retired_on).order_by(Grid.id)
            )
        ]
    by_name: dict[str, list[GridRef]] = {}
    for g in grids:
        by_name.setdefault(g.name, []).append(g)
    return Reference(
        communities={clean_text(name): cid for cid, name, retired in communities if retired is None},
        retired_communities={clean_text(name) for _cid, name, retired in communities if retired is not None},
        community_names={cid: name for cid, name, _retired in communities},
        grids_by_code={g.code.upper(): g for g in grids} | {g.code: g for g in grids},
        grids_by_name=by_name,
        tag_dictionary=tags,
        tags_in_use=in_use,
        tiers=tier_lookup({t.code: t.label for t in tiers}),
        tier_labels=[t.label for t in tiers],
        today=ctx.today(),
    )


# ---------------------------------------------------------------- one row


@dataclass(slots=True)
class ParsedRow:
    """A row that passed the checks of step 1. ``fields``: resident columns the file gives (non-blank)."""

    row: int
    id_number: str
    name: str
    fields: dict[str, Any]
    tags: list[str] | None = None  # None: the file says nothing about tags
    unknown_tags: list[str] = field(default_factory=list)
    address: AddressParts = field(default_factory=AddressParts)
    household_no: str | None = None

    @property
    def community_id(self) -> int | None:
        value = self.fields.get("community_id")
        return int(value) if value is not None else None

    @property
    def has_household(self) -> bool:
        return bool(self.household_no) or not self.address.is_blank()


_cleaned: dict[str, str] = {}


def _clean(text: str) -> str:
    """clean_text, remembered: a roster repeats its communities, grids, estates, relations and tiers."""
    if not text:
        return ""
    found = _cleaned.get(text)
    if found is None:
        if len(_cleaned) > 50_000:
            _cleaned.clear()
        found = _cleaned[text] = clean_text(text)
    return found


class _RowCells:
    """One record's cells by key: the raw values read once, a :class:`Cell` built only where one is asked for."""

    __slots__ = ("raws", "rec", "row")

    def __init__(self, rec: Record, keys: Iterable[str]) -> None:
        self.rec = rec
        self.row = rec.row
        self.raws = rec.raws(keys)

    def cell(self, key: str) -> Cell:
        return self.rec.cell(key) if key in self.raws else BLANK

    def raw(self, key: str) -> object:
        return self.raws.get(key)

    def value(self, key: str) -> CellValue:
        return present(self.raws.get(key))

    def text(self, key: str) -> str:
        raw = self.raws.get(key)
        if raw is None:
            return ""
        return raw if type(raw) is str else exact_text(raw)


class _RowChecker:
    """Checks one record after another; ``seen_ids`` finds the same person twice in the file."""

    def __init__(self, ref: Reference, columns: set[str]) -> None:
        self.ref = ref
        self.columns = columns
        self.seen_ids: dict[str, int] = {}
        self.tag_set = set(ref.tag_dictionary)

    def check(self, record: Record) -> tuple[ParsedRow | None, list[ImportIssue]]:
        rec = _RowCells(record, self.columns)
        n = rec.row
        issues: list[ImportIssue] = []
        fields: dict[str, Any] = {}

        name = clean_name(rec.text("name"))
        if (problem := name_problem(name)) is not None:
            issues.append(issue(n, "name", rec.raw("name"), problem, "name"))

        reading = read_id_number(rec.cell("id_number"), self.ref.today)
        id_number = reading.value
        if reading.problem:  # a number cell shows the digits Excel kept (…012000), not 6.2E+17
            shown = reading.shown if reading.shown is not None else rec.raw("id_number")
            issues.append(issue(n, "id_number", shown, reading.problem, "id_number"))
        elif id_number is None:
            issues.append(
                issue(n, "id_number", None, "不能为空（居民按公民身份号码识别，防止重复登记）", "required")
            )
        if reading.note:
            issues.append(issue(n, "id_number", rec.raw("id_number"), reading.note, "id_15", warning=True))
        if id_number is not None:
            first = self.seen_ids.get(id_number)
            if first is not None:
                issues.append(
                    issue(n, "id_number", id_number, f"与第 {first} 行重复（同一身份证号码）", "duplicate")
                )
                id_number = None
            else:
                self.seen_ids[id_number] = n

        if id_number is not None:
            self._person(rec, id_number, fields, issues)
        self._contact(rec, fields, issues)
        self._place(rec, fields, issues)
        parts, household_no = self._address(rec, issues)
        tags, unknown = self._tags(rec, issues)
        self._tier_and_notes(rec, fields, issues)

        if any(i.is_error for i in issues) or id_number is None:
            return None, issues
        row = ParsedRow(n, id_number, name, fields, tags, unknown, parts, household_no)
        return row, issues

    # -------------------------------------------------------- the parts of a row

    def _person(
        self, rec: _RowCells, id_number: str, fields: dict[str, Any], issues: list[ImportIssue]
    ) -> None:
        n = rec.row
        id_gender = gender_from_id(id_number)
        fields["gender"] = id_gender
        raw_gender = rec.value("gender")
        try:
            gender = parse_gender(raw_gender)
        except ValueProblem:
            issues.append(
                issue(
                    n,
                    "gender",
                    raw_gender,
                    f"无法识别，已按身份证号码记为{id_gender}",
                    "gender",
                    warning=True,
                )
            )
        else:
            if gender is not None and gender != id_gender:
                issues.append(
                    issue(
                        n,
                        "gender",
                        raw_gender,
                        f"“{gender}”与身份证号码不符（第 17 位表示{id_gender}性），已按身份证号码记为{id_gender}",
                        "gender_mismatch",
                        warning=True,
                    )
                )
        id_birth = birth_date_from_id(id_number)
        fields["birth_date"] = id_birth
        raw_birth = rec.value("birth_date")
        try:  # NFKC: a date typed with full-width digits and dashes (１９８０－０５－０６)
            birth = parse_date(
                normalize_code(raw_birth) if isinstance(raw_birth, str) else raw_birth, field="出生日期"
            )
        except ValueProblem as exc:
            issues.append(issue(n, "birth_date", raw_birth, str(exc), "date"))
            return
        if birth is not None and id_birth is not None and birth != id_birth:
            issues.append(
                issue(
                    n,
                    "birth_date",
                    raw_birth,
                    f"{birth:%Y-%m-%d} 与身份证号码中的出生日期 {id_birth:%Y-%m-%d} 不一致",
                    "birth_mismatch",
                )
            )

    def _contact(self, rec: _RowCells, fields: dict[str, Any], issues: list[ImportIssue]) -> None:
        n = rec.row
        ethnicity = _clean(rec.text("ethnicity")).replace(" ", "")
        if ethnicity:
            if ethnicity not in dictionaries.ETHNICITIES and ethnicity + "族" in dictionaries.ETHNICITIES:
                ethnicity += "族"
            if len(ethnicity) > _LIMITS["ethnicity"]:
                issues.append(issue(n, "ethnicity", ethnicity, "不能超过 20 个字", "too_long"))
            else:
                if ethnicity not in dictionaries.ETHNICITIES:
                    issues.append(
                        issue(
                            n,
                            "ethnicity",
                            ethnicity,
                            f"“{ethnicity}”不是 56 个民族的名称，已按原样导入",
                            "ethnicity",
                            warning=True,
                        )
                    )
                fields["ethnicity"] = ethnicity
        phones = split_phones(rec.text("phone"))
        if phones:
            phone = normalize_phone(phones[0])
            if (problem := phone_problem(phone)) is not None:
                issues.append(issue(n, "phone", rec.raw("phone"), problem, "phone"))
            elif len(phone) > 30:
                issues.append(issue(n, "phone", rec.raw("phone"), "不能超过 30 个字符", "too_long"))
            else:
                fields["phone"] = phone
                if len(phones) > 1:
                    issues.append(
                        issue(
                            n,
                            "phone",
                            rec.raw("phone"),
                            f"一格中有 {len(phones)} 个号码，只导入了第一个（{phone}）",
                            "phones",
                            warning=True,
                        )
                    )
        kind_text = _clean(rec.text("residence_kind"))
        if kind_text:
            kind = residence_kind_from_text(kind_text)
            if kind is None:
                issues.append(
                    issue(n, "residence_kind", kind_text, f"“{kind_text}”无效，应为“户籍”或“流动”", "kind")
                )
            else:
                fields["residence_kind"] = kind

    def _place(self, rec: _RowCells, fields: dict[str, Any], issues: list[ImportIssue]) -> None:
        n, ref = rec.row, self.ref
        community_id: int | None = None
        name = _clean(rec.text("community")).replace(" ", "")
        if name:
            community_id = ref.communities.get(name)
            if community_id is None and not name.endswith("社区"):
                community_id = ref.communities.get(name + "社区")
            if community_id is None:
                if name in ref.retired_communities:
                    reason = f"社区“{name}”已撤销，不能导入居民"
                else:
                    reason = f"没有名为“{name}”的社区（现有：{listing(ref.communities)}）"
                issues.append(issue(n, "community", name, reason, "community"))
                return
        grid_text = _clean(rec.text("grid"))
        grid: GridRef | None = None
        if grid_text:
            code = normalize_code(grid_text).replace(" ", "")
            grid = ref.grids_by_code.get(code) or ref.grids_by_code.get(code.upper())
            if grid is None:
                named = ref.grids_by_name.get(grid_text.replace(" ", ""), [])
                if community_id is not None:
                    named = [g for g in named if g.community_id == community_id]
                active = [g for g in named if not g.retired] or named
                if len(active) > 1:
                    issues.append(
                        issue(
                            n,
                            "grid",
                            grid_text,
                            f"多个社区都有名为“{grid_text}”的网格，请填写社区或改用网格编号",
                            "grid_ambiguous",
                        )
                    )
                    return
                grid = active[0] if active else None
            if grid is None:
                where = f"{ref.community_names[community_id]}中" if community_id is not None else ""
                issues.append(
                    issue(
                        n,
                        "grid",
                        grid_text,
                        f"{where}没有编号或名称为“{grid_text}”的网格，请先在“网格”中添加或核对名称",
                        "grid",
                    )
                )
                return
            if grid.retired:
                issues.append(issue(n, "grid", grid_text, f"网格“{grid.name}”已撤销", "grid_retired"))
                return
            if community_id is not None and grid.community_id != community_id:
                issues.append(
                    issue(
                        n,
                        "grid",
                        grid_text,
                        f"网格“{grid.name}”（{grid.code}）属于{ref.community_names[grid.community_id]}，"
                        f"与本行的社区“{ref.community_names[community_id]}”不符",
                        "grid_community",
                    )
                )
                return
            if grid.community_id not in ref.community_names or (
                ref.community_names[grid.community_id] in ref.retired_communities
            ):
                issues.append(issue(n, "grid", grid_text, "该网格所属的社区已撤销", "community"))
                return
            community_id = grid.community_id
            fields["grid_id"] = grid.id
        if community_id is not None:
            fields["community_id"] = community_id

    def _address(self, rec: _RowCells, issues: list[ImportIssue]) -> tuple[AddressParts, str | None]:
        n = rec.row
        texts = {k: _clean(rec.text(k)) or None for k in _PART_LIMITS}
        if any(texts.values()):
            parts = AddressParts(texts["estate"], texts["building"], texts["unit"], texts["room"])
        else:
            parts = split_address(rec.text("address"))
        for key, limit in _PART_LIMITS.items():
            value = getattr(parts, key)
            if value and len(value) > limit:
                where = key if texts[key] else "address"
                issues.append(issue(n, where, value, f"{HEADERS[key]}不能超过 {limit} 个字", "too_long"))
        household_no = normalize_code(rec.text("household_no")).replace(" ", "") or None
        if household_no and len(household_no) > _LIMITS["household_no"]:
            issues.append(issue(n, "household_no", household_no, "不能超过 30 个字符", "too_long"))
        return parts, household_no

    def _tags(self, rec: _RowCells, issues: list[ImportIssue]) -> tuple[list[str] | None, list[str]]:
        if "tags" not in self.columns:
            return None, []
        text = _clean(rec.text("tags"))
        if not text or text in ("无", "否", "/", "-", "—"):
            return None, []
        tags = split_tags(text)
        unknown = [t for t in tags if t not in self.tag_set]
        never = [t for t in unknown if t not in self.ref.tags_in_use]
        if never:
            issues.append(
                issue(
                    rec.row,
                    "tags",
                    "、".join(never),
                    f"“{'、'.join(never)}”不在特殊人群标签字典中（可用：{listing(self.ref.tag_dictionary, 30)}）",
                    "tag",
                )
            )
        return tags, unknown

    def _tier_and_notes(self, rec: _RowCells, fields: dict[str, Any], issues: list[ImportIssue]) -> None:
        n = rec.row
        relation = _clean(rec.text("relation")).replace(" ", "")
        if relation:
            relation = RELATION_ALIASES.get(relation, relation)
            if len(relation) > _LIMITS["relation"]:
                issues.append(issue(n, "relation", relation, "不能超过 20 个字", "too_long"))
            else:
                fields["relation_to_head"] = relation
        tier_text = _clean(rec.text("care_tier")).replace(" ", "")
        if tier_text:
            code = self.ref.tiers.get(tier_text)
            if code is None:
                labels = self.ref.tier_labels
                issues.append(
                    issue(
                        n,
                        "care_tier",
                        tier_text,
                        f"“{tier_text}”无效，应为{'、'.join(labels[:-1])}或{labels[-1]}",
                        "care_tier",
                    )
                )
            else:
                fields["care_tier"] = code
        notes = clean_free_text(rec.text("notes"))
        if notes:
            if len(notes) > _LIMITS["notes"]:
                issues.append(issue(n, "notes", notes[:40] + "…", "不能超过 1000 个字", "too_long"))
            else:
                fields["notes"] = notes


def check_rows(
    records: Iterable[Record],
    ref: Reference,
    columns: set[str],
    tick: Callable[[int], None] | None = None,
) -> tuple[list[ParsedRow], list[ImportIssue]]:
    """Step 1 for every record, in file order. ``tick(i)`` is called every 1,000 rows."""
    checker = _RowChecker(ref, columns)
    rows: list[ParsedRow] = []
    issues: list[ImportIssue] = []
    for i, rec in enumerate(records):
        if tick is not None and i % 1000 == 0:
            tick(i)
        row, found = checker.check(rec)
        issues += found
        if row is not None:
            rows.append(row)
    return rows, issues
