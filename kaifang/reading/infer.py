"""Type inference over whole columns, in one aggregate SQL pass over the staged data.

Threshold: a column takes a type when at least 99 % of its non-empty values parse as that
type — that is, at most ``floor(non_empty / 100)`` values may fail, so a column with fewer
than 100 values must parse completely. Values that fail become NULL and are reported as
``type-error`` problems with their data-row numbers. Order of preference: ROC date, integer,
number, boolean, date, date-time, time, then string. Integers or numbers written with a leading
zero (``011601``, ``09``) are codes and stay strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from kaifang.reading import roc_dates
from kaifang.reading.normalize import normalized, normalized_view, raw, rtrimmed, unprefixed

INTEGER = "[+-]?[0-9]{1,18}"
LEADING_ZERO = "[+-]?0[0-9]+(\\.[0-9]*)?"
NUMBER = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?"
CODE = "[0-9A-Za-z._/-]+"

# What each inferred kind is called in Table Schema.
SCHEMA_TYPE = {
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "roc-date": "date",
    "datetime": "datetime",
    "time": "time",
    "year": "year",
    "code": "string",
    "string": "string",
}
_STATS = (
    "nonnull",
    "trailing_space",
    "apostrophe",
    "full_width",
    "integer",
    "leading_zero",
    "number",
    "boolean",
    "date",
    "datetime",
    "roc_date",
    "time",
    "code",
)


@dataclass
class ColumnPlan:
    """How one output column is computed from staged column ``index``."""

    name: str
    index: int
    kind: str = "string"
    failures: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def type(self) -> str:
        return SCHEMA_TYPE[self.kind]

    def typed_sql(self) -> str:
        return typed_sql(self.kind, self.index)


def typed_sql(kind: str, i: int) -> str:
    n = normalized(i)
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({n}, '{INTEGER}') THEN TRY_CAST({n} AS BIGINT) END"
    if kind == "number":
        return f"CASE WHEN regexp_full_match({n}, '{NUMBER}') THEN TRY_CAST({n} AS DOUBLE) END"
    if kind == "boolean":
        return f"CASE lower({n}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if kind == "date":
        return f"coalesce({roc_dates.date_sql(n)}, {roc_dates.roc_date_sql(n)})"
    if kind == "roc-date":
        return roc_dates.roc_date_sql(n)
    if kind == "datetime":
        return roc_dates.datetime_sql(n)
    if kind == "time":
        return roc_dates.time_sql(n)
    if kind == "year":
        return f"CASE WHEN regexp_full_match({n}, '[0-9]{{4}}') THEN CAST({n} AS INTEGER) END"
    if kind == "code":
        return n
    return unprefixed(i)


def _aggregates(i: int) -> list[str]:
    n = normalized(i)
    return [
        f"count({rtrimmed(i)})",
        f"count_if({raw(i)} <> {rtrimmed(i)})",
        f"count_if({unprefixed(i)} <> {rtrimmed(i)})",
        f"count_if({n} <> trim({unprefixed(i)}))",
        f"count_if(regexp_full_match({n}, '{INTEGER}'))",
        f"count_if(regexp_full_match({n}, '{LEADING_ZERO}'))",
        f"count_if(regexp_full_match({n}, '{NUMBER}'))",
        f"count_if(lower({n}) IN ('true', 'false'))",
        f"count({roc_dates.date_sql(n)})",
        f"count({roc_dates.datetime_sql(n)})",
        f"count({roc_dates.roc_date_sql(n)})",
        f"count({roc_dates.time_sql(n)})",
        f"count_if(regexp_full_match({n}, '{CODE}'))",
    ]


def column_stats(
    con: duckdb.DuckDBPyConnection, sources: Sequence[str], table_sql: str
) -> tuple[int, list[dict[str, int]]]:
    """The row count and, per column, how many values fit each type (one scan)."""
    aggregates = ["count(*)"]
    for i in range(len(sources)):
        aggregates.extend(_aggregates(i))
    view = normalized_view(sources, table_sql)
    result = con.execute(f"SELECT {', '.join(aggregates)} FROM {view}").fetchone()
    assert result is not None  # an aggregate without GROUP BY returns one row
    values = [int(v or 0) for v in result]
    stats = [
        dict(zip(_STATS, values[1 + i * len(_STATS) : 1 + (i + 1) * len(_STATS)], strict=True))
        for i in range(len(sources))
    ]
    return values[0], stats


def _fits(count: int, nonnull: int) -> bool:
    return nonnull > 0 and count >= nonnull - nonnull // 100


def choose_kind(stats: Mapping[str, int]) -> str:
    nonnull = stats["nonnull"]
    if nonnull == 0:
        return "string"
    has_codes = stats["leading_zero"] > 0
    order = (
        ("roc-date", "roc_date", True),
        ("integer", "integer", not has_codes),
        ("number", "number", not has_codes),
        ("boolean", "boolean", True),
        ("date", "date", True),
        ("datetime", "datetime", True),
        ("time", "time", True),
    )
    for kind, key, allowed in order:
        if allowed and _fits(stats[key], nonnull):
            return kind
    if stats["full_width"] and _fits(stats["code"], nonnull):
        return "code"
    return "string"


def plan_column(name: str, index: int, stats: Mapping[str, int], forced: str | None) -> ColumnPlan:
    kind = forced or choose_kind(stats)
    plan = ColumnPlan(name=name, index=index, kind=kind)
    nonnull = stats["nonnull"]
    fitting = {
        "integer": stats["integer"],
        "number": stats["number"],
        "boolean": stats["boolean"],
        "date": max(stats["date"], stats["roc_date"]),
        "roc-date": stats["roc_date"],
        "datetime": stats["datetime"],
        "time": stats["time"],
    }
    plan.failures = nonnull - fitting[kind] if kind in fitting else 0
    if stats["trailing_space"]:
        plan.notes.append(f"trailing whitespace removed from {stats['trailing_space']} value(s)")
    if stats["apostrophe"]:
        plan.notes.append(f"Excel apostrophe prefix removed from {stats['apostrophe']} code(s)")
    if stats["full_width"] and kind != "string":
        plan.notes.append(
            f"full-width characters normalized (NFKC) in {stats['full_width']} value(s)"
        )
    if kind == "roc-date":
        plan.notes.append("ROC (民國) dates converted to ISO dates")
    if stats["leading_zero"] and kind == "string" and _fits(stats["number"], nonnull):
        plan.notes.append("numbers with leading zeros kept as text (codes)")
    if plan.failures:
        plan.notes.append(
            f"{plan.failures} value(s) are not {plan.type}; read as empty (see problems)"
        )
    return plan
