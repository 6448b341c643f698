"""The one domain error hierarchy.

Every error a user can cause carries a Chinese message (``str(err)``) that says what is wrong and
where. The UI shows these messages as they are; the CLI prints them on one line. Anything that is
*not* a ``ShequError`` is a bug: it is logged with its traceback and reported as such.
"""

from __future__ import annotations


class ShequError(Exception):
    """Base of all expected, user-facing errors."""

    #: exit status the CLI uses for this kind of error
    exit_status: int = 1

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class ValidationError(ShequError):
    """Input that breaks a rule (a field, a row, a file)."""

    def __init__(self, message: str, *, field: str | None = None, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.field = field


class NotFoundError(ShequError):
    """A record that should exist does not."""


class ConflictError(ShequError):
    """The record changed under us (optimistic locking) or would duplicate another."""


class PermissionDenied(ShequError):
    """The current user may not do this."""

    exit_status = 4


class LoginRequired(ShequError):
    """The database has accounts and nobody has signed in (or the sign-in failed)."""

    exit_status = 3


class FileFormatError(ShequError):
    """A file that cannot be read as what it claims to be."""


class DatabaseError(ShequError):
    """The database cannot be opened or used safely."""


class SchemaTooNewError(DatabaseError):
    """The database was written by a newer version of the application."""


class UnsafeLocationError(DatabaseError):
    """The SQLite file lies on a network share or removable drive."""


class CancelledError(ShequError):
    """The user cancelled a long operation; nothing was committed."""

    def __init__(self, message: str = "操作已取消，未保存任何更改。") -> None:
        super().__init__(message)


class StaleWalError(DatabaseError):
    """A ``-wal`` beside the SQLite file that does not belong to it (``db.stale``): the file is not opened.
    ``path`` is the database file; the CLI names ``shequ wal set-aside``, the GUI asks."""

    def __init__(self, message: str, *, path: object) -> None:
        super().__init__(message)
        self.path = path


class DamagedDatabaseError(DatabaseError):
    """An existing SQLite file that is empty, not SQLite or damaged: never opened as a new database.

    ``path`` is the file; ``backup`` the newest verified backup taken from it (a ``db.backup.BackupInfo``,
    or None when there is none), which the CLI names (``shequ restore …``) and the GUI offers.
    """

    def __init__(self, message: str, *, path: object, backup: object | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


class DiskFullError(ShequError):
    """The disk (or the database's size limit) is full: nothing of the operation was saved."""


class DatabaseBusyError(ShequError):
    """Another window or PC holds the database's write lock longer than we wait."""


# ---------------------------------------------------------------- failures of the machine, in words

SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 5, 6, 11, 13, 26
_NO_SPACE_ERRNOS = {28, 122}  # ENOSPC, EDQUOT (Linux)

DISK_FULL_MESSAGE = (
    "磁盘空间不足，操作没有完成，数据库中没有保存这次的任何修改。请清理磁盘空间（或换到有空间的磁盘）后重试。"
)
BUSY_MESSAGE = (
    "另一个窗口或另一台电脑正在写入数据，请稍后再试。本次操作没有保存。"
    "（大批量导入期间其他写入需等待导入完成；本程序最多等待 {seconds} 秒。）"
)
CORRUPT_MESSAGE = (
    "数据库文件已损坏，操作没有完成。请退出程序后从最新的已校验备份恢复"
    "（设置 → 备份与恢复，或命令 shequ restore 备份文件）；当前文件会改名保留。"
)


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen) or len(seen) > 20:
            continue
        seen.append(e)
        orig = getattr(e, "orig", None)  # sqlalchemy.exc.DBAPIError wraps the driver's exception
        todo += [e.__cause__, e.__context__, orig if isinstance(orig, BaseException) else None]
    return seen


def translate_failure(exc: BaseException, busy_seconds: int = 10) -> ShequError | None:
    """A full disk, a locked or a damaged database said in Chinese; None for anything else (a bug)."""
    for e in _causes(exc):
        code = getattr(e, "sqlite_errorcode", None)
        text = str(e).lower()
        if isinstance(e, OSError) and e.errno in _NO_SPACE_ERRNOS:
            return DiskFullError(DISK_FULL_MESSAGE)
        if isinstance(e, PermissionError) or (
            isinstance(e, OSError) and e.errno == 30
        ):  # EACCES/EPERM, EROFS
            where = f"“{e.filename}”" if getattr(e, "filename", None) else "文件"
            return ShequError(
                f"无法访问{where}：没有权限（文件夹或文件是只读的，或文件正在其他程序中打开）。请换一个位置或关闭该文件后重试。"
            )
        if (code is not None and code & 0xFF == SQLITE_FULL) or "database or disk is full" in text:
            return DiskFullError(DISK_FULL_MESSAGE)
        if (code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)) or "database is locked" in text:
            return DatabaseBusyError(BUSY_MESSAGE.format(seconds=busy_seconds))
        if (
            code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
        ) or "database disk image is malformed" in text:
            return DatabaseError(CORRUPT_MESSAGE)
    return None
