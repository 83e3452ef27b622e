"""storage: immutable, versioned Parquet on local disk or an S3-compatible object store.

See docs/data-directory.md for the layout and docs/architecture.md for the contract. The names
below are imported on first use: :func:`kaifang.storage.filesystem.local_has_version` answers
``kaifang score`` without PyArrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaifang import lazy_exports

if TYPE_CHECKING:
    from kaifang.storage.adopt import AdoptedFile
    from kaifang.storage.layout import check_resource_id
    from kaifang.storage.manifest import FORMAT_VERSION, FileEntry
    from kaifang.storage.scan import parquet_scan_sql
    from kaifang.storage.store import ROW_GROUP_ROWS, ROWS_PER_FILE, StoredVersion, VersionStore

__all__ = [
    "FORMAT_VERSION",
    "ROWS_PER_FILE",
    "ROW_GROUP_ROWS",
    "AdoptedFile",
    "FileEntry",
    "StoredVersion",
    "VersionStore",
    "check_resource_id",
    "parquet_scan_sql",
]

__getattr__ = lazy_exports(
    globals(),
    {
        "adopt": "AdoptedFile",
        "layout": "check_resource_id",
        "manifest": "FORMAT_VERSION FileEntry",
        "scan": "parquet_scan_sql",
        "store": "ROW_GROUP_ROWS ROWS_PER_FILE StoredVersion VersionStore",
    },
)
