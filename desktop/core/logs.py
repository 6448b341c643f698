"""Logging to a rotating file in the data folder, with personal data masked.

No ID number or phone number reaches the log (PIPL Art. 51; GB/T 35273-2020 §6.3): SQLAlchemy's
engines hide statement parameters (``hide_parameters=True``) and :class:`MaskingFormatter` masks what
still looks like one in a message or a traceback (18/15-digit ID numbers, mobile numbers).
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
from pathlib import Path

from desktop.core.paths import log_file

_handler: logging.handlers.RotatingFileHandler | None = None

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_OLD_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{5})(\d{4})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)(\d{4})(\d{4})(?![0-9A-Za-z])")
_LANDLINE_RE = re.compile(r"(?<![0-9A-Za-z])(0\d{2,3}-?)(\d{3,4})(\d{4})(?![0-9A-Za-z])")


def mask_personal(text: str) -> str:
    """Mask ID numbers (110105********002X), mobiles (138****8000) and landlines in free text."""
    text = _ID_RE.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text)
    text = _OLD_ID_RE.sub(lambda m: m.group(1) + "*****" + m.group(3), text)
    text = _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE_RE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


class MaskingFormatter(logging.Formatter):
    """Formats as usual, then masks personal data in the whole text (the traceback included)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal(super().format(record))


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to ``logs/shequ.log`` in the current data folder; re-targets if the folder changed (SHEQU_HOME)."""
    global _handler
    path = log_file()
    root = logging.getLogger()
    if _handler is None or Path(_handler.baseFilename) != path.resolve():
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
        _handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        if os.name == "posix":
            with contextlib.suppress(OSError):
                path.chmod(0o600)
        _handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(_handler)
        root.setLevel(level)
    return path


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Write an unexpected exception with its traceback to the log; return the log's path."""
    path = setup_logging()
    logging.getLogger("shequ").error("未处理的异常%s", f"（{context}）" if context else "", exc_info=exc)
    return path


def log_failure(exc: BaseException, message: str, context: str = "") -> Path:
    """A failure of the machine (full disk, locked database) that the user was told about: logged with
    its traceback (masked) for support."""
    path = setup_logging()
    logging.getLogger("shequ").warning("%s%s", message, f"（{context}）" if context else "", exc_info=exc)
    return path
