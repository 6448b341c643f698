"""Photos and files of an event, kept in the database (so they move with it), within the size limits of
设置 (a file, an event's total). Files are added and read, never replaced; adding one is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import func, select

from db.schema.events import EventAttachment
from desktop.core.errors import NotFoundError, ValidationError
from desktop.domain.accounts import EVENTS
from desktop.domain.text import clean_text
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.events.common import load_event, opt_text
from desktop.services.events.config import load_attachment_limits


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    event_id: int
    file_name: str
    mime: str
    size: int
    sha256: str
    note: str | None
    added_by: str
    added_at: dt.datetime  # UTC

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def add_attachment(
    ctx: ServiceContext, event_id: int, file_name: str, content: bytes, *, note: str | None = None
) -> int:
    """Store ``content`` under ``file_name`` (the name only, no folders) with the event; returns its id."""
    name = PurePath(clean_text(file_name).replace("\\", "/")).name
    if not name:
        raise ValidationError("请给附件一个文件名。", field="file_name")
    if len(name) > 200:
        raise ValidationError("附件文件名太长（不超过 200 个字符）。", field="file_name")
    if not content:
        raise ValidationError(f"附件“{name}”是空文件。", field="content")
    with ctx.write() as uow:
        s = uow.session
        event = load_event(s, event_id)
        limits = load_attachment_limits(s)
        size = len(content)
        if size > limits.file_kb * 1024:
            raise ValidationError(
                f"附件“{name}”有 {_size_text(size)}，超过单个附件上限 {_size_text(limits.file_kb * 1024)}。",
                field="content",
            )
        used = int(
            s.scalar(
                select(func.coalesce(func.sum(EventAttachment.size), 0)).where(
                    EventAttachment.event_id == event.id
                )
            )
            or 0
        )
        if used + size > limits.event_kb * 1024:
            raise ValidationError(
                f"事件 {event.event_no} 的附件已有 {_size_text(used)}，再加“{name}”（{_size_text(size)}）"
                f"将超过每个事件 {_size_text(limits.event_kb * 1024)} 的上限。",
                field="content",
            )
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        digest = hashlib.sha256(content).hexdigest()
        row = EventAttachment(
            event_id=event.id,
            file_name=name,
            mime=mime,
            size=size,
            sha256=digest,
            content=content,
            note=opt_text(note, 200, "附件说明", "note"),
            added_by=uow.actor.user,
            added_at=uow.clock.utcnow(),
        )
        s.add(row)
        s.flush()
        uow.audit(
            "create",
            "event_attachment",
            row.id,
            summary=f"事件 {event.event_no} 附件 {name}",
            after={"event_id": event.id, "file_name": name, "mime": mime, "size": size, "sha256": digest},
        )
        return row.id


def _info(r: EventAttachment) -> AttachmentInfo:
    return AttachmentInfo(
        r.id, r.event_id, r.file_name, r.mime, r.size, r.sha256, r.note, r.added_by, r.added_at
    )


def list_attachments(ctx: ServiceContext, event_id: int) -> list[AttachmentInfo]:
    """The event's files, oldest first, without their bytes."""
    require(ctx, EVENTS)
    cols = [c for c in EventAttachment.__table__.c if c.key != "content"]
    with ctx.read() as s:
        load_event(s, event_id)  # an event outside the account's grids: refused
        rows = s.execute(
            select(*cols).where(EventAttachment.event_id == event_id).order_by(EventAttachment.id)
        )
        return [
            AttachmentInfo(
                r.id, r.event_id, r.file_name, r.mime, r.size, r.sha256, r.note, r.added_by, r.added_at
            )
            for r in rows
        ]


def read_attachment(ctx: ServiceContext, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """One file's details and bytes."""
    require(ctx, EVENTS)
    with ctx.read() as s:
        row = s.get(EventAttachment, attachment_id)
        if row is None:
            raise NotFoundError(f"附件（编号 {attachment_id}）不存在。")
        load_event(s, row.event_id)
        return _info(row), bytes(row.content)
