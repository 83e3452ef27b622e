"""``kaifang schedule add|list|remove|run``: a flagship source's files re-imported on a
schedule by ``kaifang worker``."""

from __future__ import annotations

from pathlib import Path

import click

from kaifang.catalog.db import open_catalog
from kaifang.cli.common import console, print_json, rich_table
from kaifang.settings import Settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group()
def schedule() -> None:
    """Re-import a flagship source's files on a schedule (run by kaifang worker)."""


def _option_pair(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r}: write NAME=VALUE, e.g. --option org=315050000M")
        pairs[key.strip()] = text.strip()
    return pairs


@schedule.command("add")
@click.argument("name")
@click.argument("source")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--schedule", "when", default="daily", show_default=True,
              help="hourly, daily, manual or a 5-field cron expression (UTC).")  # fmt: skip
@click.option("--option", "options", multiple=True, callback=_option_pair,
              help="An importer option as NAME=VALUE (flags: NAME=true); repeatable.")  # fmt: skip
@JSON_OPTION
@click.pass_obj
def schedule_add(
    settings: Settings,
    name: str,
    source: str,
    path: Path,
    when: str,
    options: dict[str, str],
    as_json: bool,
) -> None:
    """Re-import SOURCE's files at PATH as NAME on a schedule."""
    from kaifang.sources.reimports import add_import

    with open_catalog(settings) as catalog:
        added = add_import(catalog, name, source, path, options=dict(options), schedule=when)
    if as_json:
        print_json(added)
        return
    console.print(f"Scheduled {name}: {added['source']} from {added['path']} ({when}).",
                  markup=False)  # fmt: skip


@schedule.command("list")
@JSON_OPTION
@click.pass_obj
def schedule_list(settings: Settings, as_json: bool) -> None:
    """List the scheduled imports and how each last ran."""
    from kaifang.sources.reimports import list_imports

    with open_catalog(settings) as catalog:
        items = list_imports(catalog)
    if as_json:
        print_json({"data": items, "count": len(items)})
        return
    table = rich_table("name", "source", "schedule", "last run", "status", "path")
    for item in items:
        last = item["last_finished"] or "-"
        status = item["last_status"] or "-"
        table.add_row(item["name"], item["source"], item["schedule"], last, status, item["path"])
    console.print(table)


@schedule.command("remove")
@click.argument("name")
@JSON_OPTION
@click.pass_obj
def schedule_remove(settings: Settings, name: str, as_json: bool) -> None:
    """Stop re-importing NAME (what it published stays published)."""
    from kaifang.sources.reimports import remove_import

    with open_catalog(settings) as catalog:
        removed = remove_import(catalog, name)
    if as_json:
        print_json(removed)
        return
    console.print(f"Removed scheduled import {name}.", markup=False)


@schedule.command("run")
@click.argument("name")
@JSON_OPTION
@click.pass_obj
def schedule_run(settings: Settings, name: str, as_json: bool) -> None:
    """Run scheduled import NAME now."""
    from kaifang.sources.reimports import run_import

    with open_catalog(settings) as catalog:
        run = run_import(settings, catalog, name)
    if as_json:
        print_json(run.to_dict())
    elif run.error:
        console.print(f"{name}: failed: {run.error}", markup=False)
    else:
        console.print(f"{name}: ok", markup=False)
    if run.error:
        raise SystemExit(1)
