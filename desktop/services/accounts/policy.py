"""The settings of the login rules: lock after N wrong passwords for M minutes, password expiry, idle lock."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from desktop.core.errors import ValidationError
from desktop.domain.accounts import SETTINGS
from desktop.services.access import require
from desktop.services.context import ServiceContext
from desktop.services.settings import load_setting, store_setting

POLICY_KEY = "accounts.policy"


@dataclass(frozen=True)
class AccountPolicy:
    lock_attempts: int = 5  # wrong passwords in a row that lock the account
    lock_minutes: int = 15
    password_days: int = 0  # 0: passwords do not expire
    idle_minutes: float = 10  # the window locks itself after this long without input

    def problems(self) -> list[str]:
        out = []
        if not 1 <= self.lock_attempts <= 20:
            out.append("连续输错密码次数应在 1 到 20 之间")
        if not 1 <= self.lock_minutes <= 24 * 60:
            out.append("锁定时长应在 1 到 1440 分钟之间")
        if not 0 <= self.password_days <= 3650:
            out.append("密码有效期应在 0（不过期）到 3650 天之间")
        if not 0 < self.idle_minutes <= 240:
            out.append("无操作自动锁屏时间应大于 0、不超过 240 分钟")
        return out


def _parse(value: Any) -> AccountPolicy:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    policy = AccountPolicy(
        lock_attempts=int(value.get("lock_attempts", 5)),
        lock_minutes=int(value.get("lock_minutes", 15)),
        password_days=int(value.get("password_days", 0)),
        idle_minutes=float(value.get("idle_minutes", 10)),
    )
    if policy.problems():
        raise ValueError("out of range")
    return policy


def load_policy(ctx: ServiceContext) -> AccountPolicy:
    with ctx.read() as s:
        return load_setting(s, POLICY_KEY, AccountPolicy(), _parse)


def save_policy(ctx: ServiceContext, policy: AccountPolicy) -> None:
    require(ctx, SETTINGS)
    problems = policy.problems()
    if problems:
        raise ValidationError("；".join(problems))
    with ctx.write() as uow:
        store_setting(uow, POLICY_KEY, asdict(policy), "修改登录与锁屏规则")
