"""党员名册 to and from Excel/CSV (columns: desktop/exchange/party.py).

Import rules:

* A row is matched to a member by 公民身份号码: a known number updates that member (only the columns the
  file has), an unknown one registers a new member (增加方式 “导入”). An export imports back unchanged.
* Every row is parsed first (dates, 性别, 党员类别, 是/否, 党费基数, the same number twice in the file, an ID
  typed as a number), then saved through the same validation as the 党员 form, each row in a savepoint:
  a row that breaks a rule is rejected with its Excel row number and the column; the valid rows are
  written in **one transaction**. ``dry_run`` does all of it and rolls back.
* 所在党支部 must already exist (name or full name): an unknown branch rejects the row (branches are set
  up in the program, never guessed from a spreadsheet).
* A blank cell keeps what is stored (an import never clears a value).
* 党籍状态 is not changed by an import (转出、去世 are dated events done in the program); a different
  value is reported as a warning. 党员类别 left blank is taken from the dates (转正日期 → 正式党员).
* Audit: one record per created/updated member (identity masked) and one "import" record for the batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import select

from db.schema.party import (
    MemberEventKind,
    MembershipStatus,
    MemberStage,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
)
from db.schema.structure import Grid
from desktop.core.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from desktop.domain.accounts import PARTY
from desktop.domain.identity import normalize_id_number
from desktop.domain.text import clean_text, normalize_code
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.party import EXPORT_ONLY, PARTY_MEMBER_COLUMNS
from desktop.exchange.reading import Record, Table, read_table
from desktop.exchange.report import ImportReport
from desktop.exchange.values import ValueProblem, parse_bool, parse_date, parse_gender
from desktop.exchange.writing import EXPORT_SUFFIXES, check_suffix, write_issues, write_table
from desktop.services import audit, backups
from desktop.services.access import require
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.party import rules, scope
from desktop.services.party.common import (
    DUES_CATEGORY_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    add_years,
    label_of,
    parse_yuan,
)
from desktop.services.party.dues import load_bands, quote_for, to_band
from desktop.services.party.members import MemberInput, event, member_input_from, save_member_in
from desktop.services.party.orgs import current_posts, subtree_ids

_HEADER = {c.key: c.header for c in PARTY_MEMBER_COLUMNS}
#: ValidationError.field of the member form → the column to blame
_FIELD_COLUMN = {
    "name": "name", "id_number": "id_number", "gender": "gender", "birth_date": "birth_date", "phone": "phone",
    "stage": "stage", "joined_on": "joined_on", "confirmed_on": "confirmed_on", "applied_on": "joined_on",
    "org_id": "org", "group_id": "group", "grid_id": "grid", "dues_category": "dues_category",
    "dues_base_fen": "dues_base", "ethnicity": "ethnicity", "education": "education", "native_place": "native_place",
    "occupation": "occupation", "work_unit": "work_unit", "address": "address", "lost_since": "lost_since",
}  # fmt: skip
_STAGES = {v: k.value for k, v in STAGE_LABELS.items()} | {
    "正式": "FULL", "预备": "PROBATIONARY", "积极分子": "ACTIVIST", "申请人": "APPLICANT", "入党申请": "APPLICANT",
}  # fmt: skip
_DUES = {v: k.value for k, v in DUES_CATEGORY_LABELS.items()} | {
    "退休": "RETIRED", "离休": "RETIRED", "离退休人员": "RETIRED", "在职人员": "IN_WORK", "个体": "SELF_EMPLOYED",
    "下岗": "UNEMPLOYED", "失业": "UNEMPLOYED", "低保": "SUBSISTENCE", "农民党员": "FARMER", "学生党员": "STUDENT",
}  # fmt: skip
_STATUSES = {v: k.value for k, v in STATUS_LABELS.items()} | {"在册": "ACTIVE", "": "ACTIVE"}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


# ---------------------------------------------------------------- export


def export_members(
    ctx: ServiceContext, out: Path, org_id: int | None = None, today: dt.date | None = None, *, reason: str
) -> int:
    """Write the members on the roll (every stage) to ``out`` (.xlsx/.csv), full 身份证号 and phones included —
    the file is the roster 全国党员管理信息系统 and the import take back — so it asks for a reason, audited
    with the file's SHA-256 (个人信息保护法 第二十八条: ID numbers are sensitive personal information)."""
    require(ctx, PARTY)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError("导出含完整身份证号码的党员名册，请写明原因（记入操作日志）。", field="reason")
    out = Path(out)
    check_suffix(out, EXPORT_SUFFIXES)
    today = today or ctx.today()
    with ctx.read() as s:
        scope.check_org_id(s, org_id)  # a community's account exports its own members only
        q = select(PartyMember).where(
            PartyMember.status == MembershipStatus.ACTIVE, scope.member_condition(s)
        )
        if org_id is not None:
            q = q.where(PartyMember.org_id.in_(subtree_ids(s, org_id)))
        members = list(s.scalars(q.order_by(PartyMember.org_id, PartyMember.name_initials, PartyMember.id)))
        orgs = {o.id: o for o in s.scalars(select(PartyOrg))}
        grids = {g: n for g, n in s.execute(select(Grid.id, Grid.name))}
        bands = [to_band(b) for b in load_bands(s)]
        posts = current_posts(s)
    held: dict[int, list[str]] = {}
    for org_posts in posts.values():
        for p in org_posts:
            held.setdefault(p.member_id, []).append(p.post_label)
    this_month = f"{today:%Y-%m}"
    order = {o_id: (o.sort_key, o_id) for o_id, o in orgs.items()}
    members.sort(key=lambda m: (order.get(m.org_id, (0, 0)), m.name_initials or "", m.id))

    def money(fen: int | None) -> float | None:
        return None if fen is None else fen / 100

    rows: list[tuple[Any, ...]] = []
    for m in members:
        org, group = orgs.get(m.org_id), orgs.get(m.group_id) if m.group_id else None
        monthly = quote_for(m, bands, this_month).amount_fen if m.stage in ("FULL", "PROBATIONARY") else None
        rows.append(
            (
                m.name, m.gender, m.id_number, m.ethnicity, m.birth_date, m.education, m.native_place,
                org.name if org else "", group.name if group else None, label_of(STAGE_LABELS, m.stage), m.joined_on,
                m.confirmed_on, m.occupation, m.work_unit, m.phone, m.address, grids.get(m.grid_id) if m.grid_id else None,
                label_of(STATUS_LABELS, m.status), _yes(m.is_mobile), m.mobile_destination if m.is_mobile else None,
                _yes(m.is_lost_contact), m.lost_since if m.is_lost_contact else None,
                label_of(DUES_CATEGORY_LABELS, m.dues_category), money(m.dues_base_fen), money(monthly),
                "、".join(held.get(m.id, [])) or None, m.notes,
            )
        )  # fmt: skip
    count = write_table(out, PARTY_MEMBER_COLUMNS.columns, rows, sheet_name="党员名册")
    with ctx.write() as uow:
        uow.audit(
            "export",
            "party_member",
            None,
            summary=f"导出党员名册 {count} 人到 {out.name}（含完整身份证号；原因：{reason[:80]}）",
            after={
                "file": str(out.resolve()),
                "rows": count,
                "sha256": _sha256(out),
                "org_id": org_id,
                "reason": reason,
            },
        )
    return count


# ---------------------------------------------------------------- report


@dataclass
class PartyImportReport(ImportReport):
    noun: ClassVar[str] = "党员"
    measure: ClassVar[str] = "名"

    ignored_columns: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        if self.ignored_columns:
            return [f"以下列只用于查看，导入时不读取：{'、'.join(self.ignored_columns)}。"]
        return []


# ---------------------------------------------------------------- parsing rows


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    warnings: list[ImportIssue] = field(default_factory=list)


def _issue(
    row: int, key: str | None, value: object, reason: str, code: str, warning: bool = False
) -> ImportIssue:
    return ImportIssue(
        row,
        _HEADER[key] if key else None,
        value,
        reason,
        Severity.WARNING if warning else Severity.ERROR,
        code,
    )


def _parse(rec: Record, table: Table, today: dt.date) -> tuple[_Row | None, list[ImportIssue]]:
    issues: list[ImportIssue] = []
    v: dict[str, Any] = {}
    r = rec.row
    name = clean_text(rec.text("name"))
    if not name:
        issues.append(_issue(r, "name", None, "不能为空", "required"))
    v["name"] = name
    cell = rec.cell("id_number")
    ident = normalize_id_number(rec.text("id_number"))
    if not ident:
        issues.append(_issue(r, "id_number", None, "不能为空", "required"))
    elif cell.is_number:
        issues.append(
            _issue(
                r,
                "id_number",
                rec.raw("id_number"),
                "身份证号码被保存为数字（Excel 只保留 15 位有效数字，末几位可能已丢失），请把该列设为文本后重新填写",
                "id_as_number",
            )
        )
    v["id_number"] = ident
    org = clean_text(rec.text("org"))
    if not org:
        issues.append(_issue(r, "org", None, "不能为空", "required"))
    v["org"] = org
    for key in ("birth_date", "joined_on", "confirmed_on", "lost_since"):
        if table.has(key):
            try:
                v[key] = parse_date(rec.value(key), field="值")
            except ValueProblem as exc:
                issues.append(_issue(r, key, rec.raw(key), str(exc), "bad_date"))
    if table.has("gender"):
        try:
            v["gender"] = parse_gender(rec.value("gender"))
        except ValueProblem as exc:
            issues.append(_issue(r, "gender", rec.raw("gender"), str(exc), "bad_gender"))
    for key in ("is_mobile", "is_lost"):
        if table.has(key):
            try:
                v[key] = parse_bool(rec.value(key), field="值")
            except ValueProblem as exc:
                issues.append(_issue(r, key, rec.raw(key), str(exc), "bad_bool"))
    for key, labels, what in (
        ("stage", _STAGES, "党员类别"),
        ("dues_category", _DUES, "党费类别"),
        ("status", _STATUSES, "党籍状态"),
    ):
        if not table.has(key):
            continue
        text = clean_text(rec.text(key))
        if text and text not in labels:
            options = "、".join(dict.fromkeys(label for label in labels if len(label) > 2))
            issues.append(_issue(r, key, text, f"{what}“{text}”无法识别，应为{options}之一", "unknown_value"))
        v[key] = labels.get(text) if text else None
    if table.has("dues_base"):
        try:
            v["dues_base"] = parse_yuan(rec.value("dues_base"), field="党费基数")
        except ValidationError as exc:
            issues.append(_issue(r, "dues_base", rec.raw("dues_base"), str(exc).rstrip("。"), "bad_amount"))
    for key in ("ethnicity", "education", "native_place", "group", "occupation", "work_unit", "phone", "address",
                "grid", "mobile_destination", "notes"):  # fmt: skip
        if table.has(key):
            v[key] = clean_text(rec.text(key)) or None
    if any(i.is_error for i in issues):
        return None, issues
    row = _Row(r, v)
    if table.has("stage") and v.get("stage") is None and v.get("joined_on"):
        joined = v["joined_on"]
        if v.get("confirmed_on") or add_years(joined, rules.PROBATION_YEARS) <= today:
            v["stage"] = MemberStage.FULL.value
            if not v.get("confirmed_on"):
                row.warnings.append(
                    _issue(
                        r,
                        "stage",
                        None,
                        "未填写党员类别和转正日期，入党已满一年，按正式党员导入",
                        "stage_guessed",
                        True,
                    )
                )
        else:
            v["stage"] = MemberStage.PROBATIONARY.value
    return row, issues


def _check_table(table: Table, today: dt.date) -> tuple[list[_Row], list[ImportIssue]]:
    seen: dict[str, list[int]] = {}
    for rec in table.records:
        ident = normalize_id_number(rec.text("id_number"))
        if ident:
            seen.setdefault(ident, []).append(rec.row)
    rows, issues = [], []
    for rec in table.records:
        row, found = _parse(rec, table, today)
        ident = normalize_id_number(rec.text("id_number"))
        if ident and len(seen.get(ident, [])) > 1:
            others = "、".join(str(n) for n in seen[ident] if n != rec.row)
            found.append(
                _issue(rec.row, "id_number", ident, f"在文件中重复出现（另见第 {others} 行）", "duplicate")
            )
            row = None
        issues += found
        if row is not None:
            rows.append(row)
    return rows, issues


# ---------------------------------------------------------------- applying rows


class _DryRun(Exception):
    pass


@dataclass
class _State:
    orgs: dict[str, PartyOrg]
    groups: dict[tuple[int, str], int]
    grids: dict[str, int]
    members: dict[str, PartyMember]


def _load_state(uow: UnitOfWork) -> _State:
    s = uow.session
    orgs: dict[str, PartyOrg] = {}
    groups: dict[tuple[int, str], int] = {}
    for o in s.scalars(select(PartyOrg).where(PartyOrg.retired_on.is_(None))):
        if o.kind == PartyOrgKind.GROUP and o.parent_id is not None:
            groups[(o.parent_id, clean_text(o.name))] = o.id
        else:
            orgs.setdefault(clean_text(o.name), o)
            if o.full_name:
                orgs.setdefault(clean_text(o.full_name), o)
    grids: dict[str, int] = {}
    for g in s.scalars(select(Grid)):
        grids.setdefault(clean_text(g.name), g.id)
        grids.setdefault(normalize_code(g.code), g.id)
    members = {m.id_number: m for m in s.scalars(select(PartyMember)) if m.id_number}
    return _State(orgs, groups, grids, members)


def _input_for(row: _Row, state: _State, table: Table) -> tuple[MemberInput | None, list[ImportIssue]]:
    v, r = row.values, row.row
    org = state.orgs.get(v["org"])
    if org is None:
        return None, [
            _issue(r, "org", v["org"], f"党组织“{v['org']}”不存在，请先在程序中建立该党支部", "unknown_org")
        ]
    existing = state.members.get(v["id_number"])
    data = (
        member_input_from(existing)
        if existing is not None
        else MemberInput(name=v["name"], org_id=org.id, added_how="导入")
    )
    data = replace(data, name=v["name"], org_id=org.id, id_number=v["id_number"])
    if existing is not None and existing.org_id != org.id:
        data.group_id = None
    simple = ("gender", "ethnicity", "birth_date", "education", "native_place", "occupation", "work_unit", "address",
              "joined_on", "confirmed_on", "notes")  # fmt: skip
    for key in simple:  # a blank cell keeps what is stored: an import never clears a value
        if v.get(key) is not None:
            setattr(data, key, v[key])
    data.phone = v.get("phone")  # None keeps the stored phone
    if table.has("stage") and v.get("stage"):
        data.stage = v["stage"]
    elif existing is None:
        data.stage = MemberStage.FULL.value if v.get("confirmed_on") else MemberStage.PROBATIONARY.value
    if table.has("dues_category") and v.get("dues_category"):
        data.dues_category = v["dues_category"]
    if v.get("dues_base") is not None:
        data.dues_base_fen = v["dues_base"]
    issues: list[ImportIssue] = []
    if v.get("group"):
        gid = state.groups.get((org.id, v["group"]))
        if gid is None:
            issues.append(
                _issue(r, "group", v["group"], f"“{org.name}”下没有党小组“{v['group']}”", "unknown_group")
            )
        data.group_id = gid
    if table.has("grid") and v.get("grid"):
        gid = state.grids.get(v["grid"]) or state.grids.get(normalize_code(v["grid"]))
        if gid is None:
            issues.append(_issue(r, "grid", v["grid"], f"网格“{v['grid']}”不存在", "unknown_grid"))
        data.grid_id = gid
    return (None if issues else data), issues


def _apply_flags(
    uow: UnitOfWork, m: PartyMember, row: _Row, table: Table, today: dt.date
) -> tuple[bool, list[ImportIssue]]:
    v, r, changed, issues = row.values, row.row, False, []
    if table.has("is_mobile") and v.get("is_mobile") is not None and v["is_mobile"] != m.is_mobile:
        destination = v.get("mobile_destination") or m.mobile_destination
        if v["is_mobile"] and not destination:
            return False, [_issue(r, "mobile_destination", None, "流动党员须填写外出流向", "required")]
        m.is_mobile = bool(v["is_mobile"])
        if m.is_mobile:
            m.mobile_direction, m.mobile_destination, m.mobile_since = (
                "OUT",
                (destination or "")[:100],
                m.mobile_since or today,
            )
        event(
            uow,
            m,
            MemberEventKind.MOBILE,
            today,
            None,
            m.mobile_destination if m.is_mobile else None,
            reason="名册导入",
        )
        changed = True
    elif (
        m.is_mobile
        and table.has("mobile_destination")
        and v.get("mobile_destination") not in (None, m.mobile_destination)
    ):
        m.mobile_destination, changed = v["mobile_destination"][:100], True
    if table.has("is_lost") and v.get("is_lost") is not None and v["is_lost"] != m.is_lost_contact:
        since = v.get("lost_since")
        if v["is_lost"]:
            if since is None:
                return False, [_issue(r, "lost_since", None, "失联党员须填写失联日期", "required")]
            rules.check_lost_contact(since, today)
            m.lost_since, m.lost_reason = since, m.lost_reason or "7"
        m.is_lost_contact = bool(v["is_lost"])
        event(
            uow,
            m,
            MemberEventKind.LOST_CONTACT,
            since or today,
            None,
            "失联" if m.is_lost_contact else None,
            reason="名册导入",
        )
        changed = True
    status = v.get("status")
    if table.has("status") and status and status != m.status:
        issues.append(
            _issue(
                r,
                "status",
                label_of(STATUS_LABELS, status),
                f"名册中为“{label_of(STATUS_LABELS, status)}”，程序中为“{label_of(STATUS_LABELS, m.status)}”；"
                "转出、去世等请在程序中办理，导入不改变党籍状态",
                "status_kept",
                True,
            )
        )
    return changed, issues


def import_members(
    ctx: ServiceContext,
    path: Path,
    sheet: str | None = None,
    dry_run: bool = False,
    errors_out: Path | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> PartyImportReport:
    """Read ``path`` (.xlsx/.xls/.csv), check every row, write the valid ones in one transaction.
    With ``errors_out`` the problems are also written there (行号/字段/值/原因) when there are any.
    ``progress(done, total, text)`` is called for each row and may raise CancelledError: nothing is
    written then."""
    require(ctx, PARTY)
    path = Path(path)
    today = today or ctx.today()
    table = read_table(path, PARTY_MEMBER_COLUMNS, sheet)
    report = PartyImportReport.for_table(table, dry_run=dry_run)
    report.ignored_columns = [_HEADER[k] for k in EXPORT_ONLY if table.has(k)]
    rows, issues = _check_table(table, today)
    report.issues = issues
    if rows and not dry_run:
        backups.backup_if_changed(ctx, "import")
    if report.rows_read:
        try:
            with ctx.write() as uow:
                state = _load_state(uow)
                # every row's audit in compressed blocks, not a record each (issue 16)
                with audit.collected(uow.session, uow.actor, at=uow.clock.utcnow(), entity="party_member"):
                    for n, row in enumerate(rows):
                        if progress is not None:
                            progress(n, len(rows), "")
                        _import_row(uow, state, row, table, report, today)
                report.rejected = len({i.row for i in report.issues if i.is_error})
                report.issues.sort(key=lambda i: (i.row or 0, not i.is_error))
                if dry_run:
                    raise _DryRun
                uow.audit(
                    "import", "party_member", None,
                    summary=f"导入党员名册：{path.name}，新建 {report.created}，更新 {report.updated}，"
                            f"未变 {report.unchanged}，拒绝 {report.rejected} 行",
                    after={"file": str(path.resolve()), "sha256": _sha256(path), "rows": report.rows_read,
                           "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                           "rejected": report.rejected},
                )  # fmt: skip
        except _DryRun:
            pass
    report.rejected = len({i.row for i in report.issues if i.is_error})
    if errors_out is not None and report.issues:
        write_issues(Path(errors_out), report.issues)
    return report


def _import_row(
    uow: UnitOfWork, state: _State, row: _Row, table: Table, report: PartyImportReport, today: dt.date
) -> None:
    data, problems = _input_for(row, state, table)
    if data is None:
        report.issues += problems
        return
    s = uow.session
    savepoint = s.begin_nested()
    try:
        m, changed = save_member_in(uow, data, today)
        flags_changed, flag_issues = _apply_flags(uow, m, row, table, today)
        if flags_changed:
            s.flush()
            uow.audit("update", "party_member", m.id, summary=f"导入：党员 {m.name} 流动/失联情况")
    except (
        ValidationError,
        ConflictError,
        NotFoundError,
        PermissionDenied,
    ) as exc:  # (out of the account's reach)
        savepoint.rollback()
        column = _FIELD_COLUMN.get(getattr(exc, "field", None) or exc.detail or "")
        value = row.values.get(column) if column else None
        report.issues.append(_issue(row.row, column, value, str(exc).rstrip("。"), "invalid"))
        return
    savepoint.commit()
    report.issues += row.warnings + flag_issues
    existed = data.id is not None
    state.members[m.id_number or ""] = m
    if not existed:
        report.created += 1
    elif changed or flags_changed:
        report.updated += 1
    else:
        report.unchanged += 1
