"""The protocol an importer follows to plug into the one import flow (choose file → check → commit).

``check`` is a dry run: it reads the whole file and answers the report of what would be imported with
every row-level issue (行号/字段/值/原因); ``commit`` writes the valid rows in ONE transaction, so a
failure or 取消 leaves the database as it was. Both run off the GUI thread and call
``progress(done, total, text)``, which raises ``CancelledError`` once the user cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from desktop.exchange.report import ImportReport
from desktop.services.context import ServiceContext
from desktop.services.residents.exchange import ResidentPreview
from desktop.ui.data_changes import DataChanges
from desktop.ui.importing.import_request import ImportRequest

ProgressReport = Callable[[int, int, str], None]


class Importer(Protocol):
    #: the wizard's title, e.g. 导入居民
    title: str
    #: the file dialog's title, e.g. 选择居民名单
    file_prompt: str
    #: the file dialog's filter
    file_filter: str
    #: the first step's explanation (plain text) and what can be imported (rich text)
    intro: str
    columns_text: str
    #: a hint under the columns (how to prepare the file)
    tips: str
    #: the areas a commit changes (the page that opened the wizard emits them)
    changes: DataChanges

    def field_choices(self) -> Sequence[tuple[str, str, bool]] | None:
        """(key, header, required) of each importable field when the user maps the file's columns
        in a 核对列 step; None when the importer reads its own fixed columns (no such step)."""

    def preview(self, ctx: ServiceContext, path: Path, sheet: str | None) -> ResidentPreview:
        """The file's first rows for the 核对列 step (only called when ``field_choices`` is not None)."""

    def check(self, ctx: ServiceContext, request: ImportRequest, progress: ProgressReport) -> ImportReport:
        """A dry run of the whole file: nothing is written."""

    def commit(self, ctx: ServiceContext, request: ImportRequest, progress: ProgressReport) -> ImportReport:
        """Write the valid rows in one transaction."""

    def importable_rows(self, report: ImportReport) -> int:
        """How many rows a commit would write after this check (0 disables 导入)."""

    def check_summary(self, report: ImportReport) -> tuple[str, str]:
        """(headline, detail) of the check step."""

    def done_summary(self, report: ImportReport) -> tuple[str, list[str]]:
        """(title, lines) of the last step."""
