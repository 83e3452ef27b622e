"""The engine for users' SQL, picked by ``settings.engine``: DuckDB in worker processes
(kaifang.query.isolated), whether tables are on local disk or in an object store, or Spark."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from kaifang.errors import ValidationError
from kaifang.query.base import QueryResult, Resolver
from kaifang.query.engine import QueryEngine
from kaifang.settings import Settings

__all__ = ["SqlRunner", "check_sql_settings", "open_sql_engine"]


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


def check_sql_settings(settings: Settings) -> None:
    """Refuse settings under which users' SQL would run in the server process (``serve``
    calls it before it starts, so the operator sees one clear line)."""
    if settings.engine != "spark" and settings.query_workers < 1:
        raise ValidationError(
            f"setting query_workers = {settings.query_workers}: users' SQL (/api/sql, CKAN "
            "datastore_search_sql) runs in worker processes, so that the operating system "
            "bounds its memory and time; in the server process nothing would",
            hint="Set query_workers (KAIFANG_QUERY_WORKERS) to 1 or more; 2 is the default.",
        )


def open_sql_engine(settings: Settings, duckdb_engine: QueryEngine) -> SqlRunner:
    """For ``settings.engine`` = ``duckdb``: worker processes reading what ``duckdb_engine``
    may read (tables on local disk, or in an object store, which each worker opens itself);
    a Spark engine on ``settings.spark_master`` when it is ``spark`` (PySpark and Java must be
    installed). Users' SQL never runs in the server process, where no OS limit holds: a
    ``query_workers`` below 1 is refused with a :class:`~kaifang.errors.ValidationError`."""
    if settings.engine == "spark":
        from kaifang.query.spark_engine import SparkEngine  # PySpark is an optional extra

        return SparkEngine.for_storage(settings)
    check_sql_settings(settings)
    from kaifang.query.isolated import IsolatedEngine

    return IsolatedEngine(settings, allowed_directories=duckdb_engine.directories)
