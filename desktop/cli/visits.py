"""Sub-commands: visits by colour tier (issue 12): ``import visits``, ``visits due``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from desktop.cli.common import ChineseArgumentParser, add_errors_and_dry_run, open_context, run_checked_import
from desktop.core.errors import ValidationError


def add_commands(
    sub: argparse._SubParsersAction[ChineseArgumentParser],
    imp_sub: argparse._SubParsersAction[ChineseArgumentParser],
) -> None:
    iv = imp_sub.add_parser(
        "visits", help="导入走访记录（列：公民身份号码, 走访日期, 走访人, 走访方式, 情况记录）"
    )
    iv.add_argument("file", type=Path, metavar="FILE")
    iv.add_argument("--sheet", help="工作表名称（默认：第一个含所需列的工作表）")
    add_errors_and_dry_run(iv)
    iv.set_defaults(handler=_cmd_import_visits)

    vis = sub.add_parser("visits", help="分色走访")
    vsub = vis.add_subparsers(dest="what", metavar="操作", required=True, parser_class=ChineseArgumentParser)
    due = vsub.add_parser("due", help="今日应走访：本周期未走访和以往周期漏访的居民")
    due.add_argument("--date", metavar="YYYY-MM-DD", help="按这一天计算（默认今天）")
    due.add_argument("--grid", metavar="CODE", help="只看这个网格（网格编号）")
    due.add_argument("--json", action="store_true", help="输出 JSON（身份证号码脱敏）")
    due.set_defaults(handler=_cmd_visits_due)


def _cmd_import_visits(args: argparse.Namespace) -> int:
    from desktop.services.visits.exchange import import_visits

    return run_checked_import(
        args, lambda ctx, _progress: import_visits(ctx, args.file, sheet=args.sheet, dry_run=args.dry_run)
    )


def _cmd_visits_due(args: argparse.Namespace) -> int:
    from desktop.domain.visits import FREQUENCY_LABELS
    from desktop.services import visits

    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise ValidationError(f"日期“{args.date}”无效，应写作 YYYY-MM-DD。", field="date") from None
    ctx = open_context(args)
    due = visits.due_list(ctx, day, grid=args.grid)
    if args.json:
        rows = [
            {
                "name": r.name,
                "id_number": r.id_number,
                "grid_code": r.grid_code,
                "tier": r.tier,
                "special_groups": list(r.special_groups),
                "last_visit_on": r.last_visit_on.isoformat() if r.last_visit_on else None,
                "period_end": r.period_end.isoformat(),
                "missed_periods": r.missed_periods,
            }
            for r in due.rows
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    pending = [r for r in due.rows if not r.done]
    print(
        f"{due.today:%Y-%m-%d} 应走访 {len(pending)} 人（共 {due.residents} 人，本周期已走访 {due.done} 人）；"
        f"漏访统计自 {due.since:%Y-%m-%d} 起。"
    )
    for r in due.rows:
        last = r.last_visit_on.isoformat() if r.last_visit_on else "从未走访"
        state = "本周期已走访" if r.done else f"{r.period_end:%m-%d} 前"
        groups = "、".join(r.special_groups)
        print(
            f"{r.grid_code:10} {r.name:6} {r.id_number}  {FREQUENCY_LABELS[r.frequency]}  {state}  "
            f"上次 {last}  漏访 {r.missed_periods}" + (f"  {groups}" if groups else "")
        )
    return 0
