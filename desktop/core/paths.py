"""Where the application keeps its files (Qt-free, so the CLI and services can use it)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ShequWorkbench"
APP_AUTHOR = "Shequ"


def data_dir() -> Path:
    """The user's data folder; ``SHEQU_HOME`` overrides it (tests, portable installs)."""
    override = os.environ.get("SHEQU_HOME")
    base = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))
    )
    base.mkdir(parents=True, exist_ok=True)
    _owner_only(base)
    return base


def _owner_only(folder: Path) -> None:
    """Personal data: the data folder and its sub-folders are the user's alone (0700 on POSIX)."""
    if os.name == "posix":
        try:
            if folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077:
                folder.chmod(0o700)
        except OSError:
            pass


def default_database_path() -> Path:
    return data_dir() / "shequ.sqlite3"


def log_dir() -> Path:
    d = data_dir() / "logs"
    d.mkdir(parents=True, exist_ok=True)
    _owner_only(d)
    return d


def log_file() -> Path:
    return log_dir() / "shequ.log"


def resources_dir() -> Path:
    """``resources/`` beside the packages, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
