"""The safe query layer: read-only SQL over published resources, used by every interface.

:func:`run_sql` validates (:func:`validate_sql`) and runs one query in a DuckDB sandbox with
time, row and memory limits; a server keeps one :class:`QueryEngine` for all requests.
:func:`build_select` and :func:`build_aggregate` write the SQL of the rows and aggregate
endpoints, and :func:`to_spark_sql` transpiles a validated query for Spark.
"""

from __future__ import annotations

from kaifang.query.engine import QueryEngine, QueryResult, Resolver, TableSource, run_sql
from kaifang.query.guard import PINNED_VERSION, ValidatedQuery, validate_sql

__all__ = [
    "PINNED_VERSION",
    "QueryEngine",
    "QueryResult",
    "Resolver",
    "TableSource",
    "ValidatedQuery",
    "run_sql",
    "validate_sql",
]
