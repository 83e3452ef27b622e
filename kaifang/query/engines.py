"""The engine for users' SQL, picked by ``settings.engine``: DuckDB in-process or Spark."""

from __future__ import annotations

from kaifang.query.base import SqlEngine
from kaifang.query.engine import QueryEngine
from kaifang.settings import Settings

__all__ = ["SqlEngine", "open_sql_engine"]


def open_sql_engine(settings: Settings, duckdb_engine: QueryEngine) -> SqlEngine:
    """``duckdb_engine`` when ``settings.engine`` is ``duckdb``; a Spark engine on
    ``settings.spark_master`` when it is ``spark`` (PySpark and Java must be installed)."""
    if settings.engine == "spark":
        from kaifang.query.spark_engine import SparkEngine  # PySpark is an optional extra

        return SparkEngine.for_storage(settings)
    return duckdb_engine
