"""The engine for users' SQL, picked by ``settings.engine``: DuckDB in-process or Spark."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from kaifang.query.engine import QueryEngine, QueryResult, Resolver
from kaifang.settings import Settings


class SqlEngine(Protocol):
    """What :class:`QueryEngine` and :class:`~kaifang.query.spark_engine.SparkEngine` share."""

    def run_sql(
        self,
        sql: str,
        *,
        resolver: Resolver,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult: ...

    def close(self) -> None: ...


def open_sql_engine(settings: Settings, duckdb_engine: QueryEngine) -> SqlEngine:
    """``duckdb_engine`` when ``settings.engine`` is ``duckdb``; a Spark engine on
    ``settings.spark_master`` when it is ``spark`` (PySpark and Java must be installed)."""
    if settings.engine == "spark":
        from kaifang.query.spark_engine import SparkEngine

        return SparkEngine.for_storage(settings)
    return duckdb_engine
