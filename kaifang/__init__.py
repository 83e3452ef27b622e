"""kaifang (開放): an open government data platform.

The pipeline, one subpackage per stage::

    file -> reading -> privacy -> storage -> catalog -> query -> api / web / cli
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
