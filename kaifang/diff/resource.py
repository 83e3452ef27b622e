"""``kaifang diff RESOURCE``: what changed between two versions of a resource.

The versions' columns (from their manifests) give the schema difference; their Parquet files
are compared in DuckDB (:mod:`kaifang.diff.engine`) by the resource's key — the columns the
dataset's metadata declares as ``primary_key``, else the first column that is unique and
never empty in both versions — or, without one, by whole rows.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from kaifang.diff.engine import Side, hashed_diff, infer_key, key_is_unique, keyed_diff, row_count
from kaifang.errors import NotFoundError, ValidationError
from kaifang.storage.columns import schema_difference
from kaifang.storage.filesystem import LocalVersions
from kaifang.storage.scan import parquet_scan_sql

if TYPE_CHECKING:  # kaifang history compares a SQLite catalog's versions without SQLAlchemy
    from kaifang.catalog.db import Catalog
    from kaifang.catalog.models import Resource
    from kaifang.catalog.quick import ResourceRow
    from kaifang.storage import VersionStore

DIFF_MEMORY_LIMIT = "1GB"
SHOW_ROWS = 10


def _pick_versions(
    numbers: list[int], current: int | None, from_version: int | None, to_version: int | None
) -> tuple[int, int]:
    to = to_version if to_version is not None else current
    if to is None or not numbers:
        raise NotFoundError("the resource has no version yet", key="version")
    earlier = [n for n in numbers if n < to]
    start = from_version if from_version is not None else (earlier[-1] if earlier else None)
    if start is None:
        raise ValidationError(
            f"version {to} is the first version: there is nothing before it to compare",
            hint="Pass --from N (API: from=N) with another version.",
            key="from",
        )
    for wanted, name in ((start, "from"), (to, "to")):
        if wanted not in numbers:
            raise NotFoundError(
                f"no version {wanted}",
                hint=f"Versions are: {', '.join(str(n) for n in numbers)}.",
                key=name,
            )
    return start, to


def _side(
    con: duckdb.DuckDBPyConnection, store: VersionStore | LocalVersions, storage: str, number: int
) -> Side:
    fields = (store.read_manifest(storage, number).get("schema") or {}).get("fields") or []
    files = store.version_files(storage, number)
    if isinstance(store, LocalVersions) or all(Path(f).is_absolute() for f in files):
        return Side(parquet_scan_sql(files), fields)
    name = f"kaifang_v{number}"  # an object store: scan through pyarrow, no httpfs
    con.register(name, store.dataset(storage, number))
    return Side(name, fields)


def diff_resource(
    catalog: Catalog,
    store: VersionStore,
    ref: str,
    *,
    from_version: int | None = None,
    to_version: int | None = None,
    show: int = SHOW_ROWS,
) -> dict[str, Any]:
    """The ``kaifang diff --json`` object: ``from`` defaults to the version before ``to``,
    ``to`` to the current version; ``show`` rows of each kind are listed."""
    from kaifang.catalog.datasets import find_resource

    with catalog.read() as session:
        versions = Versions.from_row(find_resource(session, ref))
    return compare_versions(
        store, versions, from_version=from_version, to_version=to_version, show=show
    )


@dataclass(frozen=True)
class Versions:
    """What comparing a resource's versions needs from the catalog."""

    slug: str
    storage: str  # the name its files are stored under (kept when the resource is renamed)
    current: int | None
    hashes: dict[int, str]  # content hash by version number
    declared_key: list[str]  # the dataset metadata's primary_key

    @classmethod
    def from_row(cls, resource: Resource | ResourceRow) -> Versions:
        """From the ORM's row or the quick read path's (:mod:`kaifang.catalog.quick`)."""
        return cls(
            slug=resource.slug,
            storage=resource.storage,
            current=resource.current_version,
            hashes={v.number: v.content_hash for v in resource.versions},
            declared_key=list((resource.dataset.extras or {}).get("primary_key") or []),
        )


def compare_versions(
    store: VersionStore | LocalVersions,
    versions: Versions,
    *,
    from_version: int | None = None,
    to_version: int | None = None,
    show: int = SHOW_ROWS,
) -> dict[str, Any]:
    """:func:`diff_resource` once the catalog said what the versions are."""
    slug, hashes, declared = versions.slug, versions.hashes, versions.declared_key
    numbers = sorted(hashes)
    start, end = _pick_versions(numbers, versions.current, from_version, to_version)
    workdir = Path(tempfile.mkdtemp(prefix="kaifang-diff-"))
    con = duckdb.connect(config={"memory_limit": DIFF_MEMORY_LIMIT, "temp_directory": str(workdir)})
    try:
        storage = versions.storage
        before, after = _side(con, store, storage, start), _side(con, store, storage, end)
        out: dict[str, Any] = {
            "resource": slug,
            "from": start,
            "to": end,
            "schema_change": schema_difference(before.fields, after.fields),
            "rows": {"from": row_count(con, before), "to": row_count(con, after)},
        }
        key, source, note = _key(con, before, after, declared)
        out.update(key=key, key_source=source)
        if note:
            out["key_note"] = note
        if hashes[start] and hashes[start] == hashes[end] and not out["schema_change"]:
            same: dict[str, list[Any]] = {"added": [], "removed": [], "changed": []}
            out.update(added=0, removed=0, changed=0 if key else None, samples=same)
        elif key:
            out.update(keyed_diff(con, before, after, key, show))
        else:
            out.update(hashed_diff(con, before, after, show))
        return out
    finally:
        con.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _key(
    con: duckdb.DuckDBPyConnection, before: Side, after: Side, declared: list[str]
) -> tuple[list[str] | None, str | None, str | None]:
    """(key, where it came from, why the declared key was not used)."""
    note = None
    if declared:
        missing = [c for c in declared if c not in before.columns or c not in after.columns]
        if missing:
            note = f"declared primary_key column(s) {', '.join(missing)} not in both versions"
        elif key_is_unique(con, before, declared) and key_is_unique(con, after, declared):
            return declared, "metadata", None
        else:
            note = f"declared primary_key {', '.join(declared)} is not unique in both versions"
    inferred = infer_key(con, before, after)
    if inferred is not None:
        return [inferred], "inferred", note
    return None, None, note
