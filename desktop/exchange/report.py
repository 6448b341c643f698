"""What an import did, in numbers and in Chinese: the shared base of every import's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Self

from desktop.exchange.issues import ImportIssue
from desktop.exchange.reading import Table

DESCRIBE_MAX_ISSUES = 100  # the rest goes to the error workbook (--errors OUT.xlsx)


@dataclass
class ImportReport:
    """Counts, skipped rows and issues of one import. Subclasses set ``noun``/``measure`` and add notes.

    ``exit_status`` (as the README states): 0 every row imported, 2 some rows rejected and the others
    imported, 1 nothing imported (no data rows, or every row rejected).
    """

    noun: ClassVar[str] = "记录"  # 网格, 居民 …
    measure: ClassVar[str] = "条"  # 个, 人 …
    #: one rejected row keeps the whole file out (the holiday calendar): then nothing was imported
    all_or_nothing: ClassVar[bool] = False

    source: str  # the file's name
    sheet: str | None = None  # None for CSV
    header_row: int | None = None
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one error
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why): totals and footer rows
    issues: list[ImportIssue] = field(default_factory=list)
    dry_run: bool = False

    @classmethod
    def for_table(cls, table: Table, *, dry_run: bool = False) -> Self:
        """A report for ``table``: source, sheet, header row, rows read and skipped rows filled in."""
        return cls(
            source=table.sheet.source.name,
            sheet=None if table.sheet.encoding else table.sheet.name,
            header_row=table.header_row,
            rows_read=len(table.records),
            skipped=list(table.skipped),
            dry_run=dry_run,
        )

    @property
    def exit_status(self) -> int:
        taken = self.created + self.updated + self.unchanged
        if self.rows_read == 0 or (self.rejected and (not taken or self.all_or_nothing)):
            return 1
        return 2 if self.rejected else 0

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if not i.is_error]

    def notes(self) -> list[str]:
        """Extra lines after the counts (what else was created). ``will`` is "将" in a dry run."""
        return []

    @property
    def will(self) -> str:
        return "将" if self.dry_run else ""

    def describe(self) -> str:
        """A multi-line Chinese summary; issues as "第 5 行 · 户数：值“abc”不是整数"."""
        where = f"“{self.source}”" + (f"工作表“{self.sheet}”" if self.sheet else "")
        if self.header_row:
            where += f"（表头在第 {self.header_row} 行）"
        title = f"{self.noun}导入检查（仅检查，未写入数据库）" if self.dry_run else f"{self.noun}导入"
        lines = [f"{title}：{where}"]
        if self.rows_read == 0:
            lines.append(f"表头下没有数据行，未导入任何{self.noun}。")
            return "\n".join(lines)
        will, m = self.will, self.measure
        lines.append(
            f"共 {self.rows_read} 行：{will}新建 {self.created} {m}{self.noun}，{will}更新 {self.updated} {m}，"
            f"未变 {self.unchanged} {m}，拒绝 {self.rejected} 行。"
        )
        lines += self.notes()
        if self.skipped:
            lines.append("已跳过：" + "；".join(f"第 {n} 行（{why}）" for n, why in self.skipped) + "。")
        for heading, issues in (
            (f"被拒绝的 {self.rejected} 行未导入，请修改后重新导入：", self.errors),
            ("以下内容已导入，请核对：", self.warnings),
        ):
            if issues:
                lines.append(heading)
                lines += [f"  {i.describe()}" for i in issues[:DESCRIBE_MAX_ISSUES]]
                if len(issues) > DESCRIBE_MAX_ISSUES:
                    lines.append(f"  …… 另有 {len(issues) - DESCRIBE_MAX_ISSUES} 个问题未列出")
        return "\n".join(lines)
