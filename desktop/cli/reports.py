"""Sub-commands: Reports (issue 7): ``report monthly`` (月报), ``report mediation`` (人民调解统计表); issue 12:
``report grid-bulletin`` (一月一通报) and ``report grid-ranking`` (一季一排名)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import ChineseArgumentParser, open_context


def add_commands(sub: argparse._SubParsersAction[ChineseArgumentParser]) -> None:
    rep = sub.add_parser("report", help="统计报表：月报、人民调解统计表（由业务记录自动计算）")
    rep_sub = rep.add_subparsers(
        dest="what", metavar="报表", required=True, parser_class=ChineseArgumentParser
    )
    rm = rep_sub.add_parser("monthly", help="社区治理工作月报（PDF，可同时导出 Excel 和 Word）")
    rm.add_argument("--month", required=True, metavar="YYYY-MM", help="统计月份，例如 2026-10")
    rm.add_argument("--community", metavar="NAME", help="只统计这个社区（默认：全街道）")
    rm.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    rm.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="同时导出工作簿（每张表一个工作表）")
    rm.add_argument("--docx", type=Path, metavar="FILE.docx", help="同时导出可编辑的 Word 文档（内容同 PDF）")
    rm.set_defaults(handler=_cmd_report_monthly)
    rs = rep_sub.add_parser("mediation", help="人民调解统计表：按纠纷类型和案件来源（Excel）")
    rs.add_argument("--period", required=True, metavar="2026-10|2026Q3|2026", help="月份、季度或年份")
    rs.add_argument("--community", metavar="NAME", help="只统计这个社区（默认：全街道）")
    rs.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    rs.set_defaults(handler=_cmd_report_mediation)
    rb = rep_sub.add_parser(
        "grid-bulletin", help="一月一通报：各网格、社区事件办理与走访情况（PDF，可同时导出 Excel）"
    )
    rb.add_argument("--month", required=True, metavar="YYYY-MM", help="统计月份，例如 2026-10")
    rb.add_argument("--community", metavar="NAME", help="只统计这个社区（默认：全街道）")
    rb.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    rb.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="同时导出工作簿")
    rb.set_defaults(handler=_cmd_report_bulletin)
    rk = rep_sub.add_parser("grid-ranking", help="一季一排名：按计分公式给网格排名（PDF，可同时导出 Excel）")
    rk.add_argument("--quarter", required=True, metavar="2026Q3", help="统计季度，例如 2026Q3")
    rk.add_argument("--community", metavar="NAME", help="只排这个社区的网格（默认：全街道）")
    rk.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    rk.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="同时导出工作簿")
    rk.set_defaults(handler=_cmd_report_ranking)


def _cmd_report_monthly(args: argparse.Namespace) -> int:
    from desktop.services.reports import files

    ctx = open_context(args)
    report = files.export_monthly(
        ctx, args.month, args.out, args.xlsx, community=args.community, docx=args.docx
    )
    written = "、".join(str(p) for p in (args.out, args.xlsx, args.docx) if p)
    print(f"已生成{report.title}：{written}")
    return 0


def _cmd_report_mediation(args: argparse.Namespace) -> int:
    from desktop.services.reports import files

    ctx = open_context(args)
    stats = files.export_mediation_statistics(ctx, args.period, args.out, community=args.community)
    total = stats.by_type[-1]
    print(f"已生成{stats.title}：受理 {total.received} 件，调解成功 {total.settled} 件 → {args.out}")
    return 0


def _cmd_report_bulletin(args: argparse.Namespace) -> int:
    from desktop.services.reports import bulletin_files

    ctx = open_context(args)
    b = bulletin_files.export_grid_bulletin(ctx, args.month, args.out, args.xlsx, community=args.community)
    f = b.total.figures
    written = "、".join(str(p) for p in (args.out, args.xlsx) if p)
    print(f"已生成{b.title}：受理 {f.received} 件，办结 {f.closed} 件 → {written}")
    return 0


def _cmd_report_ranking(args: argparse.Namespace) -> int:
    from desktop.services.reports import bulletin_files

    ctx = open_context(args)
    b = bulletin_files.export_grid_ranking(ctx, args.quarter, args.out, args.xlsx, community=args.community)
    written = "、".join(str(p) for p in (args.out, args.xlsx) if p)
    print(f"已生成{b.title}：{len(b.ranking)} 个网格 → {written}")
    return 0
