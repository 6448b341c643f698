"""The data key of a database, kept outside the database.

Each database has an identity (a random UUID stored in the database) and one random 256-bit data key. The key
lives in the OS keyring (Windows Credential Manager, Secret Service) when a usable backend exists, else in a
key file in the user's *config* folder (never the data folder, so a copied data folder with its backups holds
no key), readable by its owner only. Separate subkeys are derived with HKDF-SHA256 (RFC 5869): field
encryption (AES-256-GCM), blind indexes (HMAC-SHA256) and the audit chain (HMAC-SHA256).

The recovery key is the data key written in base32 groups; it moves a database to another PC
(``shequ keys recovery`` on the old one, ``shequ keys import`` on the new one). A key check value stored in
the database tells a wrong recovery key from the right one without revealing anything.

The chain head of the audit trail (the last record's number and MAC) is kept beside the key, so deleting
the newest audit records is detectable (``desktop.services.audit``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Protocol

import platformdirs
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.core.errors import DatabaseError

KEY_SERVICE = "ShequWorkbench/data-key"
HEAD_SERVICE = "ShequWorkbench/audit-head"
KEY_BYTES = 32
FIELD_PREFIX = "v1:"  # versioned ciphertext: "v1:" + base64(nonce ‖ ciphertext ‖ tag)
BLIND_BYTES = 16  # HMAC-SHA256 truncated to 128 bits (32 hex characters)


class KeyMissingError(DatabaseError):
    """The data key of this database is not on this PC (or a recovery key does not match)."""

    exit_status = 5


def missing_key_message(identity: str) -> str:
    return (
        f"本机没有此数据库（标识 {identity[:8]}…）的数据密钥，无法读取其中加密保存的身份证号和电话。"
        "如果数据库是从另一台电脑复制来的：请在原电脑上运行“shequ keys recovery”（或在“设置”中查看恢复密钥），"
        "再在本机运行“shequ keys import --db 数据库路径”输入恢复密钥。数据库未做任何修改。"
    )


class DataKeys:
    """The data key of one database and the subkeys derived from it."""

    __slots__ = ("_aead", "_audit", "_blind", "_master", "identity")

    def __init__(self, identity: str, master: bytes) -> None:
        if len(master) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self.identity = identity
        self._master = master
        self._aead = AESGCM(self._derive(b"field-encryption"))
        self._blind = self._derive(b"blind-index")
        self._audit = self._derive(b"audit-chain")

    def __repr__(self) -> str:
        return f"DataKeys({self.identity!r})"

    def _derive(self, purpose: bytes) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=self.identity.encode("ascii"), info=b"shequ/" + purpose
        ).derive(self._master)

    # field encryption -------------------------------------------------------------------------------
    def encrypt(self, text: str, column: str) -> str:
        """AES-256-GCM with a random 96-bit nonce; the column name is bound in as associated data."""
        nonce = os.urandom(12)
        ct = self._aead.encrypt(nonce, text.encode("utf-8"), column.encode("ascii"))
        return FIELD_PREFIX + base64.b64encode(nonce + ct).decode("ascii")

    def decrypt(self, stored: str, column: str) -> str:
        if not stored.startswith(FIELD_PREFIX):
            raise DatabaseError(f"字段 {column} 的密文格式无法识别（不是 {FIELD_PREFIX} 开头）。")
        raw = base64.b64decode(stored[len(FIELD_PREFIX) :])
        try:
            plain = self._aead.decrypt(raw[:12], raw[12:], column.encode("ascii"))
        except Exception as exc:
            raise DatabaseError(
                f"字段 {column} 的密文无法用本机的数据密钥解开：数据被改动，或密钥不是这个数据库的。"
            ) from exc
        return plain.decode("utf-8")

    # blind index ------------------------------------------------------------------------------------
    def blind(self, kind: str, value: str) -> str:
        """A keyed, truncated HMAC of ``value`` for exact lookup and uniqueness (``kind`` separates uses)."""
        mac = hmac.new(self._blind, kind.encode("ascii") + b"\x00" + value.encode("utf-8"), "sha256")
        return mac.digest()[:BLIND_BYTES].hex()

    # audit chain ------------------------------------------------------------------------------------
    def audit_mac(self, data: bytes) -> str:
        return hmac.new(self._audit, data, hashlib.sha256).hexdigest()

    # sealed backups -------------------------------------------------------------------------------
    def backup_aead(self) -> AESGCM:
        """AES-256-GCM under the subkey that seals whole backup files (``db.sealed``)."""
        return AESGCM(self._derive(b"backup-file"))

    def check_value(self) -> str:
        """Stored in the database: tells whether a key belongs to it, reveals nothing about the key."""
        return self._derive(b"key-check")[:16].hex()

    # recovery ---------------------------------------------------------------------------------------
    def recovery_key(self) -> str:
        return encode_recovery(self._master)

    @property
    def master(self) -> bytes:
        return self._master


def encode_recovery(master: bytes) -> str:
    text = base64.b32encode(master + hashlib.sha256(master).digest()[:2]).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def decode_recovery(text: str) -> bytes:
    """The data key from a recovery key as printed (groups, case and spaces do not matter)."""
    clean = "".join(ch for ch in text.upper() if ch.isalnum())
    clean = clean.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        if len(clean) != 55:
            raise ValueError(len(clean))
        raw = base64.b32decode(clean + "=" * (-len(clean) % 8))
    except Exception as exc:
        raise KeyMissingError("恢复密钥格式不正确：应为 11 组、每组 5 个字母或数字（用“-”分隔）。") from exc
    if len(raw) != KEY_BYTES + 2 or hashlib.sha256(raw[:KEY_BYTES]).digest()[:2] != raw[KEY_BYTES:]:
        raise KeyMissingError("恢复密钥有误（校验不符）：请逐字核对后重新输入。")
    return raw[:KEY_BYTES]


def new_keys(identity: str) -> DataKeys:
    return DataKeys(identity, secrets.token_bytes(KEY_BYTES))


# -------------------------------------------------------------------------------------------- stores
class KeyStore(Protocol):
    name: str

    def load(self, identity: str) -> bytes | None: ...

    def save(self, identity: str, master: bytes) -> None: ...

    def load_head(self, identity: str) -> tuple[int, str] | None: ...

    def save_head(self, identity: str, seq: int, mac: str) -> None: ...


def _parse_head(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    seq, _, mac = text.partition(":")
    return int(seq), mac


class KeyringStore:
    """The OS keyring (Windows Credential Manager, Secret Service, Keychain)."""

    name = "系统凭据管理器"

    def __init__(self, backend: object) -> None:
        self._kr = backend

    def load(self, identity: str) -> bytes | None:
        text = self._kr.get_password(KEY_SERVICE, identity)  # type: ignore[attr-defined]
        return base64.b64decode(text) if text else None

    def save(self, identity: str, master: bytes) -> None:
        self._kr.set_password(KEY_SERVICE, identity, base64.b64encode(master).decode("ascii"))  # type: ignore[attr-defined]

    def load_head(self, identity: str) -> tuple[int, str] | None:
        return _parse_head(self._kr.get_password(HEAD_SERVICE, identity))  # type: ignore[attr-defined]

    def save_head(self, identity: str, seq: int, mac: str) -> None:
        self._kr.set_password(HEAD_SERVICE, identity, f"{seq}:{mac}")  # type: ignore[attr-defined]


def config_dir() -> Path:
    """The user's config folder: ``SHEQU_CONFIG``; beside ``SHEQU_HOME`` (``…-config``); else the OS one."""
    override = os.environ.get("SHEQU_CONFIG")
    if override:
        return Path(override)
    home = os.environ.get("SHEQU_HOME")
    if home:
        return Path(home).parent / (Path(home).name + "-config")
    from desktop.core.paths import APP_AUTHOR, APP_NAME

    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=False))


class FileStore:
    """Key files in the user's config folder, owner-only (0700 folder, 0600 files)."""

    name = "本机密钥文件"

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or (config_dir() / "keys")

    def _path(self, identity: str, suffix: str) -> Path:
        if not identity.replace("-", "").isalnum():
            raise ValueError(f"bad database identity {identity!r}")
        return self.folder / f"{identity}.{suffix}"

    def _read(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None

    def _write(self, path: Path, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.folder, stat.S_IRWXU)
        tmp = path.with_suffix(path.suffix + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def load(self, identity: str) -> bytes | None:
        text = self._read(self._path(identity, "key"))
        return base64.b64decode(json.loads(text)["key"]) if text else None

    def save(self, identity: str, master: bytes) -> None:
        body = {"identity": identity, "key": base64.b64encode(master).decode("ascii")}
        self._write(self._path(identity, "key"), json.dumps(body))

    def load_head(self, identity: str) -> tuple[int, str] | None:
        return _parse_head(self._read(self._path(identity, "head")))

    def save_head(self, identity: str, seq: int, mac: str) -> None:
        self._write(self._path(identity, "head"), f"{seq}:{mac}")


#: the OS keyrings keyring ships, per platform, as (module, class): what ``keyring.get_keyring()`` chooses
#: among (the highest priority that is viable), looked at without importing every backend first — its
#: macOS module alone runs ``ctypes.util.find_library`` three times on Linux (~50 ms of every start, issue 16)
PLATFORM_KEYRINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "win32": (("keyring.backends.Windows", "WinVaultKeyring"),),  # Windows Credential Manager
    "darwin": (("keyring.backends.macOS", "Keyring"),),
    "linux": (
        ("keyring.backends.SecretService", "Keyring"),  # GNOME Keyring, KeePassXC, … over D-Bus
        ("keyring.backends.kwallet", "DBusKeyring"),
        ("keyring.backends.libsecret", "Keyring"),
    ),
}


def session_bus_reachable() -> bool:
    """Whether a D-Bus session bus can be reached, where every Linux keyring lives (Secret Service, KWallet):
    its address in the environment, or the per-user socket libdbus and GIO find without one
    (``$XDG_RUNTIME_DIR/bus``, ``/run/user/<uid>/bus``). Without it (a console, a service, a bare X
    session) no keyring backend can work, so none is imported (about 30 ms of every start, issue 16)."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = [os.environ.get("XDG_RUNTIME_DIR", "")]
    if hasattr(os, "getuid"):
        runtime.append(f"/run/user/{os.getuid()}")
    return any(folder and os.path.exists(os.path.join(folder, "bus")) for folder in runtime)


def _platform_keyring() -> object:
    """The keyring backend in use: one chosen already (``keyring.set_keyring``; the tests' in-memory one) or
    configured by the user (``PYTHON_KEYRING_BACKEND``, ``keyringrc.cfg``) as keyring itself would find it;
    else the viable backend of this platform with the highest priority, made keyring's own choice too."""
    import keyring
    import keyring.core
    from keyring.backends import fail

    chosen_already = getattr(keyring.core, "_keyring_backend", None) is not None
    config_path = getattr(keyring.core, "_config_path", None)  # keyring's own (private) helpers: when a
    configured = (  # later keyring lacks them, it chooses as it always did
        config_path is None or bool(os.environ.get("PYTHON_KEYRING_BACKEND")) or config_path().exists()
    )
    linux = sys.platform.startswith("linux")
    candidates = PLATFORM_KEYRINGS.get("linux" if linux else sys.platform)
    if linux and not session_bus_reachable():
        candidates = ()  # nothing to ask: the key file (FileStore) is used, as keyring would end up doing
    if chosen_already or configured or candidates is None:
        return keyring.get_keyring()
    best: tuple[float, type] | None = None
    for module, name in candidates:
        try:
            cls = getattr(importlib.import_module(module), name)
            priority = float(cls.priority)  # raises when the backend cannot work here (no D-Bus service, …)
        except Exception:
            continue
        if priority > 0 and (best is None or priority > best[0]):
            best = (priority, cls)
    backend = best[1]() if best else fail.Keyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(backend)
    return backend


def _nothing_to_ask() -> bool:
    """Linux with no session bus, where keyring is neither chosen in this process nor configured by the user
    (``PYTHON_KEYRING_BACKEND``, keyring's ``keyringrc.cfg``): no backend could keep the key, and keyring
    itself is not even imported (another 15 ms of every start)."""
    if not sys.platform.startswith("linux") or session_bus_reachable():
        return False
    if "keyring" in sys.modules or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return False
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")  # keyring.util.platform_
    return not (config / "python_keyring" / "keyringrc.cfg").exists()


def usable_keyring() -> object | None:
    """The keyring backend when it can really keep a secret (not the null/fail backends, not plaintext)."""
    if _nothing_to_ask():
        return None
    try:
        from keyring.backends import chainer, fail, null
    except Exception:  # pragma: no cover - keyring is a dependency
        return None
    try:
        kr = _platform_keyring()
    except Exception:
        return None
    if isinstance(kr, fail.Keyring | null.Keyring):
        return None
    if isinstance(kr, chainer.ChainerBackend) and not kr.backends:
        return None
    if type(kr).__module__.startswith("keyrings.alt"):  # base64 "encryption" in a plain file
        return None
    return kr


def default_store() -> KeyStore:
    kr = usable_keyring()
    return KeyringStore(kr) if kr is not None else FileStore()
