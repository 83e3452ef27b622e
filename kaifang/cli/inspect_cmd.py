"""``kaifang inspect FILE``: how kaifang reads a file."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table as RichTable

from kaifang.cli.common import console, print_json
from kaifang.reading import open_table


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--preview", default=5, show_default=True, help="Rows to preview.")
@click.option("--sheet", default=None, help="Sheet of an XLSX/ODS workbook (default: first).")
def inspect(file: Path, as_json: bool, preview: int, sheet: str | None) -> None:
    """Read FILE and report its encoding, dialect, header, columns, notes and problems."""
    with open_table(file, sheet=sheet) as table:
        report = table.report(preview=preview)
    if as_json:
        print_json(report)
        return
    console.print(
        f"[bold]{report['file']}[/]  {report['format']} · {report['encoding']} · "
        f"delimiter {report['delimiter']!r} · header row {report['header_row']} · "
        f"{report['rows']} rows",
        highlight=False,
    )
    columns = RichTable("column", "type", "notes", title="Columns")
    for col in report["columns"]:
        columns.add_row(col["name"], col["type"], "; ".join(col["notes"]))
    console.print(columns)
    for note in report["notes"]:
        if note.get("column") is None:  # column notes are in the table above
            console.print(f"note: {note['message']}", highlight=False, markup=False)
    for problem in report["problems"]:
        column = f", column {problem['column']}" if problem["column"] is not None else ""
        console.print(
            f"problem: row {problem['row']}{column}: {problem['message']}",
            highlight=False,
            markup=False,
        )
    if report["problem_count"] > len(report["problems"]):
        console.print(
            f"... {report['problem_count'] - len(report['problems'])} more problems "
            f"({report['ragged_rows']} rows with more or fewer cells than the header in all)",
            highlight=False,
        )
    if report["preview"]:
        prev = RichTable(*[c["name"] for c in report["columns"]], title="Preview")
        for row in report["preview"]:
            prev.add_row(*["" if v is None else str(v) for v in row])
        console.print(prev)
