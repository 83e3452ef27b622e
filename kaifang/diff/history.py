"""``kaifang history RESOURCE``: every version with what it changed.

Each version's catalog entry (rows, created, publisher, source file, hashes, its
``schema_change`` and ``problem_count``) gets ``changes``: the rows added, removed and
changed since the version before (:func:`kaifang.diff.diff_resource` without sample rows),
null for the first version. Pairs over ``max_rows`` rows together are not compared here
(``changes.skipped`` says so; ``kaifang diff`` compares them), so that listing a large
resource's history stays quick.
"""

from __future__ import annotations

from typing import Any

from kaifang.catalog import history
from kaifang.catalog.db import Catalog
from kaifang.storage import VersionStore

HISTORY_DIFF_MAX_ROWS = 2_000_000


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
    found = history(catalog, ref).to_dict()
    slug, versions = found["resource"], found["versions"]
    first_compared = len(versions) - latest if latest is not None else 0
    previous: dict[str, Any] | None = None
    for index, version in enumerate(versions):
        if index < first_compared and previous is not None:
            version["changes"] = {"skipped": "older version: compare with 'kaifang diff'"}
        else:
            version["changes"] = _changes(catalog, store, slug, previous, version, max_rows)
        previous = version
    return found


def _changes(
    catalog: Catalog,
    store: VersionStore,
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
    # Imported here: a resource with one version needs no diff (nor DuckDB).
    from kaifang.diff.resource import diff_resource

    found = diff_resource(
        catalog,
        store,
        resource,
        from_version=previous["version"],
        to_version=version["version"],
        show=0,
    )
    return {k: found[k] for k in ("added", "removed", "changed", "key")}
