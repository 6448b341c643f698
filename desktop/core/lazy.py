"""Packages that load each public name from its module on first use (PEP 562), so importing the package is
cheap and a process loads only the modules it uses (issue 16: start-up).

    _MODULE_OF = {"list_events": "queries", ...}
    __getattr__ = lazy_names(__name__, _MODULE_OF, globals())

Type checkers see the names through the package's ``if TYPE_CHECKING:`` imports. A name once loaded is kept
in the package's namespace, so ``__getattr__`` runs only for its first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, module_of: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The package's module ``__getattr__``: ``name`` from ``package.<module_of[name]>``."""

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
