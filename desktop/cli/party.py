"""Sub-commands: 党建 (issue 4): ``import party-members``, ``export party-members``, ``print party-roster``."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import (
    ChineseArgumentParser,
    add_table_import_arguments,
    open_context,
    run_checked_import,
    subcommand_group,
)


def add_commands(
    sub: argparse._SubParsersAction[ChineseArgumentParser],
    imp_sub: argparse._SubParsersAction[ChineseArgumentParser],
    exp_sub: argparse._SubParsersAction[ChineseArgumentParser],
) -> None:
    ip = imp_sub.add_parser(
        "party-members",
        help="导入党员名册（列：姓名, 公民身份号码, 所在党支部, 性别, 民族, 出生日期, 学历, 党小组, 党员类别, "
        "入党日期, 转正日期, 联系电话, 家庭住址, 是否流动党员, 是否失联党员, 党费类别, 党费基数…）",
    )
    add_table_import_arguments(ip)
    ip.set_defaults(handler=_cmd_import_party_members)

    ep = exp_sub.add_parser("party-members", help="导出党员名册（含完整身份证号码；须用 --reason 写明原因，记入操作日志）")
    ep.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    ep.add_argument("--reason", metavar="TEXT", default="", help="导出的原因（例如：报送全国党员管理信息系统）")
    ep.add_argument("--org", metavar="NAME", help="只导出这个党组织及其下级（名称或全称）")
    ep.set_defaults(handler=_cmd_export_party_members)

    pp = subcommand_group(sub, "print", "打印文书为 PDF", "文书").add_parser("party-roster", help="党员名册（A4 横向 PDF，每个党支部一节）")
    pp.add_argument("--org", metavar="NAME", help="党组织名称或全称（默认：全部党支部）")
    pp.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    pp.add_argument(
        "--full", action="store_true", help="打印完整身份证号码和电话（须同时用 --reason 说明原因）"
    )
    pp.add_argument("--reason", metavar="TEXT", help="打印完整信息的原因（记入操作日志）")
    pp.set_defaults(handler=_cmd_print_party_roster)


def _cmd_import_party_members(args: argparse.Namespace) -> int:
    from desktop.services.party import roster_exchange

    return run_checked_import(
        args,
        lambda ctx, _progress: roster_exchange.import_members(ctx, args.file, sheet=args.sheet, dry_run=args.dry_run),
    )


def _cmd_export_party_members(args: argparse.Namespace) -> int:
    from desktop.core.errors import NotFoundError
    from desktop.services.party import find_org, roster_exchange

    ctx = open_context(args)
    org_id = None
    if args.org:
        org_id = find_org(ctx, args.org)
        if org_id is None:
            raise NotFoundError(f"没有名为“{args.org}”的党组织（可用简称或全称）。")
    count = roster_exchange.export_members(ctx, args.out, org_id=org_id, reason=args.reason)
    print(f"已导出 {count} 名党员（含发展对象）到 {args.out}（含完整身份证号码，已记入操作日志）")
    return 0


def _cmd_print_party_roster(args: argparse.Namespace) -> int:
    from desktop.core.errors import ValidationError
    from desktop.services.party import roster

    if args.reason and not args.full:
        raise ValidationError("--reason 只在打印完整信息（--full）时使用。", field="reason")
    ctx = open_context(args)
    done = roster.print_party_roster(
        ctx, args.out, org_name=args.org, full_identity=args.full, reason=args.reason
    )
    print(f"已生成党员名册：{done.path}（{done.header}，{done.sections} 个党组织，{done.members} 名党员）")
    return 0
