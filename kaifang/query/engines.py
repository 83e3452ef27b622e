"""The engine for users' SQL, picked by ``settings.engine``: DuckDB (in worker processes,
kaifang.query.isolated, when ``query_workers`` is above 0 and tables are on local disk) or
Spark."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from kaifang.query.base import QueryResult, Resolver
from kaifang.query.engine import QueryEngine
from kaifang.settings import Settings

__all__ = ["SqlRunner", "open_sql_engine"]


class SqlRunner(Protocol):
    """What runs users' SQL: an in-process engine (``kaifang.query.base.SqlEngine``: DuckDB,
    Spark) or the worker processes of ``kaifang.query.isolated.IsolatedEngine``."""

    def run_sql(
        self,
        sql: str,
        *,
        resolver: Resolver,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult: ...

    def start(self) -> None:
        """Prepare what the first query needs (a server calls it as it starts)."""

    def close(self) -> None: ...


def open_sql_engine(settings: Settings, duckdb_engine: QueryEngine) -> SqlRunner:
    """For ``settings.engine`` = ``duckdb``: worker processes reading what ``duckdb_engine``
    may read, or ``duckdb_engine`` itself when ``query_workers`` is 0 or the tables are in an
    object store; a Spark engine on ``settings.spark_master`` when it is ``spark`` (PySpark
    and Java must be installed)."""
    if settings.engine == "spark":
        from kaifang.query.spark_engine import SparkEngine  # PySpark is an optional extra

        return SparkEngine.for_storage(settings)
    from kaifang.storage.filesystem import open_location

    directories = duckdb_engine.directories
    if settings.query_workers > 0 and open_location(settings).is_local:
        from kaifang.query.isolated import IsolatedEngine

        return IsolatedEngine(settings, allowed_directories=directories)
    return duckdb_engine
