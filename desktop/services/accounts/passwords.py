"""Password hashing: scrypt (RFC 7914), memory-hard, from the standard library, with a per-user salt.

The parameters are stored with every hash, so they can be raised later without invalidating old passwords.
n=2**15, r=8, p=1 uses 32 MiB and takes about 0.1-0.2 s on an office PC: a login stays well under a second
while guessing a stolen hash costs as much memory per try.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

#: work done while a password is being checked (see :func:`verify_password`)
Meanwhile = Callable[[], object] | None

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
KEY_LENGTH = 32
SALT_BYTES = 16


@dataclass(frozen=True)
class PasswordHash:
    hash: str  # hex
    salt: str  # hex
    params: str  # "scrypt:n=32768,r=8,p=1"


def _params_text(n: int, r: int, p: int) -> str:
    return f"scrypt:n={n},r={r},p={p}"


def _parse(params: str) -> tuple[int, int, int]:
    kind, _, rest = params.partition(":")
    if kind != "scrypt":
        raise ValueError(f"unknown password hash {kind!r}")
    values = dict(item.split("=", 1) for item in rest.split(","))
    return int(values["n"]), int(values["r"]), int(values["p"])


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=KEY_LENGTH
    )


def hash_password(password: str) -> PasswordHash:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(key.hex(), salt.hex(), _params_text(SCRYPT_N, SCRYPT_R, SCRYPT_P))


def _derive_beside(meanwhile: Meanwhile, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """scrypt, with ``meanwhile`` run in this thread while it works: hashlib's scrypt releases the GIL, so
    work that needs neither the account nor the database (loading the PDF code and fonts a command will use)
    costs no time of its own. ``meanwhile`` is preparation only: whatever it raises is left for the real
    work to meet again, and the password check is the same either way."""
    if meanwhile is None:
        return _derive(password, salt, n, r, p)
    out: list[bytes | BaseException] = []

    def work() -> None:
        try:
            out.append(_derive(password, salt, n, r, p))
        except BaseException as exc:  # handed to the caller's thread below
            out.append(exc)

    thread = threading.Thread(target=work, name="scrypt", daemon=True)
    thread.start()
    with contextlib.suppress(Exception):  # preparation only (see above)
        meanwhile()
    thread.join()
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def verify_password(password: str, stored: PasswordHash, meanwhile: Meanwhile = None) -> bool:
    try:
        n, r, p = _parse(stored.params)
        expected = bytes.fromhex(stored.hash)
        key = _derive_beside(meanwhile, password, bytes.fromhex(stored.salt), n, r, p)
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(key, expected)


def burn_time(password: str, meanwhile: Meanwhile = None) -> None:
    """As long as a verification: an unknown login name must not answer faster than a wrong password."""
    _derive_beside(meanwhile, password, b"\0" * SALT_BYTES, SCRYPT_N, SCRYPT_R, SCRYPT_P)
