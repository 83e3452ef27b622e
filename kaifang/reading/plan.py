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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from kaifang.reading.infer import (
    LEADING_ZERO,
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
from kaifang.sqlutil import quote_literal

SAMPLE_ROWS = 10_000


@dataclass
class Analysis:
    rows: int
    plans: list[ColumnPlan]
    undecodable: dict[int, int] = field(default_factory=dict)


def _run(con: duckdb.DuckDBPyConnection, aggregates: Sequence[str], view: str) -> list[int]:
    result = con.execute(f"SELECT {', '.join(aggregates)} FROM {view}").fetchone()
    assert result is not None  # an aggregate without GROUP BY returns one row
    return [int(v or 0) for v in result]


def _undecodable_aggregates(count: int) -> list[str]:
    return [f"count_if(contains({raw(i)}, '\ufffd'))" for i in range(count)]


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
) -> Analysis:
    width = len(names)
    every = range(width)
    extra = _undecodable_aggregates(width) if count_undecodable else []

    sample_view = normalized_view(
        sources, f"(SELECT * FROM {table_sql} LIMIT {SAMPLE_ROWS})", every
    )
    aggregates = ["count(*)"] + [a for i in every for a in slow_aggregates(i)]
    values = _run(con, aggregates + extra, sample_view)
    size = len(STATS)
    sample = [_slow_stats(values[1 + i * size : 1 + (i + 1) * size]) for i in every]
    if values[0] < SAMPLE_ROWS:
        complete = [plan_column(names[i], i, sample[i], forced.get(names[i])) for i in every]
        return Analysis(values[0], complete, _undecodable(values[1 + width * size :]))

    kinds = [forced.get(names[i]) or choose_kind(sample[i]) for i in every]
    slow = {i for i in every if needs_normalizing(kinds[i], sample[i])}
    aggregates = ["count(*)"]
    for i in every:
        aggregates.extend(slow_aggregates(i) if i in slow else _fast_aggregates(kinds[i], i))
    values = _run(con, aggregates + extra, normalized_view(sources, table_sql, slow))
    rows, position = values[0], 1
    plans: list[ColumnPlan | None] = []
    again: set[int] = set()
    for i in every:
        if i in slow:
            stats = _slow_stats(values[position : position + size])
            position += size
            plans.append(plan_column(names[i], i, stats, forced.get(names[i])))
            continue
        nonnull, ok, flagged = values[position : position + 3]
        position += 3
        plan = _fast_plan(names[i], i, kinds[i], nonnull, ok, flagged)
        if plan is None:
            again.add(i)
        plans.append(plan)
    undecodable = _undecodable(values[position:])
    if again:
        order = sorted(again)
        aggregates = [a for i in order for a in slow_aggregates(i)]
        values = _run(con, aggregates, normalized_view(sources, table_sql, again))
        for n, i in enumerate(order):
            stats = _slow_stats(values[n * size : (n + 1) * size])
            plans[i] = plan_column(names[i], i, stats, forced.get(names[i]))
    return Analysis(rows, [p for p in plans if p is not None], undecodable)


def _undecodable(values: Sequence[int]) -> dict[int, int]:
    return {i: count for i, count in enumerate(values) if count}


def _fast_aggregates(kind: str, i: int) -> list[str]:
    """Non-empty values, values that parse as ``kind``, and a flag count: leading zeros for
    numbers, trailing whitespace for strings."""
    v = raw(i)
    if kind in ("integer", "number"):
        flagged = f"count_if(regexp_full_match({v}, '{LEADING_ZERO}'))"
    elif kind == "string":
        endings = " OR ".join(f"ends_with({v}, {quote_literal(ch)})" for ch in WHITESPACE)
        flagged = f"count_if({endings})"
    else:
        flagged = "0"
    return [f"count(NULLIF({v}, ''))", f"count({fast_sql(kind, i)})", flagged]


def _fast_plan(
    name: str, index: int, kind: str, nonnull: int, ok: int, flagged: int
) -> ColumnPlan | None:
    """The plan for a clean column, or None when any value needs the full analysis."""
    if kind == "string":
        plan = ColumnPlan(name, index, kind, normalized=False, rtrim=flagged > 0)
        if flagged:
            plan.notes.append(f"trailing whitespace removed from {flagged} value(s)")
        return plan
    if flagged or ok < nonnull:
        return None
    plan = ColumnPlan(name, index, kind, normalized=False)
    add_kind_notes(plan, leading_zeros=False)
    return plan
