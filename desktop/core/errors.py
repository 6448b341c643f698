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
