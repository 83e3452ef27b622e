"""kaifang (開放): an open government data platform.

The pipeline, one subpackage per stage::

    file -> reading -> privacy -> storage -> catalog -> query -> api / web / cli
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__"]


def lazy_exports(namespace: dict[str, Any], modules: dict[str, str]) -> Callable[[str], Any]:
    """A package's ``__getattr__`` (called with its ``globals()``) that imports each exported
    name from its module on first use: ``modules`` maps a module of the package to the names
    it exports, space-separated. The package also imports them under ``TYPE_CHECKING`` for
    type checkers and lists them in ``__all__`` (tests/test_exports.py checks that every one
    resolves). The command line's catalog commands then import only what they use
    (:mod:`kaifang.catalog.quick` without SQLAlchemy, a local store's check without PyArrow)."""
    package = namespace["__name__"]
    where = {name: module for module, names in modules.items() for name in names.split()}

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        namespace[name] = value
        return value

    return __getattr__
