"""``kaifang import elections|theft|schools PATH``: the civic importers.

Three click commands, registered in the ``import`` group by kaifang.cli.import_cmd; each
calls one library function and prints its result.
"""

from __future__ import annotations

from pathlib import Path

import click

from kaifang.cli.common import console, print_json
from kaifang.settings import Settings
from kaifang.sources.common.publish import ImportResult
from kaifang.sources.elections.importer import import_elections
from kaifang.sources.schools.importer import import_schools
from kaifang.sources.theft.importer import import_theft

_PATH = click.Path(exists=True, path_type=Path)


def _show(result: ImportResult, as_json: bool) -> None:
    if as_json:
        print_json(result.to_dict())
        return
    for skipped in result.files_skipped:
        console.print(f"[yellow]skipped[/] {skipped['file']}: {skipped['reason']}")
    for dataset in result.datasets:
        console.print(f"[bold]{dataset.title}[/]  ({dataset.dataset})")
        console.print(
            f"  files read: {len(dataset.files_read)}, skipped: {len(dataset.files_skipped)}; "
            f"rows in: {dataset.rows_in:,}, rows out: {dataset.rows_out:,}",
            highlight=False,
        )
        for skipped in dataset.files_skipped:
            console.print(f"  [yellow]skipped[/] {skipped['file']}: {skipped['reason']}")
        for cut in dataset.suppressed:
            console.print(f"  [yellow]suppressed[/] {cut['rows']:,} rows: {cut['reason']}")
        for key in ("replaced", "kept"):
            if dataset.changes.get(key):
                listed = ", ".join(f"{k} {v:,}" for k, v in dataset.changes[key].items())
                console.print(f"  {key}: {listed}", highlight=False)
        for item in dataset.resources:
            state = "unchanged" if item.unchanged else "new version"
            console.print(f"  {item.resource}  v{item.version}  {item.rows:,} rows  {state}")
        for problem in dataset.problems:
            console.print(f"  [yellow]{problem['code']}[/]: {problem['message']}")


@click.command()
@click.argument("path", type=_PATH)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--keep-birth-date",
    is_flag=True,
    help="Publish candidates' full birth dates instead of the birth year.",
)
@click.pass_obj
def elections(settings: Settings, path: Path, as_json: bool, keep_birth_date: bool) -> None:
    """Import CEC voteData: an election folder, a tree of them, or votedata.zip."""
    _show(import_elections(settings, path, keep_birth_date=keep_birth_date), as_json)


@click.command()
@click.argument("path", type=_PATH)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def theft(settings: Settings, path: Path, as_json: bool) -> None:
    """Import Taipei theft point files (Big5 or UTF-8 with BOM), a file or a folder."""
    _show(import_theft(settings, path), as_json)


@click.command()
@click.argument("path", type=_PATH)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def schools(settings: Settings, path: Path, as_json: bool) -> None:
    """Import MOE school directories (e1, j1, high, u1, k1, sp1), a file or a folder."""
    _show(import_schools(settings, path), as_json)
