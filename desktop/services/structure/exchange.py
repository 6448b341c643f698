"""The grid list to and from Excel/CSV (columns: 社区, 网格编号, 网格名称, 网格类型, 网格长, 网格员, 户数, 人数, 四至).

Import rules:

* A row is matched to a grid by 网格编号: an existing grid is updated, an unknown code creates one.
  An export imports back unchanged (0 created, 0 updated).
* Every row is checked first (required cells, 网格类型, whole non-negative 户数/人数, names, the same
  网格编号 twice in the file); then against the database (retired community or grid, a second
  网格长). Valid rows are written in **one transaction**; every rejected row is listed with its
  Excel row number. ``dry_run`` does all of it and rolls back.
* A missing community is created by name. A database without a street has no communities or grids
  yet (a fresh one): the import then creates the street as “未命名街道” and says so, so a whole
  structure can be loaded into a new database; the user names the street in 设置 afterwards.
* 网格长/网格员 list names of active staff of that role. Missing names are added; nobody is ever
  removed or moved (that is a decision for the program's staff page, with a reason). A grid has one
  网格长: a different name where one is in office rejects the row.
* A column the file lacks leaves that field as it is; a blank cell in a present column clears
  户数/人数/四至 (blank 网格类型 keeps the type; a new grid is then a 基础网格).
* Audit: one record per created/updated grid (before/after with its 网格长/网格员), per created
  community, street and staff member, and one "import" record for the batch.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.schema.structure import Community, Grid, GridKind, GridRole, GridStaff, Street
from desktop.core.errors import ConflictError
from desktop.domain.text import clean_text, normalize_code
from desktop.exchange.grids import GRID_COLUMNS, join_names, split_names
from desktop.exchange.issues import ImportIssue, Severity
from desktop.exchange.reading import Record, Table, read_table
from desktop.exchange.report import ImportReport
from desktop.exchange.values import ValueProblem, parse_count
from desktop.exchange.writing import EXPORT_SUFFIXES, check_suffix, write_table
from desktop.services import backups
from desktop.services.audit import snapshot
from desktop.services.context import ServiceContext, UnitOfWork
from desktop.services.structure.common import GRID_KIND_LABELS, grid_kind_from_label
from desktop.services.structure.grids import list_grids

PLACEHOLDER_STREET = "未命名街道"
_LIMITS = {"community": 50, "code": 30, "name": 80}
_HEADER = {c.key: c.header for c in GRID_COLUMNS}


# ---------------------------------------------------------------- export


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_grids(ctx: ServiceContext, out: Path) -> int:
    """Write the active grids to ``out`` (.xlsx or .csv by suffix); returns how many."""
    out = Path(out)
    check_suffix(out, EXPORT_SUFFIXES)
    rows = [
        (
            g.community_name,
            g.code,
            g.name,
            g.kind_label,
            g.chiefs,
            g.workers,
            g.households,
            g.population,
            g.boundary,
        )
        for g in list_grids(ctx)
    ]
    count = write_table(out, GRID_COLUMNS.columns, rows, sheet_name="网格")
    with ctx.write() as uow:
        uow.audit(
            "export",
            "grid",
            None,
            summary=f"导出网格 {count} 个到 {out.name}",
            after={"file": str(out.resolve()), "rows": count, "sha256": _sha256(out)},
        )
    return count


# ---------------------------------------------------------------- report


@dataclass
class GridImportReport(ImportReport):
    noun: ClassVar[str] = "网格"
    measure: ClassVar[str] = "个"

    staff_added: int = 0
    communities_created: list[str] = field(default_factory=list)
    street_created: str | None = None

    def notes(self) -> list[str]:
        lines = []
        if self.street_created:
            lines.append(f"{self.will}新建街道“{self.street_created}”，请在“设置”中填写街道名称。")
        if self.communities_created:
            lines.append(f"{self.will}新建社区：{'、'.join(self.communities_created)}。")
        if self.staff_added:
            lines.append(f"{self.will}新增网格人员 {self.staff_added} 名。")
        return lines


# ---------------------------------------------------------------- checking rows


@dataclass(frozen=True)
class _GridRow:
    row: int
    community: str
    code: str
    name: str
    kind: str | None  # GridKind value; None = blank
    chiefs: tuple[str, ...]
    workers: tuple[str, ...]
    households: int | None
    population: int | None
    boundary: str | None


def _issue(row: int, key: str, value: object, reason: str, code: str, warning: bool = False) -> ImportIssue:
    severity = Severity.WARNING if warning else Severity.ERROR
    return ImportIssue(row, _HEADER[key], value, reason, severity, code)


def _check_record(rec: Record) -> tuple[_GridRow | None, list[ImportIssue]]:
    issues: list[ImportIssue] = []
    texts: dict[str, str] = {}
    for key in ("community", "code", "name"):
        text = clean_text(rec.text(key))
        texts[key] = text
        if not text:
            issues.append(_issue(rec.row, key, None, "不能为空", "required"))
        elif len(text) > _LIMITS[key]:
            issues.append(_issue(rec.row, key, text, f"不能超过 {_LIMITS[key]} 个字符", "too_long"))
    kind: str | None = None
    kind_text = clean_text(rec.text("kind"))
    if kind_text:
        found = grid_kind_from_label(kind_text)
        if found is None:
            *first, last = GRID_KIND_LABELS.values()
            labels = f"{'、'.join(first)}或{last}"
            issues.append(
                _issue(rec.row, "kind", kind_text, f"值“{kind_text}”无效，应为{labels}", "unknown_kind")
            )
        else:
            kind = found.value
    counts: dict[str, int | None] = {}
    for key in ("households", "population"):
        try:
            counts[key] = parse_count(rec.value(key), field="值")
        except ValueProblem as exc:
            issues.append(_issue(rec.row, key, rec.raw(key), str(exc), "not_integer"))
    chiefs, workers = split_names(rec.text("chiefs")), split_names(rec.text("workers"))
    for key, names in (("chiefs", chiefs), ("workers", workers)):
        for name in names:
            if len(name) > 50:
                issues.append(_issue(rec.row, key, name, "姓名不能超过 50 个字符", "too_long"))
    if len(chiefs) > 1:
        issues.append(
            _issue(rec.row, "chiefs", join_names(chiefs), "一个网格只能有一名网格长", "several_chiefs")
        )
    for name in set(chiefs) & set(workers):
        issues.append(_issue(rec.row, "workers", name, f"{name}不能同时是网格长和网格员", "role_clash"))
    if any(i.is_error for i in issues):
        return None, issues
    households, population = counts.get("households"), counts.get("population")
    if households is not None and population is not None and population < households:
        issues.append(
            _issue(
                rec.row,
                "population",
                population,
                f"人数（{population}）少于户数（{households}）",
                "odd",
                True,
            )
        )
    boundary = clean_text(rec.text("boundary")) or None
    row = _GridRow(
        rec.row,
        texts["community"],
        texts["code"],
        texts["name"],
        kind,
        tuple(chiefs),
        tuple(workers),
        households,
        population,
        boundary,
    )
    return row, issues


def _check_table(table: Table) -> tuple[list[_GridRow], list[ImportIssue]]:
    rows: list[_GridRow] = []
    issues: list[ImportIssue] = []
    seen: dict[str, list[int]] = defaultdict(list)
    for rec in table.records:
        code = normalize_code(rec.text("code"))
        if code:
            seen[code].append(rec.row)
    duplicated = {code: numbers for code, numbers in seen.items() if len(numbers) > 1}
    for rec in table.records:
        row, found = _check_record(rec)
        code = normalize_code(rec.text("code"))
        if code in duplicated:
            others = "、".join(str(n) for n in duplicated[code] if n != rec.row)
            found.append(
                _issue(
                    rec.row, "code", code, f"值“{code}”在文件中重复出现（另见第 {others} 行）", "duplicate"
                )
            )
            row = None
        issues += found
        if row is not None:
            rows.append(row)
    return rows, issues


# ---------------------------------------------------------------- applying rows


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


@dataclass
class _State:
    street: Street | None
    communities: dict[str, Community]
    grids: dict[str, Grid]
    staff: dict[int, list[GridStaff]]


def _load_state(uow: UnitOfWork) -> _State:
    s = uow.session
    staff: dict[int, list[GridStaff]] = defaultdict(list)
    for m in s.scalars(
        select(GridStaff).where(GridStaff.retired_on.is_(None)).order_by(GridStaff.sort_key, GridStaff.id)
    ):
        staff[m.grid_id].append(m)
    return _State(
        s.scalar(select(Street).order_by(Street.id).limit(1)),
        {clean_text(c.name): c for c in s.scalars(select(Community))},
        {normalize_code(g.code): g for g in s.scalars(select(Grid))},
        staff,
    )


def _names(members: list[GridStaff], role: GridRole) -> list[str]:
    return [m.name for m in members if m.role == role]


def _database_problems(r: _GridRow, state: _State) -> list[ImportIssue]:
    problems: list[ImportIssue] = []
    community = state.communities.get(r.community)
    if community is not None and community.retired_on is not None:
        problems.append(
            _issue(
                r.row, "community", r.community, f"社区“{r.community}”已撤销，不能在其下导入网格", "retired"
            )
        )
    grid = state.grids.get(r.code)
    if grid is None:
        return problems
    if grid.retired_on is not None:
        problems.append(
            _issue(r.row, "code", r.code, f"属于已撤销的网格“{grid.name}”，请先在程序中恢复该网格", "retired")
        )
    members = state.staff.get(grid.id, [])
    chiefs, workers = _names(members, GridRole.CHIEF), _names(members, GridRole.WORKER)
    if r.chiefs and chiefs and r.chiefs[0] not in chiefs:
        current = join_names(chiefs)
        problems.append(
            _issue(
                r.row,
                "chiefs",
                r.chiefs[0],
                f"该网格已有网格长{current}，一个网格只能有一名网格长；如需更换，请先在程序中将{current}调离",
                "chief_conflict",
            )
        )
    for name in r.chiefs:
        if name in workers:
            problems.append(
                _issue(
                    r.row,
                    "chiefs",
                    name,
                    f"{name}已是该网格的专职网格员，改任网格长请在程序中调整",
                    "role_clash",
                )
            )
    for name in r.workers:
        if name in chiefs:
            problems.append(_issue(r.row, "workers", name, f"{name}已是该网格的网格长", "role_clash"))
    return problems


def _community_for(uow: UnitOfWork, state: _State, name: str, report: GridImportReport) -> Community:
    community = state.communities.get(name)
    if community is not None:
        return community
    s = uow.session
    if state.street is None:
        state.street = Street(name=PLACEHOLDER_STREET)
        s.add(state.street)
        s.flush()
        uow.audit(
            "create",
            "street",
            state.street.id,
            summary=f"导入网格时新建街道：{PLACEHOLDER_STREET}",
            after=snapshot(state.street),
        )
        report.street_created = PLACEHOLDER_STREET
    community = Community(street_id=state.street.id, name=name)
    s.add(community)
    s.flush()
    uow.audit(
        "create", "community", community.id, summary=f"导入网格时新建社区：{name}", after=snapshot(community)
    )
    state.communities[name] = community
    report.communities_created.append(name)
    return community


def _grid_snapshot(grid: Grid, members: list[GridStaff]) -> dict[str, Any]:
    return {
        **snapshot(grid),
        "chiefs": _names(members, GridRole.CHIEF),
        "workers": _names(members, GridRole.WORKER),
    }


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return (clean_text(a) or None) == (clean_text(b) or None)
    return a == b


def _apply_row(uow: UnitOfWork, state: _State, r: _GridRow, table: Table, report: GridImportReport) -> None:
    s = uow.session
    community = _community_for(uow, state, r.community, report)
    grid = state.grids.get(r.code)
    wanted: dict[str, object] = {"community_id": community.id, "name": r.name}
    if r.kind is not None or grid is None:
        wanted["kind"] = r.kind or GridKind.BASIC.value
    for key in ("households", "population", "boundary"):
        if table.has(key):
            wanted[key] = getattr(r, key)
    if grid is None:
        grid = Grid(code=r.code, **wanted)
        s.add(grid)
        s.flush()
        state.grids[r.code] = grid
        before = None
    else:
        members = state.staff.get(grid.id, [])
        before = _grid_snapshot(grid, members)
        for attr, value in wanted.items():
            if not _same(getattr(grid, attr), value):
                setattr(grid, attr, value)
    members = state.staff[grid.id]
    added: list[GridStaff] = []
    for role, names in ((GridRole.CHIEF, r.chiefs), (GridRole.WORKER, r.workers)):
        present = _names(members, role)
        for name in names:
            if name not in present:
                m = GridStaff(
                    grid_id=grid.id, role=role.value, name=name, sort_key=0 if role == GridRole.CHIEF else 1
                )
                s.add(m)
                added.append(m)
                present.append(name)
    members.extend(added)
    if before is not None and not added and not s.is_modified(grid):
        report.unchanged += 1
        return
    s.flush()
    after = _grid_snapshot(grid, members)
    if before is not None and before == after:
        report.unchanged += 1
        return
    uow.audit(
        "create" if before is None else "update",
        "grid",
        grid.id,
        summary=f"导入网格 {grid.code} {grid.name}",
        before=before,
        after=after,
    )
    for m in added:
        label = "网格长" if m.role == GridRole.CHIEF else "专职网格员"
        uow.audit(
            "create",
            "grid_staff",
            m.id,
            summary=f"导入网格时新增{label} {m.name}（网格 {grid.code}）",
            after=snapshot(m),
        )
    report.staff_added += len(added)
    if before is None:
        report.created += 1
    else:
        report.updated += 1


def import_grids(
    ctx: ServiceContext,
    path: Path,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> GridImportReport:
    """Read ``path`` (.xlsx/.xls/.csv), check every row, write the valid ones in one transaction.
    ``progress(done, total, text)`` is called for each row and may raise CancelledError: nothing is
    written then."""
    path = Path(path)
    table = read_table(path, GRID_COLUMNS, sheet)
    report = GridImportReport.for_table(table, dry_run=dry_run)
    rows, issues = _check_table(table)
    report.issues = issues
    report.rejected = len({i.row for i in issues if i.is_error})
    if report.rows_read == 0:
        return report
    if rows and not dry_run:
        backups.backup_if_changed(ctx, "import")
    try:
        with ctx.write() as uow:
            state = _load_state(uow)
            for n, r in enumerate(rows):
                if progress is not None:
                    progress(n, len(rows), "")
                problems = _database_problems(r, state)
                if problems:
                    report.issues += problems
                    report.rejected += 1
                    continue
                _apply_row(uow, state, r, table, report)
            report.issues.sort(key=lambda i: (i.row or 0, not i.is_error))
            if dry_run:
                raise _DryRun
            uow.audit(
                "import",
                "grid",
                None,
                summary=(
                    f"导入网格：{path.name}，新建 {report.created}，更新 {report.updated}，"
                    f"未变 {report.unchanged}，拒绝 {report.rejected} 行"
                ),
                after={
                    "file": str(path.resolve()),
                    "sha256": _sha256(path),
                    "rows": report.rows_read,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected": report.rejected,
                },
            )
    except _DryRun:
        pass
    except IntegrityError as exc:  # another PC saved the same 网格编号 or 社区 meanwhile
        raise ConflictError(
            "导入期间其他用户修改了网格或社区，本次导入没有写入任何数据，请重新导入。"
        ) from exc
    return report
