"""Where a resource's versions live, as paths relative to the storage base.

::

    <base>/<resource_id>/v000003/part-0.parquet
    <base>/<resource_id>/v000003/<column>=<value>/part-0.parquet   (partitioned)
    <base>/<resource_id>/v000003/manifest.json
    <base>/<resource_id>/_staging/<uuid>/                          (local disk only)

Manifest file paths are relative to the resource folder (``v000003/part-0.parquet``), so a
version can name a file of an earlier version. Resource ids are checked here, once, so that
no path built from one can leave its resource folder.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import quote

from kaifang.errors import ValidationError

RESOURCE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
VERSION_DIR_PATTERN = re.compile(r"^v(\d{6,})$")
MANIFEST_NAME = "manifest.json"
STAGING_DIR = "_staging"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def check_resource_id(resource_id: str) -> str:
    """Return ``resource_id`` if it is a URL-safe slug usable as an SQL table name."""
    if not isinstance(resource_id, str) or not RESOURCE_ID_PATTERN.match(resource_id):
        raise ValidationError(
            f"invalid resource id {resource_id!r}",
            hint="A resource id starts with a lowercase letter and has at most 63 lowercase "
            "letters, digits and underscores, e.g. 'freeway_m03a'.",
            key="resource_id",
        )
    return resource_id


def check_version(version: int) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError(
            f"invalid version {version!r}",
            hint="Versions are whole numbers from 1 upwards.",
            key="version",
        )
    return version


def version_dir(version: int) -> str:
    """``v000003`` for version 3 (zero-padded so that names sort like numbers)."""
    return f"v{check_version(version):06d}"


def parse_version_dir(name: str) -> int | None:
    """The version number of a folder named like :func:`version_dir`, else ``None``."""
    match = VERSION_DIR_PATTERN.match(name)
    if match is None:
        return None
    number = int(match.group(1))
    return number if number >= 1 and name == f"v{number:06d}" else None


def part_name(index: int) -> str:
    return f"part-{index}.parquet"


def partition_dir(column: str, value: str | None) -> str:
    """``<column>=<value>``, both sides percent-encoded as Hive does (one path segment).

    NULL is Hive's ``__HIVE_DEFAULT_PARTITION__``. The column also stays inside the files,
    which are authoritative: read them with Hive partitioning off (see :mod:`.scan`).
    """
    encoded = NULL_PARTITION if value is None else quote(value, safe="")
    return f"{quote(column, safe='')}={encoded}"


def check_entry_path(resource_id: str, path: str) -> int:
    """Check a manifest file path and return the version folder it lives in.

    Valid paths are relative, start with a version folder, end in ``.parquet`` and have no
    ``..`` or empty segments.
    """
    parts = PurePosixPath(path).parts if isinstance(path, str) else ()
    version = parse_version_dir(parts[0]) if parts else None
    if (
        version is None
        or len(parts) < 2
        or path != "/".join(parts)
        or any(part in {"", ".", ".."} for part in parts)
        or not path.endswith(".parquet")
    ):
        raise ValidationError(
            f"resource {resource_id!r}: file path {path!r} is not a Parquet file inside a "
            "version folder",
            hint="Use paths exactly as a manifest lists them, e.g. 'v000002/part-0.parquet'.",
            key="path",
        )
    return version
