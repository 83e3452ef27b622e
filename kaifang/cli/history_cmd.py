"""``kaifang history RESOURCE`` and ``kaifang rollback RESOURCE --to N``."""

from __future__ import annotations

import getpass
from typing import Any

import click

from kaifang.catalog.quick import read_quickly
from kaifang.cli import common
from kaifang.cli.common import print_json, rich_table
from kaifang.diff.history import history_with_changes, quick_history_with_changes
from kaifang.settings import Settings
from kaifang.storage.filesystem import local_versions


@click.command()
@click.argument("resource")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def history(settings: Settings, resource: str, as_json: bool) -> None:
    """List every version of RESOURCE (its id or national identifier) with the rows it
    added, removed and changed, its schema change and its reading problems."""
    local = local_versions(settings)
    found = None
    if local is not None:
        found = read_quickly(settings, lambda q: quick_history_with_changes(q, local, resource))
    if found is None:  # an object store, or an unknown or renamed id
        from kaifang.catalog import open_catalog  # lazy: SQLAlchemy's start-up
        from kaifang.storage import VersionStore

        with open_catalog(settings) as catalog:
            found = history_with_changes(catalog, VersionStore(settings), resource)
    if as_json:
        print_json(found)
        return
    table = rich_table(
        "version", "rows", "changes", "schema", "problems", "created", "publisher", "source file"
    )
    for v in found["versions"]:
        mark = " (current)" if v["version"] == found["current"] else ""
        if v["rollback_of"]:
            mark += f" rollback to v{v['rollback_of']}"
        table.add_row(
            f"{v['version']}{mark}",
            str(v["rows"]),
            _changes(v["changes"]),
            _schema_change(v["schema_change"]),
            str(v["problem_count"] or ""),
            v["created"],
            v["publisher"],
            v["source_file"],
        )
    common.console.print(f"[bold]{found['resource']}[/] ({found['identifier']})")
    common.console.print(table)


def _schema_change(change: Any) -> str:
    if not change:
        return ""
    from kaifang.storage.columns import describe_difference

    return describe_difference(change) or ""


def _changes(changes: dict[str, Any] | None) -> str:
    if changes is None:
        return "first version"
    if "skipped" in changes:
        return str(changes["skipped"])
    text = f"+{changes['added']} -{changes['removed']}"
    return text if changes["changed"] is None else f"{text} ~{changes['changed']}"


@click.command()
@click.argument("resource")
@click.option("--to", "to_version", type=int, required=True, help="The version to restore.")
@click.option("--publisher", default=None, help="Who rolls back (default: your login name).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def rollback(
    settings: Settings, resource: str, to_version: int, publisher: str | None, as_json: bool
) -> None:
    """Make version N of RESOURCE current again, as a new version (history only grows)."""
    from kaifang.publish import rollback as rollback_resource

    result = rollback_resource(
        settings, resource, to=to_version, publisher=publisher or getpass.getuser()
    )
    if as_json:
        print_json(result.to_dict())
    else:
        common.console.print(
            f"{result.resource}: version {result.version} restores version {to_version} "
            f"({result.rows} rows)",
            highlight=False,
        )
