"""Printing a case's documents to PDF (CLI ``shequ print …``, the UI's preview and save-as)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.core.errors import ValidationError
from desktop.documents import mediation as docs
from desktop.services.context import ServiceContext
from desktop.services.mediation.common import get_case


def print_document(
    ctx: ServiceContext, case: int | str, key: str, out: Path, *, audit: bool = True
) -> tuple[Path, int]:
    """Write document ``key`` of ``case`` (id or number) to ``out``; returns (path, pages).

    Audited (a file with personal data leaves the program), except previews (``audit=False``).
    """
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError(
            f"请把文书保存为 .pdf 文件（而不是“{out.suffix or '无扩展名'}”）。", field="out"
        )
    if key not in docs.DOCUMENTS:
        raise ValidationError(f"没有名为“{key}”的文书，可选：{'、'.join(docs.DOCUMENTS)}。", field="document")
    rec = get_case(ctx, case)
    wanted = docs.resolve(rec, key)
    if wanted is None:
        why = "还没有调解协议" if key in docs.AGREEMENT_DOCUMENTS else "还没有相应的记录"
        raise ValidationError(f"案件 {rec.case_no} {why}，不能生成{docs.DOCUMENTS[key]}。", field="document")
    if not out.parent.is_dir():
        raise ValidationError(f"文件夹“{out.parent}”不存在。", field="out")
    path = docs.write(rec, key, out)
    pages = len(re.findall(rb"/Type /Page[^s]", path.read_bytes()))
    if not audit:
        return path, pages
    with ctx.write() as uow:
        uow.audit(
            "print",
            "mediation_case",
            rec.id,
            summary=f"生成{docs.DOCUMENTS[wanted]}：{rec.case_no}（{pages} 页）",
            after={"file": str(path.resolve()), "document": wanted, "pages": pages},
        )
    return path, pages


def record_printed(ctx: ServiceContext, case_id: int, key: str, pages: int, printer: str) -> None:
    """Audit a document sent to a printer from the preview."""
    title = docs.DOCUMENTS.get(key, key)
    with ctx.write() as uow:
        uow.audit(
            "print",
            "mediation_case",
            case_id,
            summary=f"打印{title}（{pages} 页，打印机：{printer}）",
            after={"document": key, "pages": pages, "printer": printer},
        )
