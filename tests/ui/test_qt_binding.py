"""The Qt binding itself: what the pins in pyproject.toml protect against."""

from __future__ import annotations

import sys


def test_void_qt_calls_keep_none_alive() -> None:
    """PySide6 6.12.0 loses a reference to None on every void call; on Python 3.11 (None is not immortal
    before 3.12, PEP 683) the process then aborts with "none_dealloc". pyproject.toml keeps 3.11 on 6.11.3."""
    import PySide6

    from desktop.ui.qt import QtCore

    obj = QtCore.QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        obj.setObjectName("probe")  # returns None
    lost = before - sys.getrefcount(None)
    assert lost < 50, (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} lost {lost} references to None "
        'in 200 void calls; reinstall the pinned versions: pip install -e ".[test]"'
    )
