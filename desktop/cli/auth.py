"""Signing in on the command line: ``--user NAME --password-stdin`` (the password is the first line of
standard input). On a database with accounts every command needs them (exit 3 "需要登录…" otherwise) and the
role's permission for the command (exit 4 with the reason). On a database without accounts only
``users add … --role 管理员`` and ``demo`` run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.core.errors import LoginRequired, PermissionDenied, ValidationError
from desktop.domain import accounts as p

if TYPE_CHECKING:
    from desktop.services.context import ServiceContext

#: the rule "create the administrator first" for databases without accounts. Only the test suite turns it
#: off (tests/conftest.py), so the tests of every other command need not create an account first.
ADMIN_FIRST = True

FIRST_ADMIN = "请先创建管理员账号：shequ users add 登录名 --role 管理员 --password-stdin"

#: (command, sub-command) → the permission it needs; (command, None) for the whole command
COMMAND_PERMISSIONS: dict[tuple[str, str | None], str] = {
    ("demo", None): p.SETTINGS,
    ("backup", None): p.SETTINGS,
    ("restore", None): p.SETTINGS,
    ("keys", None): p.SETTINGS,  # `keys recovery`: the recovery key opens everything (`keys import` signs in to nothing)
    ("import", "grids"): p.GRIDS,
    ("export", "grids"): p.GRIDS,
    ("import", "residents"): p.RESIDENTS_WRITE,
    ("export", "residents"): p.RESIDENTS_EXPORT,
    ("residents", None): p.RESIDENTS_WRITE,
    ("import", "mediation-cases"): p.MEDIATION_WRITE,
    ("export", "mediation-cases"): p.MEDIATION_READ,
    ("import", "party-members"): p.PARTY,
    ("export", "party-members"): p.PARTY,
    ("import", "events"): p.EVENTS,
    ("export", "events"): p.EVENTS,
    ("import", "visits"): p.VISITS,
    ("print", "agreement"): p.MEDIATION_READ,
    ("print", "case-file"): p.MEDIATION_READ,
    ("print", "mediation"): p.MEDIATION_READ,
    ("print", "confirmation-application"): p.JUDICIAL,
    ("print", "confirmation-package"): p.JUDICIAL,
    ("print", "party-roster"): p.PARTY,
    ("print", "event"): p.EVENTS,
    ("mediation", None): p.MEDIATION_READ,
    ("holidays", None): p.JUDICIAL,
    ("confirmations", None): p.JUDICIAL,
    ("report", "event-ledger"): p.EVENTS,
    ("report", None): p.REPORTS,
    ("events", None): p.EVENTS,
    ("visits", None): p.VISITS,
    ("users", "passwd"): "",  # one's own password: any account
    ("users", None): p.ACCOUNTS,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME", help="登录名（数据库已有账号时每个命令都需要）")
    parser.add_argument(
        "--password-stdin", action="store_true", help="从标准输入的第一行读取登录密码（不在命令行里写密码）"
    )


def permission_for(args: argparse.Namespace) -> str | None:
    command = args.command
    sub = getattr(args, "what", None)
    found = COMMAND_PERMISSIONS.get((command, sub))
    return found if found is not None else COMMAND_PERMISSIONS.get((command, None))


def stdin_line(args: argparse.Namespace, what: str) -> str:
    """The next line of standard input (the login password first, then a new password)."""
    line = sys.stdin.readline()
    if not line:
        raise ValidationError(f"标准输入中没有{what}")
    return line.rstrip("\r\n")


def _first_admin_command(args: argparse.Namespace) -> bool:
    if args.command == "demo":
        return True
    if args.command == "users" and getattr(args, "what", None) == "add":
        return p.role_name(args.role) == p.ADMIN_ROLE
    return False


def _load_pdf_fonts() -> None:
    import reportlab.platypus  # noqa: F401  (what every document is built with)

    from desktop.documents.fonts import register_fonts

    register_fonts()


def _preparation(args: argparse.Namespace) -> Callable[[], None] | None:
    """What a command can get ready while the password is checked (scrypt runs outside the GIL): a
    ``print`` command loads ReportLab and reads its two fonts — no database, no account involved."""
    return _load_pdf_fonts if args.command == "print" else None


def authorize(args: argparse.Namespace, ctx: ServiceContext) -> ServiceContext:
    """The context the command runs with: signed in as ``--user`` when the database has accounts."""
    from desktop.services.access import accounts_exist

    if not accounts_exist(ctx):
        if ADMIN_FIRST and not _first_admin_command(args):
            raise LoginRequired(FIRST_ADMIN)
        return ctx
    if not args.user or not args.password_stdin:
        raise LoginRequired("需要登录：请用 --user 登录名 --password-stdin 并在标准输入中给出密码")
    from desktop.services.accounts import sign_in

    password = stdin_line(args, "登录密码")
    result = sign_in(ctx, args.user, password, meanwhile=_preparation(args))
    args.login_password = password  # `users passwd` changes it
    account = result.account
    needed = permission_for(args)
    if result.must_change_password and needed != "":
        raise LoginRequired(
            f"需要登录：{result.reason}后才能使用其他命令："
            "shequ --user 登录名 --password-stdin users passwd（标准输入第一行旧密码，第二行新密码）"
        )
    if needed and not account.can(needed):
        raise PermissionDenied(
            f"没有权限：{p.permission_label(needed)}（账号 {account.login}，角色 {account.role}）"
        )
    return ctx.signed_in(account)
