"""Run validated SQL in the DuckDB sandbox, with time, row and memory limits.

A :class:`QueryEngine` holds one sandboxed DuckDB database and is meant to live as long as the
server. Each thread runs its queries on a cursor of its own, which keeps the resource views
it has created (kaifang.query.cursors); one watchdog thread interrupts a query that passes
the time limit (kaifang.query.watchdog). A source may be a serving copy (a large version in
DuckDB's format, kaifang.query.serving): the engine attaches it read-only, once. An engine for
heavy work (``background_threads``) runs its queries, and DuckDB its workers, on threads of
lower OS priority (kaifang.query.priority), so that pages stay fast while it works.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from kaifang.query.base import QueryResult, ResolvedTables, Resolver, SqlEngine
from kaifang.query.cursors import CursorPool, TableSource
from kaifang.query.errors import map_duckdb_error
from kaifang.query.guard import ValidatedQuery, validate_sql
from kaifang.query.priority import BackgroundThreads
from kaifang.query.serving import (
    SERVING_TABLE,
    ServingCopies,
    ServingCopy,
    attach_sql,
    copy_alias,
    serving_root,
)
from kaifang.query.watchdog import Watchdog
from kaifang.settings import Settings

__all__ = ["QueryEngine", "QueryResult", "ResolvedTables", "Resolver", "TableSource", "run_sql"]

MAX_ATTACHED = 64
"""Most serving copies one engine attaches; later ones are read from their Parquet."""


class QueryEngine(SqlEngine):
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
        serving: ServingCopies | None = None,
        background_threads: int = 0,
    ) -> None:
        from kaifang.query.sandbox import sandboxed_connection

        self.settings = settings
        self.directories = [str(path) for path in allowed_directories]
        self._background = (
            BackgroundThreads(background_threads, settings.query_nice, name="kaifang-heavy")
            if background_threads > 0 and settings.query_nice > 0
            else None
        )
        connect = functools.partial(
            sandboxed_connection,
            settings,
            allowed_directories=self.directories,
            allowed_paths=allowed_paths,
        )
        # opened on a background thread, DuckDB's own threads start at its priority
        self._con = self._background.run(connect) if self._background else connect()
        self._lock = threading.Lock()
        self._cursors = CursorPool(self._con)
        self._watchdog = Watchdog()
        self.serving = serving
        self._attached: set[str] = set()

    @classmethod
    def for_storage(
        cls,
        settings: Settings,
        *,
        serving: ServingCopies | None = None,
        background_threads: int = 0,
    ) -> QueryEngine:
        """The engine a server uses: it may read the local tables directory only (an object
        store's tables come in as pyarrow Datasets, which need no file access), and the
        serving copies' directory when they are on (``serving``: another engine's copies,
        to share their builds; by default the engine starts its own)."""
        from kaifang.storage.filesystem import open_location

        location = open_location(settings)
        directories = [location.path()] if location.is_local else []
        if settings.serving_copies:
            root = serving_root(settings)
            root.mkdir(parents=True, exist_ok=True)
            directories.append(str(root))
            serving = serving or ServingCopies(settings)
        else:
            serving = None
        return cls(
            settings,
            allowed_directories=directories,
            serving=serving,
            background_threads=background_threads,
        )

    def close(self) -> None:
        if self.serving is not None:
            self.serving.close()
        self._watchdog.close()
        self._cursors.close()
        with self._lock:
            self._con.close()
        if self._background is not None:
            self._background.close()

    def render(self, validated: ValidatedQuery, *, limit: int) -> str:
        return validated.render(limit=limit)

    def execute(
        self, sql: str, validated: ValidatedQuery, tables: ResolvedTables, params: Sequence[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        if self._background is not None:
            return self._background.run(self._execute, sql, validated, tables, params)
        return self._execute(sql, validated, tables, params)

    def _execute(
        self, sql: str, validated: ValidatedQuery, tables: ResolvedTables, params: Sequence[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        self._attach_copies(tables.sources)
        held = self._cursors.get()
        try:
            held.expose(validated.tables, tables.sources)
            with self._watchdog.watch(held.cursor, self.settings.query_timeout):
                result = held.cursor.execute(sql, list(params))
                columns = [str(column[0]) for column in result.description or []]
                rows = result.fetchall()
        except duckdb.Error as error:
            self._cursors.discard(held)  # its state after a failure is unknown: start afresh
            raise map_duckdb_error(error, self.settings, tables.files()) from None
        return columns, rows

    def _attach_copies(self, sources: dict[str, TableSource]) -> None:
        """Attach each serving copy among ``sources`` read-only (once per engine); a copy that
        will not attach, or holds the wrong number of rows, is replaced by its Parquet."""
        for name, source in sources.items():
            if isinstance(source, ServingCopy) and not self._attach(source):
                sources[name] = source.fallback

    def _attach(self, copy: ServingCopy) -> bool:
        alias = copy_alias(copy.path)
        with self._lock:
            if alias in self._attached:
                return True
            if len(self._attached) >= MAX_ATTACHED:
                return False
            try:
                self._con.execute(attach_sql(copy.path, alias))
                counted = self._con.execute(f"SELECT count(*) FROM {alias}.{SERVING_TABLE}")
                if counted.fetchall() != [(copy.rows,)]:
                    self._con.execute(f"DETACH {alias}")
                    raise duckdb.IOException(f"{copy.path} does not hold {copy.rows} rows")
            except duckdb.Error:
                if self.serving is not None:
                    self.serving.discard(copy)
                return False
            self._attached.add(alias)
            return True


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
