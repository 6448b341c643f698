"""The audit viewer of the 审计管理员: the records filtered by account, record, action and dates; an export.

Only reading: the chain and its check belong to services.audit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import select

from db.schema.audit import AuditRecord
from desktop.domain.accounts import AUDIT
from desktop.exchange.columns import Column, ColumnKind
from desktop.exchange.writing import write_table
from desktop.services.access import require
from desktop.services.audit_detail import block_choices, iter_rows
from desktop.services.context import ServiceContext

#: the actions the viewer offers by name (others are shown as stored)
ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "lock": "锁定",
    "unlock": "解锁",
    "unlock_screen": "解除锁屏",
    "change_password": "修改密码",
    "reset_password": "重置密码",
    "create": "新建",
    "update": "修改",
    "disable": "停用",
    "enable": "启用",
    "retire": "注销",
    "import": "导入",
    "export": "导出",
    "reveal": "查看完整信息",
    "backup": "备份",
}

#: the record types by name (others are shown as stored: the table's name)
ENTITY_LABELS = {
    "account": "账号",
    "role": "角色",
    "setting": "设置",
    "dictionary_entry": "字典",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
    "grid_staff": "网格人员",
    "resident": "居民",
    "household": "住户",
    "mediation_case": "调解案件",
    "case_party": "调解当事人",
    "agreement": "调解协议",
    "judicial_confirmation": "司法确认",
    "court_referral": "诉前委派",
    "party_member": "党员",
    "party_org": "党组织",
    "party_meeting": "党内会议",
    "grid_event": "网格事件",
    "visit": "走访",
    "report": "报表",
    "report_narrative": "月报文字",
    "audit_record": "审计日志",
    "database": "数据库",
}


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


AUDIT_COLUMNS = (
    Column("at", "时间", kind=ColumnKind.TEXT, max_width=20),
    Column("user", "账号", kind=ColumnKind.TEXT, max_width=20),
    Column("host", "计算机", kind=ColumnKind.TEXT, max_width=20),
    Column("action", "操作", kind=ColumnKind.TEXT, max_width=14),
    Column("entity", "记录类型", kind=ColumnKind.TEXT, max_width=20),
    Column("entity_id", "记录编号", kind=ColumnKind.TEXT, max_width=12),
    Column("summary", "摘要", kind=ColumnKind.TEXT, max_width=80),
)


@dataclass(frozen=True)
class AuditQuery:
    user: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    date_from: dt.date | None = None  # local dates, both ends included
    date_to: dt.date | None = None
    limit: int = 2000


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: dt.datetime  # local time
    user: str
    host: str
    action: str
    entity: str
    entity_id: str | None
    summary: str
    seq: int | None = None  # the change's place in an import's block (None: an ordinary record)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def search_audit(ctx: ServiceContext, query: AuditQuery) -> list[AuditLine]:
    """The newest records first that match every filter given; an import's changes one by one (its blocks
    expanded, see ``services.audit_detail``)."""
    require(ctx, AUDIT)
    offset = ctx.now() - ctx.utcnow()  # stored in UTC, shown and filtered in local time
    where = []
    if query.user:
        where.append(AuditRecord.user == query.user.strip())
    if query.date_from:
        where.append(AuditRecord.at >= dt.datetime.combine(query.date_from, dt.time()) - offset)
    if query.date_to:
        end = dt.datetime.combine(query.date_to + dt.timedelta(days=1), dt.time()) - offset
        where.append(AuditRecord.at < end)
    with ctx.read() as s:
        rows = iter_rows(
            s,
            entity=(query.entity or "").strip() or None,
            entity_id=(query.entity_id or "").strip() or None,
            action=query.action or None,
            where=where,
        )
        return [
            AuditLine(r.id, r.at + offset, r.user, r.host, r.action, r.entity, r.entity_id, r.summary, r.seq)
            for r in islice(rows, query.limit)
        ]


def audit_choices(ctx: ServiceContext) -> tuple[list[str], list[str], list[str]]:
    """The accounts, record types and actions that occur in the log (the viewer's filter lists), the changes
    inside an import's blocks included (the blocks themselves are not offered)."""
    require(ctx, AUDIT)
    plain = AuditRecord.detail.is_(None)
    with ctx.read() as s:
        users = sorted(s.scalars(select(AuditRecord.user).distinct()))
        entities = set(s.scalars(select(AuditRecord.entity).where(plain).distinct()))
        actions = set(s.scalars(select(AuditRecord.action).where(plain).distinct()))
        in_blocks = block_choices(s)
    return users, sorted(entities | in_blocks[0]), sorted(actions | in_blocks[1])


def export_audit(ctx: ServiceContext, query: AuditQuery, path: Path) -> int:
    """The records the viewer shows, as .xlsx or .csv; the export itself is audited."""
    lines = search_audit(ctx, query)
    rows = [
        {
            "at": f"{line.at:%Y-%m-%d %H:%M:%S}",
            "user": line.user,
            "host": line.host,
            "action": line.action_label,
            "entity": entity_label(line.entity),
            "entity_id": line.entity_id or "",
            "summary": line.summary,
        }
        for line in lines
    ]
    count = write_table(Path(path), AUDIT_COLUMNS, rows, sheet_name="审计日志")
    with ctx.write() as uow:
        uow.audit("export", "audit_record", None, summary=f"导出审计日志 {count} 条到 {Path(path).name}")
    return count
