"""``kaifang publish FILE``: read, screen, store and register a new version."""

from __future__ import annotations

import functools
import getpass
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kaifang.cli.common import console, err_console, print_json
from kaifang.privacy.legal_basis import choose_basis, split_columns
from kaifang.publish import PublishResult, publish_file
from kaifang.settings import Settings
from kaifang.storage.columns import describe_difference


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--org", "org_code", required=True, help="Code of the publishing organization.")
@click.option("--title", default=None, help="Title of a new dataset.")
@click.option("--dataset", default=None, help="Add a version to this dataset instead.")
@click.option("--resource", default=None, help="Which resource of --dataset (default: by file).")
@click.option(
    "--id",
    "dataset_id",
    default=None,
    help="The new dataset's id (lower-case letters, digits, _), e.g. theft_points_2024; "
    "default: from the English title, else the title in pinyin.",
)
@click.option(
    "--metadata",
    type=click.Path(path_type=Path),
    default=None,
    help="META.yaml with the dataset's metadata (see docs/metadata.md).",
)
@click.option("--license", "license_id", default=None, help="SPDX id (default OGDL-Taiwan-1.0).")
@click.option("--policy", type=click.Path(path_type=Path), default=None, help="POLICY.yaml.")
@click.option(
    "--allow-personal-data",
    "legal_basis",
    default=None,
    metavar="LISTED_BASIS",
    help="Publish personal data under a listed legal basis, by its label, e.g. "
    "'公職人員選舉罷免法第47條' (list them: kaifang privacy bases). Needs --basis-columns.",
)
@click.option("--law", default=None, help="Or cite another law (organization admins): its name.")
@click.option("--article", default=None, help="The cited article, e.g. 第47條.")
@click.option("--note", default=None, help="A note on the basis, for reviewers.")
@click.option(
    "--basis-columns",
    default=None,
    metavar="COLUMN,...",
    help="The exact columns the legal basis covers; other direct identifiers still block.",
)
@click.option(
    "--allow-ragged",
    is_flag=True,
    help="Publish even when over 1 % of rows have more or fewer cells than the header.",
)
@click.option(
    "--allow-schema-change",
    is_flag=True,
    help="Accept columns that differ from the current version's (recorded in its history).",
)
@click.option("--publisher", default=None, help="Who publishes (default: your login name).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def publish(
    settings: Settings,
    file: Path,
    org_code: str,
    title: str | None,
    dataset: str | None,
    resource: str | None,
    dataset_id: str | None,
    metadata: Path | None,
    license_id: str | None,
    policy: Path | None,
    legal_basis: str | None,
    law: str | None,
    article: str | None,
    note: str | None,
    basis_columns: str | None,
    allow_ragged: bool,
    allow_schema_change: bool,
    publisher: str | None,
    as_json: bool,
) -> None:
    """Publish FILE as a new dataset, or as a new version of --dataset."""
    approver = publisher or getpass.getuser()
    # The operator holds the data directory (an admin of every organization): may cite.
    basis = choose_basis(
        legal_basis,
        law=law,
        article=article,
        note=note,
        columns=split_columns(basis_columns),
        may_cite=True,
        approved_by=approver,
    )
    run = functools.partial(
        publish_file,
        settings,
        file,
        org=org_code,
        title=title,
        dataset=dataset,
        resource=resource,
        dataset_id=dataset_id,
        metadata=metadata,
        license=license_id,
        policy=policy,
        allow_personal_data=basis,
        publisher=approver,
        allow_ragged=allow_ragged,
        allow_schema_change=allow_schema_change,
    )
    if as_json:
        print_json(run().to_dict())
        return
    with Progress(
        TextColumn("[bold]publishing[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(file.name, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = run(progress=report)
    _print_result(result)


def _print_result(result: PublishResult) -> None:
    if result.unchanged:
        console.print(
            f"Unchanged: {result.resource} version {result.version} already holds this file.",
            highlight=False,
        )
        return
    made = "new dataset " if result.created_dataset else ""
    console.print(
        f"Published {made}{result.dataset} ({result.dataset_identifier}): resource "
        f"{result.resource} ({result.resource_identifier}) version {result.version}, "
        f"{result.rows} rows",
        highlight=False,
    )
    if result.schema_change:
        console.print(
            f"schema change: {describe_difference(result.schema_change)}",
            highlight=False,
            markup=False,
        )
    for problem in result.problems:
        where = f"row {problem['row']}" + (
            f", column {problem['column']}" if problem["column"] else ""
        )
        console.print(f"problem: {where}: {problem['message']}", highlight=False, markup=False)
    if result.problem_count > len(result.problems):
        more = result.problem_count - len(result.problems)
        console.print(f"... {more} more problems (see 'kaifang inspect' on the file)")
