"""What changed between two versions of a resource (``kaifang diff``)."""

from kaifang.diff.resource import diff_resource

__all__ = ["diff_resource"]
