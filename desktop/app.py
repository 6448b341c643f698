"""The one entry point: ``shequ`` opens the window; ``shequ <command>`` runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from desktop import cli

    args = cli.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from desktop.ui.application import run_gui

        return run_gui(args)
    return cli.run(args)


def entry() -> None:
    """The program's own process (the ``shequ`` command, ``python -m desktop.app``, the installed app):
    start-up runs without cyclic garbage collection until it is over (desktop.core.startup)."""
    from desktop.core import startup

    startup.begin()
    sys.exit(main())


if __name__ == "__main__":
    entry()
