"""The one error path: known errors are shown in Chinese; bugs are logged and reported with the log's path."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from desktop.core.errors import CancelledError, ShequError, translate_failure
from desktop.core.logs import log_exception, log_failure, mask_personal
from desktop.ui.qt import QtWidgets


def show_error(parent: QtWidgets.QWidget | None, exc: BaseException, title: str = "操作未完成") -> None:
    if isinstance(exc, CancelledError):
        QtWidgets.QMessageBox.information(parent, "已取消", exc.message)
        return
    if isinstance(exc, ShequError):
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, title, exc.message, parent=parent)
        if exc.detail and "\n" in exc.detail:
            box.setDetailedText(exc.detail)
        box.exec()
        return
    known = translate_failure(exc)
    if known is not None:  # a full disk, a locked or damaged database: said as such, not as a bug
        log_failure(exc, known.message, title)
        QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, title, known.message, parent=parent).exec()
        return
    path = log_exception(exc)
    box = QtWidgets.QMessageBox(
        QtWidgets.QMessageBox.Icon.Critical,
        "程序错误",
        f"程序出现内部错误（{type(exc).__name__}），刚才的操作没有完成，已保存的数据不受影响。\n\n"
        f"详细信息已写入日志文件：\n{path}\n\n请把这个文件发给技术支持人员。",
        parent=parent,
    )
    box.setDetailedText(mask_personal("".join(traceback.format_exception(exc))))
    box.exec()


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in slots) to :func:`show_error`."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        try:
            show_error(QtWidgets.QApplication.activeWindow(), exc)
        except Exception:  # never let the hook itself crash the app
            log_exception(exc, "excepthook")

    sys.excepthook = hook
