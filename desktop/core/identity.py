"""Who is working: the operator recorded in every audit record, and the account signed in."""

from __future__ import annotations

import getpass
import platform
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: str
    host: str

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}"


@dataclass(frozen=True)
class SignedIn:
    """The account a person signed in with: its role's permissions and the residents it may see."""

    account_id: int
    login: str
    display_name: str
    role: str
    permissions: frozenset[str]
    scope: str = "all"  # all / community / grids
    community_id: int | None = None
    grid_ids: tuple[int, ...] = ()
    #: a 调解员's 人民调解委员会 (None: every committee their role reaches)
    committee_id: int | None = None

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def host_name() -> str:
    """The PC's name, recorded with every audit record (logins, failures, locks included)."""
    return platform.node() or "localhost"


def current_actor() -> Actor:
    """Before anyone signs in (a database without accounts): the operating system's login name."""
    return Actor(user=_login_name(), host=host_name())


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some service accounts)
        return "unknown"
