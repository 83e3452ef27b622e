"""Problems located with SQL over the staged data: cells that failed their column's type and
cells that held undecodable bytes, each with its 1-based data-row number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

from kaifang.reading.infer import ColumnPlan
from kaifang.reading.model import Problem
from kaifang.reading.normalize import normalized_view, raw

# Problems listed per column and kind; the notes give the full counts.
MAX_PROBLEMS_PER_COLUMN = 100


def find_problems(
    con: duckdb.DuckDBPyConnection,
    plans: Sequence[ColumnPlan],
    sources: Sequence[str],
    table_sql: str,
    *,
    undecodable: Mapping[int, int],
    encoding: str | None,
) -> list[Problem]:
    """One pass over the rows that hold a problem (none when nothing failed)."""
    checks: list[tuple[str, ColumnPlan, str]] = []
    for index in sorted(undecodable):
        checks.append(("undecodable-bytes", plans[index], f"contains({raw(index)}, '\ufffd')"))
    for plan in plans:
        if plan.failures:
            condition = f"({plan.present_sql()} AND ({plan.typed_sql()}) IS NULL)"
            checks.append(("type-error", plan, condition))
    if not checks:
        return []
    slow = {p.index for p in plans if p.normalized}
    view = normalized_view(sources, table_sql, slow, row_number=True)
    outputs = ", ".join(f"CASE WHEN {cond} THEN {raw(p.index)} END" for _, p, cond in checks)
    where = " OR ".join(cond for _, _, cond in checks)
    limit = MAX_PROBLEMS_PER_COLUMN * len(checks)
    rows = con.execute(
        f"SELECT data_row, {outputs} FROM {view} WHERE {where} ORDER BY data_row LIMIT {limit}"
    ).fetchall()
    problems: list[Problem] = []
    listed = [0] * len(checks)
    for data_row, *values in rows:
        for n, value in enumerate(values):
            code, plan, _ = checks[n]
            if value is None or listed[n] >= MAX_PROBLEMS_PER_COLUMN:
                continue
            listed[n] += 1
            if code == "undecodable-bytes":
                message = f"bytes not valid in {encoding} were replaced by U+FFFD (\ufffd)"
            else:
                message = f"{value!r} is not a valid {plan.type}; read as empty"
            problems.append(Problem(int(data_row), plan.name, code, message))
    return problems
