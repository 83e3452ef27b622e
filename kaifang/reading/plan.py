"""Plan every column's type and normalization with as few passes over the data as possible.

1. The first ``SAMPLE_ROWS`` rows are analysed in full (every type, every normalization);
   if the file has no more rows, that is the whole analysis.
2. Otherwise one pass over all rows checks each column against the type the sample
   proposed: cheap native expressions on the raw text for clean columns, the full
   normalizing analysis for columns whose sample needed it (apostrophes, full-width, ...).
3. Columns with any value the cheap check rejects (a stray bad cell, a full-width digit or
   another written form of date after the sample, a leading zero) are analysed in full,
   over all rows, in one more pass — so late values are normalized like early ones.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from kaifang.reading.infer import (
    STATS,
    ColumnPlan,
    add_kind_notes,
    choose_kind,
    fast_sql,
    needs_normalizing,
    plan_column,
    slow_aggregates,
)
from kaifang.reading.normalize import WHITESPACE, normalized_view, raw
from kaifang.reading.staged import Source
from kaifang.sqlutil import quote_ident, quote_literal

SAMPLE_ROWS = 10_000
COLUMNS_PER_PASS = 32
"""Most columns one SELECT of the analysis looks at (see ``_run``)."""

# DuckDB types its CSV reader can parse itself, for columns whose every value passed the
# cheap check of that kind (the same cast the check used).
NATIVE_TYPES = {
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "time": "TIME",
}


@dataclass
class Analysis:
    rows: int
    plans: list[ColumnPlan]
    undecodable: dict[int, int] = field(default_factory=dict)
    longest: list[int] = field(default_factory=list)
    """Characters in each column's longest cell (for ``read_max_cell_chars``)."""


def _run(
    con: duckdb.DuckDBPyConnection,
    per_column: Mapping[int, Sequence[str]],
    view: Callable[[Collection[int]], str],
) -> tuple[int, dict[int, list[int]]]:
    """``count(*)`` and each column's aggregates over ``view(columns)``, computed
    ``COLUMNS_PER_PASS`` columns at a time: DuckDB's time and memory to plan one SELECT grow
    faster than its columns (a 500-column file's one SELECT took 35 s and 530 MB), so a wide
    file costs more passes instead, each over a view of its own columns only."""
    columns = list(per_column)
    rows = 0
    values: dict[int, list[int]] = {}
    for start in range(0, max(len(columns), 1), COLUMNS_PER_PASS):
        chunk = columns[start : start + COLUMNS_PER_PASS]
        aggregates = ["count(*)"] + [a for i in chunk for a in per_column[i]]
        result = con.execute(f"SELECT {', '.join(aggregates)} FROM {view(chunk)}").fetchone()
        assert result is not None  # an aggregate without GROUP BY returns one row
        numbers = [int(v or 0) for v in result]
        rows, position = numbers[0], 1
        for i in chunk:
            count = len(per_column[i])
            values[i] = numbers[position : position + count]
            position += count
    return rows, values


def _longest_aggregate(i: int) -> str:
    return f"max(length({raw(i)}))"


def _undecodable_aggregate(i: int) -> str:
    return f"count_if(contains({raw(i)}, '\ufffd'))"


def _slow_stats(values: Sequence[int]) -> dict[str, int]:
    return dict(zip(STATS, values, strict=True))


def analyse_columns(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    sources: Sequence[str],
    table_sql: str,
    forced: Mapping[str, str],
    *,
    count_undecodable: bool,
    sample_rows: Sequence[Sequence[str]] | None = None,
) -> Analysis:
    """``sample_rows``: the file's first data rows as parsed while sniffing, when the file is
    longer than that sample (saves DuckDB a pass over the file's head)."""
    width = len(names)
    every = range(width)
    # each column's longest cell, and (last) its undecodable cells: one more aggregate or two
    # in a pass the analysis makes anyway
    extra = [_longest_aggregate]
    extra += [_undecodable_aggregate] if count_undecodable else []

    if sample_rows is not None:
        con.register("kaifang_sample", _sample_table(sample_rows, width))
        sample_sql = "kaifang_sample"
    else:
        sample_sql = f"(SELECT * FROM {table_sql} LIMIT {SAMPLE_ROWS})"
    size = len(STATS)
    # the sample may turn out to be the whole file: count undecodable cells in it too
    sample_extra = extra if sample_rows is None else []
    rows, values = _run(
        con,
        {i: slow_aggregates(i) + [make(i) for make in sample_extra] for i in every},
        lambda chunk: normalized_view(sources, sample_sql, chunk, only=chunk),
    )
    sample = [_slow_stats(values[i][:size]) for i in every]
    if sample_rows is None and rows < SAMPLE_ROWS:
        complete = [plan_column(names[i], i, sample[i], forced.get(names[i])) for i in every]
        found = [values[i][size + 1] for i in every] if count_undecodable else []
        return Analysis(rows, complete, _undecodable(found), [values[i][size] for i in every])

    kinds = [forced.get(names[i]) or choose_kind(sample[i]) for i in every]
    slow = {i for i in every if needs_normalizing(kinds[i], sample[i])}
    per_column = {
        i: (slow_aggregates(i) if i in slow else _fast_aggregates(kinds[i], i))
        + [make(i) for make in extra]
        for i in every
    }
    rows, values = _run(
        con,
        per_column,
        lambda chunk: normalized_view(sources, table_sql, slow & set(chunk), only=chunk),
    )
    plans: list[ColumnPlan | None] = []
    again: set[int] = set()
    counts: list[int] = []
    longest: list[int] = []
    for i in every:
        numbers = values[i]
        longest.append(numbers[-len(extra)])
        if count_undecodable:
            counts.append(numbers[-1])
        if i in slow:
            plans.append(
                plan_column(names[i], i, _slow_stats(numbers[:size]), forced.get(names[i]))
            )
            continue
        nonnull, ok, flagged = numbers[:3]
        plan = _fast_plan(names[i], i, kinds[i], nonnull, ok, flagged)
        if plan is None:
            again.add(i)
        plans.append(plan)
    undecodable = _undecodable(counts)
    if again:
        _rows, values = _run(
            con,
            {i: slow_aggregates(i) for i in sorted(again)},
            lambda chunk: normalized_view(sources, table_sql, chunk, only=chunk),
        )
        for i in sorted(again):
            plans[i] = plan_column(names[i], i, _slow_stats(values[i]), forced.get(names[i]))
    return Analysis(rows, [p for p in plans if p is not None], undecodable, longest)


def _sample_table(rows: Sequence[Sequence[str]], width: int) -> pa.Table:
    """Sample rows as text columns c0.. (empty cells NULL, as DuckDB's reader gives them)."""
    columns = {
        f"c{i}": pa.array([(r[i] or None) if i < len(r) else None for r in rows], pa.string())
        for i in range(width)
    }
    return pa.table(columns)


def _undecodable(values: Sequence[int]) -> dict[int, int]:
    return {i: count for i, count in enumerate(values) if count}


def _fast_aggregates(kind: str, i: int) -> list[str]:
    """Non-empty values, values that parse as ``kind``, and a flag count: leading zeros for
    numbers, trailing whitespace for strings."""
    v = raw(i)
    if kind in ("integer", "number"):
        # Text from "00" up to "0:" is exactly: a zero followed by a digit.
        flagged = f"count_if({v} >= '00' AND {v} < '0:')"
    elif kind == "string":
        endings = ", ".join(quote_literal(ch) for ch in WHITESPACE)
        flagged = f"count_if(right({v}, 1) IN ({endings}))"
    else:
        flagged = "0"
    # count(v) counts quoted empty strings too: they fail the check and send the column to
    # the full analysis, which reads them as empty.
    return [f"count({v})", f"count({fast_sql(kind, i)})", flagged]


def _fast_plan(
    name: str, index: int, kind: str, nonnull: int, ok: int, flagged: int
) -> ColumnPlan | None:
    """The plan for a clean column, or None when any value needs the full analysis."""
    if kind == "string":
        plan = ColumnPlan(name, index, kind, normalized=False, rtrim=flagged > 0)
        if flagged:
            message = f"trailing whitespace removed from {flagged} value(s)"
            plan.note("trailing-whitespace", message, flagged)
        return plan
    if flagged or ok < nonnull:
        return None
    plan = ColumnPlan(name, index, kind, normalized=False)
    add_kind_notes(plan, leading_zeros=False)
    return plan


def output_select(plans: Sequence[ColumnPlan], source: Source) -> str:
    """The typed, normalized rows: DuckDB's reader parses clean typed columns natively;
    every other column is computed from its text."""
    native = {
        f"c{p.index}": NATIVE_TYPES[p.kind]
        for p in plans
        if source.native_types and not p.normalized and p.kind in NATIVE_TYPES
    }
    columns = ", ".join(
        f"{raw(p.index) if f'c{p.index}' in native else p.typed_sql()} AS {quote_ident(p.name)}"
        for p in plans
    )
    slow = {p.index for p in plans if p.normalized}
    sources = [f"c{i}" for i in range(source.width)]
    return f"SELECT {columns} FROM {normalized_view(sources, source.sql(native), slow)}"
