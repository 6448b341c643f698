"""``shequ keys recovery|import`` (the data key of the database) and ``shequ audit verify``."""

from __future__ import annotations

import argparse
import getpass
import sys

from desktop.cli.common import ChineseArgumentParser, open_context, subcommand_group


def add_commands(sub: argparse._SubParsersAction[ChineseArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="数据库的数据密钥：查看恢复密钥、在另一台电脑上导入")
    ks = keys.add_subparsers(
        dest="keys_command", metavar="操作", required=True, parser_class=ChineseArgumentParser
    )
    rec = ks.add_parser("recovery", help="显示恢复密钥（请抄写或打印后妥善保管；查看会记入审计）")
    rec.set_defaults(handler=_cmd_recovery)
    imp = ks.add_parser("import", help="输入原电脑的恢复密钥，使本机能打开复制来的数据库")
    imp.add_argument("--recovery-stdin", action="store_true", help="从标准输入的第一行读取恢复密钥")
    imp.set_defaults(handler=_cmd_import)

    audit = subcommand_group(sub, "audit", "审计记录", "操作")
    ver = audit.add_parser("verify", help="逐条核对审计链（带密钥的 HMAC），并检查最新记录是否被删除")
    ver.set_defaults(handler=_cmd_audit_verify)


def _cmd_recovery(args: argparse.Namespace) -> int:
    from desktop.services import keys

    info = keys.recovery_key(open_context(args))
    print(f"数据库标识：{info.identity}")
    print(f"本机密钥保存在：{info.store}")
    print(f"恢复密钥：{info.recovery_key}")
    print(
        "请抄写或打印后锁好保管：有了它和数据库副本就能读出全部身份证号和电话；丢失它且本机损坏时，加密数据无法恢复。"
    )
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from desktop.services import keys

    text = sys.stdin.readline().strip() if args.recovery_stdin else getpass.getpass("恢复密钥：")
    identity = keys.import_key(args.db, text)
    print(f"恢复密钥正确，已保存到本机（数据库标识 {identity}）。现在可以打开这个数据库了。")
    return 0


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from desktop.services.audit import verify_audit_chain

    verdict = verify_audit_chain(open_context(args))
    print(verdict.message, file=sys.stdout if verdict.intact else sys.stderr)
    return 0 if verdict.intact else 6
