"""Sub-commands: Residents (issue 3): ``import residents``, ``export residents``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import (
    ChineseArgumentParser,
    add_table_import_arguments,
    open_context,
    progress_printer,
    run_checked_import,
)


def add_commands(
    imp_sub: argparse._SubParsersAction[ChineseArgumentParser],
    exp_sub: argparse._SubParsersAction[ChineseArgumentParser],
    sub: argparse._SubParsersAction[ChineseArgumentParser] | None = None,
) -> None:
    if sub is not None:
        rp = sub.add_parser("residents", help="居民信息的保存与匿名化")
        rsub = rp.add_subparsers(
            dest="residents_command", required=True, metavar="子命令", parser_class=ChineseArgumentParser
        )
        an = rsub.add_parser(
            "anonymise",
            help="匿名化迁出、离开或死亡满 N 年的人员（个人信息保护法第四十七条），先做校验过的备份",
        )
        an.add_argument("--years", type=int, metavar="N", help="保存年限（默认用设置中的年限，初始 3 年）")
        an.add_argument("--dry-run", action="store_true", help="只统计人数，不修改")
        an.set_defaults(handler=_cmd_anonymise)
    ir = imp_sub.add_parser(
        "residents",
        help="导入居民（列：姓名, 性别, 民族, 公民身份号码, 出生日期, 联系电话, 户籍/流动, 社区, 所属网格, "
        "小区, 楼栋, 单元, 门牌, 现住址, 户号, 与户主关系, 特殊人群, 分色等级, 备注）",
    )
    add_table_import_arguments(ir)
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
    from desktop.services.residents import exchange as resident_exchange

    return run_checked_import(
        args,
        lambda ctx, progress: resident_exchange.import_residents(
            ctx, args.file, sheet=args.sheet, dry_run=args.dry_run, progress=progress
        ),
        "导入居民",
    )


def _cmd_export_residents(args: argparse.Namespace) -> int:
    from desktop.core.errors import ValidationError
    from desktop.services.residents.export import export_residents  # not the import's modules

    if args.reason and not args.full:
        raise ValidationError("--reason 只在导出完整信息（--full）时使用。", field="reason")
    ctx = open_context(args)
    count = export_residents(
        ctx,
        args.out,
        community=args.community,
        grid=args.grid,
        full=args.full,
        reason=args.reason,
        progress=progress_printer("导出居民"),
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    masked = "（含完整身份证号码和电话，已记入操作日志）" if args.full else "（身份证号码和电话已脱敏）"
    print(f"已导出 {count} 名居民到 {args.out}{masked}")
    return 0


def _cmd_anonymise(args: argparse.Namespace) -> int:
    from desktop.services.residents.retention import anonymise_departed

    ctx = open_context(args)
    done = anonymise_departed(ctx, years=args.years, dry_run=args.dry_run)
    what = f"状态变更在 {done.before:%Y-%m-%d} 以前（离开满 {done.years} 年）的人员"
    if done.dry_run:
        print(f"{what}共 {done.count} 名，未做修改（--dry-run）。")
    elif done.count == 0:
        print(f"没有需要匿名化的人员：{what}为 0 名。")
    else:
        if done.backup:
            print(f"已先备份并校验：{done.backup}")
        print(
            f"已匿名化{what} {done.count} 名：姓名、身份证号码、电话、备注、特殊人群标记和住户关系已清除，"
            "统计所需的社区、网格、性别、民族、出生年份和状态变更保留。"
        )
    return 0
