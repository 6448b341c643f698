"""What the sub-commands share: the Chinese argument parser, opening the database, progress on stderr."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop.core.errors import ValidationError

if TYPE_CHECKING:  # the parser is built without SQLAlchemy or the schema: --version and --help answer at once
    from desktop.exchange.report import ImportReport
    from desktop.services.context import ServiceContext

Handler = Callable[[argparse.Namespace], int]
Progress = Callable[[int, int, str], None]

_ARGPARSE_ZH = {
    "the following arguments are required": "缺少必需的参数",
    "unrecognized arguments": "无法识别的参数",
    "invalid choice": "无效的选项",
    "expected one argument": "该选项需要一个值",
    "argument": "参数",
    "invalid int value": "不是有效的整数",
    "choose from": "可选",
}


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for en, zh in _ARGPARSE_ZH.items():
            message = message.replace(en, zh)
        self.exit(2, f"命令行参数错误：{message}（用 {self.prog} --help 查看用法）\n")


#: the options that name a file a command writes; every command's are checked by ``check_outputs``
OUTPUT_OPTIONS = ("out", "xlsx", "docx", "errors")


def check_output_path(path: Path, option: str = "out") -> None:
    """The one rule for a file a command will write, checked before any work (and before an import
    commits): its folder must exist (it is never created silently), it must not be a folder itself,
    and the folder (and an existing file) must be writable."""
    path = Path(path)
    flag = f"--{option}"
    if path.is_dir():
        raise ValidationError(
            f"{flag}“{path}”是一个文件夹，请给出要写入的文件名（例如 {path / '结果.xlsx'}）。", field=option
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise ValidationError(
            f"无法写入“{path}”：文件夹“{folder}”不存在。请先建立这个文件夹，或换一个位置。", field=option
        )
    if not folder.is_dir():
        raise ValidationError(f"无法写入“{path}”：“{folder}”不是文件夹。", field=option)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValidationError(
            f"无法写入“{path}”：没有写入权限（文件夹“{folder}”是只读的）。请换一个位置。", field=option
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise ValidationError(f"无法写入“{path}”：文件是只读的，或正在其他程序中打开。", field=option)


def check_outputs(args: argparse.Namespace) -> None:
    """``check_output_path`` for every output option the command has (``--out``, ``--xlsx``, ``--docx``, ``--errors``)."""
    for option in OUTPUT_OPTIONS:
        value = getattr(args, option, None)
        if isinstance(value, Path):
            check_output_path(value, option)


_opened: list[ServiceContext] = []


def open_context(args: argparse.Namespace) -> ServiceContext:
    """The database of ``--db`` (opened, migrated; closed with a checkpoint when the command ends),
    signed in as ``--user`` when it has accounts (desktop.cli.auth)."""
    from desktop.cli.auth import authorize
    from desktop.core import startup
    from desktop.services.bootstrap import open_database
    from desktop.services.context import ServiceContext

    cached = getattr(args, "signed_in_ctx", None)  # the password is read from stdin once
    if isinstance(cached, ServiceContext):
        return cached
    ctx = authorize(args, register_opened(open_database(args.db).ctx))
    args.signed_in_ctx = ctx
    startup.finished()  # opened and signed in: the command's own work collects garbage as usual
    return ctx


def register_opened(ctx: ServiceContext) -> ServiceContext:
    _opened.append(ctx)
    return ctx


def close_opened() -> None:
    """Close the databases the command opened (``wal_checkpoint(TRUNCATE)`` first: no day's work in ``-wal``)."""
    while _opened:
        ctx = _opened.pop()
        with contextlib.suppress(Exception):  # closing never hides the command's own outcome
            ctx.database.dispose()


def progress_printer(label: str) -> Callable[[int, int, str], None]:
    interactive = sys.stderr.isatty()

    def report(done: int, total: int, text: str = "") -> None:
        if interactive and total:
            print(f"\r{label} {done * 100 // total:3d}% {text}    ", end="", file=sys.stderr, flush=True)

    return report


def subcommand_group(
    sub: argparse._SubParsersAction[ChineseArgumentParser],
    name: str,
    help_text: str,
    metavar: str,
) -> argparse._SubParsersAction[ChineseArgumentParser]:
    """The sub-command group ``name`` (e.g. ``print``), shared by the areas: found, or created here."""
    parser = sub.choices.get(name) or sub.add_parser(name, help=help_text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(
        dest="what", metavar=metavar, required=True, parser_class=ChineseArgumentParser
    )


def add_errors_and_dry_run(parser: argparse.ArgumentParser) -> None:
    """The options every checked import shares: the issue list to write, and checking without writing."""
    parser.add_argument(
        "--errors",
        type=Path,
        metavar="OUT.xlsx",
        help="把被拒绝和需核对的行写入此文件（行号, 字段, 值, 原因）",
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")


def add_table_import_arguments(parser: argparse.ArgumentParser) -> None:
    """A one-table import (residents, Party members): the file, its sheet, the issue list, a dry run."""
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--sheet", help="工作表名称（默认：第一个含所需列的工作表）")
    add_errors_and_dry_run(parser)


def run_checked_import(
    args: argparse.Namespace,
    run: Callable[[ServiceContext, Progress | None], ImportReport],
    progress: str | None = None,
) -> int:
    """A checked import command (``add_errors_and_dry_run``): check ``--errors`` before importing, run
    ``run(ctx, progress)``, print the report and write its 行号/字段/值/原因 workbook; the report's exit status.

    ``progress`` labels a progress line on stderr (e.g. "导入居民"); None runs without one.
    """
    from desktop.exchange.writing import check_suffix, write_issues

    if args.errors is not None:
        check_suffix(args.errors)  # before the import, not after it
    ctx = open_context(args)
    report = run(ctx, progress_printer(progress) if progress else None)
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    print(report.describe())
    if args.errors is not None:
        count = write_issues(args.errors, report.issues)
        print(f"问题清单（{count} 条）已写入 {args.errors}")
    return report.exit_status
