"""Packages that export their names lazily (:func:`kaifang.lazy_exports`): every name in
``__all__`` resolves to what its module defines, nothing else is exported, and no exported
name is also a submodule's (importing that submodule would replace the name with it)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

LAZY = ("kaifang.catalog", "kaifang.diff", "kaifang.scoring", "kaifang.storage")


@pytest.mark.parametrize("name", LAZY)
def test_every_exported_name_resolves(name: str) -> None:
    package = importlib.import_module(name)
    submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
    assert not submodules & set(package.__all__)
    for exported in package.__all__:
        value = getattr(package, exported)
        assert not isinstance(value, ModuleType), exported
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        package.nothing_here  # noqa: B018
