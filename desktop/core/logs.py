"""Logging to a rotating file in the data folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from desktop.core.paths import log_file

_configured = False


def setup_logging(level: int = logging.INFO) -> Path:
    global _configured
    path = log_file()
    if not _configured:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(level)
        _configured = True
    return path


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Write an unexpected exception with its traceback to the log; return the log's path."""
    path = setup_logging()
    logging.getLogger("shequ").error("未处理的异常%s", f"（{context}）" if context else "", exc_info=exc)
    return path
