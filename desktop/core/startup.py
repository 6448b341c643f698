"""Start-up without the cyclic garbage collector's wasted work.

Starting the program builds several hundred thousand objects that live until it ends (modules, classes,
SQLAlchemy's mappers, ReportLab's font tables) and almost no garbage cycles. With the collector on, every
threshold crossing walks those objects again (about 0.09 s of a 0.6 s ``shequ print``), and at exit the
interpreter's final collection walks them once more (about 0.12 s). The Python documentation's recipe for
``gc.freeze`` — disable collection early, freeze once the long-lived objects exist — removes both: the entry
point calls :func:`begin` first; :func:`finished` (the database is open and the account signed in, or the
main window is shown) moves everything made so far into the permanent generation, which no later
collection and not the one at exit scans, and turns collection back on for the work itself.

Only the program's entry point (``desktop.app.entry``) begins; code that calls ``desktop.app.main`` in a
running interpreter (the tests) keeps its collector as it is, and :func:`finished` is then a no-op.
"""

from __future__ import annotations

import gc

_held = False


def begin() -> None:
    """Hold cyclic collection during start-up (the entry point, before anything is imported)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def finished() -> None:
    """Start-up is over: freeze what it built and collect again from here on. Idempotent."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def holding() -> bool:
    return _held
