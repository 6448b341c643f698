"""Sub-commands: 网格事件 (issue 12): ``import/export events``, ``events list``, ``print event`` (事件处置单),
``report event-ledger`` (事件台账)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

from desktop.cli.common import (
    ChineseArgumentParser,
    add_table_import_arguments,
    open_context,
    run_checked_import,
    subcommand_group,
)
from desktop.core.errors import ValidationError

_AS_OF = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?$")


def add_commands(
    sub: argparse._SubParsersAction[ChineseArgumentParser],
    imp_sub: argparse._SubParsersAction[ChineseArgumentParser],
    exp_sub: argparse._SubParsersAction[ChineseArgumentParser],
) -> None:
    ie = imp_sub.add_parser(
        "events",
        help="导入网格事件（工作表“事件”，列：事件编号, 来源, 上报时间, 所属网格, 地点, 事件类别, 紧急程度, 事件描述, "
        "上报人；事件编号为空时自动编号，已有编号的更新该事件）",
    )
    add_table_import_arguments(ie)
    ie.set_defaults(handler=_cmd_import_events)

    ee = exp_sub.add_parser(
        "events", help="导出网格事件（含状态、亮灯、承办部门、办结时限、结案时间；电话脱敏）"
    )
    ee.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    ee.add_argument("--month", metavar="YYYY-MM", help="只导出这个月上报的事件")
    ee.set_defaults(handler=_cmd_export_events)

    ev = sub.add_parser("events", help="网格事件")
    ev_sub = ev.add_subparsers(dest="what", metavar="操作", required=True, parser_class=ChineseArgumentParser)
    el = ev_sub.add_parser("list", help="列出网格事件及其预警亮灯（最新上报的在前）")
    el.add_argument("--json", action="store_true", help="输出 JSON（时间为 ISO 8601 本地时间）")
    el.add_argument(
        "--as-of", metavar="YYYY-MM-DDTHH:MM", help="按这一时刻计算亮灯（默认：现在）；只列出此前上报的事件"
    )
    el.add_argument("--light", choices=["red", "yellow", "green"], help="只列出这种亮灯的事件")
    el.add_argument("--grid", metavar="CODE", help="只列出这个网格（网格编号）的事件")
    el.set_defaults(handler=_cmd_events_list)

    pe = subcommand_group(sub, "print", "打印文书为 PDF", "文书").add_parser(
        "event", help="事件处置单（派单）：交承办部门签收、填写处置情况"
    )
    pe.add_argument("event_no", metavar="EVENT_NO", help="事件编号，如 SJ2026-000123")
    pe.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    pe.set_defaults(handler=_cmd_print_event)

    rl = subcommand_group(sub, "report", "统计报表", "报表").add_parser(
        "event-ledger", help="网格事件台账：当月上报的全部事件及其亮灯、办理结果（PDF，可同时导出 Excel）"
    )
    rl.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，例如 2026-11")
    rl.add_argument("--community", metavar="NAME", help="只列出这个社区的事件（默认：全街道）")
    rl.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    rl.add_argument("--xlsx", type=Path, metavar="FILE.xlsx", help="同时导出工作簿")
    rl.set_defaults(handler=_cmd_event_ledger)


def parse_as_of(text: str) -> dt.datetime:
    """ "2026-11-23T09:30" (or with a space, or a date alone: its 00:00) → the moment; a Chinese error else."""
    m = _AS_OF.match(text.strip())
    try:
        if m is None:
            raise ValueError(text)
        y, mo, d, h, mi = (int(g) if g else 0 for g in m.groups())
        return dt.datetime(y, mo, d, h, mi)
    except ValueError:
        raise ValidationError(
            f"--as-of“{text}”格式不正确，应写作 YYYY-MM-DDTHH:MM，例如 2026-11-23T09:30。", field="as_of"
        ) from None


def _cmd_import_events(args: argparse.Namespace) -> int:
    from desktop.services.events import exchange

    return run_checked_import(
        args,
        lambda ctx, progress: exchange.import_events(
            ctx, args.file, sheet=args.sheet, dry_run=args.dry_run, progress=progress
        ),
        "导入事件",
    )


def _cmd_export_events(args: argparse.Namespace) -> int:
    from desktop.services.events import exchange

    if args.month:
        exchange.month_bounds(args.month)  # a bad month is refused before the database is opened
    ctx = open_context(args)
    count = exchange.export_events(ctx, args.out, month=args.month)
    print(f"已导出 {count} 件网格事件到 {args.out}（电话已脱敏）")
    return 0


def _cmd_events_list(args: argparse.Namespace) -> int:
    from desktop.core.errors import NotFoundError
    from desktop.services import events as ev
    from desktop.services import structure as st

    as_of = parse_as_of(args.as_of) if args.as_of else None
    ctx = open_context(args)
    grid_id = None
    if args.grid:
        found = [g for g in st.list_grids(ctx) if g.code.upper() == args.grid.strip().upper()]
        if not found:
            raise NotFoundError(f"没有网格编号为“{args.grid}”的网格。")
        grid_id = found[0].id
    moment = as_of or ctx.now()
    f = ev.EventFilter(grid_id=grid_id, light=args.light, received_to=moment.date())
    rows = [r for r in ev.list_events(ctx, f, as_of=moment).rows if r.received_at <= moment]
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        light = f"【{r.light_label}】" if r.light else "　　　　"
        print(
            f"{light}{r.event_no}  {r.received_at:%Y-%m-%d %H:%M}  {r.grid_code}  {r.source}  {r.category}"
            f"  {r.urgency_label}  {r.state_label}  {r.department or '—'}  时限 {r.deadline_text}"
        )
    counts = "，".join(f"{label} {sum(1 for r in rows if r.light == k)} 件" for k, label in _LIGHTS)
    print(f"共 {len(rows)} 件（{counts}；按 {moment:%Y-%m-%d %H:%M} 计算）")
    return 0


_LIGHTS = (("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"))


def _cmd_print_event(args: argparse.Namespace) -> int:
    from desktop.services.events import printing

    ctx = open_context(args)
    path, pages = printing.print_dispatch(ctx, args.event_no, args.out)
    print(f"已生成事件处置单 {path}（{pages} 页）")
    return 0


def _cmd_event_ledger(args: argparse.Namespace) -> int:
    from desktop.services.events import printing

    ctx = open_context(args)
    ledger = printing.export_ledger(ctx, args.month, args.out, xlsx=args.xlsx, community=args.community)
    written = "、".join(str(p) for p in (args.out, args.xlsx) if p)
    print(f"已生成{ledger.title}（{len(ledger.rows)} 件）：{written}")
    return 0
