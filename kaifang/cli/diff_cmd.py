"""``kaifang diff RESOURCE [--from N] [--to M]``: what changed between two versions."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table as RichTable

from kaifang.catalog import open_catalog
from kaifang.cli.common import console, print_json
from kaifang.diff import diff_resource
from kaifang.settings import Settings
from kaifang.storage import VersionStore
from kaifang.storage.columns import describe_difference


@click.command()
@click.argument("resource")
@click.option("--from", "from_version", type=int, default=None, help="Default: the one before.")
@click.option("--to", "to_version", type=int, default=None, help="Default: the current version.")
@click.option("--show", default=10, show_default=True, help="Rows of each kind to list.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def diff(
    settings: Settings,
    resource: str,
    from_version: int | None,
    to_version: int | None,
    show: int,
    as_json: bool,
) -> None:
    """Schema difference and rows added, removed and changed between two versions of
    RESOURCE, matched by its key (metadata primary_key, else a unique column, else whole
    rows)."""
    with open_catalog(settings) as catalog:
        found = diff_resource(
            catalog,
            VersionStore(settings),
            resource,
            from_version=from_version,
            to_version=to_version,
            show=show,
        )
    if as_json:
        print_json(found)
        return
    _print(found)


def _print(found: dict[str, Any]) -> None:
    key = ", ".join(found["key"]) if found["key"] else "none: whole rows compared"
    source = f" ({found['key_source']})" if found["key_source"] else ""
    console.print(
        f"[bold]{found['resource']}[/] v{found['from']} → v{found['to']}: "
        f"{found['rows']['from']} → {found['rows']['to']} rows; key {key}{source}",
        highlight=False,
    )
    if found.get("key_note"):
        console.print(f"note: {found['key_note']}", highlight=False, markup=False)
    if found["schema_change"]:
        text = describe_difference(found["schema_change"])
        console.print(f"schema: {text}", highlight=False, markup=False)
    changed = "" if found["changed"] is None else f", {found['changed']} changed"
    console.print(f"{found['added']} added, {found['removed']} removed{changed}", highlight=False)
    samples = found["samples"]
    for kind in ("added", "removed"):
        rows = samples[kind]
        if rows:
            table = RichTable(*rows[0], title=f"first {kind}")
            for row in rows:
                table.add_row(*["" if v is None else str(v) for v in row.values()])
            console.print(table)
    if samples["changed"]:
        table = RichTable("key", "column", "before", "after", title="first changed")
        for item in samples["changed"]:
            key_text = ", ".join(f"{k}={v}" for k, v in item["key"].items())
            for column, (old, new) in item["changes"].items():
                table.add_row(key_text, column, str(old), str(new))
        console.print(table)
