"""``shequ users add|list|disable|enable|reset-password|passwd``: accounts from the command line.

New passwords come from standard input (after the login password when signing in), or are asked for at a
terminal; never as an argument, where other users of the PC could read them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from desktop.cli.auth import stdin_line
from desktop.cli.common import ChineseArgumentParser, open_context
from desktop.core.errors import LoginRequired, NotFoundError, ValidationError
from desktop.domain.accounts import PASSWORD_RULE
from desktop.domain.text import normalize_code

if TYPE_CHECKING:
    from desktop.services.context import ServiceContext


def add_commands(sub: argparse._SubParsersAction[ChineseArgumentParser]) -> None:
    users = sub.add_parser("users", help="账号：新建、列出、停用、重置密码")
    us = users.add_subparsers(dest="what", metavar="操作", required=True, parser_class=ChineseArgumentParser)
    add = us.add_parser("add", help="新建账号（新数据库的第一个账号须是管理员）")
    add.add_argument("login", metavar="NAME", help="登录名")
    add.add_argument("--role", required=True, help="角色：管理员（系统管理员）、审计管理员、网格员 …")
    add.add_argument("--name", default="", help="姓名（默认同登录名）")
    _scope_options(add)
    _new_password_option(add)
    add.set_defaults(handler=_cmd_add)
    role = us.add_parser("set-role", help="修改账号的角色和范围（社区、网格或调解委员会）")
    role.add_argument("login", metavar="NAME", help="登录名")
    role.add_argument("--role", required=True, help="新角色")
    _scope_options(role)
    role.set_defaults(handler=_cmd_set_role)
    ls = us.add_parser("list", help="列出账号")
    ls.set_defaults(handler=_cmd_list)
    for name, text, handler in (
        ("disable", "停用账号（账号保留，审计日志仍指向它）", _cmd_disable),
        ("enable", "重新启用账号", _cmd_enable),
    ):
        p = us.add_parser(name, help=text)
        p.add_argument("login", metavar="NAME")
        p.set_defaults(handler=handler)
    reset = us.add_parser("reset-password", help="重置密码（下次登录须修改）")
    reset.add_argument("login", metavar="NAME")
    _new_password_option(reset)
    reset.set_defaults(handler=_cmd_reset)
    passwd = us.add_parser("passwd", help="修改自己的密码（标准输入：第一行旧密码，第二行新密码）")
    passwd.set_defaults(handler=_cmd_passwd)


def _scope_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--community", help="社区名称（社区书记/主任）")
    parser.add_argument(
        "--grid", action="append", default=[], metavar="编号", help="网格编号（网格员，可多次给出）"
    )
    parser.add_argument("--committee", help="人民调解委员会名称或简称（调解员）")


def _new_password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        dest="new_password_stdin",
        action="store_true",
        help="新密码从标准输入读取（登录时在登录密码的下一行）",
    )


def _new_password(args: argparse.Namespace) -> str:
    if args.new_password_stdin or args.password_stdin:
        return stdin_line(args, "新密码")
    if not sys.stdin.isatty():
        raise ValidationError("请用 --password-stdin 从标准输入给出新密码")
    print(PASSWORD_RULE, file=sys.stderr)
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValidationError("两次输入的密码不一致")
    return first


def _committee(ctx: ServiceContext, name: str | None) -> int | None:
    if not name:
        return None
    from sqlalchemy import or_, select

    from db.schema.mediation import MediationCommittee

    with ctx.read() as s:
        wanted = name.strip()
        found = s.scalar(
            select(MediationCommittee.id).where(
                or_(MediationCommittee.name == wanted, MediationCommittee.short_name == wanted)
            )
        )
        if found is None:
            known = "、".join(s.scalars(select(MediationCommittee.name))) or "（尚无调解委员会）"
            raise NotFoundError(f"没有名为“{wanted}”的调解委员会。现有：{known}")
        return found


def _scope(ctx: ServiceContext, community: str | None, grids: list[str]) -> tuple[int | None, list[int]]:
    from sqlalchemy import select

    from db.schema.structure import Community, Grid

    with ctx.read() as s:
        community_id = None
        if community:
            community_id = s.scalar(select(Community.id).where(Community.name == community.strip()))
            if community_id is None:
                raise NotFoundError(f"没有名为“{community}”的社区")
        ids = []
        for code in grids:
            gid = s.scalar(select(Grid.id).where(Grid.code == normalize_code(code)))
            if gid is None:
                raise NotFoundError(f"没有编号为“{code}”的网格")
            ids.append(gid)
    return community_id, ids


def _cmd_add(args: argparse.Namespace) -> int:
    from desktop.services.accounts import AccountInput, create_account

    ctx = open_context(args)
    password = _new_password(args)
    community_id, grid_ids = _scope(ctx, args.community, args.grid)
    committee_id = _committee(ctx, args.committee)
    data = AccountInput(args.login, args.role, args.name, community_id, grid_ids, committee_id)
    from desktop.services.access import accounts_exist

    first = not accounts_exist(ctx)
    create_account(ctx, data, password)
    print(f"已新建账号 {args.login.strip()}（{args.role}）")
    if first:  # setting up: the recovery key, once, for moving the database to another PC
        print_recovery_key(ctx)
    return 0


def print_recovery_key(ctx: ServiceContext) -> None:
    from desktop.services import keys

    info = keys.recovery_key(ctx)
    if not info.recovery_key:
        return
    print(
        "\n数据库恢复密钥（身份证号和电话加密保存，密钥在本机"
        f"{info.store}中；把数据库搬到另一台电脑时要用它，在那台电脑上运行 shequ keys import）：\n"
        f"    {info.recovery_key}\n"
        "请抄写或打印后锁好保管，不要和数据库文件放在一起。以后可在“设置 → 数据密钥与审计”或用 "
        "shequ keys recovery 再次查看（会记入审计记录）。"
    )


def _cmd_set_role(args: argparse.Namespace) -> int:
    from desktop.services.accounts import set_role

    ctx = open_context(args)
    community_id, grid_ids = _scope(ctx, args.community, args.grid)
    set_role(ctx, args.login, args.role, community_id, grid_ids, _committee(ctx, args.committee))
    print(f"账号 {args.login.strip()} 已改为{args.role}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from desktop.services.accounts import list_accounts

    ctx = open_context(args)
    rows = list_accounts(ctx)
    for r in rows:
        where = r.committee or r.community or "、".join(r.grids) or "全部"
        print(f"{r.login}\t{r.display_name}\t{r.role}\t{where}\t{r.status}")
    if not rows:
        print("还没有账号。")
    return 0


def _cmd_disable(args: argparse.Namespace) -> int:
    from desktop.services.accounts import set_disabled

    set_disabled(open_context(args), args.login, True)
    print(f"已停用账号 {args.login}")
    return 0


def _cmd_enable(args: argparse.Namespace) -> int:
    from desktop.services.accounts import set_disabled

    set_disabled(open_context(args), args.login, False)
    print(f"已启用账号 {args.login}")
    return 0


def _cmd_reset(args: argparse.Namespace) -> int:
    from desktop.services.accounts import reset_password

    ctx = open_context(args)
    reset_password(ctx, args.login, _new_password(args))
    print(f"已重置账号 {args.login} 的密码，下次登录时须修改")
    return 0


def _cmd_passwd(args: argparse.Namespace) -> int:
    from desktop.services.accounts import change_password

    if not args.user or not args.password_stdin:
        raise ValidationError("请用 --user 登录名 --password-stdin，标准输入第一行旧密码、第二行新密码")
    # the login itself checks the old password (the first line) and lets this one command through
    ctx = open_context(args)
    if ctx.account is None:
        raise LoginRequired("需要登录：数据库还没有账号")
    new = stdin_line(args, "新密码")
    change_password(ctx, ctx.account.login, getattr(args, "login_password", ""), new)
    print("密码已修改")
    return 0
