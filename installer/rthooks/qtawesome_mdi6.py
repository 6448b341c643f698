"""PyInstaller runtime hook: qtawesome loads only the icon font the app draws with (Material Design Icons 6).

qtawesome registers every bundled icon font the first time an icon is asked for (``_instance()`` walks
``qtawesome._BUNDLED_FONTS``); the app's icons are all ``mdi6.*`` (desktop/ui/icons.py), so the installer
ships only that font (shequ.spec leaves the other 4.5 MB of fonts out) and this hook trims the tuple right
after qtawesome is imported, without importing Qt itself at startup (the command-line sub-commands never do).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types

KEEP_PREFIXES = ("mdi6",)


class _TrimmingLoader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.inner.exec_module(module)
        fonts = getattr(module, "_BUNDLED_FONTS", ())
        module._BUNDLED_FONTS = tuple(f for f in fonts if f[0] in KEEP_PREFIXES)  # type: ignore[attr-defined]


class _QtawesomeFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name != "qtawesome":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None and spec.loader is not None:
                spec.loader = _TrimmingLoader(spec.loader)
                return spec
        return None


sys.meta_path.insert(0, _QtawesomeFinder())
