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
from kaifang.diff.resource import diff_resource
from kaifang.storage import VersionStore

HISTORY_DIFF_MAX_ROWS = 2_000_000


def history_with_changes(
    catalog: Catalog, store: VersionStore, ref: str, *, max_rows: int = HISTORY_DIFF_MAX_ROWS
) -> dict[str, Any]:
    found = history(catalog, ref)
    previous: dict[str, Any] | None = None
    for version in found["versions"]:
        version["changes"] = _changes(
            catalog, store, found["resource"], previous, version, max_rows
        )
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
    found = diff_resource(
        catalog,
        store,
        resource,
        from_version=previous["version"],
        to_version=version["version"],
        show=0,
    )
    return {k: found[k] for k in ("added", "removed", "changed", "key")}
