"""The safe query layer: read-only SQL over published resources, used by every interface.

:func:`run_sql` validates (:func:`validate_sql`) and runs one query in a DuckDB sandbox with
time, row and memory limits; a server keeps one :class:`QueryEngine` for all requests.
:func:`build_select` and :func:`build_aggregate_query` write the SQL of the rows and
aggregate endpoints (:func:`build_aggregate` the plain group-by of other callers), and
:func:`to_spark_sql` transpiles a validated query for Spark.
"""

from __future__ import annotations

from kaifang.query.aggregate import AggregateQuery, build_aggregate_query
from kaifang.query.engine import QueryEngine, QueryResult, Resolver, TableSource, run_sql
from kaifang.query.filters import OPERATORS, FilterInput
from kaifang.query.guard import MAX_SQL_CHARS, PINNED_VERSION, ValidatedQuery, validate_sql
from kaifang.query.rows import (
    MAX_PAGE_ROWS,
    METRICS,
    RowsPage,
    RowsQuery,
    build_aggregate,
    build_select,
)
from kaifang.query.spark import to_spark_sql

__all__ = [
    "MAX_PAGE_ROWS",
    "MAX_SQL_CHARS",
    "METRICS",
    "OPERATORS",
    "PINNED_VERSION",
    "AggregateQuery",
    "FilterInput",
    "QueryEngine",
    "QueryResult",
    "Resolver",
    "RowsPage",
    "RowsQuery",
    "TableSource",
    "ValidatedQuery",
    "build_aggregate",
    "build_aggregate_query",
    "build_select",
    "run_sql",
    "to_spark_sql",
    "validate_sql",
]
