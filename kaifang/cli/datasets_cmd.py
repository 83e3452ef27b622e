"""``kaifang datasets [--search Q]`` and ``kaifang show DATASET``."""

from __future__ import annotations

from typing import Any

import click

from kaifang.catalog.quick import read_quickly
from kaifang.catalog.search import SORTS
from kaifang.cli import common
from kaifang.cli.common import print_json, rich_table
from kaifang.settings import Settings


@click.command()
@click.option("--search", "query", default=None, help="Words to look for (中文 or English).")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="relevance (newest first without --search), modified, title or popularity.",
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Show at most N datasets.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip the first N matches.")
@click.option("--json", "as_json", is_flag=True, help="Print {data, count} as JSON.")
@click.pass_obj
def datasets(
    settings: Settings,
    query: str | None,
    sort: str,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List published datasets, best matches first with --search."""
    listed = read_quickly(
        settings, lambda q: q.list_datasets(search=query, sort=sort, limit=limit, offset=offset)
    )
    if listed is None:
        from kaifang.catalog import list_datasets, open_catalog  # lazy: SQLAlchemy's start-up

        with open_catalog(settings) as catalog:
            listed = list_datasets(catalog, search=query, sort=sort, limit=limit, offset=offset)
    found = listed.to_dict()
    if as_json:
        print_json(found)
        return
    table = rich_table("id", "identifier", "title", "organization", "resources", title=None)
    for item in found["data"]:
        table.add_row(
            item["id"],
            item["identifier"],
            item["title"],
            item["organization"]["name"],
            ", ".join(r["id"] for r in item["resources"]),
        )
    common.console.print(table)
    common.console.print(f"{found['count']} dataset(s)", highlight=False)


def _print_dataset(item: dict[str, Any]) -> None:
    common.console.print(f"[bold]{item['title']}[/]  ({item['id']} · {item['identifier']})")
    common.console.print(
        f"{item['organization']['name']} · license {item['license']['id']}"
        + (f" · category {item['category']} {item['category_name']}" if item["category"] else ""),
        highlight=False,
        markup=False,
    )
    if item["description"]:
        common.console.print(item["description"], highlight=False, markup=False)
    if item["keywords"]:
        common.console.print(
            "keywords: " + ", ".join(item["keywords"]), highlight=False, markup=False
        )
    table = rich_table("resource", "identifier", "name", "version", "rows")
    for res in item["resources"]:
        table.add_row(
            res["id"], res["identifier"], res["name"], str(res["current_version"]), str(res["rows"])
        )
    common.console.print(table)


@click.command()
@click.argument("dataset")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def show(settings: Settings, dataset: str, as_json: bool) -> None:
    """Show DATASET (its id or national identifier): metadata and resources."""
    record = read_quickly(settings, lambda q: q.show_dataset(dataset))
    if record is None:  # also an unknown or renamed id, whose error the catalog words
        from kaifang.catalog import open_catalog, show_dataset  # lazy: SQLAlchemy's start-up

        with open_catalog(settings) as catalog:
            record = show_dataset(catalog, dataset)
    item = record.to_dict()
    if as_json:
        print_json(item)
    else:
        _print_dataset(item)
