"""``kaifang import SOURCE PATH``: the flagship sources' importers, one subcommand each.

Each subcommand is one function here calling its source's ``import_*`` library function;
register a new one with ``importer.add_command(...)`` at the bottom of this module.
"""

from __future__ import annotations

from pathlib import Path

import click

from kaifang.cli.common import console, print_json
from kaifang.settings import Settings
from kaifang.sources.freeway.catalog_entries import ORG_CODE
from kaifang.sources.freeway.importer import FreewayImport, import_freeway


@click.group(name="import")
def importer() -> None:
    """Import a flagship source's files in their upstream layout."""


@importer.command(name="freeway")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--org",
    "org_code",
    default=ORG_CODE,
    show_default=True,
    help="Organization code of 交通部高速公路局 (created when missing).",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="spark parses bulk history (M03A, M04A, M05A, M08A) and parses and protects trips "
    "(M06A) on KAIFANG_SPARK_MASTER; M07A and the gantry table stay on DuckDB.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def freeway(settings: Settings, path: Path, org_code: str, engine: str, as_json: bool) -> None:
    """Import TDCS M03A…M08A files (a CSV, a day folder, a daily .tar.gz or a folder of them)
    and the gantry coordinate table, partitioned by day."""
    result = import_freeway(settings, path, org=org_code, engine=engine)
    if as_json:
        print_json(result.to_dict())
        return
    _print_freeway(result)


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
        suppressed = item.screening.get("suppressed_rows")
        if suppressed is not None:
            console.print(
                f"  protected: times coarsened, {suppressed:,} rare trips suppressed",
                highlight=False,
            )


from kaifang.cli import import_civic  # noqa: E402

importer.add_command(import_civic.elections)
importer.add_command(import_civic.theft)
importer.add_command(import_civic.schools)
