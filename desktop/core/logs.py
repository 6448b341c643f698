"""Logging to a rotating file in the data folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from desktop.core.paths import log_file

_handler: logging.handlers.RotatingFileHandler | None = None


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
        _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(_handler)
        root.setLevel(level)
    return path


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Write an unexpected exception with its traceback to the log; return the log's path."""
    path = setup_logging()
    logging.getLogger("shequ").error("未处理的异常%s", f"（{context}）" if context else "", exc_info=exc)
    return path
