"""What changed between two versions of a resource (``kaifang diff``).

``diff_resource`` is imported on first use, so that :mod:`kaifang.diff.history` (which
``kaifang history`` imports) does not bring in DuckDB for a resource with one version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaifang.diff.resource import diff_resource

__all__ = ["diff_resource"]


def __getattr__(name: str) -> Any:
    if name == "diff_resource":
        from kaifang.diff.resource import diff_resource

        return diff_resource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
