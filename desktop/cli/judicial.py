"""Sub-commands: 司法确认 (issue 6): ``print confirmation-*``, ``holidays list|import|export``, ``confirmations list``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli.common import ChineseArgumentParser, open_context, subcommand_group


def add_commands(sub: argparse._SubParsersAction[ChineseArgumentParser]) -> None:
    printers = subcommand_group(sub, "print", "打印文书为 PDF", "文书")
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


def _cmd_print_confirmation(args: argparse.Namespace) -> int:
    from desktop.documents.judicial import DOCUMENTS
    from desktop.services.judicial.documents import write_document

    ctx = open_context(args)
    path = write_document(ctx, args.document_key, args.out, case=args.case_no)
    print(f"已生成{DOCUMENTS[args.document_key]}：{path}")
    return 0


def _cmd_holidays_list(args: argparse.Namespace) -> int:
    from desktop.services import judicial

    ctx = open_context(args)
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
    ctx = open_context(args)
    report = judicial.import_file(ctx, args.file, dry_run=args.dry_run)
    print(report.describe())
    if not args.dry_run and report.rows_read and not report.rejected:
        from desktop.services import events  # above judicial: the open grid events' ends move too

        moved = events.recompute_event_deadlines(ctx)  # (the calendar's consequence: its owner may)
        print(f"重算了 {moved} 件网格事件的办理时限")
    if args.errors is not None:
        count = write_issues(args.errors, report.issues)
        print(f"问题清单（{count} 条）已写入 {args.errors}")
    return report.exit_status


def _cmd_holidays_export(args: argparse.Namespace) -> int:
    from desktop.services import judicial

    ctx = open_context(args)
    count = judicial.export_days(ctx, args.out, args.year)
    print(f"已导出 {count} 天节假日安排到 {args.out}")
    return 0


def _cmd_confirmations_list(args: argparse.Namespace) -> int:

    from desktop.services import judicial

    ctx = open_context(args)
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
