"""Backups taken before migration 0010 hold every ID number and phone in clear: they are sealed as a whole.

Migration 0010 encrypts the database in place, but the backups taken before it — among them the verified
pre-migration backup, kept on purpose so the upgrade can be undone — are plain SQLite files. GB/T 22239-2019
(等保 2.0, level 3, 8.1.4.8 数据保密性) asks that important personal data be kept confidential *in storage* by
cryptographic means, and the Personal Information Protection Law (Art. 51) asks for encryption of personal
information, so "a stolen data folder with its backups reveals nothing" must hold for the old backups too.

The answer chosen: each such backup is encrypted as a whole (AES-256-GCM under a subkey of the database's data
key, HKDF purpose ``backup-file``, in 1 MiB chunks each bound to its position and to the file's header) into
``shequ-…-<reason>.sealed`` beside it, checked by decrypting it again, and only then is the plain file
overwritten with zeros and removed. Alternatives weighed:

* removing the old backups after a retention period leaves them readable for that period, and throws away the
  rollback point the migration kept;
* migrating a copy of each to the new schema (field encryption) changes what the backup is: it would carry
  any fault of the migration into the very copy meant to undo it;
* sealing keeps the backup byte for byte: a restore decrypts it to exactly the file that was verified when it
  was taken (its SHA-256 in the ``.json`` sidecar still checks), nothing is lost, nothing stays plain.

Sealing waits until a verified backup taken *after* 0010 exists in the same folder
(``db.migrate.upgrade_to_head`` takes one right after migrating): by then the data key has been read back
from the key store and matched the key check in the database, and a sound current copy exists should a
sealed file ever be damaged. The recovery key (``shequ keys recovery``) opens sealed backups on another PC as
it opens the database. Each sealing is logged, and 设置 → 备份与恢复 and ``shequ backup --list`` say which
backups are sealed and why. Overwriting before removal is a best effort: on SSDs and copy-on-write file
systems the old blocks may survive below the file system; full-disk encryption (BitLocker) covers that.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path

from db.engine import Database
from desktop.core.errors import DatabaseError
from desktop.core.keys import DataKeys, KeyMissingError, default_store, missing_key_message

MAGIC = b"SHEQU-SEALED-01\n"
SUFFIX = ".sealed"
CHUNK = 1 << 20
_log = logging.getLogger(__name__)


def is_sealed(path: Path) -> bool:
    return path.suffix == SUFFIX


def holds_plain_values(path: Path) -> bool:
    """A plain SQLite backup from before migration 0010 (it has no ``database_identity`` table)."""
    if is_sealed(path):
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # not readable as SQLite: not ours to judge (verify_backup reports it)
    return "resident" in names and "database_identity" not in names


#: beside the backups: those already found not to be plain (name → [size, mtime_ns]), so each opening of the
#: database opens only backups it has not looked at before (~1 ms each: a month of backups is ~35 of them)
CHECKED = ".plain-checked.json"


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _known_clear(folder: Path) -> dict[str, tuple[int, int]]:
    try:
        loaded = json.loads((folder / CHECKED).read_text(encoding="utf-8"))
        return {str(k): (int(v[0]), int(v[1])) for k, v in loaded.items()}
    except (OSError, ValueError, TypeError, AttributeError, IndexError):
        return {}  # none yet, or unreadable: every backup is looked at again


def _remember_clear(folder: Path, known: dict[str, tuple[int, int]], now: dict[str, tuple[int, int]]) -> None:
    if known == now:
        return
    tmp = folder / (CHECKED + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner-only, as the backups are
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({k: list(v) for k, v in now.items()}))
        os.replace(tmp, folder / CHECKED)
    except OSError:  # a read-only folder: the backups are looked at again next time
        tmp.unlink(missing_ok=True)


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return hashlib.sha256(header).digest() + struct.pack(">Q?", index, last)


def seal_file(plain: Path, keys: DataKeys) -> Path:
    """Encrypt ``plain`` into ``<stem>.sealed`` (owner-only), check it decrypts to the same bytes; return it.
    The plain file is left in place (:func:`seal_legacy_backups` removes it)."""
    sha = hashlib.sha256()
    size = plain.stat().st_size
    header = json.dumps({"identity": keys.identity, "size": size, "chunk": CHUNK}).encode("ascii")
    target = plain.with_suffix(SUFFIX)
    # named like a backup in the making: the next start removes it after a crash, never while we run
    tmp = plain.with_name(f".shequ-{os.getpid()}-{os.urandom(6).hex()}.partial")
    aead = keys.backup_aead()
    fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, open(plain, "rb") as src:
            out.write(MAGIC + struct.pack(">I", len(header)) + header)
            index, done = 0, 0
            while True:
                block = src.read(CHUNK)
                done += len(block)
                sha.update(block)
                last = done >= size
                nonce = os.urandom(12)
                out.write(nonce + aead.encrypt(nonce, block, _aad(header, index, last)))
                index += 1
                if last:
                    break
            out.flush()
            os.fsync(out.fileno())
        if _decrypted_sha256(tmp, keys) != sha.hexdigest():
            raise DatabaseError(f"加密备份后核对不一致，未做任何修改：{plain}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _chunks(path: Path, keys: DataKeys) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise DatabaseError(f"不是本程序加密的备份文件：{path}")
        (length,) = struct.unpack(">I", fh.read(4))
        header = fh.read(length)
        meta = json.loads(header)
        if meta.get("identity") != keys.identity:
            raise KeyMissingError(
                f"加密备份属于另一个数据库（标识 {str(meta.get('identity'))[:8]}…）：{path}"
            )
        aead = keys.backup_aead()
        size, chunk, index, done = int(meta["size"]), int(meta["chunk"]), 0, 0
        while True:
            want = min(chunk, size - done)
            raw = fh.read(12 + want + 16)
            last = done + want >= size
            try:
                block = aead.decrypt(raw[:12], raw[12:], _aad(header, index, last))
            except Exception as exc:
                raise DatabaseError(f"加密备份已损坏或被改动（第 {index + 1} 段无法解密）：{path}") from exc
            done += len(block)
            index += 1
            yield block
            if last:
                if fh.read(1):
                    raise DatabaseError(f"加密备份末尾有多余内容（文件被改动）：{path}")
                return


def _decrypted_sha256(path: Path, keys: DataKeys) -> str:
    sha = hashlib.sha256()
    for block in _chunks(path, keys):
        sha.update(block)
    return sha.hexdigest()


def sealed_identity(path: Path) -> str | None:
    """The database identity a sealed backup names in its header (None: not a sealed backup)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                return None
            (length,) = struct.unpack(">I", fh.read(4))
            value = json.loads(fh.read(length)).get("identity")
    except (OSError, ValueError, struct.error):
        return None
    return value if isinstance(value, str) else None


def keys_for(path: Path) -> DataKeys:
    """The data key that opens the sealed backup ``path``, from this PC's key store."""
    identity = sealed_identity(path)
    if identity is None:
        raise DatabaseError(f"不是本程序加密的备份文件，或文件开头已损坏：{path}")
    master = default_store().load(identity)
    if master is None:
        raise KeyMissingError(missing_key_message(identity))
    return DataKeys(identity, master)


@contextlib.contextmanager
def unsealed(path: Path, keys: DataKeys | None = None) -> Iterator[Path]:
    """The plain backup inside the sealed ``path``, as an owner-only temporary file beside it (removed after;
    named like an interrupted backup, so a crash leaves nothing that the next start does not remove)."""
    keys = keys or keys_for(path)
    tmp = path.with_name(f".shequ-{os.getpid()}-{os.urandom(6).hex()}.partial")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        sha = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for block in _chunks(path, keys):
                sha.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if _recorded(path, "sha256") not in (
            None,
            sha.hexdigest(),
        ):  # the SHA-256 taken when it was backed up
            raise DatabaseError(f"加密备份解密后与备份时记录的校验值不一致：{path}")
        yield tmp
    finally:
        _shred(tmp)


def _shred(path: Path) -> None:
    """Overwrite ``path`` with zeros, then remove it (best effort: see the module docstring)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            zero = bytes(min(size, CHUNK))
            for start in range(0, size, CHUNK):
                fh.write(zero[: min(CHUNK, size - start)])
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def seal_legacy_backups(folder: Path, keys: DataKeys) -> list[Path]:
    """Seal the plain pre-0010 backups of ``folder`` once a verified post-0010 backup sits beside them; returns
    the sealed files (none: nothing plain, or no post-0010 backup yet)."""
    from db.backup import NAME_RE, verify_backup

    if not folder.is_dir():
        return []
    backups = sorted(p for p in folder.iterdir() if NAME_RE.match(p.name) and not is_sealed(p))
    known, stamps = _known_clear(folder), {p.name: _stamp(p) for p in backups}
    plain = [p for p in backups if known.get(p.name) != stamps[p.name] and holds_plain_values(p)]
    _remember_clear(folder, known, {p.name: stamps[p.name] for p in backups if p not in plain})
    if not plain:
        return []
    current = [p for p in backups if p not in plain]
    sound = False
    for p in sorted(current, reverse=True):
        with contextlib.suppress(DatabaseError):
            verify_backup(p)
            sound = True
            break
    if not sound:
        _log.info("%d 个升级前的明文备份待加密：等本数据库有一个加密后的已校验备份再处理", len(plain))
        return []
    sealed: list[Path] = []
    for p in plain:
        try:
            verify_backup(p)  # its recorded SHA-256: a damaged plain backup is sealed as it is, and said so
        except DatabaseError as exc:
            _log.warning("升级前的明文备份未通过校验，仍将加密保存：%s（%s）", p.name, exc)
        target = seal_file(p, keys)
        side = p.with_suffix(".json")
        if side.exists():
            try:
                meta = json.loads(side.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
            if isinstance(meta, dict):
                meta["sealed_sha256"] = _file_sha256(target)
                from db.backup import _write_json_atomic

                _write_json_atomic(side, meta)
        _shred(p)
        sealed.append(target)
        _log.warning(
            "升级前的备份 %s 含明文身份证号和电话，已用本数据库的数据密钥整体加密为 %s，明文文件已覆盖后删除",
            p.name,
            target.name,
        )
    return sealed


def check_sealed(path: Path) -> None:
    """What can be checked of a sealed backup without its key: the header, and the SHA-256 of the sealed file
    when its sidecar records one (a restore decrypts it and checks everything else)."""
    if sealed_identity(path) is None:
        raise DatabaseError(f"加密备份文件开头已损坏：{path}")
    recorded = _recorded(path, "sealed_sha256")
    if recorded and recorded != _file_sha256(path):
        raise DatabaseError(f"加密备份文件内容与加密时记录的校验值不一致（文件已被修改或损坏）：{path}")


def _recorded(path: Path, key: str) -> str | None:
    try:
        value = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def seal_at_opening(database: Database) -> list[Path]:
    """At every opening of a SQLite database: seal what an earlier version left plain (a database migrated
    by 0010 before sealing existed). Never fails the opening: a problem is logged and retried next time."""
    from db.backup import backup_root, database_identity
    from db.crypto import keys_of

    path = database.sqlite_path
    if path is None or str(path) == ":memory:":
        return []
    try:
        folder = backup_root(path) / database_identity(database)[:12]  # not created when there is none
        keys = keys_of(database)
    except (DatabaseError, OSError):
        return []
    return seal_quietly(folder, keys)


def seal_quietly(folder: Path, keys: DataKeys) -> list[Path]:
    """:func:`seal_legacy_backups` that never fails its caller (an opening, a backup just made): a problem is
    logged, the plain backups stay as they were, and the next opening or backup tries again."""
    try:
        return seal_legacy_backups(folder, keys) if folder.is_dir() else []
    except (DatabaseError, OSError):
        _log.warning("升级前的明文备份暂未加密，将在下次打开或备份后再试", exc_info=True)
        return []
