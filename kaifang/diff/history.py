"""``kaifang history RESOURCE``: every version with what it changed.

Each version's catalog entry (rows, created, publisher, source file, hashes, its
``schema_change`` and ``problem_count``) gets ``changes``: the rows added, removed and
changed since the version before (:func:`kaifang.diff.diff_resource` without sample rows),
null for the first version. Pairs over ``max_rows`` rows together are not compared here
(``changes.skipped`` says so; ``kaifang diff`` compares them), so that listing a large
resource's history stays quick.

:func:`quick_history_with_changes` answers the same on the command line's quick read path
(a SQLite catalog read with ``sqlite3``, a local store read without PyArrow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kaifang.catalog.records import ResourceHistory

if TYPE_CHECKING:
    from kaifang.catalog.db import Catalog
    from kaifang.catalog.quick import QuickCatalog
    from kaifang.storage import VersionStore
    from kaifang.storage.filesystem import LocalVersions

HISTORY_DIFF_MAX_ROWS = 2_000_000
Compare = Callable[[int, int], dict[str, Any]]
"""``(from version, to version) -> the diff_resource object`` (without sample rows)."""


def history_with_changes(
    catalog: Catalog,
    store: VersionStore,
    ref: str,
    *,
    max_rows: int = HISTORY_DIFF_MAX_ROWS,
    latest: int | None = None,
) -> dict[str, Any]:
    """``latest`` compares only the newest versions with the one before each (the dataset
    page, which is rendered on every visit); older ones get ``changes.skipped``."""
    from kaifang.catalog import history
    from kaifang.diff.resource import diff_resource

    found = history(catalog, ref)

    def compare(start: int, end: int) -> dict[str, Any]:
        return diff_resource(
            catalog, store, found.resource, from_version=start, to_version=end, show=0
        )

    return with_changes(found, compare, max_rows=max_rows, latest=latest)


def quick_history_with_changes(
    quick: QuickCatalog,
    store: LocalVersions,
    ref: str,
    *,
    max_rows: int = HISTORY_DIFF_MAX_ROWS,
) -> dict[str, Any] | None:
    """:func:`history_with_changes` on the quick read path; None for an unknown id (the
    ORM path words that error)."""
    resource = quick.find_resource(ref)
    if resource is None:
        return None

    def compare(start: int, end: int) -> dict[str, Any]:
        # Imported here: a resource with one version needs no diff (nor DuckDB).
        from kaifang.diff.resource import Versions, compare_versions

        versions = Versions.from_row(resource)
        return compare_versions(store, versions, from_version=start, to_version=end, show=0)

    return with_changes(ResourceHistory.from_row(resource), compare, max_rows=max_rows)


def with_changes(
    found: ResourceHistory,
    compare: Compare,
    *,
    max_rows: int = HISTORY_DIFF_MAX_ROWS,
    latest: int | None = None,
) -> dict[str, Any]:
    """The ``kaifang history --json`` object: ``found`` with each version's ``changes``."""
    out = found.to_dict()
    slug, versions = out["resource"], out["versions"]
    first_compared = len(versions) - latest if latest is not None else 0
    previous: dict[str, Any] | None = None
    for index, version in enumerate(versions):
        if index < first_compared and previous is not None:
            version["changes"] = {"skipped": "older version: compare with 'kaifang diff'"}
        else:
            version["changes"] = _changes(compare, slug, previous, version, max_rows)
        previous = version
    return out


def _changes(
    compare: Compare,
    resource: str,
    previous: dict[str, Any] | None,
    version: dict[str, Any],
    max_rows: int,
) -> dict[str, Any] | None:
    if previous is None:
        return None
    if previous["rows"] + version["rows"] > max_rows:
        return {
            "skipped": f"over {max_rows} rows: compare with 'kaifang diff {resource} "
            f"--from {previous['version']} --to {version['version']}'"
        }
    found = compare(previous["version"], version["version"])
    return {k: found[k] for k in ("added", "removed", "changed", "key")}
