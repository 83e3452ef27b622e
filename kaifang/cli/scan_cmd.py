"""``kaifang scan FILE``: which columns hold personal data, and what to do about them."""

from __future__ import annotations

from pathlib import Path

import click
import duckdb
from rich.table import Table as RichTable

from kaifang.cli.common import console, print_json
from kaifang.privacy import Policy, ScreeningReport, propose_policy, screen, tune_policy
from kaifang.reading import open_table
from kaifang.settings import Settings


def scan_file(path: Path, settings: Settings, *, sheet: str | None = None) -> ScreeningReport:
    """Read ``path`` and screen it (the library call behind ``kaifang scan``)."""
    con = duckdb.connect()
    with open_table(path, sheet=sheet) as table:
        return screen(table.relation(con), settings=settings, table_name=str(path))


def proposed_policy(path: Path, report: ScreeningReport, settings: Settings) -> Policy:
    """The policy ``--write-policy`` writes: the report's proposal, with generalizations
    coarsened until k-anonymity holds within the suppression budget."""
    con = duckdb.connect()
    with open_table(path) as table:
        return tune_policy(table.relation(con), propose_policy(report), settings)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--write-policy",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the proposed de-identification policy (YAML) to this file.",
)
@click.option("--sheet", default=None, help="Sheet of an XLSX/ODS workbook (default: first).")
@click.pass_obj
def scan(
    settings: Settings, file: Path, as_json: bool, write_policy: Path | None, sheet: str | None
) -> None:
    """Screen FILE for personal data: each column's category, evidence and action."""
    report = scan_file(file, settings, sheet=sheet)
    if write_policy is not None:
        policy = proposed_policy(file, report, settings)
        write_policy.write_text(policy.to_yaml(), encoding="utf-8")
    if as_json:
        print_json(report.to_dict())
        return
    verdict = "[green]publishable[/]" if report.publishable else "[red]not publishable yet[/]"
    console.print(f"[bold]{file}[/]  {report.rows} rows · {verdict}")
    table = RichTable("column", "category", "detectors", "rate", "examples", "action", "reason")
    for col in report.columns:
        table.add_row(
            col.name,
            col.category,
            ", ".join(col.detectors),
            f"{col.match_rate:.1%}",
            " ".join(col.examples),
            col.action,
            col.reason,
        )
    console.print(table)
    k = report.k_anonymity
    if report.quasi_identifiers:
        console.print(
            f"quasi-identifiers: {', '.join(report.quasi_identifiers)} · k = {k.k} "
            f"(needs ≥ {k.threshold}) · {k.violating_rows} rows in rarer combinations",
            highlight=False,
            markup=False,
        )
    for finding in report.findings:
        console.print(f"{finding.code}: {finding.message}", highlight=False, markup=False)
    if write_policy is not None:
        console.print(f"policy written to {write_policy}", highlight=False, markup=False)
