"""``kaifang import SOURCE PATH``: the flagship sources' importers, one subcommand each.

The subcommands are built from the registered sources (:data:`kaifang.sources.registry.SOURCES`):
each takes the source's path and options and calls its importer; a new source appears here once
it is registered there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kaifang.cli.common import console, print_json
from kaifang.settings import Settings
from kaifang.sources.common.publish import ImportResult
from kaifang.sources.freeway.importer import FreewayImport
from kaifang.sources.registry import SOURCES
from kaifang.sources.source import ImportOption, ImportReport, Source


@click.group(name="import")
def importer() -> None:
    """Import a flagship source's files in their upstream layout."""


def _option(option: ImportOption) -> Any:
    if option.default is False:
        return click.option(option.flag, option.name, is_flag=True, help=option.help)
    return click.option(
        option.flag,
        option.name,
        default=option.default,
        show_default=True,
        type=click.Choice(option.choices) if option.choices else str,
        help=option.help,
    )


def _command(source: Source) -> click.Command:
    def run(settings: Settings, path: Path, as_json: bool, **options: Any) -> None:
        result = source.run_import(settings, path, **options)
        if as_json:
            print_json(result.to_dict())
        else:
            _print(result)

    command: Any = click.pass_obj(run)
    command = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")(
        command
    )
    for option in reversed(source.options):
        command = _option(option)(command)
    command = click.argument(
        "path", type=click.Path(exists=source.path_must_exist, path_type=Path)
    )(command)
    built: click.Command = click.command(name=source.name, help=source.summary)(command)
    return built


def _print(result: ImportReport) -> None:
    if isinstance(result, FreewayImport):
        _print_freeway(result)
    elif isinstance(result, ImportResult):
        _print_datasets(result)
    else:
        print_json(result.to_dict())


def _print_datasets(result: ImportResult) -> None:
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


def _print_freeway(result: FreewayImport) -> None:
    for skipped in result.files_skipped:
        console.print(f"skipped {skipped['file']}: {skipped['reason']}", highlight=False)
    for item in result.resources:
        if item.unchanged:
            state = "unchanged"
        else:
            state = f"version {item.version}: wrote {', '.join(item.days_written) or '-'}"
            if item.days_kept:
                state += f", kept {len(item.days_kept)} day(s)"
        console.print(
            f"{item.code:8} {item.resource:18} {item.rows:>12,} rows  {state}", highlight=False
        )
        console.print(
            f"  {item.files} files read; rows in: {item.rows_in:,}, rows out: {item.rows_out:,}",
            highlight=False,
        )
        for day, part in item.changes.get("days_partly_replaced", {}).items():
            console.print(
                f"  {day}: {part['intervals_replaced']} interval(s) replaced, "
                f"{part['rows_kept']:,} rows of the other intervals kept",
                highlight=False,
            )
        for problem in item.problems[:5]:
            console.print(f"  problem: {problem['message']}", highlight=False)
        if item.problem_count > 5:
            console.print(f"  ... {item.problem_count - 5} more problems (see --json)")
        for cut in (*item.coarsened, *item.suppressed):
            console.print(f"  protected: {cut['reason']}", highlight=False)
        if item.utility:
            accepted = " (loss accepted)" if item.utility.get("accepted") else ""
            console.print(f"  utility: {item.utility['message']}{accepted}", highlight=False)


for _source in SOURCES:
    importer.add_command(_command(_source))
