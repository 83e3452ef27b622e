"""Problems found with SQL over the staged data: cells that failed their column's type and
rows that held undecodable bytes, each with its 1-based data-row number."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from kaifang.reading.infer import ColumnPlan
from kaifang.reading.model import Problem
from kaifang.reading.normalize import normalized, normalized_view, raw

# Problems listed per column and kind; the notes give the full counts.
MAX_PROBLEMS_PER_COLUMN = 100


def type_problems(
    con: duckdb.DuckDBPyConnection, plans: Sequence[ColumnPlan], sources: Sequence[str], table: str
) -> list[Problem]:
    failing = [p for p in plans if p.failures]
    if not failing:
        return []
    view = normalized_view(sources, table, row_number=True)
    problems: list[Problem] = []
    for plan in failing:
        i = plan.index
        rows = con.execute(
            f"SELECT data_row, {raw(i)} FROM {view} "
            f"WHERE {normalized(i)} IS NOT NULL AND ({plan.typed_sql()}) IS NULL "
            f"ORDER BY data_row LIMIT {MAX_PROBLEMS_PER_COLUMN}"
        ).fetchall()
        problems.extend(
            Problem(
                row=int(row),
                column=plan.name,
                code="type-error",
                message=f"{value!r} is not a valid {plan.type}; read as empty",
            )
            for row, value in rows
        )
    return problems


def undecodable_problems(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    sources: Sequence[str],
    table: str,
    encoding: str | None,
) -> list[Problem]:
    view = normalized_view(sources, table, row_number=True)
    problems: list[Problem] = []
    for i, name in enumerate(names):
        rows = con.execute(
            f"SELECT data_row FROM {view} WHERE contains({raw(i)}, '\ufffd') "
            f"ORDER BY data_row LIMIT {MAX_PROBLEMS_PER_COLUMN}"
        ).fetchall()
        problems.extend(
            Problem(
                row=int(row),
                column=name,
                code="undecodable-bytes",
                message=f"bytes not valid in {encoding} were replaced by U+FFFD (\ufffd)",
            )
            for (row,) in rows
        )
    problems.sort(key=lambda p: p.row or 0)
    return problems
