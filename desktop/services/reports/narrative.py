"""The 月报's narrative — 工作开展情况, 存在问题, 下一步打算 — written by the user for one month and scope.

One row of ``report_narrative`` per month and scope (a community, or the street: ``scope_key`` 0). Saving
checks the version the editor loaded (optimistic locking: a stale edit is refused with a message and
nothing is overwritten) and is audited like every other change. The computed tables are never stored.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.schema.reports import ReportNarrative
from desktop.core.errors import ConflictError, ValidationError
from desktop.domain.reports import NARRATIVE_PARTS, Narrative
from desktop.services.audit import snapshot
from desktop.services.context import ServiceContext
from desktop.services.reports.periods import Period, Scope, parse_month, resolve_scope

#: the longest part a user may write (characters): several pages of a 月报, far beyond what one needs
MAX_PART_LENGTH = 6000


def _clean(text: object) -> str:
    """Keep the user's paragraphs; drop trailing spaces, blank lines at either end and control characters."""
    raw = "" if text is None else str(text).replace("\r\n", "\n").replace("\r", "\n")
    raw = "".join(ch for ch in raw if ch == "\n" or ch == "\t" or ord(ch) >= 0x20).replace("\u200b", "")
    return "\n".join(line.rstrip() for line in raw.split("\n")).strip("\n").strip()


def _row(s: Session, period: Period, scope: Scope) -> ReportNarrative | None:
    return s.scalar(
        select(ReportNarrative).where(
            ReportNarrative.period == period.code, ReportNarrative.scope_key == (scope.community_id or 0)
        )
    )


def _narrative(row: ReportNarrative | None) -> Narrative:
    if row is None:
        return Narrative()
    return Narrative(
        work_done=row.work_done or "",
        problems=row.problems or "",
        next_steps=row.next_steps or "",
        version=row.version,
        updated_by=row.updated_by or "",
    )


def scope_label(scope: Scope) -> str:
    return scope.street + (scope.community or "")


def narrative_in(s: Session, period: Period, scope: Scope) -> Narrative:
    """The narrative of ``period`` and ``scope`` inside an open session (empty when none was written)."""
    return _narrative(_row(s, period, scope))


def narrative_title(ctx: ServiceContext, month: str, community: str | None = None) -> str:
    """钢城街道新华社区2026年10月月报说明: what the editor is headed with."""
    period = parse_month(month, ctx.today())
    with ctx.read() as s:
        return f"{scope_label(resolve_scope(s, community))}{period.label}月报说明"


def load_narrative(ctx: ServiceContext, month: str, community: str | None = None) -> Narrative:
    """The narrative of ``month`` ("YYYY-MM") for ``community`` (its name) or the street (None)."""
    period = parse_month(month, ctx.today())
    with ctx.read() as s:
        return narrative_in(s, period, resolve_scope(s, community))


def save_narrative(ctx: ServiceContext, month: str, community: str | None, narrative: Narrative) -> Narrative:
    """Store the narrative; ``narrative.version`` is the version the editor loaded (0: none existed).

    Raises ValidationError for a malformed or future month or a part that is too long, NotFoundError for
    an unknown community, ConflictError when someone else saved the narrative since it was loaded.
    """
    period = parse_month(month, ctx.today())
    parts = {key: _clean(narrative.part(key)) for key, _h in NARRATIVE_PARTS}
    for key, heading in NARRATIVE_PARTS:
        if len(parts[key]) > MAX_PART_LENGTH:
            raise ValidationError(
                f"“{heading}”共 {len(parts[key]):,} 字，超过 {MAX_PART_LENGTH:,} 字的上限，请精简后再保存。",
                field=key,
            )
    with ctx.write() as uow:
        s = uow.session
        scope = resolve_scope(s, community)
        row = _row(s, period, scope)
        where = f"{scope_label(scope)}{period.label}月报说明"
        current = row.version if row is not None else 0
        if narrative.version != current:
            who = f"（{row.updated_by}）" if row is not None and row.updated_by else ""
            raise ConflictError(
                f"{where}已被其他用户{who}修改，请重新打开后再编辑。您的修改尚未保存。", detail="version"
            )
        before = None
        if row is None:
            row = ReportNarrative(
                period=period.code, community_id=scope.community_id, scope_key=scope.community_id or 0
            )
            s.add(row)
        else:
            before = snapshot(row)
        row.work_done, row.problems, row.next_steps = (parts[k] or None for k, _h in NARRATIVE_PARTS)
        row.updated_by = ctx.actor.user
        s.flush()
        uow.audit(
            "create" if before is None else "update",
            "report_narrative",
            row.id,
            summary=f"编写{where}",
            before=before,
            after=snapshot(row),
        )
        return _narrative(row)
