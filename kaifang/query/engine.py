"""Run validated SQL in the DuckDB sandbox, with time, row and memory limits.

A :class:`QueryEngine` holds one sandboxed DuckDB database and is meant to live as long as the
server: each query gets its own cursor (a connection of its own to the same database, as DuckDB
connections cannot be shared across threads mid-query), its resources appear in that cursor
only, as temporary views named like the resources, and a timer interrupts that cursor alone
when the time limit passes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeAlias

import duckdb
import pyarrow.dataset as pa_dataset

from kaifang.errors import QueryError
from kaifang.query.errors import map_duckdb_error
from kaifang.query.guard import ValidatedQuery, validate_sql
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident
from kaifang.storage.scan import parquet_scan_sql

TableSource: TypeAlias = "Sequence[str] | pa_dataset.Dataset"
"""What a resolver returns for a table: its Parquet files, or a pyarrow Dataset (object stores)."""

Resolver: TypeAlias = "Callable[[str], TableSource | None]"


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    elapsed_ms: float


class ResolvedTables:
    """Calls the resolver once per table name and remembers the answer."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self.sources: dict[str, TableSource] = {}

    def known(self, name: str) -> bool:
        if name not in self.sources:
            source = self._resolver(name)
            if source is None:
                return False
            self.sources[name] = source
        return True

    def files(self) -> list[str]:
        return [
            path
            for source in self.sources.values()
            if not isinstance(source, pa_dataset.Dataset)
            for path in source
        ]


class QueryEngine:
    """A sandboxed DuckDB reused across queries and threads.

    ``allowed_directories`` are the folders holding published Parquet (the server passes the
    storage root); ``allowed_paths`` are single files. Nothing else is readable.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        allowed_directories: Iterable[str | Path] = (),
        allowed_paths: Iterable[str | Path] = (),
    ) -> None:
        from kaifang.query.sandbox import sandboxed_connection

        self.settings = settings
        self._con = sandboxed_connection(
            settings, allowed_directories=allowed_directories, allowed_paths=allowed_paths
        )
        self._lock = threading.Lock()

    @classmethod
    def for_storage(cls, settings: Settings) -> QueryEngine:
        """The engine a server uses: it may read the local tables directory only (an object
        store's tables come in as pyarrow Datasets, which need no file access)."""
        from kaifang.storage.filesystem import open_location

        location = open_location(settings)
        return cls(settings, allowed_directories=[location.path()] if location.is_local else [])

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> QueryEngine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def run_sql(
        self,
        sql: str,
        *,
        resolver: Resolver,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Validate ``sql`` and run it; see :func:`kaifang.query.run_sql`."""
        tables = ResolvedTables(resolver)
        validated = validate_sql(sql, known_tables=tables.known)
        return self.run_validated(validated, tables, params=params, max_rows=max_rows)

    def run_validated(
        self,
        validated: ValidatedQuery,
        tables: ResolvedTables,
        *,
        params: Sequence[Any] = (),
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a query the guard accepted, reading ``tables``' sources."""
        limit = self.settings.query_max_rows if max_rows is None else max_rows
        if limit < 0:
            raise QueryError(f"max_rows must be 0 or more, not {limit}")
        try:
            sql = validated.render(limit=limit + 1)
        except RecursionError:
            raise QueryError("the query is nested too deeply to run") from None
        started = time.perf_counter()
        with self._lock:
            cursor = self._con.cursor()
        timer = threading.Timer(self.settings.query_timeout, _interrupt, args=(cursor,))
        timer.daemon = True
        timer.start()
        try:
            _expose_all(cursor, validated.tables, tables.sources)
            result = cursor.execute(sql, list(params))
            columns = [str(column[0]) for column in result.description or []]
            rows = result.fetchall()
        except duckdb.Error as error:
            raise map_duckdb_error(error, self.settings, tables.files()) from None
        finally:
            timer.cancel()
            cursor.close()
        truncated = len(rows) > limit
        return QueryResult(
            columns=columns,
            rows=rows[:limit],
            truncated=truncated,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )


def _interrupt(cursor: duckdb.DuckDBPyConnection) -> None:
    """Stop the cursor's query; a query that has just finished (or a closed cursor) is fine."""
    try:
        cursor.interrupt()
    except duckdb.Error:
        pass


def _expose_all(
    cursor: duckdb.DuckDBPyConnection, names: Sequence[str], sources: dict[str, TableSource]
) -> None:
    """One view per table; DuckDB matches names without regard to case, so ``People`` and
    ``people`` in one query must be the same resource."""
    exposed: dict[str, str] = {}
    for name in names:
        first = exposed.setdefault(name.casefold(), name)
        if first == name:
            _expose(cursor, name, sources[name])
        elif sources[first] != sources[name]:
            raise QueryError(
                f"tables {first!r} and {name!r} differ only by case but are different resources",
                hint="Quote the names exactly as the resources are published.",
            )


def _expose(cursor: duckdb.DuckDBPyConnection, name: str, source: TableSource) -> None:
    """Make ``source`` readable as table ``name`` in this cursor only."""
    if isinstance(source, pa_dataset.Dataset):
        cursor.register(name, source)
        return
    files: list[str] = list(source)
    if not files:
        raise QueryError(
            f"resource {name!r} has no data files",
            hint="Publish a version of the resource first.",
        )
    cursor.execute(
        f"CREATE TEMP VIEW {quote_ident(name)} AS SELECT * FROM {parquet_scan_sql(files)}"
    )


def run_sql(
    sql: str,
    *,
    resolver: Resolver,
    settings: Settings,
    params: Sequence[Any] = (),
    max_rows: int | None = None,
) -> QueryResult:
    """Run one read-only SQL query over published resources, in a fresh sandbox.

    ``resolver(name)`` maps a table name in the SQL (a resource id, or ``<id>__v<N>`` for a
    pinned version) to its Parquet files, or ``None`` if no such resource is published. The
    sandbox may read exactly those files. Raises :class:`~kaifang.errors.QueryError` for SQL
    the guard refuses or DuckDB rejects, :class:`~kaifang.errors.QueryLimitError` when a limit
    stops it. A server should keep one :class:`QueryEngine` instead.
    """
    tables = ResolvedTables(resolver)
    validated = validate_sql(sql, known_tables=tables.known)
    with QueryEngine(settings, allowed_paths=tables.files()) as engine:
        return engine.run_validated(validated, tables, params=params, max_rows=max_rows)
