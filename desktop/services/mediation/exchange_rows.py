"""Reading the 调解台账 rows: checking each cell of 案件 and 当事人 rows into parsed values and issues."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from db.schema.mediation import PartyKind, PartyRole
from desktop.core.errors import ValidationError
from desktop.domain.identity import normalize_phone, phone_problem
from desktop.domain.mediation import OUTCOME_LABELS, PERFORMANCE_LABELS, SOURCE_LABELS
from desktop.domain.text import clean_text
from desktop.exchange import mediation as cols
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import Record
from desktop.exchange.report import ImportReport
from desktop.exchange.values import ValueProblem, parse_count, parse_date, parse_gender
from desktop.services.mediation.dictionary import DisputeType, match_dispute_type
from desktop.services.mediation.numbering import normalize_case_no, parse_case_no
from desktop.services.mediation.parties import PartyInput, clean_party

_REP = re.compile(r"^(.*?)\s*[（(]\s*(.+?)\s*[）)]$")
_SOURCES = {
    **{label: code for code, label in SOURCE_LABELS.items()},
    "申请": "APPLICATION",
    "当事人申请": "APPLICATION",
    "主动": "OWN_INITIATIVE",
    "调委会主动调解": "OWN_INITIATIVE",
    "委托": "REFERRAL",
    "移送": "REFERRAL",
    "委托移送": "REFERRAL",
    "接受委托移送调解": "REFERRAL",
}
_OUTCOMES = {label: code for code, label in OUTCOME_LABELS.items()} | {"成功": "SUCCESS", "不成功": "FAILED"}
_PERFORMANCES = {label: code for code, label in PERFORMANCE_LABELS.items()}
_ROLES = {"申请人": "APPLICANT", "被申请人": "RESPONDENT"}
_YES_NO = {cols.YES: True, cols.NO: False, "有": True, "无": False}
_PARTY_KEYS = frozenset(c.key for c in cols.PARTY_COLUMNS)
_FORMS = {"书面": False, "书面协议": False, "口头": True, "口头协议": True}
_KINDS = {
    "自然人": "PERSON",
    "个人": "PERSON",
    "法人或其他组织": "ORGANISATION",
    "法人": "ORGANISATION",
    "其他组织": "ORGANISATION",
    "单位": "ORGANISATION",
}


@dataclass
class MediationImportReport(ImportReport):
    noun: ClassVar[str] = "调解案件"
    measure: ClassVar[str] = "件"

    numbers_assigned: int = 0
    created_committees: list[str] = field(default_factory=list)
    created_places: list[str] = field(default_factory=list)
    judicial_rows_skipped: int = 0

    def notes(self) -> list[str]:
        lines = []
        if self.numbers_assigned:
            lines.append(f"{self.will}为 {self.numbers_assigned} 件没有案件编号的案件编号。")
        if self.created_committees:
            lines.append(
                f"{self.will}新建人民调解委员会：{'、'.join(self.created_committees)}（请在“调委会设置”中核对）。"
            )
        if self.created_places:
            lines.append(
                f"{self.will}新建社区或网格：{'、'.join(self.created_places)}（请在“网格”页面核对）。"
            )
        if self.judicial_rows_skipped:
            lines.append(f"工作表“司法确认”有 {self.judicial_rows_skipped} 行有错误，未导入。")
        return lines


@dataclass
class ParsedCase:
    row: int
    case_no: str  # "" = assign
    accepted_on: dt.date
    source: str
    dispute: DisputeType
    subtype: str | None
    summary: str
    mediators: list[str]
    outcome: str | None
    oral: bool | None
    agreement_no: str | None
    made_on: dt.date | None
    manner: str | None
    deadline: dt.date | None
    place: str | None
    performance: str | None
    amount: decimal.Decimal | None
    closed_on: dt.date | None
    community: str | None
    grid: str | None
    parties: list[tuple[int, int, dict[str, object]]] = field(default_factory=list)  # (row, seq, values)
    terms: list[tuple[int, int, str, decimal.Decimal | None, dt.date | None]] = field(default_factory=list)
    visits: list[tuple[int, dt.date | None, str | None, str | None]] = field(default_factory=list)


def issue_at(
    row: int, sheet: str, header: str | None, value: object, reason: str, code: str, warning: bool = False
) -> ImportIssue:
    where = header if sheet == cols.CASES_SHEET or header is None else f"{sheet}·{header}"
    return ImportIssue(row, where, value, reason, Severity.WARNING if warning else Severity.ERROR, code)


class RowCheck:
    """Collects the problems of one row while reading its cells."""

    def __init__(self, rec: Record, sheet: str, spec: Any, today: dt.date) -> None:
        self.rec, self.sheet, self.spec, self.today = rec, sheet, spec, today
        self.issues: list[ImportIssue] = []

    def add(self, key: str | None, value: object, reason: str, code: str, warning: bool = False) -> None:
        header = self.spec[key].header if key else None
        self.issues.append(issue_at(self.rec.row, self.sheet, header, value, reason, code, warning))

    def text(self, key: str, limit: int, required: bool = False) -> str | None:
        value = clean_text(self.rec.text(key))
        if required and not value:
            self.add(key, None, "不能为空", "required")
        if len(value) > limit:
            self.add(key, value, f"不能超过 {limit} 个字符", "too_long")
            return None
        return value or None

    def date(self, key: str, required: bool = False) -> dt.date | None:
        try:
            value = parse_date(self.rec.value(key), field="值")
        except ValueProblem as exc:
            self.add(key, self.rec.raw(key), str(exc), "bad_date")
            return None
        if value is None and required:
            self.add(key, None, "不能为空", "required")
        if value is not None and value > self.today:
            self.add(key, value, "不能晚于今天", "future")
            return None
        return value

    def money(self, key: str) -> decimal.Decimal | None:
        raw = self.rec.value(key)
        if raw is None or clean_text(raw) == "":
            return None
        text = (
            clean_text(raw)
            .replace(",", "")
            .replace("，", "")
            .replace("¥", "")
            .replace("￥", "")
            .removesuffix("元")
        )
        try:
            value = decimal.Decimal(str(raw) if isinstance(raw, int | float) else text)
        except decimal.InvalidOperation:
            self.add(key, raw, f"值“{raw}”不是金额", "not_number")
            return None
        if not value.is_finite() or value < 0:
            self.add(key, raw, "金额不能为负数", "negative")
            return None
        return value.quantize(decimal.Decimal("0.01"))

    def choice(self, key: str, table: dict[str, Any], what: str) -> Any:
        value = clean_text(self.rec.text(key))
        if not value:
            return None
        if value not in table:
            labels = "、".join(dict.fromkeys(k for k in table if len(k) > 2)) or "、".join(table)
            self.add(key, value, f"值“{value}”无效，应为{labels}", f"unknown_{what}")
            return None
        return table[value]


def split_names(text: str | None) -> list[str]:
    return [n for n in (x.strip() for x in re.split(r"[、,，;；/\s]+", text or "")) if n]


def check_case(
    rec: Record, types: list[DisputeType], today: dt.date
) -> tuple[ParsedCase | None, list[ImportIssue]]:
    c = RowCheck(rec, cols.CASES_SHEET, cols.CASE_COLUMNS, today)
    raw_no = clean_text(rec.text("case_no"))
    parsed = parse_case_no(raw_no)
    case_no = str(parsed) if parsed else raw_no
    if len(case_no) > 60:
        c.add("case_no", case_no, "不能超过 60 个字符", "too_long")
    accepted = c.date("accepted_on", required=True)
    source = c.choice("source", _SOURCES, "source") or None
    if source is None and not clean_text(rec.text("source")):
        c.add("source", None, "不能为空（申请调解、主动调解或委托移送调解）", "required")
    type_text = clean_text(rec.text("dispute_type"))
    dispute = match_dispute_type(type_text, types)
    subtype = None
    if not type_text:
        c.add("dispute_type", None, "不能为空", "required")
    elif dispute is None:
        c.add("dispute_type", type_text, f"“{type_text}”不在纠纷类型字典中", "unknown_type")
    else:
        m = re.search(r"[（(](.+?)[）)]$", type_text)
        subtype = m.group(1) if m else None
    summary = c.text("summary", 100_000, required=True)
    outcome = c.choice("result", _OUTCOMES, "result")
    oral = c.choice("form", _FORMS, "form")
    agreement_no = c.text("agreement_no", 60)
    if agreement_no:  # "(2026)新华社区人调字第21号" is the case's own number: one canonical spelling
        agreement_no = normalize_case_no(agreement_no)
    made_on = c.date("made_on")
    manner, place = c.text("manner", 200), c.text("place", 200)
    try:
        deadline = parse_date(rec.value("deadline"), field="值")
    except ValueProblem as exc:
        c.add("deadline", rec.raw("deadline"), str(exc), "bad_date")
        deadline = None
    performance = c.choice("performance", _PERFORMANCES, "performance")
    amount = c.money("amount")
    closed_on = c.date("closed_on")
    if oral is not None and outcome not in (None, "SUCCESS"):
        c.add("result", rec.text("result"), "有协议的案件调解结果应为“调解成功”", "inconsistent")
    if oral is not None and made_on is None:
        c.add("made_on", None, "有协议形式时协议日期不能为空", "required")
    if oral is None and (agreement_no or made_on or performance):
        c.add("form", None, "填写了协议编号、协议日期或履行情况时，请填写协议形式（书面或口头）", "required")
    if accepted and made_on and made_on < accepted:
        c.add("made_on", made_on, "协议日期早于受理日期", "order")
    if accepted and closed_on and closed_on < accepted:
        c.add("closed_on", closed_on, "结案日期早于受理日期", "order")
    if closed_on and outcome is None and oral is None:
        c.add("result", None, "已结案的案件请填写调解结果", "required")
    if (
        any(i.is_error for i in c.issues)
        or accepted is None
        or source is None
        or dispute is None
        or summary is None
    ):
        return None, c.issues
    return (
        ParsedCase(
            rec.row,
            case_no,
            accepted,
            source,
            dispute,
            subtype,
            summary,
            split_names(rec.text("mediators")),
            "SUCCESS" if oral is not None else outcome,
            oral,
            agreement_no,
            made_on,
            manner,
            deadline,
            place,
            performance,
            amount,
            closed_on,
            c.text("community", 50),
            c.text("grid", 80),
        ),
        c.issues,
    )


def _legacy_agent(text: str) -> tuple[str, str | None, str | None]:
    """ "赵敏，公司法务，13909370003" (the old one-cell 委托代理人) → (name, relation, phone)."""
    parts = [x for x in (clean_text(x) for x in re.split(r"[，,；;、]+", text)) if x]
    if len(parts) < 2:
        return clean_text(text), None, None
    phone = None
    rest = []
    for part in parts[1:]:
        number = normalize_phone(re.sub(r"^(电话|手机|联系电话|联系方式)[:：]?", "", part))
        if phone is None and number and phone_problem(number) is None:
            phone = number
        else:
            rest.append(part)
    return parts[0], "、".join(rest)[:30] or None, phone


def check_party(
    rec: Record, today: dt.date, day: dt.date
) -> tuple[tuple[int | None, dict[str, object]] | None, list[ImportIssue]]:
    """A 当事人 row of a case accepted on ``day``; the values' ``role`` is None when the row gives none."""
    c = RowCheck(rec, cols.PARTIES_SHEET, cols.PARTY_COLUMNS, today)
    kind = c.choice("kind", _KINDS, "kind") or PartyKind.PERSON
    role = c.choice("role", _ROLES, "role")
    lacks = bool(c.choice("lacks_capacity", _YES_NO, "yes_no"))
    try:
        seq = parse_count(rec.value("seq"), field="值")
    except ValueProblem as exc:
        c.add("seq", rec.raw("seq"), str(exc), "not_integer")
        seq = None
    try:
        gender = parse_gender(rec.value("gender"))
    except ValueProblem as exc:
        c.add("gender", rec.raw("gender"), str(exc), "bad_gender")
        gender = None
    birth = c.date("birth_date")
    for key in cols.PARTY_ID_COLUMNS:
        if rec.cell(key).is_number:
            c.add(
                key,
                rec.raw(key),
                "公民身份号码被存成了数字（Excel 只保留 15 位），请把该列设为文本后重新填写",
                "id_as_number",
            )
    text = {key: rec.text(key) for key in (*cols.PARTY_ID_COLUMNS, *cols.PARTY_PHONE_COLUMNS)}
    for key in cols.PARTY_ID_COLUMNS:
        if "*" in text[key]:
            c.add(
                key, text[key], "已脱敏的公民身份号码未导入（请用完整信息导出的台账）", "masked", warning=True
            )
            text[key] = ""
    for key in cols.PARTY_PHONE_COLUMNS:
        if "*" in text[key]:
            c.add(key, text[key], "已脱敏的联系电话未导入", "masked", warning=True)
            text[key] = ""
    rep_text = clean_text(rec.text("legal_rep"))
    m = _REP.match(rep_text)
    rep, rep_title = (m.group(1), m.group(2)) if m else (rep_text or None, None)
    rep_title = clean_text(rec.text("legal_rep_title")) or rep_title
    agent: str
    agent_relation: str | None
    agent_phone: str | None
    agent, agent_relation, agent_phone = (
        clean_text(rec.text("agent")),
        rec.text("agent_relation"),
        text["agent_phone"],
    )
    if agent and not (clean_text(agent_relation) or text["agent_id_number"] or agent_phone):
        agent, agent_relation, agent_phone = _legacy_agent(agent)
    party = PartyInput(
        name=clean_text(rec.text("name")),
        role=role or PartyRole.APPLICANT,
        kind=kind,
        gender=gender,
        ethnicity=rec.text("ethnicity"),
        birth_date=birth,
        occupation=rec.text("occupation"),
        phone=text["phone"],
        address=rec.text("address"),
        id_number=None if rec.cell("id_number").is_number else text["id_number"],
        legal_rep=rep,
        legal_rep_title=rep_title,
        agent=agent,
        agent_relation=agent_relation,
        agent_id_number=text["agent_id_number"],
        agent_phone=agent_phone,
        lacks_capacity=lacks,
        guardian_name=rec.text("guardian_name"),
        guardian_relation=rec.text("guardian_relation"),
        guardian_id_number=text["guardian_id_number"],
        guardian_phone=text["guardian_phone"],
    )
    if any(i.is_error for i in c.issues):
        return None, c.issues
    try:
        values = clean_party(party, today=today, day=day, strict=False)
    except ValidationError as exc:
        column = exc.field if exc.field in _PARTY_KEYS else None
        c.add(column, rec.raw(column) if column else None, exc.message, "invalid")
        return None, c.issues
    values["role"] = role
    if clean_text(rec.text("guardian_name")) and not values["guardian_name"]:
        c.add(
            "guardian_name",
            rec.text("guardian_name"),
            "当事人受理时已成年，也未标记无民事行为能力或限制民事行为能力：法定代理人未导入",
            "not_needed",
            warning=True,
        )
    if kind == PartyKind.ORGANISATION and not values["legal_rep_title"]:
        c.add("legal_rep_title", None, "法定代表人职务为空，请在程序中补填", "required", warning=True)
    return (seq, values), c.issues
