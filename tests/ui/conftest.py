"""UI fixtures: the application is created the way the app creates it (Chinese locale, translations, style)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True)
def _configured_app(qapp):
    from desktop.ui.application import create_application

    create_application()
    return qapp


@pytest.fixture
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record QMessageBox calls instead of blocking on them."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def fake_exec(self) -> int:
        shown.append((self.windowTitle(), self.text()))
        return int(QMessageBox.StandardButton.Ok)

    def fake_static(parent, title, text, *a, **k) -> int:
        shown.append((title, text))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", fake_static)
    monkeypatch.setattr(QMessageBox, "warning", fake_static)
    monkeypatch.setattr(QMessageBox, "critical", fake_static)
    return shown
