"""The 司法确认 sheet of the 调解台账 workbook (案件编号, 申请日期, 法院, 受理案号, 裁定日期, 裁定结果).

The mediation exchange writes and reads the workbook; these two functions fill and read this sheet
(``LEDGER_SHEET`` hands them to it: the caller of the mediation exchange passes it in):

* export: one row per live track of a live case (a case may have had a rejected track and a new one);
* import (inside the mediation import's transaction, after its cases are written): a row updates the
  case's live track, or creates one for a case with an effective written agreement (history typed
  elsewhere: the materials checklist starts unticked, the deadline is computed as usual). A blank
  cell leaves the value as it is. Rows with errors are reported with their row number and skipped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.judicial import ConfirmationState, JudicialConfirmation, JudicialMaterial, Subject
from db.schema.mediation import Agreement, CaseParty, MediationCase
from desktop.domain.judicial import RULING_LABELS
from desktop.domain.text import clean_text
from desktop.exchange.issues import ImportIssue
from desktop.exchange.reading import Table
from desktop.exchange.values import ValueProblem, parse_date
from desktop.services.access import case_condition
from desktop.services.audit import snapshot
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.judicial import deadlines as dl
from desktop.services.judicial import rules
from desktop.services.judicial.common import load_calendar, load_court_settings
from desktop.services.mediation.exchange import LinkedSheet
from desktop.services.mediation.numbering import normalize_case_no

SHEET = "司法确认"
_RULINGS = {"裁定有效": "VALID", "有效": "VALID", "确认有效": "VALID", "VALID": "VALID",
            "裁定驳回": "REJECTED", "驳回": "REJECTED", "驳回申请": "REJECTED", "REJECTED": "REJECTED"}  # fmt: skip


def sheet_rows(ctx: ServiceContext) -> list[list[object]]:
    with ctx.read() as s:
        rows = s.execute(
            select(MediationCase.case_no, JudicialConfirmation)
            .join(JudicialConfirmation, JudicialConfirmation.case_id == MediationCase.id)
            .where(MediationCase.retired_on.is_(None), JudicialConfirmation.retired_on.is_(None))
            .where(case_condition(ctx))
            .order_by(MediationCase.accepted_on, MediationCase.id, JudicialConfirmation.id)
        ).all()
        return [
            [no, t.filed_on, t.court, t.court_case_no, t.ruling_on, RULING_LABELS.get(t.ruling or "")]
            for no, t in rows
        ]


def _issue(row: int, header: str | None, value: object, reason: str, code: str) -> ImportIssue:
    return ImportIssue(row, f"{SHEET}·{header}" if header else SHEET, value, reason, code=code)


def import_rows(uow: UnitOfWork, table: Table | None, issues: list[ImportIssue]) -> tuple[int, int]:
    """Apply the sheet's rows; problems go to ``issues``. Returns (rows applied, rows skipped)."""
    if table is None:
        return 0, 0
    s = uow.session
    s.flush()
    cal = load_calendar(s)
    applied = skipped = 0
    for rec in table.records:
        found: list[ImportIssue] = []
        values: dict[str, Any] = {}
        no = normalize_case_no(clean_text(rec.text("case_no")))
        for key, header in (("applied_on", "申请日期"), ("ruled_on", "裁定日期")):
            if table.has(key):
                try:
                    values[key] = parse_date(rec.value(key), field="值")
                except ValueProblem as exc:
                    found.append(_issue(rec.row, header, rec.raw(key), str(exc), "bad_date"))
        court = clean_text(rec.text("court")) if table.has("court") else ""
        if len(court) > 100:
            found.append(_issue(rec.row, "法院", court, "不能超过 100 个字符", "too_long"))
        case_no_text = clean_text(rec.text("court_case_no")) if table.has("court_case_no") else ""
        court_case_no = None
        if case_no_text:
            try:
                court_case_no = rules.normalize_court_case_no(case_no_text)
            except ValueError as exc:
                found.append(_issue(rec.row, "受理案号", case_no_text, str(exc), "bad_case_no"))
        ruling_text = clean_text(rec.text("ruling")) if table.has("ruling") else ""
        ruling = _RULINGS.get(ruling_text) if ruling_text else None
        if ruling_text and ruling is None:
            found.append(_issue(rec.row, "裁定结果", ruling_text, "应为“裁定有效”或“裁定驳回”", "bad_ruling"))
        if bool(ruling) != bool(values.get("ruled_on")) and not found:
            found.append(_issue(rec.row, "裁定日期", None, "裁定日期和裁定结果应一并填写", "ruling_pair"))
        case = s.scalar(
            select(MediationCase).where(MediationCase.case_no == no, MediationCase.retired_on.is_(None))
        )
        if case is None and not found:
            found.append(_issue(rec.row, "案件编号", no, "找不到该案件", "no_case"))
        if not found and case is not None:
            found += _apply(uow, s, cal, rec.row, case, values, court, court_case_no, ruling)
        issues += found
        if found:
            skipped += 1
        else:
            applied += 1
    return applied, skipped


def _apply(
    uow: UnitOfWork,
    s: Session,
    cal: dl.HolidayCalendar,
    row: int,
    case: MediationCase,
    values: dict[str, Any],
    court: str,
    court_case_no: str | None,
    ruling: str | None,
) -> list[ImportIssue]:
    t = s.scalar(
        select(JudicialConfirmation)
        .where(JudicialConfirmation.case_id == case.id, JudicialConfirmation.retired_on.is_(None))
        .order_by(JudicialConfirmation.id.desc())
    )
    before = None if t is None else snapshot(t)
    if t is None:
        a = s.scalar(select(Agreement).where(Agreement.case_id == case.id))
        if a is None or a.oral or a.effective_on is None:
            return [_issue(row, "案件编号", case.case_no, "该案件没有已生效的书面调解协议", "no_agreement")]
        settings = load_court_settings(s)
        t = JudicialConfirmation(
            case_id=case.id,
            agreement_id=a.id,
            agreement_no=a.agreement_no,
            effective_on=a.effective_on,
            deadline=dl.confirmation_deadline(a.effective_on, cal).day,
            subject=Subject.ORDINARY,
            subject_note="由调解台账导入",
            court_suggested=settings.court_for(case.committee_id) or None,
            state=ConfirmationState.PREPARING,
        )
        parties = list(
            s.scalars(select(CaseParty).where(CaseParty.case_id == case.id).order_by(CaseParty.seq))
        )
        briefs = [rules.brief_of(p, case.accepted_on) for p in parties]
        for i, m in enumerate(rules.materials_for(briefs, any(p.agent for p in parties), False)):
            t.materials.append(JudicialMaterial(seq=i + 1, code=m.code, label=m.label, required=m.required))
        s.add(t)
    if values.get("applied_on"):
        t.filed_on = values["applied_on"]
    if court:
        t.court = court
    if court_case_no:
        t.court_case_no = court_case_no
        t.accepted_on = t.accepted_on or t.filed_on
    if ruling:
        t.ruling, t.ruling_on = ruling, values["ruled_on"]
    problems = []
    if t.ruling and not t.accepted_on:
        problems.append("有裁定结果的，应同时填写受理案号")
    if t.filed_on and t.filed_on < t.effective_on:
        problems.append(f"申请日期早于协议生效日期（{t.effective_on:%Y-%m-%d}）")
    if t.ruling_on and t.filed_on and t.ruling_on < t.filed_on:
        problems.append("裁定日期早于申请日期")
    if t.filed_on and not t.court:
        problems.append("已申请的应填写法院")
    if problems:
        if before is None:
            s.expunge(t)
        else:
            s.refresh(t)
        return [_issue(row, None, None, "；".join(problems), "inconsistent")]
    if t.ruling == "REJECTED" and not t.rejection_reason:
        t.rejection_reason = "（由调解台账导入，驳回理由未录入）"
    t.state = t.ruling or ("ACCEPTED" if t.accepted_on else "FILED" if t.filed_on else "PREPARING")
    if t.ruling == "VALID" and t.ruling_on:
        a = s.get(Agreement, t.agreement_id)
        dues = [] if a is None else [d for d in [a.performance_deadline, *(x.due_on for x in a.terms)] if d]
        t.enforcement_from = dl.enforcement_from(t.ruling_on, dues)
        t.enforcement_limit = dl.enforcement_limit(t.enforcement_from, cal).day
    s.flush()
    after = snapshot(t)
    if after != before:
        uow.audit(
            "import",
            "judicial_confirmation",
            t.id,
            summary=f"导入司法确认记录：{case.case_no}",
            before=before,
            after=after,
        )
    return []


#: the 司法确认 sheet for ``services.mediation.exchange.export_cases``/``import_cases(confirmations=…)``
LEDGER_SHEET = LinkedSheet(rows=sheet_rows, apply=import_rows)
