"""Loaded only by ``installer/dev.py test-dates`` (this folder is put on PYTHONPATH for those runs alone).

Under ``faketime -f '@DATE'`` with ``FAKETIME_DONT_FAKE_MONOTONIC=1`` (libfaketime 0.9.10, Debian 12) every
``time.sleep`` fails with ``OSError: [Errno 22] Invalid argument``: CPython sleeps with an absolute
``clock_nanosleep`` and the faked clock makes the deadline invalid. ``select`` with a timeout is not faked, so
``time.sleep`` is replaced by a select-based sleep, and only when the real one fails. Then the
``sitecustomize`` this module shadows, if any (Debian's Python has one), is run as usual.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import select
import sys
import time

_real_sleep = time.sleep


def _select_sleep(secs: float) -> None:
    """``time.sleep`` on the monotonic clock (which libfaketime leaves alone here), interruptible like it."""
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + secs
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        select.select([], [], [], remaining)


def _install() -> None:
    try:
        _real_sleep(0)
    except OSError:
        time.sleep = _select_sleep


def _chain() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


_install()
_chain()
