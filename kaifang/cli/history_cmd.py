"""``kaifang history RESOURCE`` and ``kaifang rollback RESOURCE --to N``."""

from __future__ import annotations

import getpass

import click

from kaifang.catalog import history as resource_history
from kaifang.catalog import open_catalog
from kaifang.cli.common import console, print_json, rich_table
from kaifang.publish import rollback as rollback_resource
from kaifang.settings import Settings


@click.command()
@click.argument("resource")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def history(settings: Settings, resource: str, as_json: bool) -> None:
    """List every version of RESOURCE (its id or national identifier)."""
    with open_catalog(settings) as catalog:
        found = resource_history(catalog, resource)
    if as_json:
        print_json(found)
        return
    table = rich_table("version", "rows", "created", "publisher", "source file", "note")
    for v in found["versions"]:
        mark = "current" if v["version"] == found["current"] else ""
        if v["rollback_of"]:
            mark = f"{mark} rollback to v{v['rollback_of']}".strip()
        table.add_row(
            str(v["version"]), str(v["rows"]), v["created"], v["publisher"], v["source_file"], mark
        )
    console.print(f"[bold]{found['resource']}[/] ({found['identifier']})")
    console.print(table)


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
    result = rollback_resource(
        settings, resource, to=to_version, publisher=publisher or getpass.getuser()
    )
    if as_json:
        print_json(result.to_dict())
    else:
        console.print(
            f"{result.resource}: version {result.version} restores version {to_version} "
            f"({result.rows} rows)",
            highlight=False,
        )
