"""``kaifang catalog migrate``: copy a catalog (and optionally its tables) to another database;
``kaifang catalog rename``: give a dataset or a resource a new id, keeping the old one as a
redirect."""

from __future__ import annotations

from dataclasses import asdict

import click
from rich.table import Table as RichTable

from kaifang.catalog.aliases import rename_dataset, rename_resource
from kaifang.catalog.db import open_catalog
from kaifang.catalog.migrate import check_database_url, migrate_data_dir
from kaifang.cli.common import console, print_json
from kaifang.settings import Settings


@click.group()
def catalog() -> None:
    """The catalog database: moving it to PostgreSQL, renaming datasets and resources."""


@catalog.command("migrate")
@click.option(
    "--from",
    "from_url",
    default=None,
    metavar="URL",
    help="Catalog to copy (sqlite:///path or postgresql://...). Default: the data directory's.",
)
@click.option(
    "--to",
    "to_url",
    required=True,
    metavar="URL",
    help="Empty database to copy it into, e.g. postgresql://user:password@host/kaifang.",
)
@click.option(
    "--tables-to",
    default=None,
    metavar="STORAGE_URL",
    help="Also copy every table version to this folder or s3://bucket/prefix (the S3 settings "
    "reach it). Default: tables stay where they are.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def migrate(
    settings: Settings,
    from_url: str | None,
    to_url: str,
    tables_to: str | None,
    as_json: bool,
) -> None:
    """Copy every catalog row into the empty database --to (parents first; PostgreSQL id
    sequences moved past the copied ids), and with --tables-to every table file too. Stop
    publishing during the move, then point KAIFANG_DATABASE_URL (and KAIFANG_STORAGE_URL) at
    the new places."""
    source = settings
    if from_url is not None:
        source = settings.replace(database_url=check_database_url(from_url, "--from"))
    target = source.replace(
        database_url=check_database_url(to_url, "--to"),
        storage_url=tables_to if tables_to is not None else source.storage_url,
    )
    report = migrate_data_dir(source, target, tables=tables_to is not None)
    if as_json:
        print_json(report.to_dict())
        return
    table = RichTable("catalog table", "rows copied")
    for name, count in report.catalog_rows.items():
        table.add_row(name, str(count))
    console.print(table)
    where = f" to {tables_to}" if tables_to is not None else " (tables not copied)"
    console.print(f"{report.files} table files copied{where}.", highlight=False)


@catalog.command("rename")
@click.argument("old")
@click.argument("new")
@click.option(
    "--resource",
    "is_resource",
    is_flag=True,
    help="OLD is a resource (a table): rename its id and SQL table name; its files stay.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def rename(settings: Settings, old: str, new: str, is_resource: bool, as_json: bool) -> None:
    """Give dataset OLD the id NEW (e.g. t_2020 -> cec_2020_president), or with --resource
    resource OLD (e.g. cec_2020_4d1bc4_elbase -> cec_2020_president_elbase). Pages and API
    calls with OLD are redirected to NEW from then on, SQL still answers a resource's OLD
    table name, and importers keep adding versions to it."""
    with open_catalog(settings) as opened:
        if is_resource:
            from kaifang.storage import VersionStore  # lazy: only a resource rename locks

            renamed = rename_resource(opened, VersionStore(settings), old, new)
        else:
            renamed = rename_dataset(opened, old, new)
    if as_json:
        print_json(asdict(renamed))
        return
    console.print(
        f"{renamed.kind} {renamed.old} is now {renamed.new}; links to {renamed.old} redirect "
        "to it.",
        highlight=False,
    )


@catalog.command("readable-ids")
@click.option("--dry-run", is_flag=True, help="Only say what would be renamed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def readable_ids(settings: Settings, dry_run: bool, as_json: bool) -> None:
    """Give the datasets and resources that importers made before readable ids (t_2020,
    etc_m03a, moe_schools_all, cec_2020_1a2b3c_elctks) the ids importers give them today,
    the former ids redirecting. Ids someone chose by a rename are kept. Safe to run again."""
    from kaifang.sources.readable_ids import converge_readable_ids  # lazy: imports sources
    from kaifang.storage import VersionStore

    with open_catalog(settings) as opened:
        report = converge_readable_ids(opened, VersionStore(settings), dry_run=dry_run)
    if as_json:
        print_json(report.to_dict())
        return
    verb = "would rename" if dry_run else "renamed"
    for change in report.renamed:
        console.print(f"{verb} {change.kind} {change.old} -> {change.new}", highlight=False)
    for change in report.left:
        console.print(
            f"kept {change.kind} {change.old} (wanted {change.new}): {change.reason}",
            highlight=False,
        )
    if not report.renamed and not report.left:
        console.print("Every importer's dataset and resource has its readable id.")
