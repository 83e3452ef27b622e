"""The SQL of the aggregate endpoint: groups (time buckets included), metrics, filters on
rows and on metrics, sort and paging.

``group_by`` items are columns or time buckets: ``date_trunc:<unit>:<col>`` (unit minute,
hour, day, week, month, quarter or year; output column ``<col>__<unit>``) or
``bucket:<n><m|h|d>:<col>`` (``time_bucket``, e.g. ``bucket:15m:TimeInterval``; output
``<col>__<n><unit>``). ``metric`` items: ``count``, ``count:x`` (non-null x),
``count_distinct:x``, ``sum:x``, ``avg:x``, ``min:x``, ``max:x``, ``median:x`` and
percentiles ``p<1-99>:x`` (continuous, e.g. ``p95:Speed``); output columns ``count``,
``sum_x``, ``p95_x``... Filters on an output metric (``count__gt=100``, ``sum_Volume__gte=5``)
become ``HAVING`` conditions; every other filter is a row filter. ``sort`` names output
columns (``-name`` descending); groups otherwise come in group order. Paging is by offset
(the aggregate is recomputed for each page; a page holds at most ``MAX_GROUPS_PAGE`` groups).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kaifang.errors import QueryError
from kaifang.query.filters import FilterInput, check_columns, parse_filters, where_conditions
from kaifang.sqlutil import quote_ident

METRICS = ("count", "count_distinct", "sum", "avg", "min", "max", "median")
TRUNC_UNITS = ("minute", "hour", "day", "week", "month", "quarter", "year")
MAX_GROUPS_PAGE = 10_000
_BUCKET = re.compile(r"^(\d{1,4})([mhd])$")
_BUCKET_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_PERCENTILE = re.compile(r"^p([1-9][0-9]?)$")
_METRIC_HINT = (
    "Valid metrics: count, count:x, count_distinct:x, sum:x, avg:x, min:x, max:x, median:x, "
    "p<1-99>:x (e.g. p95:x)."
)


@dataclass(frozen=True)
class AggregateQuery:
    sql: str
    params: list[Any]
    columns: tuple[str, ...]
    limit: int
    offset: int


def _group(item: str, columns: Sequence[str]) -> tuple[str, str]:
    """(SQL expression, output name) of one ``group_by`` item."""
    if item.count(":") != 2:
        check_columns([item], columns, what="group_by column")
        return quote_ident(item), item
    kind, size, column = item.split(":")
    check_columns([column], columns, what="group_by column")
    col = quote_ident(column)
    if kind == "date_trunc" and size in TRUNC_UNITS:
        return f"date_trunc('{size}', {col})", f"{column}__{size}"
    bucket = _BUCKET.match(size)
    if kind == "bucket" and bucket and int(bucket.group(1)) > 0:
        interval = f"INTERVAL '{int(bucket.group(1))} {_BUCKET_UNITS[bucket.group(2)]}'"
        return f"time_bucket({interval}, {col})", f"{column}__{size}"
    raise QueryError(
        f"unknown time bucket {item!r}",
        hint="Use date_trunc:<" + "|".join(TRUNC_UNITS) + ">:<column> or "
        "bucket:<n><m|h|d>:<column>, e.g. bucket:15m:TimeInterval.",
    )


def _metric(metric: str, columns: Sequence[str]) -> tuple[str, str]:
    """(SQL expression, output name) of one metric."""
    function, _, column = metric.partition(":")
    percentile = _PERCENTILE.match(function)
    if (function not in METRICS and not percentile) or (function != "count" and not column):
        raise QueryError(f"unknown metric {metric!r}", hint=_METRIC_HINT)
    if not column:
        return "count(*)", "count"
    check_columns([column], columns, what="metric column")
    col = quote_ident(column)
    alias = f"{function}_{column}"
    if percentile:
        return f"quantile_cont({col}, {int(percentile.group(1)) / 100})", alias
    if function == "count_distinct":
        return f"count(DISTINCT {col})", alias
    return f"{function}({col})", alias


def build_aggregate_query(
    table: str,
    *,
    columns: Sequence[str],
    group_by: Sequence[str] = (),
    metrics: Sequence[str] = ("count",),
    filters: FilterInput = (),
    sort: Sequence[str] = (),
    limit: int = MAX_GROUPS_PAGE,
    offset: int = 0,
) -> AggregateQuery:
    """One page of groups; the SQL asks for one group more than ``limit`` to know whether
    another page follows."""
    if not metrics:
        raise QueryError("no metric asked for", hint="Use metric=count or e.g. metric=sum:x.")
    if not 1 <= limit <= MAX_GROUPS_PAGE:
        raise QueryError(
            f"_limit must be between 1 and {MAX_GROUPS_PAGE}, not {limit}",
            hint="Follow next_offset for more groups.",
        )
    if offset < 0:
        raise QueryError(f"_offset must be 0 or more, not {offset}")
    groups = [_group(item, columns) for item in group_by]
    measures = [_metric(metric, columns) for metric in metrics]
    outputs = [name for _, name in groups] + [name for _, name in measures]
    if len(set(outputs)) != len(outputs):
        raise QueryError("a group or metric appears twice", hint="Ask for each one once.")
    metric_sql = {name: expr for expr, name in measures}
    row_filters: list[tuple[str, str]] = []
    metric_filters: list[tuple[str, str]] = []
    pairs = filters.items() if isinstance(filters, Mapping) else filters
    for key, value in pairs:
        name = key.rpartition("__")[0] if "__" in key and key not in columns else key
        (metric_filters if name in metric_sql and key not in columns else row_filters).append(
            (key, value)
        )
    conditions, params = where_conditions(parse_filters(row_filters, columns))
    having, having_params = where_conditions(parse_filters(metric_filters, list(metric_sql)))
    for name, expr in metric_sql.items():  # HAVING names the aggregate, not its alias
        having = [h.replace(quote_ident(name), expr) for h in having]
    selected = [f"{expr} AS {quote_ident(name)}" for expr, name in [*groups, *measures]]
    sql = f"SELECT {', '.join(selected)} FROM {quote_ident(table)}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if groups:
        sql += " GROUP BY " + ", ".join(expr for expr, _ in groups)
    if having:
        sql += " HAVING " + " AND ".join(having)
    order = []
    for name in sort:
        descending = name.startswith("-")
        bare = name.lstrip("-")
        if bare not in outputs:
            raise QueryError(
                f"cannot sort on {bare!r}: not an output column",
                hint="Sort on a group or metric: " + ", ".join(outputs) + ".",
            )
        order.append(f"{quote_ident(bare)} {'DESC' if descending else 'ASC'} NULLS LAST")
    order += [
        f"{quote_ident(name)} ASC NULLS LAST"
        for _, name in groups
        if name not in {s.lstrip("-") for s in sort}
    ]
    if order:
        sql += " ORDER BY " + ", ".join(order)
    sql += f" LIMIT {limit + 1}"
    if offset:
        sql += f" OFFSET {offset}"
    return AggregateQuery(sql, params + having_params, tuple(outputs), limit, offset)
