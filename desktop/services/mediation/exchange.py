"""The 调解台账 to and from Excel (``shequ export/import mediation-cases``).

Export: one workbook, sheets 案件 / 当事人 / 协议条款 / 回访 / 司法确认 (header only unless the caller
passes the judicial-confirmation module's ``services.judicial.exchange.LEDGER_SHEET``, which fills and
reads it: judicial is downstream of mediation, so mediation never imports it), rows linked by 案件编号. ID numbers are written in full (the
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
  协议日期; a party is applicant or respondent as its 身份 column says (old ledgers without it: the
  first party applies, the others respond);
* a party who is a minor on the 受理日期 or marked 无民事行为能力或限制民事行为能力 needs its 法定代理人
  (name, relation, ID), an organisation its 法定代表人, and one ID number stands once in a case
  (``services.mediation.parties``): otherwise the row, and with it the case, is rejected.

Exit status as every import: 0 all imported, 2 some rows rejected, 1 nothing to import.
"""

from __future__ import annotations

import decimal
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.schema.mediation import (
    MediationCase,
)
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.accounts import MEDIATION_READ, RESIDENTS_EXPORT
from desktop.domain.identity import mask_id_number, mask_phone
from desktop.domain.mediation import PartyRecord
from desktop.domain.text import clean_text
from desktop.exchange import mediation as cols
from desktop.exchange.issues import ImportIssue
from desktop.exchange.reading import Record, Table, read_table, sheet_names
from desktop.exchange.values import ValueProblem, parse_count, parse_date
from desktop.services import audit, backups
from desktop.services.access import case_condition, require
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.mediation.common import build_record, load_case
from desktop.services.mediation.dictionary import load_dispute_types
from desktop.services.mediation.exchange_apply import agreement_clash, apply_case, load_state
from desktop.services.mediation.exchange_rows import (
    MediationImportReport,
    ParsedCase,
    RowCheck,
    check_case,
    check_party,
    issue_at,
)
from desktop.services.mediation.numbering import parse_case_no
from desktop.services.mediation.parties import identity_clash


@dataclass(frozen=True)
class LinkedSheet:
    """A sheet of the workbook that another area fills and reads, its rows linked by 案件编号."""

    #: the rows to export (after the header)
    rows: Callable[[ServiceContext], list[list[object]]]
    #: applies the sheet read (None: absent) inside the import's transaction, after the cases are
    #: written; adds its problems to the issues; returns (rows applied, rows skipped)
    apply: Callable[[UnitOfWork, Table | None, list[ImportIssue]], tuple[int, int]]


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
    ctx: ServiceContext,
    out: Path,
    *,
    full: bool = False,
    reason: str | None = None,
    confirmations: LinkedSheet | None = None,
) -> dict[str, int]:
    """Write every (not retired) case to ``out`` (.xlsx); returns the rows written per sheet. The
    司法确认 sheet has the rows of ``confirmations`` (services.judicial.exchange.LEDGER_SHEET), if given.

    ID numbers and phones are masked (110105********002X, 138****8000) unless ``full``, which needs a
    ``reason``; both are recorded in the audit trail.
    """
    require(ctx, MEDIATION_READ)
    if full:  # full ID numbers and phones: the permission of its own (and a reason, below)
        require(ctx, RESIDENTS_EXPORT)
    out = Path(out)
    reason = clean_text(reason) or None
    if full and not reason:
        raise ValidationError("导出完整身份证号码和电话须说明原因（--reason）。", field="reason")

    def id_text(v: str | None) -> str | None:
        return v if full else mask_id_number(v)

    def phone_text(v: str | None) -> str | None:
        return v if full else mask_phone(v)

    case_rows: list[list[object]] = []
    party_rows: list[dict[str, object]] = []
    term_rows: list[list[object]] = []
    visit_rows: list[list[object]] = []
    with ctx.read() as s:
        ids = list(
            s.scalars(
                select(MediationCase.id)
                .where(MediationCase.retired_on.is_(None))
                .where(case_condition(ctx))  # a 调解员's committee, a 社区书记's community
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
            party_rows += [_party_row(rec.case_no, x, id_text, phone_text) for x in rec.parties]
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
            (
                cols.JUDICIAL_SHEET,
                cols.JUDICIAL_COLUMNS.columns,
                confirmations.rows(ctx) if confirmations else [],
            ),
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


def _party_row(
    case_no: str,
    x: PartyRecord,
    id_text: Callable[[str | None], str | None],
    phone_text: Callable[[str | None], str | None],
) -> dict[str, object]:
    """A row of the 当事人 sheet: each column of ``cols.PARTY_COLUMNS`` from the party's field of that name,
    labels for the coded ones, ID numbers and phones through ``id_text``/``phone_text`` (masking)."""
    row: dict[str, object] = {c.key: getattr(x, c.key, None) for c in cols.PARTY_COLUMNS}
    row.update(
        case_no=case_no,
        kind=cols.PARTY_KIND_LABELS.get(x.kind, x.kind),
        role=cols.PARTY_ROLE_LABELS.get(x.role, x.role),
        lacks_capacity=cols.YES if x.lacks_capacity else (cols.NO if x.is_person else None),
    )
    row.update({k: id_text(getattr(x, k)) or None for k in cols.PARTY_ID_COLUMNS})
    row.update({k: phone_text(getattr(x, k)) or None for k in cols.PARTY_PHONE_COLUMNS})
    return row


# ---------------------------------------------------------------- import: report and parsed rows


def _read(path: Path, spec: Any, sheet: str, names: list[str]) -> Table | None:
    if sheet not in [n.strip() for n in names]:
        return None
    return read_table(path, spec, sheet)


def import_cases(
    ctx: ServiceContext,
    path: Path,
    *,
    committee: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    confirmations: LinkedSheet | None = None,
) -> MediationImportReport:
    """Read the workbook, check every row, write the valid cases in one transaction; the 司法确认
    sheet is applied by ``confirmations`` (services.judicial.exchange.LEDGER_SHEET) if given, else ignored.
    ``progress(done, total, text)`` is called for each case and may raise CancelledError: nothing is
    written then."""
    path = Path(path)
    names = sheet_names(path)
    cases_sheet = cols.CASES_SHEET if cols.CASES_SHEET in names else None
    table = read_table(path, cols.CASE_COLUMNS, cases_sheet)
    report = MediationImportReport.for_table(table, dry_run=dry_run)
    if report.rows_read == 0:
        return report
    with ctx.read() as s:
        types = load_dispute_types(s)
    today = ctx.today()
    issues: list[ImportIssue] = []
    cases: dict[str, ParsedCase] = {}
    blank: list[ParsedCase] = []
    rows_by_no: dict[str, list[int]] = defaultdict(list)
    for rec in table.records:
        raw = clean_text(rec.text("case_no"))
        if raw:
            rows_by_no[str(parse_case_no(raw) or raw)].append(rec.row)
    for rec in table.records:
        case, found = check_case(rec, types, today)
        issues += found
        if case is None:
            continue
        if case.case_no and len(rows_by_no[case.case_no]) > 1:
            others = "、".join(str(n) for n in rows_by_no[case.case_no] if n != rec.row)
            issues.append(
                issue_at(
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
                        issue_at(
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

    def on_party(rec: Record, target: ParsedCase) -> None:
        parsed, found = check_party(rec, today, target.accepted_on)
        issues.extend(found)
        if parsed is None:
            rejected_nos.add(target.case_no)
            return
        seq, values = parsed
        others = [(f"第 {row} 行（{v['name']}）", v) for row, _seq, v in target.parties]
        if clash := identity_clash(values, f"第 {rec.row} 行当事人（{values['name']}）", others):
            column = cols.PARTY_COLUMNS[clash.field]
            issues.append(
                issue_at(
                    rec.row,
                    cols.PARTIES_SHEET,
                    column.header,
                    rec.raw(clash.field),
                    clash.message,
                    "duplicate_person",
                )
            )
            rejected_nos.add(target.case_no)
            return
        target.parties.append((rec.row, seq or len(target.parties) + 1, values))

    def on_term(rec: Record, target: ParsedCase) -> None:
        c = RowCheck(rec, cols.TERMS_SHEET, cols.TERM_COLUMNS, today)
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
                issue_at(
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

    def on_visit(rec: Record, target: ParsedCase) -> None:
        c = RowCheck(rec, cols.VISITS_SHEET, cols.VISIT_COLUMNS, today)
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
                issue_at(
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
                issue_at(
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
            issue_at(
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
            st = load_state(uow, committee)
            ordered = sorted([*cases.values(), *blank], key=lambda c: (c.accepted_on, c.row))
            # every row's audit in compressed blocks, not a record each (issue 16)
            with audit.collected(uow.session, uow.actor, at=uow.clock.utcnow(), entity="mediation_case"):
                for n, case in enumerate(ordered):
                    if progress is not None:
                        progress(n, len(ordered), "")
                    if case.case_no and case.case_no in st.existing:
                        report.unchanged += 1
                        continue
                    clash = agreement_clash(st, case)
                    if clash is not None:
                        report.issues.append(clash)
                        continue
                    apply_case(uow, st, case, report, report.issues)
                # 司法确认 sheet: applied by the judicial-confirmation module, in this transaction
                if confirmations is not None:
                    _applied, report.judicial_rows_skipped = confirmations.apply(uow, judicial, report.issues)
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
        raise integrity_conflict(exc) from exc
    return report


def integrity_conflict(exc: IntegrityError) -> ConflictError:
    """What a unique constraint that failed while writing the ledger means, by the column it names."""
    text = str(exc.orig)
    if "agreement_no" in text:
        return ConflictError(
            "台账中的协议编号与数据库中已有的调解协议重复（协议编号必须唯一），本次导入没有写入任何数据。"
            "请检查“案件”工作表的协议编号列后重新导入。"
        )
    return ConflictError("导入期间其他用户添加了相同编号的案件，本次导入没有写入任何数据，请重新导入。")


def _sheet_of(issue: ImportIssue) -> str:
    return (issue.field or "").split("·")[0] if "·" in (issue.field or "") else cols.CASES_SHEET


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""
