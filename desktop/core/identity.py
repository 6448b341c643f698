"""Who is working: the operator recorded in every audit record."""

from __future__ import annotations

import getpass
import os
import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: str
    host: str

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}"


def current_actor() -> Actor:
    user = os.environ.get("SHEQU_USER") or _login_name()
    return Actor(user=user, host=socket.gethostname() or "localhost")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some service accounts)
        return "unknown"
