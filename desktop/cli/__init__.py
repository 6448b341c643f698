"""Headless sub-commands. Every failure ends with a one-line Chinese message and a non-zero status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from desktop import __version__
from desktop.core.errors import ShequError
from desktop.core.logs import log_exception, setup_logging
from desktop.services.context import ServiceContext

Handler = Callable[[argparse.Namespace], int]

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


def _parser() -> ChineseArgumentParser:
    p = ChineseArgumentParser(prog="shequ", description="社区网格治理工作台。不带命令时打开程序窗口。")
    p.add_argument(
        "--db",
        metavar="URL|PATH",
        help="数据库：SQLite 文件路径或 postgresql+psycopg://… 地址（默认：用户数据目录中的 SQLite）",
    )
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
    _add_resident_commands(imp_sub, exp_sub)
    _add_mediation_commands(sub, imp_sub, exp_sub)
    _add_judicial_commands(sub)
    _add_report_commands(sub)

    bk = sub.add_parser("backup", help="立即备份 SQLite 数据库（已校验）")
    bk.add_argument("--list", action="store_true", help="列出已有备份")
    bk.set_defaults(handler=_cmd_backup)

    dbp = sub.add_parser("db-password", help="把 PostgreSQL 密码保存到系统密钥环")
    dbp.add_argument("url", help="postgresql+psycopg://用户@主机/数据库（不含密码）")
    dbp.set_defaults(handler=_cmd_db_password)
    _add_party_commands(sub, imp_sub, exp_sub)
    return p


def parse_args(argv: list[str]) -> argparse.Namespace:
    return _parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    setup_logging()
    try:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
        sys.stderr.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    handler: Handler = args.handler
    try:
        return handler(args)
    except ShequError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("已中断，未完成的操作没有保存。", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: log it, never show a traceback
        path = log_exception(exc, "命令行")
        print(
            f"错误：程序内部错误（{type(exc).__name__}），未完成的操作没有保存。详细信息已写入日志：{path}",
            file=sys.stderr,
        )
        return 1


def _open(args: argparse.Namespace) -> ServiceContext:
    from desktop.services.bootstrap import open_database

    return open_database(args.db).ctx


def _progress_printer(label: str) -> Callable[[int, int, str], None]:
    interactive = sys.stderr.isatty()

    def report(done: int, total: int, text: str = "") -> None:
        if interactive and total:
            print(f"\r{label} {done * 100 // total:3d}% {text}    ", end="", file=sys.stderr, flush=True)

    return report


# ---------------------------------------------------------------- 党建: import / export / print (issue 4)


def _add_party_commands(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    imp_sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    exp_sub: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    ip = imp_sub.add_parser(
        "party-members",
        help="导入党员名册（列：姓名, 公民身份号码, 所在党支部, 性别, 民族, 出生日期, 学历, 党小组, 党员类别, "
        "入党日期, 转正日期, 联系电话, 家庭住址, 是否流动党员, 是否失联党员, 党费类别, 党费基数…）",
    )
    ip.add_argument("file", type=Path, metavar="FILE")
    ip.add_argument("--sheet", help="工作表名称（默认：第一个含所需列的工作表）")
    ip.add_argument(
        "--errors",
        type=Path,
        metavar="OUT.xlsx",
        help="把被拒绝和需核对的行写入此文件（行号, 字段, 值, 原因）",
    )
    ip.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    ip.set_defaults(handler=_cmd_import_party_members)

    ep = exp_sub.add_parser("party-members", help="导出党员名册（含完整身份证号码，记入操作日志）")
    ep.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    ep.add_argument("--org", metavar="NAME", help="只导出这个党组织及其下级（名称或全称）")
    ep.set_defaults(handler=_cmd_export_party_members)

    pp = _print_subparsers(sub).add_parser("party-roster", help="党员名册（A4 横向 PDF，每个党支部一节）")
    pp.add_argument("--org", metavar="NAME", help="党组织名称或全称（默认：全部党支部）")
    pp.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    pp.add_argument(
        "--full", action="store_true", help="打印完整身份证号码和电话（须同时用 --reason 说明原因）"
    )
    pp.add_argument("--reason", metavar="TEXT", help="打印完整信息的原因（记入操作日志）")
    pp.set_defaults(handler=_cmd_print_party_roster)


def _print_subparsers(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """The sub-commands of ``shequ print``, shared by the areas (created here if no area has made it yet)."""
    parser = sub.choices.get("print") or sub.add_parser("print", help="打印文书为 PDF")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(
        dest="what", metavar="文书", required=True, parser_class=ChineseArgumentParser
    )


def _cmd_import_party_members(args: argparse.Namespace) -> int:
    from desktop.exchange.writing import check_suffix, write_issues
    from desktop.services.party import roster_exchange

    if args.errors is not None:
        check_suffix(args.errors)  # before the import, not after it
    ctx = _open(args)
    report = roster_exchange.import_members(ctx, args.file, sheet=args.sheet, dry_run=args.dry_run)
    print(report.describe())
    if args.errors is not None:
        count = write_issues(args.errors, report.issues)
        print(f"问题清单（{count} 条）已写入 {args.errors}")
    return report.exit_status


def _cmd_export_party_members(args: argparse.Namespace) -> int:
    from desktop.core.errors import NotFoundError
    from desktop.services.party import find_org, roster_exchange

    ctx = _open(args)
    org_id = None
    if args.org:
        org_id = find_org(ctx, args.org)
        if org_id is None:
            raise NotFoundError(f"没有名为“{args.org}”的党组织（可用简称或全称）。")
    count = roster_exchange.export_members(ctx, args.out, org_id=org_id)
    print(f"已导出 {count} 名党员（含发展对象）到 {args.out}（含完整身份证号码，已记入操作日志）")
    return 0


def _cmd_print_party_roster(args: argparse.Namespace) -> int:
    from desktop.core.errors import ValidationError
    from desktop.services.party import roster

    if args.reason and not args.full:
        raise ValidationError("--reason 只在打印完整信息（--full）时使用。", field="reason")
    ctx = _open(args)
    done = roster.print_party_roster(
        ctx, args.out, org_name=args.org, full_identity=args.full, reason=args.reason
    )
    print(f"已生成党员名册：{done.path}（{done.header}，{done.sections} 个党组织，{done.members} 名党员）")
    return 0


# ---------------------------------------------------------------- handlers


def _cmd_demo(args: argparse.Namespace) -> int:
    from desktop.services import demo

    ctx = _open(args)
    summary = demo.generate(
        ctx, scale=args.scale, seed=args.seed, force=args.force, progress=_progress_printer("生成演示数据")
    )
    print(summary.describe())
    return 0


def _cmd_import_grids(args: argparse.Namespace) -> int:
    from desktop.services.structure import exchange as grid_exchange

    ctx = _open(args)
    report = grid_exchange.import_grids(ctx, args.file, sheet=args.sheet, dry_run=args.dry_run)
    print(report.describe())
    return report.exit_status


def _cmd_export_grids(args: argparse.Namespace) -> int:
    from desktop.services.structure import exchange as grid_exchange

    ctx = _open(args)
    count = grid_exchange.export_grids(ctx, args.out)
    print(f"已导出 {count} 个网格到 {args.out}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from db.backup import backup_dir_for, create_backup, list_backups, rotate

    ctx = _open(args)
    folder = backup_dir_for(ctx.database)
    if args.list:
        backups = list_backups(folder)
        for b in backups:
            print(f"{b.created_at:%Y-%m-%d %H:%M:%S}  {b.reason_label}  {b.size / 1e6:.1f} MB  {b.path}")
        if not backups:
            print("还没有备份。")
        return 0
    info = create_backup(ctx.database, "manual", ctx.now())
    rotate(folder, ctx.now())
    print(f"已备份并校验：{info.path}（{info.size / 1e6:.1f} MB）")
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


# ---------------------------------------------------------------- residents: import / export (issue 3)


def _add_resident_commands(imp_sub: argparse._SubParsersAction, exp_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ir = imp_sub.add_parser(
        "residents",
        help="导入居民（列：姓名, 性别, 民族, 公民身份号码, 出生日期, 联系电话, 户籍/流动, 社区, 所属网格, "
        "小区, 楼栋, 单元, 门牌, 现住址, 户号, 与户主关系, 特殊人群, 分色等级, 备注）",
    )
    ir.add_argument("file", type=Path, metavar="FILE")
    ir.add_argument("--sheet", help="工作表名称（默认：第一个含所需列的工作表）")
    ir.add_argument(
        "--errors",
        type=Path,
        metavar="OUT.xlsx",
        help="把被拒绝和需核对的行写入此文件（行号, 字段, 值, 原因）",
    )
    ir.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    ir.set_defaults(handler=_cmd_import_residents)

    er = exp_sub.add_parser("residents", help="导出在册居民（默认身份证号码和电话脱敏）")
    er.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    er.add_argument("--community", metavar="NAME", help="只导出这个社区")
    er.add_argument("--grid", metavar="CODE", help="只导出这个网格（网格编号）")
    er.add_argument(
        "--full",
        action="store_true",
        help="导出完整身份证号码和电话（须同时用 --reason 说明原因，记入操作日志）",
    )
    er.add_argument("--reason", metavar="TEXT", help="导出完整信息的原因")
    er.set_defaults(handler=_cmd_export_residents)


def _cmd_import_residents(args: argparse.Namespace) -> int:
    from desktop.exchange.writing import check_suffix, write_issues
    from desktop.services.residents import exchange as resident_exchange

    if args.errors is not None:
        check_suffix(args.errors)  # before the import, not after it
    ctx = _open(args)
    report = resident_exchange.import_residents(
        ctx, args.file, sheet=args.sheet, dry_run=args.dry_run, progress=_progress_printer("导入居民")
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(report.describe())
    if args.errors is not None:
        count = write_issues(args.errors, report.issues)
        print(f"问题清单（{count} 条）已写入 {args.errors}")
    return report.exit_status


def _cmd_export_residents(args: argparse.Namespace) -> int:
    from desktop.core.errors import ValidationError
    from desktop.services.residents import exchange as resident_exchange

    if args.reason and not args.full:
        raise ValidationError("--reason 只在导出完整信息（--full）时使用。", field="reason")
    ctx = _open(args)
    count = resident_exchange.export_residents(
        ctx,
        args.out,
        community=args.community,
        grid=args.grid,
        full=args.full,
        reason=args.reason,
        progress=_progress_printer("导出居民"),
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    masked = "（含完整身份证号码和电话，已记入操作日志）" if args.full else "（身份证号码和电话已脱敏）"
    print(f"已导出 {count} 名居民到 {args.out}{masked}")
    return 0


# ---------------------------------------------------------------- people's mediation (issue 5)


def _add_mediation_commands(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    imp_sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    exp_sub: argparse._SubParsersAction,  # type: ignore[type-arg]
) -> None:
    im = imp_sub.add_parser(
        "mediation-cases",
        help="导入调解台账（工作表：案件、当事人、协议条款、回访、司法确认，按案件编号关联）",
    )
    im.add_argument("file", type=Path, metavar="FILE.xlsx")
    im.add_argument(
        "--committee", metavar="简称", help="没有案件编号的案件归入此人民调解委员会（默认：唯一的委员会）"
    )
    im.add_argument(
        "--errors",
        type=Path,
        metavar="OUT.xlsx",
        help="把被拒绝和需核对的行写入此文件（行号, 字段, 值, 原因）",
    )
    im.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    im.set_defaults(handler=_cmd_import_mediation)

    em = exp_sub.add_parser("mediation-cases", help="导出调解台账（默认身份证号码和电话脱敏）")
    em.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    em.add_argument(
        "--full",
        action="store_true",
        help="导出完整身份证号码和电话（须同时用 --reason 说明原因，记入操作日志）",
    )
    em.add_argument("--reason", metavar="TEXT", help="导出完整信息的原因")
    em.set_defaults(handler=_cmd_export_mediation)

    pr = sub.add_parser("print", help="打印文书为 PDF")
    pr_sub = pr.add_subparsers(dest="what", metavar="文书", required=True, parser_class=ChineseArgumentParser)
    for name, key, label in (
        ("agreement", "agreement", "人民调解协议书（口头协议打印口头协议登记表）"),
        ("case-file", "case_file", "人民调解卷宗（封面、卷内目录、全部文书、封底）"),
        (
            "mediation",
            None,
            "任一调解文书：--document application|intake|notice|investigation|minutes|"
            "agreement|oral|follow_up|closing|cover|case_file",
        ),
    ):
        pa = pr_sub.add_parser(name, help=label)
        pa.add_argument("case_no", metavar="CASE_NO", help="案件编号，如（2026）新华社区人调字第001号")
        pa.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        if key is None:
            pa.add_argument("--document", required=True, metavar="KEY")
        pa.set_defaults(handler=_cmd_print_mediation, document_key=key)

    md = sub.add_parser("mediation", help="人民调解案件")
    md_sub = md.add_subparsers(dest="what", metavar="操作", required=True, parser_class=ChineseArgumentParser)
    ml = md_sub.add_parser("list", help="列出调解案件（台账）")
    ml.add_argument("--json", action="store_true", help="输出 JSON（日期为 YYYY-MM-DD 或 null）")
    ml.add_argument("--year", type=int, help="只列出这一年受理的案件")
    ml.add_argument("--open", action="store_true", help="只列出未结案的案件")
    ml.add_argument("--warnings", action="store_true", help="只列出有期限提醒的案件")
    ml.set_defaults(handler=_cmd_mediation_list)


def _cmd_import_mediation(args: argparse.Namespace) -> int:
    from desktop.exchange.writing import check_suffix, write_issues
    from desktop.services.mediation import exchange

    if args.errors is not None:
        check_suffix(args.errors)
    ctx = _open(args)
    report = exchange.import_cases(ctx, args.file, committee=args.committee, dry_run=args.dry_run)
    print(report.describe())
    if args.errors is not None:
        count = write_issues(args.errors, report.issues)
        print(f"问题清单（{count} 条）已写入 {args.errors}")
    return report.exit_status


def _cmd_export_mediation(args: argparse.Namespace) -> int:
    from desktop.services.mediation import exchange

    ctx = _open(args)
    counts = exchange.export_cases(ctx, args.out, full=args.full, reason=args.reason)
    masked = "（含完整身份证号码和电话，已记入操作日志）" if args.full else "（身份证号码和电话已脱敏）"
    detail = "，".join(f"{sheet} {n} 行" for sheet, n in counts.items())
    print(f"已导出调解台账到 {args.out}：{detail}{masked}")
    return 0


def _cmd_print_mediation(args: argparse.Namespace) -> int:
    from desktop.services.mediation import printing

    ctx = _open(args)
    key = args.document_key or args.document
    path, pages = printing.print_document(ctx, args.case_no, key, args.out)
    print(f"已生成 {path}（{pages} 页）")
    return 0


def _cmd_mediation_list(args: argparse.Namespace) -> int:
    import json

    from desktop.services import mediation as med

    ctx = _open(args)
    rows = med.list_cases(
        ctx, med.CaseFilter(year=args.year, stage="OPEN" if args.open else None, warnings_only=args.warnings)
    )
    if args.json:
        print(json.dumps(med.case_list_json(rows), ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        flag = {"red": "【超期】", "orange": "【提醒】", "yellow": "【提醒】"}.get(r.level, "")
        print(
            f"{r.case_no}  {r.accepted_on:%Y-%m-%d}  {r.dispute_label}  {r.parties}  {r.stage_label}"
            f"{('  ' + r.outcome_label) if r.outcome_label else ''}{('  ' + flag + r.deadline_text) if flag else ''}"
        )
    print(f"共 {len(rows)} 件")
    return 0


# ---------------------------------------------------------------- reports: 月报, 人民调解统计表 (issue 7)


def _add_report_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rep = sub.add_parser("report", help="统计报表：月报、人民调解统计表（由业务记录自动计算）")
    rep_sub = rep.add_subparsers(
        dest="what", metavar="报表", required=True, parser_class=ChineseArgumentParser
    )
    rm = rep_sub.add_parser("monthly", help="社区治理工作月报（PDF，可同时导出 Excel）")
    rm.add_argument("--month", required=True, metavar="YYYY-MM", help="统计月份，例如 2026-10")
    rm.add_argument("--community", metavar="NAME", help="只统计这个社区（默认：全街道）")
    rm.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    rm.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="同时导出工作簿（每张表一个工作表）")
    rm.set_defaults(handler=_cmd_report_monthly)
    rs = rep_sub.add_parser("mediation", help="人民调解统计表：按纠纷类型和案件来源（Excel）")
    rs.add_argument("--period", required=True, metavar="2026-10|2026Q3|2026", help="月份、季度或年份")
    rs.add_argument("--community", metavar="NAME", help="只统计这个社区（默认：全街道）")
    rs.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    rs.set_defaults(handler=_cmd_report_mediation)


def _cmd_report_monthly(args: argparse.Namespace) -> int:
    from desktop.services.reports import files

    ctx = _open(args)
    report = files.export_monthly(ctx, args.month, args.out, args.xlsx, community=args.community)
    written = f"{args.out}" + (f" 和 {args.xlsx}" if args.xlsx else "")
    print(f"已生成{report.title}：{written}")
    return 0


def _cmd_report_mediation(args: argparse.Namespace) -> int:
    from desktop.services.reports import files

    ctx = _open(args)
    stats = files.export_mediation_statistics(ctx, args.period, args.out, community=args.community)
    total = stats.by_type[-1]
    print(f"已生成{stats.title}：受理 {total.received} 件，调解成功 {total.settled} 件 → {args.out}")
    return 0


# ---------------------------------------------------------------- 司法确认 (issue 6)


def _add_judicial_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    printers = _judicial_subcommands(sub, "print", "打印文书为 PDF", "文书")
    for name, key, label in (
        ("confirmation-application", "application", "司法确认申请书"),
        (
            "confirmation-package",
            "package",
            "司法确认申请材料合订本（申请书、协议书、材料清单、送达地址确认书）",
        ),
    ):
        pc = printers.add_parser(name, help=f"{label}（期限已过时须先在程序中记录逾期理由）")
        pc.add_argument("case_no", metavar="CASE_NO", help="调解案件编号，如（2026）新华社区人调字第001号")
        pc.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        pc.set_defaults(handler=_cmd_print_confirmation, document_key=key)

    hol = sub.add_parser("holidays", help="节假日安排（司法确认、委派调解期限计算用）")
    hol_sub = hol.add_subparsers(
        dest="action", metavar="操作", required=True, parser_class=ChineseArgumentParser
    )
    hl = hol_sub.add_parser("list", help="列出节假日安排")
    hl.add_argument("--year", type=int, help="只列出这一年度")
    hl.set_defaults(handler=_cmd_holidays_list)
    hi = hol_sub.add_parser(
        "import",
        help="导入节假日安排（列：日期, 类型(放假/上班), 名称, 年度, 待核对, 来源），替换文件中的年度",
    )
    hi.add_argument("file", type=Path, metavar="FILE")
    hi.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    hi.add_argument("--errors", type=Path, metavar="OUT.xlsx", help="把有问题的行写入此文件")
    hi.set_defaults(handler=_cmd_holidays_import)
    he = hol_sub.add_parser("export", help="导出节假日安排")
    he.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    he.add_argument("--year", type=int, help="只导出这一年度")
    he.set_defaults(handler=_cmd_holidays_export)

    cf = sub.add_parser("confirmations", help="司法确认与委派调解")
    cf_sub = cf.add_subparsers(
        dest="action", metavar="操作", required=True, parser_class=ChineseArgumentParser
    )
    cl = cf_sub.add_parser("list", help="列出司法确认记录（含期限提醒）")
    cl.add_argument(
        "--filter",
        default="ALL",
        choices=["ALL", "ATTENTION", "NEAR", "OVERDUE", "PREPARING", "FILED", "ACCEPTED", "RULED", "CLOSED"],
    )
    cl.add_argument("--json", action="store_true", help="输出 JSON")
    cl.set_defaults(handler=_cmd_confirmations_list)


def _judicial_subcommands(
    sub: argparse._SubParsersAction, name: str, help_text: str, metavar: str
) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """The sub-command group ``name`` (e.g. ``print``), shared with other areas: found, or created."""
    parser = sub.choices.get(name) or sub.add_parser(name, help=help_text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(
        dest="what", metavar=metavar, required=True, parser_class=ChineseArgumentParser
    )


def _cmd_print_confirmation(args: argparse.Namespace) -> int:
    from desktop.documents.judicial import DOCUMENTS
    from desktop.services.judicial.documents import write_document

    ctx = _open(args)
    path = write_document(ctx, args.document_key, args.out, case=args.case_no)
    print(f"已生成{DOCUMENTS[args.document_key]}：{path}")
    return 0


def _cmd_holidays_list(args: argparse.Namespace) -> int:
    from desktop.services import judicial

    ctx = _open(args)
    for y in judicial.year_summaries(ctx):
        if args.year is None or y.year == args.year:
            print(y.label)
    days = judicial.list_days(ctx, args.year)
    for d in days:
        flag = "（待官方公布后核对）" if d.provisional else ""
        print(f"{d.day:%Y-%m-%d}  {d.weekday_label}  {d.kind_label}  {d.name}{flag}")
    if not days:
        print(
            "没有节假日安排。"
            + (f"{args.year} 年的安排请在国务院办公厅通知公布后导入。" if args.year else "")
        )
    return 0


def _cmd_holidays_import(args: argparse.Namespace) -> int:
    from desktop.exchange.writing import check_suffix, write_issues
    from desktop.services import judicial

    if args.errors is not None:
        check_suffix(args.errors)
    ctx = _open(args)
    report = judicial.import_file(ctx, args.file, dry_run=args.dry_run)
    print(report.describe())
    if args.errors is not None:
        count = write_issues(args.errors, report.issues)
        print(f"问题清单（{count} 条）已写入 {args.errors}")
    return report.exit_status


def _cmd_holidays_export(args: argparse.Namespace) -> int:
    from desktop.services import judicial

    ctx = _open(args)
    count = judicial.export_days(ctx, args.out, args.year)
    print(f"已导出 {count} 天节假日安排到 {args.out}")
    return 0


def _cmd_confirmations_list(args: argparse.Namespace) -> int:
    import json

    from desktop.services import judicial

    ctx = _open(args)
    rows = judicial.list_tracks(ctx, args.filter)
    if args.json:
        out = [
            {
                "case_no": r.case_no,
                "parties": r.parties,
                "effective_on": r.effective_on.isoformat(),
                "deadline": r.deadline.isoformat(),
                "state": r.state_label,
                "court": r.court,
                "court_case_no": r.court_case_no,
                "ruling": r.ruling_label or None,
                "warnings": [a.text for a in r.alerts],
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        flag = f"  【{r.alert_text}】" if r.alerts else ""
        print(f"{r.case_no}  {r.parties}  期限 {r.deadline:%Y-%m-%d}  {r.state_label}{flag}")
    print(f"共 {len(rows)} 件")
    return 0
