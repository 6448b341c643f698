"""Sub-commands: People's mediation (issue 5): ``import/export mediation-cases``, ``print agreement|case-file|mediation``,
``mediation list``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli.common import ChineseArgumentParser, add_errors_and_dry_run, open_context, run_checked_import


def add_commands(
    sub: argparse._SubParsersAction[ChineseArgumentParser],
    imp_sub: argparse._SubParsersAction[ChineseArgumentParser],
    exp_sub: argparse._SubParsersAction[ChineseArgumentParser],
) -> None:
    im = imp_sub.add_parser(
        "mediation-cases",
        help="导入调解台账（工作表：案件、当事人、协议条款、回访、司法确认，按案件编号关联）",
    )
    im.add_argument("file", type=Path, metavar="FILE.xlsx")
    im.add_argument(
        "--committee", metavar="简称", help="没有案件编号的案件归入此人民调解委员会（默认：唯一的委员会）"
    )
    add_errors_and_dry_run(im)
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
    ms = md_sub.add_parser(
        "show", help="显示一件案件及其当事人（含法定代理人、委托代理人；证件号码和电话脱敏）"
    )
    ms.add_argument("case_no", metavar="CASE_NO", help="案件编号，如（2026）新华社区人调字第001号")
    ms.add_argument("--json", action="store_true", help="输出 JSON（日期为 YYYY-MM-DD 或 null）")
    ms.set_defaults(handler=_cmd_mediation_show)


def _cmd_import_mediation(args: argparse.Namespace) -> int:
    from desktop.services.judicial.exchange import LEDGER_SHEET
    from desktop.services.mediation import exchange

    return run_checked_import(
        args,
        lambda ctx, _progress: exchange.import_cases(
            ctx, args.file, committee=args.committee, dry_run=args.dry_run, confirmations=LEDGER_SHEET
        ),
    )


def _cmd_export_mediation(args: argparse.Namespace) -> int:
    from desktop.services.judicial.exchange import LEDGER_SHEET
    from desktop.services.mediation import exchange

    ctx = open_context(args)
    counts = exchange.export_cases(
        ctx, args.out, full=args.full, reason=args.reason, confirmations=LEDGER_SHEET
    )
    masked = "（含完整身份证号码和电话，已记入操作日志）" if args.full else "（身份证号码和电话已脱敏）"
    detail = "，".join(f"{sheet} {n} 行" for sheet, n in counts.items())
    print(f"已导出调解台账到 {args.out}：{detail}{masked}")
    return 0


def _cmd_print_mediation(args: argparse.Namespace) -> int:
    ctx = open_context(args)  # signing in loads ReportLab and the fonts meanwhile (auth._preparation)
    from desktop.services.mediation import printing

    key = args.document_key or args.document
    path, pages = printing.print_document(ctx, args.case_no, key, args.out)
    print(f"已生成 {path}（{pages} 页）")
    return 0


def _cmd_mediation_list(args: argparse.Namespace) -> int:
    from desktop.services import mediation as med
    from desktop.services.judicial.queries import confirmation_by_case

    ctx = open_context(args)
    rows = med.list_cases(
        ctx,
        med.CaseFilter(year=args.year, stage="OPEN" if args.open else None, warnings_only=args.warnings),
        confirmations=confirmation_by_case,
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


def _cmd_mediation_show(args: argparse.Namespace) -> int:
    from desktop.services import mediation as med
    from desktop.services.mediation.queries import case_json

    ctx = open_context(args)
    rec = med.get_case(ctx, args.case_no)
    if args.json:
        print(json.dumps(case_json(rec), ensure_ascii=False, indent=1))
        return 0
    print(f"{rec.case_no}  受理 {rec.accepted_on:%Y-%m-%d}  {rec.dispute_label}  {rec.stage_label}")
    for p in rec.parties:
        line = f"  {p.seq}. {p.role_label} {p.name}（{p.kind_label}）"
        if p.legal_rep:
            line += f"  法定代表人：{p.legal_rep}（{p.legal_rep_title or '职务未填'}）"
        if p.needs_guardian_on(rec.accepted_on):
            g = f"{p.guardian_name}（{p.guardian_relation}）" if p.guardian_name else "【缺法定代理人】"
            line += f"  法定代理人：{g}"
        if p.agent:
            line += f"  委托代理人：{p.agent}" + (f"（{p.agent_relation}）" if p.agent_relation else "")
        print(line)
    return 0
