"""What changed between two versions of a resource (``kaifang diff``).

``diff_resource`` is imported on first use, so that :mod:`kaifang.diff.history` (which
``kaifang history`` imports) does not bring in DuckDB for a resource with one version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaifang import lazy_exports

if TYPE_CHECKING:
    from kaifang.diff.resource import diff_resource

__all__ = ["diff_resource"]

__getattr__ = lazy_exports(globals(), {"resource": "diff_resource"})
