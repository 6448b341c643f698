"""The 调解台账 to and from Excel (``shequ export/import mediation-cases``).

Export: one workbook, sheets 案件 / 当事人 / 协议条款 / 回访 / 司法确认 (header only: the
judicial-confirmation module fills it), rows linked by 案件编号. ID numbers are written in full (the
ledger is for moving cases between installations) and the export is audited with the file's SHA-256.

Import (the same layout; other sheets and columns are ignored):

* every row is checked first; a case with an error in any of its rows (案件, 当事人, 协议条款, 回访) is
  rejected whole and listed with the Excel row numbers; the valid cases are written in **one
  transaction**; ``dry_run`` checks everything and rolls back;
* 案件编号 given are kept (``(2026)新华社区人调字第7号`` is normalised to ``（2026）新华社区人调字第007号`` and
  the committee's counter moves past it); blank ones get the next number of the committee;
* the committee is the one whose short name the number carries (created as “…人民调解委员会” if there is
  none), else ``committee`` (a short name), else the only committee;
* 纠纷类型 with or without the trailing 纠纷; 案件来源 申请调解/主动调解/委托移送调解 (or 申请/主动/委托/移送);
* a case number already in the database is left as it is (counted as unchanged);
* 所属社区/所属网格 missing from the database are created (with a warning), so a ledger moves into an
  empty database; a written agreement in a ledger counts as signed and sealed: its effective date is the
  协议日期; the first party is the applicant, the others respondents (the ledger has no roles).

Exit status as every import: 0 all imported, 2 some rows rejected, 1 nothing to import.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.schema.mediation import (
    Agreement,
    AgreementTerm,
    CaseParty,
    CaseStage,
    FollowUp,
    MediationCase,
    MediationCommittee,
    Mediator,
    PartyKind,
    PartyRole,
    Performance,
)
from db.schema.structure import Community, Grid, Street
from desktop.core.errors import ConflictError, ValidationError
from desktop.documents.mediation.record import OUTCOME_LABELS, PERFORMANCE_LABELS, SOURCE_LABELS
from desktop.exchange import mediation as cols
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import Record, Table, read_table, sheet_names
from desktop.exchange.report import ImportReport
from desktop.exchange.validators import clean_text, mask_id_number, mask_phone
from desktop.exchange.values import ValueProblem, parse_count, parse_date, parse_gender
from desktop.services import backups
from desktop.services.audit import snapshot
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.judicial import exchange as judicial_exchange
from desktop.services.mediation.cases import PartyInput, clean_party
from desktop.services.mediation.common import build_record, load_case
from desktop.services.mediation.dictionary import DisputeType, load_dispute_types, match_dispute_type
from desktop.services.mediation.numbering import format_case_no, parse_case_no, reserve_number, take_number

PLACEHOLDER_STREET = "未命名街道"
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
_FORMS = {"书面": False, "书面协议": False, "口头": True, "口头协议": True}
_KINDS = {
    "自然人": "PERSON",
    "个人": "PERSON",
    "法人或其他组织": "ORGANISATION",
    "法人": "ORGANISATION",
    "其他组织": "ORGANISATION",
    "单位": "ORGANISATION",
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- export


def _money(value: decimal.Decimal | None) -> float | None:
    return None if value is None else float(value)


def export_cases(
    ctx: ServiceContext, out: Path, *, full: bool = False, reason: str | None = None
) -> dict[str, int]:
    """Write every (not retired) case to ``out`` (.xlsx); returns the rows written per sheet.

    ID numbers and phones are masked (110105********002X, 138****8000) unless ``full``, which needs a
    ``reason``; both are recorded in the audit trail.
    """
    out = Path(out)
    reason = clean_text(reason) or None
    if full and not reason:
        raise ValidationError("导出完整身份证号码和电话须说明原因（--reason）。", field="reason")

    def id_text(v: str | None) -> str | None:
        return v if full else mask_id_number(v)

    def phone_text(v: str | None) -> str | None:
        return v if full else mask_phone(v)

    case_rows: list[list[object]] = []
    party_rows: list[list[object]] = []
    term_rows: list[list[object]] = []
    visit_rows: list[list[object]] = []
    with ctx.read() as s:
        ids = list(
            s.scalars(
                select(MediationCase.id)
                .where(MediationCase.retired_on.is_(None))
                .order_by(MediationCase.accepted_on, MediationCase.id)
            )
        )
        for cid in ids:
            rec = build_record(s, load_case(s, cid))
            a = rec.agreement
            case_rows.append(
                [
                    rec.case_no,
                    rec.accepted_on,
                    rec.source_label,
                    rec.dispute_type_label,
                    rec.summary,
                    rec.mediators_text,
                    rec.outcome_label or None,
                    a.form_label if a else None,
                    a.agreement_no if a else None,
                    a.made_on if a else None,
                    a.performance_manner if a else None,
                    a.performance_deadline if a else None,
                    a.performance_place if a else None,
                    rec.performance_label or None,
                    _money(rec.amount_involved),
                    rec.closed_on,
                    rec.community,
                    rec.grid,
                ]
            )
            for x in rec.parties:
                rep = (x.legal_rep or "") + (f"（{x.legal_rep_title}）" if x.legal_rep_title else "")
                party_rows.append(
                    [
                        rec.case_no,
                        x.seq,
                        cols.PARTY_KIND_LABELS.get(x.kind, x.kind),
                        x.name,
                        x.gender,
                        x.ethnicity,
                        x.birth_date,
                        id_text(x.id_number) or None,
                        x.occupation,
                        phone_text(x.phone) or None,
                        x.address,
                        rep or None,
                        x.agent,
                    ]
                )
            for t in a.terms if a else ():
                term_rows.append([rec.case_no, t.seq, t.text, _money(t.amount), t.due_on])
            for v in rec.follow_ups:
                if v.done:
                    visit_rows.append([rec.case_no, v.visited_on, v.visitor, v.notes])
    counts = cols.write_workbook(
        out,
        [
            (cols.CASES_SHEET, cols.CASE_COLUMNS.columns, case_rows),
            (cols.PARTIES_SHEET, cols.PARTY_COLUMNS.columns, party_rows),
            (cols.TERMS_SHEET, cols.TERM_COLUMNS.columns, term_rows),
            (cols.VISITS_SHEET, cols.VISIT_COLUMNS.columns, visit_rows),
            (cols.JUDICIAL_SHEET, cols.JUDICIAL_COLUMNS.columns, judicial_exchange.sheet_rows(ctx)),
        ],
    )
    with ctx.write() as uow:
        uow.audit(
            "export",
            "mediation_case",
            None,
            summary=f"导出人民调解案件 {len(case_rows)} 件到 {out.name}",
            after={"file": str(out.resolve()), "sha256": _sha256(out), **counts},
        )
    return counts


# ---------------------------------------------------------------- import: report and parsed rows


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
class _Case:
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


def _issue(
    row: int, sheet: str, header: str | None, value: object, reason: str, code: str, warning: bool = False
) -> ImportIssue:
    where = header if sheet == cols.CASES_SHEET or header is None else f"{sheet}·{header}"
    return ImportIssue(row, where, value, reason, Severity.WARNING if warning else Severity.ERROR, code)


class _RowCheck:
    """Collects the problems of one row while reading its cells."""

    def __init__(self, rec: Record, sheet: str, spec: Any) -> None:
        self.rec, self.sheet, self.spec = rec, sheet, spec
        self.issues: list[ImportIssue] = []

    def add(self, key: str | None, value: object, reason: str, code: str, warning: bool = False) -> None:
        header = self.spec[key].header if key else None
        self.issues.append(_issue(self.rec.row, self.sheet, header, value, reason, code, warning))

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
        if value is not None and value > dt.date.today():
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


def _split_names(text: str | None) -> list[str]:
    return [n for n in (x.strip() for x in re.split(r"[、,，;；/\s]+", text or "")) if n]


def _check_case(rec: Record, types: list[DisputeType]) -> tuple[_Case | None, list[ImportIssue]]:
    c = _RowCheck(rec, cols.CASES_SHEET, cols.CASE_COLUMNS)
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
        _Case(
            rec.row,
            case_no,
            accepted,
            source,
            dispute,
            subtype,
            summary,
            _split_names(rec.text("mediators")),
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


def _check_party(rec: Record) -> tuple[tuple[int | None, dict[str, object]] | None, list[ImportIssue]]:
    c = _RowCheck(rec, cols.PARTIES_SHEET, cols.PARTY_COLUMNS)
    kind = c.choice("kind", _KINDS, "kind") or PartyKind.PERSON
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
    id_cell = rec.cell("id_number")
    if id_cell.is_number:
        c.add(
            "id_number",
            rec.raw("id_number"),
            "公民身份号码被存成了数字（Excel 只保留 15 位），请把该列设为文本后重新填写",
            "id_as_number",
        )
    id_text, phone = rec.text("id_number"), rec.text("phone")
    if "*" in id_text:
        c.add(
            "id_number",
            id_text,
            "已脱敏的公民身份号码未导入（请用完整信息导出的台账）",
            "masked",
            warning=True,
        )
        id_text = ""
    if "*" in phone:
        c.add("phone", phone, "已脱敏的联系电话未导入", "masked", warning=True)
        phone = ""
    rep_text = clean_text(rec.text("legal_rep"))
    m = _REP.match(rep_text)
    rep, rep_title = (m.group(1), m.group(2)) if m else (rep_text or None, None)
    party = PartyInput(
        name=clean_text(rec.text("name")),
        kind=kind,
        gender=gender,
        ethnicity=rec.text("ethnicity"),
        birth_date=birth,
        occupation=rec.text("occupation"),
        phone=phone,
        address=rec.text("address"),
        id_number=None if id_cell.is_number else id_text,
        legal_rep=rep,
        legal_rep_title=rep_title,
        agent=rec.text("agent"),
    )
    try:
        values = clean_party(party, strict=False)
    except ValidationError as exc:
        key = {
            "name": "name",
            "gender": "gender",
            "birth_date": "birth_date",
            "id_number": "id_number",
            "phone": "phone",
            "legal_rep": "legal_rep",
        }.get(exc.field or "")
        c.add(key, rec.raw(key) if key else None, exc.message, "invalid")
        return None, c.issues
    if any(i.is_error for i in c.issues):
        return None, c.issues
    return (seq, values), c.issues


# ---------------------------------------------------------------- import: applying


@dataclass
class _State:
    committees: dict[str, MediationCommittee]  # short name → committee
    default: MediationCommittee | None
    communities: dict[str, Community]
    grids: dict[tuple[int, str], Grid]
    street: Street | None
    existing: set[str]


def _load_state(uow: UnitOfWork, committee: str | None) -> _State:
    s = uow.session
    committees = {
        c.short_name: c
        for c in s.scalars(select(MediationCommittee).where(MediationCommittee.retired_on.is_(None)))
    }
    default = None
    if committee:
        default = committees.get(clean_text(committee)) or next(
            (c for c in committees.values() if c.name == clean_text(committee)), None
        )
        if default is None:
            raise ValidationError(f"没有简称或名称为“{committee}”的人民调解委员会。", field="committee")
    elif len(committees) == 1:
        default = next(iter(committees.values()))
    grids = {(g.community_id, g.name): g for g in s.scalars(select(Grid).where(Grid.retired_on.is_(None)))}
    return _State(
        committees,
        default,
        {c.name: c for c in s.scalars(select(Community))},
        grids,
        s.scalar(select(Street).order_by(Street.id).limit(1)),
        set(s.scalars(select(MediationCase.case_no))),
    )


def _committee_for(
    uow: UnitOfWork, st: _State, case: _Case, report: MediationImportReport
) -> MediationCommittee | None:
    parsed = parse_case_no(case.case_no) if case.case_no else None
    if parsed is None:
        return st.default
    found = st.committees.get(parsed.short_name)
    if found is not None:
        return found
    c = MediationCommittee(
        name=f"{parsed.short_name}人民调解委员会",
        short_name=parsed.short_name,
        seal_text=f"{parsed.short_name}人民调解委员会",
        kind="社区(居)调委会",
    )
    uow.session.add(c)
    uow.session.flush()
    uow.audit(
        "create", "mediation_committee", c.id, summary=f"导入调解案件时新建：{c.name}", after=snapshot(c)
    )
    st.committees[c.short_name] = c
    if st.default is None and len(st.committees) == 1:
        st.default = c
    report.created_committees.append(c.name)
    return c


def _place(
    uow: UnitOfWork, st: _State, case: _Case, report: MediationImportReport, issues: list[ImportIssue]
) -> tuple[int | None, int | None]:
    s = uow.session
    community = None
    if case.community:
        community = st.communities.get(case.community)
        if community is None:
            if st.street is None:
                st.street = Street(name=PLACEHOLDER_STREET)
                s.add(st.street)
                s.flush()
                uow.audit(
                    "create", "street", st.street.id, summary=f"导入调解案件时新建街道：{PLACEHOLDER_STREET}"
                )
            community = Community(street_id=st.street.id, name=case.community)
            s.add(community)
            s.flush()
            uow.audit(
                "create", "community", community.id, summary=f"导入调解案件时新建社区：{case.community}"
            )
            st.communities[case.community] = community
            report.created_places.append(case.community)
            issues.append(
                _issue(
                    case.row,
                    cols.CASES_SHEET,
                    "所属社区",
                    case.community,
                    "社区不存在，已新建",
                    "created",
                    True,
                )
            )
    grid = None
    if case.grid:
        if community is None:
            issues.append(
                _issue(
                    case.row,
                    cols.CASES_SHEET,
                    "所属网格",
                    case.grid,
                    "没有所属社区，网格未关联",
                    "no_community",
                    True,
                )
            )
        else:
            grid = st.grids.get((community.id, case.grid))
            if grid is None:
                code = case.grid[:30]
                n = 1
                while s.scalar(select(Grid.id).where(Grid.code == code)) is not None:
                    n += 1
                    code = f"{case.grid[:26]}-{n}"
                grid = Grid(community_id=community.id, code=code, name=case.grid)
                s.add(grid)
                s.flush()
                uow.audit("create", "grid", grid.id, summary=f"导入调解案件时新建网格：{case.grid}")
                st.grids[(community.id, case.grid)] = grid
                report.created_places.append(case.grid)
                issues.append(
                    _issue(
                        case.row,
                        cols.CASES_SHEET,
                        "所属网格",
                        case.grid,
                        "网格不存在，已新建（网格编号暂用名称，请在“网格”页面修改）",
                        "created",
                        True,
                    )
                )
    return (community.id if community else None), (grid.id if grid else None)


def _mediator(uow: UnitOfWork, committee: MediationCommittee, name: str) -> int:
    s = uow.session
    found = s.scalar(select(Mediator.id).where(Mediator.committee_id == committee.id, Mediator.name == name))
    if found is not None:
        return found
    m = Mediator(committee_id=committee.id, name=name[:50])
    s.add(m)
    s.flush()
    uow.audit("create", "mediator", m.id, summary=f"导入调解案件时新增调解员：{name}", after=snapshot(m))
    return m.id


def _apply(
    uow: UnitOfWork, st: _State, case: _Case, report: MediationImportReport, issues: list[ImportIssue]
) -> None:
    s = uow.session
    committee = _committee_for(uow, st, case, report)
    if committee is None:
        issues.append(
            _issue(
                case.row,
                cols.CASES_SHEET,
                "案件编号",
                case.case_no or None,
                "无法确定人民调解委员会：请填写案件编号，或用 --committee 指定委员会简称",
                "no_committee",
            )
        )
        report.rejected += 1
        return
    parsed = parse_case_no(case.case_no) if case.case_no else None
    if case.case_no:
        number = case.case_no
        year, seq = (parsed.year, parsed.seq) if parsed else (case.accepted_on.year, None)
        if parsed and parsed.short_name == committee.short_name:
            reserve_number(s, committee.id, parsed.year, parsed.seq)
    else:
        year = case.accepted_on.year
        seq = take_number(s, committee.id, year)
        number = format_case_no(year, committee.short_name, seq)
        report.numbers_assigned += 1
    community_id, grid_id = _place(uow, st, case, report, issues)
    lead = _mediator(uow, committee, case.mediators[0]) if case.mediators else None
    stage = CaseStage.ACCEPTED
    if case.closed_on:
        stage = CaseStage.CLOSED
    elif case.outcome == "SUCCESS":
        stage = CaseStage.PERFORMING
    elif case.outcome:
        stage = CaseStage.MEDIATING
    mc = MediationCase(
        case_no=number,
        committee_id=committee.id,
        case_year=year,
        case_seq=seq,
        accepted_on=case.accepted_on,
        source=case.source,
        dispute_type=case.dispute.code,
        dispute_subtype=case.subtype,
        summary=case.summary,
        amount_involved=case.amount,
        mediator_id=lead,
        assistant_mediators="、".join(case.mediators[1:]) or None,
        community_id=community_id,
        grid_id=grid_id,
        stage=stage,
        outcome=case.outcome,
        outcome_on=case.made_on or case.closed_on if case.outcome else None,
        closed_on=case.closed_on,
        notes="由调解台账导入",
    )
    s.add(mc)
    s.flush()
    for i, (_row, _seq, values) in enumerate(sorted(case.parties, key=lambda p: p[1]), start=1):
        values = {**values, "role": PartyRole.APPLICANT if i == 1 else PartyRole.RESPONDENT}
        s.add(CaseParty(case_id=mc.id, seq=i, **values))
    if case.oral is not None and case.made_on is not None:
        a = Agreement(
            case_id=mc.id,
            agreement_no=case.agreement_no or number,
            oral=case.oral,
            made_on=case.made_on,
            facts=case.summary,
            performance_manner=case.manner,
            performance_place=case.place,
            performance_deadline=case.deadline,
            copies=len(case.parties) + 1,
            signed_by_parties=True,
            signed_by_mediator=True,
            sealed=True,
            effective_on=case.made_on,
        )
        s.add(a)
        s.flush()
        for seq, (_row, _n, text, amount, due) in enumerate(sorted(case.terms, key=lambda t: t[1]), start=1):
            s.add(AgreementTerm(agreement_id=a.id, seq=seq, text=text, amount=amount, due_on=due))
        if case.performance:
            on = case.closed_on or case.deadline or case.made_on
            s.add(
                Performance(
                    case_id=mc.id,
                    on_date=on,
                    status=case.performance,
                    note="由调解台账导入",
                    recorded_by=uow.actor.user,
                )
            )
    for _row, visited_on, visitor, notes in case.visits:
        s.add(
            FollowUp(
                case_id=mc.id,
                visited_on=visited_on,
                visitor=visitor,
                notes=notes,
                visited_party="、".join(str(p[2]["name"]) for p in case.parties)[:200],
            )
        )
    s.flush()
    uow.audit("create", "mediation_case", mc.id, summary=f"导入人民调解案件 {number}", after=snapshot(mc))
    st.existing.add(number)
    report.created += 1


def _read(path: Path, spec: Any, sheet: str, names: list[str]) -> Table | None:
    if sheet not in [n.strip() for n in names]:
        return None
    return read_table(path, spec, sheet)


def import_cases(
    ctx: ServiceContext, path: Path, *, committee: str | None = None, dry_run: bool = False
) -> MediationImportReport:
    """Read the workbook, check every row, write the valid cases in one transaction."""
    path = Path(path)
    names = sheet_names(path)
    cases_sheet = cols.CASES_SHEET if cols.CASES_SHEET in names else None
    table = read_table(path, cols.CASE_COLUMNS, cases_sheet)
    report = MediationImportReport.for_table(table, dry_run=dry_run)
    if report.rows_read == 0:
        return report
    with ctx.read() as s:
        types = load_dispute_types(s)
    issues: list[ImportIssue] = []
    cases: dict[str, _Case] = {}
    blank: list[_Case] = []
    rows_by_no: dict[str, list[int]] = defaultdict(list)
    for rec in table.records:
        raw = clean_text(rec.text("case_no"))
        if raw:
            rows_by_no[str(parse_case_no(raw) or raw)].append(rec.row)
    for rec in table.records:
        case, found = _check_case(rec, types)
        issues += found
        if case is None:
            continue
        if case.case_no and len(rows_by_no[case.case_no]) > 1:
            others = "、".join(str(n) for n in rows_by_no[case.case_no] if n != rec.row)
            issues.append(
                _issue(
                    rec.row,
                    cols.CASES_SHEET,
                    "案件编号",
                    case.case_no,
                    f"在文件中重复出现（另见第 {others} 行）",
                    "duplicate",
                )
            )
            continue
        if case.case_no:
            cases[case.case_no] = case
        else:
            blank.append(case)
    rejected_nos: set[str] = {str(parse_case_no(r) or r) for r in rows_by_no if r not in cases}

    def attach(sheet: str, spec: Any, handle: Any) -> None:
        sub = _read(path, spec, sheet, names)
        if sub is None:
            return
        for rec in sub.records:
            raw = clean_text(rec.text("case_no"))
            no = str(parse_case_no(raw) or raw)
            target = cases.get(no)
            if target is None:
                if no not in rejected_nos:
                    issues.append(
                        _issue(
                            rec.row,
                            sheet,
                            "案件编号",
                            raw or None,
                            "在“案件”工作表中找不到该案件编号",
                            "orphan",
                        )
                    )
                continue
            handle(rec, target)

    def on_party(rec: Record, target: _Case) -> None:
        parsed, found = _check_party(rec)
        issues.extend(found)
        if parsed is None:
            rejected_nos.add(target.case_no)
            return
        seq, values = parsed
        target.parties.append((rec.row, seq or len(target.parties) + 1, values))

    def on_term(rec: Record, target: _Case) -> None:
        c = _RowCheck(rec, cols.TERMS_SHEET, cols.TERM_COLUMNS)
        text = c.text("text", 100_000, required=True)
        amount = c.money("amount")
        try:
            due = parse_date(rec.value("due_on"), field="值")
            seq = parse_count(rec.value("seq"), field="值")
        except ValueProblem as exc:
            c.add(None, None, str(exc), "bad_value")
            due = seq = None
        issues.extend(c.issues)
        if c.issues or text is None:
            rejected_nos.add(target.case_no)
            return
        if target.oral is None:
            issues.append(
                _issue(
                    rec.row,
                    cols.TERMS_SHEET,
                    "案件编号",
                    target.case_no,
                    "该案件没有协议（协议形式为空），条款未导入",
                    "no_agreement",
                    True,
                )
            )
            return
        target.terms.append((rec.row, seq or len(target.terms) + 1, text, amount, due))

    def on_visit(rec: Record, target: _Case) -> None:
        c = _RowCheck(rec, cols.VISITS_SHEET, cols.VISIT_COLUMNS)
        on = c.date("visited_on", required=True)
        visitor, notes = c.text("visitor", 50), c.text("notes", 100_000)
        issues.extend(c.issues)
        if c.issues:
            rejected_nos.add(target.case_no)
            return
        target.visits.append((rec.row, on, visitor, notes))

    attach(cols.PARTIES_SHEET, cols.PARTY_COLUMNS, on_party)
    attach(cols.TERMS_SHEET, cols.TERM_COLUMNS, on_term)
    attach(cols.VISITS_SHEET, cols.VISIT_COLUMNS, on_visit)
    judicial = _read(path, cols.JUDICIAL_COLUMNS, cols.JUDICIAL_SHEET, names)
    for no in list(cases):
        case = cases[no]
        if not case.parties and no not in rejected_nos:
            issues.append(
                _issue(
                    case.row,
                    cols.CASES_SHEET,
                    "案件编号",
                    no,
                    "“当事人”工作表中没有该案件的当事人",
                    "no_parties",
                )
            )
            rejected_nos.add(no)
        if no in rejected_nos:
            issues.append(
                _issue(
                    case.row,
                    cols.CASES_SHEET,
                    None,
                    None,
                    f"案件 {no} 的某些行有错误，整件未导入",
                    "case_rejected",
                )
            )
            del cases[no]
    for case in blank:
        issues.append(
            _issue(
                case.row,
                cols.CASES_SHEET,
                "案件编号",
                None,
                "没有案件编号，已按受理年度编号；当事人无法按编号对应，请在程序中补录当事人",
                "no_parties",
                warning=True,
            )
        )
    report.issues = issues
    if (cases or blank) and not dry_run:
        backups.backup_if_changed(ctx, "import")
    try:
        with ctx.write() as uow:
            st = _load_state(uow, committee)
            for case in sorted([*cases.values(), *blank], key=lambda c: (c.accepted_on, c.row)):
                if case.case_no and case.case_no in st.existing:
                    report.unchanged += 1
                    continue
                _apply(uow, st, case, report, report.issues)
            # 司法确认 sheet: applied by the judicial-confirmation module, in this transaction
            _applied, report.judicial_rows_skipped = judicial_exchange.import_rows(uow, judicial, report.issues)
            report.rejected = len({(_sheet_of(i), i.row) for i in report.issues if i.is_error})
            report.issues.sort(key=lambda i: (i.row or 0, not i.is_error))
            if dry_run:
                raise _DryRun
            uow.audit(
                "import",
                "mediation_case",
                None,
                summary=f"导入人民调解案件：{path.name}，新建 {report.created}，未变 {report.unchanged}，拒绝 {report.rejected} 行",
                after={
                    "file": str(path.resolve()),
                    "sha256": _sha256(path),
                    "rows": report.rows_read,
                    "created": report.created,
                    "unchanged": report.unchanged,
                    "rejected": report.rejected,
                },
            )
    except _DryRun:
        pass
    except IntegrityError as exc:
        raise ConflictError(
            "导入期间其他用户添加了相同编号的案件，本次导入没有写入任何数据，请重新导入。"
        ) from exc
    return report


def _sheet_of(issue: ImportIssue) -> str:
    return (issue.field or "").split("·")[0] if "·" in (issue.field or "") else cols.CASES_SHEET


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""
