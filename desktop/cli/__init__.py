"""Headless sub-commands. Every failure ends with a one-line Chinese message and a non-zero status.

This module builds the parser (``parse_args``), runs a command (``run``) and holds the database's own
commands (demo, grids, backup, db-password); ``auth`` signs in (--user, --password-stdin), ``users`` manages
the accounts; each area's commands are a module beside it: ``residents``,
``mediation``, ``judicial``, ``reports``, ``party``, ``events``, ``visits``; ``common`` is what they share.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop import __version__
from desktop.cli import auth, events, judicial, mediation, party, reports, residents, security, users, visits
from desktop.cli.common import (
    ChineseArgumentParser,
    Handler,
    check_outputs,
    close_opened,
    open_context,
    progress_printer,
    register_opened,
)
from desktop.core.errors import ShequError, translate_failure

__all__ = ["ChineseArgumentParser", "parse_args", "run"]


def _parser() -> ChineseArgumentParser:
    p = ChineseArgumentParser(prog="shequ", description="社区网格治理工作台。不带命令时打开程序窗口。")
    p.add_argument(
        "--db",
        metavar="URL|PATH",
        help="数据库：SQLite 文件路径或 postgresql+psycopg://… 地址（默认：用户数据目录中的 SQLite）",
    )
    auth.add_arguments(p)
    p.add_argument("--version", action="version", version=f"社区网格治理工作台 {__version__}")
    # open the window, wait until 工作台 has its figures, print the start-up time and quit (benchmarks, frozen-build checks)
    p.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

    demo = sub.add_parser("demo", help="在空数据库中生成演示数据")
    demo.add_argument(
        "--scale",
        choices=["small", "street"],
        default="small",
        help="small：1 个社区 6 个网格约 2000 人；street：钢城街道规模",
    )
    demo.add_argument("--seed", type=int, default=20261123, help="随机种子（相同种子生成相同数据）")
    demo.add_argument("--force", action="store_true", help="数据库已有数据时仍然清空并生成")
    demo.set_defaults(handler=_cmd_demo)

    imp = sub.add_parser("import", help="从 Excel/CSV 导入")
    imp_sub = imp.add_subparsers(
        dest="what", metavar="数据", required=True, parser_class=ChineseArgumentParser
    )
    ig = imp_sub.add_parser(
        "grids", help="导入网格（列：社区, 网格编号, 网格名称, 网格类型, 网格长, 网格员, 户数, 人数, 四至）"
    )
    ig.add_argument("file", type=Path, metavar="FILE")
    ig.add_argument("--sheet", help="工作表名称（默认第一个）")
    ig.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    ig.set_defaults(handler=_cmd_import_grids)

    exp = sub.add_parser("export", help="导出为 Excel/CSV")
    exp_sub = exp.add_subparsers(
        dest="what", metavar="数据", required=True, parser_class=ChineseArgumentParser
    )
    eg = exp_sub.add_parser("grids", help="导出网格")
    eg.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    eg.set_defaults(handler=_cmd_export_grids)
    residents.add_commands(imp_sub, exp_sub, sub)
    mediation.add_commands(sub, imp_sub, exp_sub)
    judicial.add_commands(sub)
    reports.add_commands(sub)

    bk = sub.add_parser("backup", help="立即备份 SQLite 数据库（已校验）")
    bk.add_argument("--list", action="store_true", help="列出已有备份")
    bk.set_defaults(handler=_cmd_backup)

    rs = sub.add_parser(
        "restore", help="从备份恢复 SQLite 数据库（先校验备份；当前数据库改名保留，不会删除）"
    )
    rs.add_argument("backup", type=Path, metavar="BACKUP", help="备份文件（shequ backup --list 列出）")
    rs.set_defaults(handler=_cmd_restore)

    wl = sub.add_parser(
        "wal", help="数据库文件旁有不属于它的 -wal 时：改名放在一旁（set-aside）或照常写入（apply）"
    )
    wl.add_argument("action", choices=["set-aside", "apply"])
    wl.set_defaults(handler=_cmd_wal)

    dbp = sub.add_parser("db-password", help="把 PostgreSQL 密码保存到系统密钥环")
    dbp.add_argument("url", help="postgresql+psycopg://用户@主机/数据库（不含密码）")
    dbp.set_defaults(handler=_cmd_db_password)
    party.add_commands(sub, imp_sub, exp_sub)
    events.add_commands(sub, imp_sub, exp_sub)
    visits.add_commands(sub, imp_sub)
    users.add_commands(sub)
    security.add_commands(sub)
    return p


def parse_args(argv: list[str]) -> argparse.Namespace:
    return _parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    from desktop.core.logs import log_exception, log_failure, setup_logging

    setup_logging()
    try:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        sys.stderr.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    handler: Handler = args.handler
    try:
        check_outputs(args)  # one rule for every file a command writes, before any work is done
        return handler(args)
    except ShequError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("已中断，未完成的操作没有保存。", file=sys.stderr)
        return 130
    except Exception as exc:
        from db.engine import SQLITE_BUSY_TIMEOUT_MS

        known = translate_failure(exc, SQLITE_BUSY_TIMEOUT_MS // 1000)
        if known is not None:  # a full disk, a locked or damaged database: said as such
            log_failure(exc, known.message, "命令行")
            print(f"错误：{known.message}", file=sys.stderr)
            return known.exit_status
        path = log_exception(exc, "命令行")  # a bug: log it, never show a traceback
        print(
            f"错误：程序内部错误（{type(exc).__name__}），未完成的操作没有保存。详细信息已写入日志：{path}",
            file=sys.stderr,
        )
        return 1
    finally:
        close_opened()  # checkpoint: the .sqlite3 file alone holds everything


# ---------------------------------------------------------------- handlers: demo, grids, backup, db-password


def _cmd_demo(args: argparse.Namespace) -> int:
    from desktop.services import demo

    ctx = open_context(args)
    summary = demo.generate(
        ctx, scale=args.scale, seed=args.seed, force=args.force, progress=progress_printer("生成演示数据")
    )
    if summary.backup_path:
        print(f"原有数据已备份并校验：{summary.backup_path}")
    print(summary.describe())
    from desktop.services.accounts.demo_accounts import create_demo_accounts

    made = create_demo_accounts(ctx)
    print("演示账号（每个角色一个，密码相同，仅供试用）：")
    rows = [(a.login, a.role, f"范围：{a.scope}", f"密码：{a.password}") for a in made]
    widths = [max(_display_width(r[i]) for r in rows) + 2 for i in range(3)]
    for r in rows:
        print("  " + "".join(_pad(cell, w) for cell, w in zip(r, widths, strict=False)) + r[3])
    return 0


def _display_width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK (East Asian Wide/Fullwidth) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _display_width(text))


def _cmd_import_grids(args: argparse.Namespace) -> int:
    from desktop.services.structure import exchange as grid_exchange

    ctx = open_context(args)
    report = grid_exchange.import_grids(ctx, args.file, sheet=args.sheet, dry_run=args.dry_run)
    print(report.describe())
    return report.exit_status


def _cmd_export_grids(args: argparse.Namespace) -> int:
    from desktop.services.structure import exchange as grid_exchange

    ctx = open_context(args)
    count = grid_exchange.export_grids(ctx, args.out)
    print(f"已导出 {count} 个网格到 {args.out}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from desktop.services import backups

    ctx = open_context(args)
    if args.list:
        found = backups.list_all(ctx)
        for b in found:
            label = b.reason_label + ("（已加密：升级前的明文备份，恢复时自动解密）" if b.sealed else "")
            print(f"{b.created_at:%Y-%m-%d %H:%M:%S}  {label}  {b.size / 1e6:.1f} MB  {b.path}")
        if not found:
            print("还没有备份。")
        return 0
    info = backups.backup_now(ctx, "manual")  # the same path as the menu's 立即备份, with its audit record
    print(f"已备份并校验：{info.path}（{info.size / 1e6:.1f} MB）")
    return 0


def _cmd_wal(args: argparse.Namespace) -> int:
    from db.engine import resolve_url
    from desktop.services.bootstrap import open_database, refuse_stale_wal

    url = resolve_url(args.db)
    if url.get_backend_name() != "sqlite" or not url.database:
        print("只有 SQLite 数据库文件有 -wal。")
        return 0
    path = Path(url.database)
    if args.action == "set-aside":
        moved = refuse_stale_wal(path, args.db, "set-aside")
        for p in moved:
            print(f"已改名保留：{p}")
        if not moved:
            print("数据库文件旁没有不属于它的 -wal，没有做任何修改。")
        return 0
    opened = open_database(args.db, stale_wal="apply")
    opened.ctx.database.dispose()  # the checkpoint writes what SQLite applied into the file
    print(f"已照常打开并写入：{path}")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from db.engine import Database, resolve_url
    from db.location import check_sqlite_location
    from db.restore import file_problem
    from desktop.core.errors import DatabaseError
    from desktop.services import backups
    from desktop.services.context import ServiceContext

    url = resolve_url(args.db)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise DatabaseError("PostgreSQL 数据库请在服务器上从备份恢复（pg_restore），本程序不做文件恢复。")
    path = Path(url.database)
    check_sqlite_location(path)
    if not path.parent.is_dir():
        raise DatabaseError(f"数据库所在的文件夹不存在：{path.parent}")
    ctx = ServiceContext(Database(url))
    if path.exists() and file_problem(path) is None:
        # a sound database: the restore is done (and audited) as the signed-in account (--user); a damaged one
        # cannot be signed in to, and the restore is recorded under the system login
        ctx = open_context(args)
    else:
        register_opened(ctx)
    outcome = backups.restore_backup(ctx.database, args.backup, ctx.actor, ctx.clock)
    print(f"已从备份恢复并校验：{outcome.backup}")
    if outcome.kept_as is not None:
        print(f"原数据库已改名保留：{outcome.kept_as}")
    if outcome.safety_backup is not None:
        print(f"恢复前已备份原数据库：{outcome.safety_backup.path}")
    return 0


def _cmd_db_password(args: argparse.Namespace) -> int:
    import getpass

    import keyring
    from sqlalchemy.engine import make_url

    from db.engine import KEYRING_SERVICE, keyring_user

    url = make_url(args.url)
    if url.get_backend_name() != "postgresql" or not url.username:
        print(
            "错误：请给出包含用户名的 PostgreSQL 地址，例如 postgresql+psycopg://shequ@192.168.1.10/shequ",
            file=sys.stderr,
        )
        return 2
    password = getpass.getpass(f"{url.username}@{url.host} 的密码：")
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(url), password)
    except Exception as exc:
        print(f"错误：无法写入系统密钥环（{exc}）", file=sys.stderr)
        return 1
    print("密码已保存到系统密钥环。")
    return 0
