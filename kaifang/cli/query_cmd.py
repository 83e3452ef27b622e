"""``kaifang query SQL``: read-only SQL over published resources."""

from __future__ import annotations

import click
from rich.table import Table as RichTable

from kaifang.cli.common import console, err_console, print_json
from kaifang.query.published import query_published
from kaifang.settings import Settings


@click.command()
@click.argument("sql")
@click.option("--json", "as_json", is_flag=True, help="Print {columns, rows} as JSON.")
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default=None,
    help="Query engine; default: the engine setting (KAIFANG_ENGINE).",
)
@click.pass_obj
def query(settings: Settings, sql: str, as_json: bool, engine: str | None) -> None:
    """Run read-only SQL. Tables are resource ids (current version) or <id>__v<N>.
    On Spark, progress goes to stderr and the time limit is spark_query_timeout."""
    chosen = engine or settings.engine

    def progress(line: str) -> None:
        err_console.print(line, highlight=False, markup=False)

    result = query_published(
        settings, sql, engine=chosen, progress=progress if chosen == "spark" else None
    )
    if as_json:
        print_json(result)
        return
    table = RichTable(*result["columns"])
    for row in result["rows"]:
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)
